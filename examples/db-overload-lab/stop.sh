#!/usr/bin/env bash
# Stops the db-overload lab started by start.sh: ends the report client, stops the server and
# removes its temporary folder. Idempotent: without a lab, it says so and succeeds.
set -euo pipefail

state=${RUNBOOK_LAB_STATE:-${TMPDIR:-/tmp}/runbook-db-overload-lab.$(id -u).state}

say() { printf '%s\n' "$*"; }

if [ ! -e "$state" ]; then
  say "no lab is running (no $state)"
  exit 0
fi
if [ ! -O "$state" ]; then
  printf 'stop.sh: %s belongs to another user; not touching it\n' "$state" >&2
  exit 1
fi

base='' client_pid='' pg_bin='' pg_user=''
while IFS='=' read -r key value; do
  case $key in
    base) base=$value ;;
    client_pid) client_pid=$value ;;
    pg_bin) pg_bin=$value ;;
    pg_user) pg_user=$value ;;
  esac
done <"$state"

if [ "$(id -u)" -eq 0 ] && [ -n "$pg_user" ] && [ "$pg_user" != root ]; then
  as_pg() { runuser -u "$pg_user" -- "$@"; }
else
  as_pg() { "$@"; }
fi

# Only what this lab started: the client's session (checked by its command line), the
# server of its data folder, the folder that holds the lab's marker file.
if [[ $client_pid =~ ^[0-9]+$ ]] && grep -qs 'report-client.sh' "/proc/$client_pid/cmdline"; then
  kill -TERM -- "-$client_pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$client_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$client_pid" 2>/dev/null || true
  say "report client stopped"
fi

if [ -n "$base" ] && [ -f "$base/.runbook-lab" ]; then
  if [ -f "$base/data/postmaster.pid" ]; then
    pid=$(head -n 1 "$base/data/postmaster.pid")
    if [ -x "$pg_bin/pg_ctl" ]; then
      as_pg "$pg_bin/pg_ctl" --pgdata="$base/data" --mode=fast --wait --timeout=30 stop >/dev/null 2>&1 ||
        as_pg "$pg_bin/pg_ctl" --pgdata="$base/data" --mode=immediate --wait --timeout=30 stop >/dev/null 2>&1 ||
        true
    fi
    # Still there (no pg_ctl, or it gave up): the postmaster of this data folder and its
    # backends (its children).
    if [[ $pid =~ ^[0-9]+$ ]] && grep -qs -- "$base/data" "/proc/$pid/cmdline"; then
      pkill -KILL -P "$pid" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "server stopped"
  fi
  rm -rf -- "$base"
  say "removed $base"
fi
rm -f -- "$state"
