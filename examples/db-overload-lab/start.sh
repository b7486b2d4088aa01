#!/usr/bin/env bash
# Starts the db-overload lab: a throwaway PostgreSQL cluster in a temporary folder, listening
# on 127.0.0.1 only, with an `inventory` database, and the misbehaving weekly-report client
# that piles up runaway queries (see README.md). Idempotent: a running lab is left as it is.
#
# Environment: PG_BIN (folder of initdb/pg_ctl/psql; default: the newest
# /usr/lib/postgresql/*/bin, else PATH), LAB_PORT (default: a free port),
# RUNBOOK_LAB_STATE (the state file; default in $TMPDIR), LAB_CLIENT_MINUTES (how long the
# report client misbehaves; default 60).
#
# Exit status: 0 running, 1 failed, 3 PostgreSQL server binaries not found.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${RUNBOOK_LAB_STATE:-${TMPDIR:-/tmp}/runbook-db-overload-lab.$(id -u).state}

say() { printf '%s\n' "$*"; }
die() {
  printf 'start.sh: %s\n' "$*" >&2
  exit 1
}

# The folder holding initdb, pg_ctl and psql.
pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    printf '%s\n' "$PG_BIN"
    return
  fi
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ]; then
    printf '%s\n' "$dir"
  elif command -v initdb >/dev/null; then
    dirname "$(command -v initdb)"
  fi
}

# Reads the state file's KEY=value lines into lab_* variables (never sourced: it is data).
read_state() {
  lab_base='' lab_port='' lab_pg_bin='' lab_client_pid=''
  local key value
  while IFS='=' read -r key value; do
    case $key in
      base) lab_base=$value ;;
      port) lab_port=$value ;;
      pg_bin) lab_pg_bin=$value ;;
      client_pid) lab_client_pid=$value ;;
    esac
  done <"$state"
}

# start_client BASE PORT PG_BIN: the misbehaving client, in its own session so that stop.sh
# ends it and everything it started; its pid goes to the state file.
start_client() {
  setsid "$here/report-client.sh" "$(url_of report_api "$2")" "$3/psql" "$here/report.sql" \
    >>"$1/client.log" 2>&1 </dev/null &
  local pid=$!
  grep -v '^client_pid=' "$state" >"$state.new" || true
  printf 'client_pid=%s\n' "$pid" >>"$state.new"
  mv -f -- "$state.new" "$state"
}

# url_of USER PORT [DATABASE]
url_of() { printf 'postgres://%s@127.0.0.1:%s/%s' "$1" "$2" "${3:-inventory}"; }

show() {
  local url
  url=$(url_of postgres "$1")
  say "lab      PostgreSQL on 127.0.0.1:$1 (data in $2)"
  say "client   the weekly report retries every second; log: $2/client.log"
  say "database $url"
  say ""
  say "watch the pile-up:"
  say "  psql '$url' -c \"select usename, state, now() - query_start as running from pg_stat_activity where backend_type = 'client backend' order by 3 desc\""
  say "run the runbook against it (queries running longer than 10 seconds are runaway here):"
  say "  runbook run db-overload --input db=$url --input min_runtime='10 seconds'"
  say "stop and remove the lab:"
  say "  $here/stop.sh"
}

# An existing lab: keep it if it runs, else clean up what is left of it.
if [ -e "$state" ]; then
  [ -O "$state" ] || die "$state belongs to another user; set RUNBOOK_LAB_STATE to another file"
  read_state
  if [ -n "$lab_base" ] && [ -f "$lab_base/data/postmaster.pid" ] &&
    kill -0 "$(head -n 1 "$lab_base/data/postmaster.pid")" 2>/dev/null; then
    if [[ $lab_client_pid =~ ^[0-9]+$ ]] && grep -qs 'report-client.sh' "/proc/$lab_client_pid/cmdline"; then
      say "the lab is already running"
    else
      start_client "$lab_base" "$lab_port" "$lab_pg_bin"
      say "the lab is already running; the report client misbehaves again"
    fi
    show "$lab_port" "$lab_base"
    exit 0
  fi
  "$here/stop.sh" >/dev/null
fi

bin=$(pg_bin)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ] || [ ! -x "$bin/psql" ]; then
  printf 'start.sh: PostgreSQL server binaries not found (initdb, pg_ctl, psql)\n' >&2
  printf 'help: install them (Debian: apt-get install -y postgresql) or set PG_BIN\n' >&2
  exit 3
fi

# initdb refuses to run as root: then the server runs as the `postgres` system user.
if [ "$(id -u)" -eq 0 ]; then
  pg_user=postgres
  id -u "$pg_user" >/dev/null 2>&1 || die "running as root needs the \`postgres\` system user"
  as_pg() { runuser -u "$pg_user" -- "$@"; }
else
  pg_user=$(id -un)
  as_pg() { "$@"; }
fi

base=$(mktemp -d "${TMPDIR:-/tmp}/runbook-db-overload-lab.XXXXXX")
touch "$base/.runbook-lab"
if [ "$pg_user" != "$(id -un)" ]; then
  chown "$pg_user": "$base"
  if ! as_pg test -w "$base"; then
    # $TMPDIR is not reachable by the postgres user (for example under /root): use /tmp.
    rm -rf -- "$base"
    base=$(mktemp -d /tmp/runbook-db-overload-lab.XXXXXX)
    touch "$base/.runbook-lab"
    chown "$pg_user": "$base"
  fi
fi
# Written now, so that stop.sh cleans up even if the start fails half way.
printf 'base=%s\npg_bin=%s\npg_user=%s\n' "$base" "$bin" "$pg_user" >"$state"
started_ok=''
clean_up_failed_start() {
  [ -z "$started_ok" ] || return 0
  printf 'start.sh: failed; cleaning up\n' >&2
  if [ -f "$base/postgres.log" ]; then
    tail -n 20 "$base/postgres.log" >&2 || true
  fi
  "$here/stop.sh" >/dev/null || true
}
trap clean_up_failed_start EXIT

say "initialising a throwaway cluster in $base"
as_pg "$bin/initdb" --pgdata="$base/data" --username=postgres --auth=trust --encoding=UTF8 \
  --no-locale --no-sync >"$base/initdb.log" 2>&1

# Trust, but on the loopback only: the lab listens on 127.0.0.1 and no socket file.
as_pg tee "$base/data/pg_hba.conf" >/dev/null <<'EOF'
# TYPE  DATABASE  USER  ADDRESS       METHOD
host    all       all   127.0.0.1/32  trust
EOF
as_pg tee -a "$base/data/postgresql.conf" >/dev/null <<'EOF'

# db-overload lab
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 60
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
max_parallel_workers_per_gather = 0
# As in production: a backend notices that its client went away only when it sends the
# result, so a query whose client timed out keeps running. (A remedy: set this to 5s.)
client_connection_check_interval = 0
log_line_prefix = '%m [%p] %u@%d '
log_min_duration_statement = -1
EOF

# A free port: nothing answers on it (and if the server cannot bind it, try another).
free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return
    fi
  done
  die "no free port found"
}

started=''
for _ in 1 2 3 4 5; do
  port=${LAB_PORT:-$(free_port)}
  printf 'port = %s\n' "$port" | as_pg tee -a "$base/data/postgresql.conf" >/dev/null
  # Below the normal priority, so that the saturated lab does not freeze the machine.
  if as_pg nice -n 10 "$bin/pg_ctl" --pgdata="$base/data" --log="$base/postgres.log" \
    --wait --timeout=60 start >"$base/pg_ctl.log" 2>&1; then
    started=yes
    break
  fi
  if [ -n "${LAB_PORT:-}" ] || ! grep -q 'could not bind' "$base/postgres.log"; then
    break
  fi
done
[ -n "$started" ] || die "the server did not start on port $port"
printf 'port=%s\n' "$port" >>"$state"

psql_as() { "$bin/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_as "$(url_of postgres "$port" postgres)" -c 'create database inventory' >/dev/null
say "loading the inventory database"
psql_as "$(url_of postgres "$port")" -f "$here/schema.sql" >/dev/null

start_client "$base" "$port" "$bin"
started_ok=yes

say ""
show "$port" "$base"
