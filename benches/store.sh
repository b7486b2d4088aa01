#!/usr/bin/env bash
# The team store (issue 13), against a throwaway PostgreSQL on 127.0.0.1:
#  1. the 1,000-step run of benches/steps.sh with a store and without one (best of 5 each);
#  2. a store filled with 100,000 runs and 3,000,000 events (SQL, about a minute), then
#     `history --team` and `stats` timed (best of 10 and of 5).
# Usage: bash benches/store.sh [RUNS] [EVENTS_PER_RUN]   (defaults 100000 30)
# Needs the PostgreSQL server binaries (Debian: apt-get install -y postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-100000}
per=${2:-30}
cargo build --release --quiet
bin=$PWD/target/release/runbook
pgbin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "store.sh: PostgreSQL server binaries not found" >&2; exit 3; }
tmp=$(mktemp -d /tmp/runbook-store-bench.XXXXXX)
as_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  chown postgres "$tmp"
  as_pg() { runuser -u postgres -- "$@"; }
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  as_pg "$pgbin/pg_ctl" --pgdata "$tmp/data" --mode=immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
as_pg "$pgbin/initdb" --pgdata "$tmp/data" --username=postgres --auth=trust --no-locale \
  --encoding=UTF8 --no-sync >/dev/null
as_pg "$pgbin/pg_ctl" --pgdata "$tmp/data" --log "$tmp/postgres.log" --wait \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c shared_buffers=256MB -c max_wal_size=4GB" start >/dev/null
psql() { "$pgbin/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U postgres "$@"; }
psql -d postgres -c 'CREATE DATABASE runbook'
export RUNBOOK_STORE="postgres://postgres@127.0.0.1:$port/runbook?sslmode=disable"
"$bin" store migrate >/dev/null

now() { date +%s.%N; }
best() { sort -n | head -n 1; }

# 1. The 1,000-step run, with and without the store, in turn.
work=$tmp/work
mkdir -p "$work/runbooks"
{
  echo "title: Many trivial steps"
  echo "owner: bench"
  echo "description: 1000 steps that do nothing."
  echo "shell: sh"
  echo "steps:"
  for i in $(seq 1000); do echo "  - {id: s$i, title: Step $i, run: 'true'}"; done
} > "$work/runbooks/steps.yaml"
plain=()
stored=()
for _ in 1 2 3 4 5; do
  rm -rf "$work/state"
  t0=$(now)
  (cd "$work" && RUNBOOK_STORE= RUNBOOK_STATE_DIR="$work/state" "$bin" run steps --yes >/dev/null 2>&1 </dev/null)
  t1=$(now)
  plain+=("$(echo "$t1 - $t0" | bc)")
  rm -rf "$work/state"
  t0=$(now)
  (cd "$work" && RUNBOOK_STATE_DIR="$work/state" "$bin" run steps --yes >/dev/null 2>&1 </dev/null)
  t1=$(now)
  stored+=("$(echo "$t1 - $t0" | bc)")
done
p=$(printf '%s\n' "${plain[@]}" | best)
s=$(printf '%s\n' "${stored[@]}" | best)
events=$(wc -l < "$(ls -d "$work"/state/runs/*/journal.jsonl | head -n 1)")
shipped=$(psql -d runbook -c "SELECT count(*) FROM runbook.events WHERE run_id = (SELECT run_id FROM runbook.runs ORDER BY started_at DESC LIMIT 1)")
printf '1,000 steps, no store      %.3f s\n' "$p"
printf '1,000 steps, with a store  %.3f s  (%s of %s events in the store at exit)\n' "$s" "$shipped" "$events"
printf 'ratio                      %.2fx  (target <= 1.1x)\n\n' "$(echo "$s / $p" | bc -l)"

# 2. A store of a large team: RUNS runs of PER events each.
t0=$(now)
psql -d runbook <<SQL
ALTER TABLE runbook.events DISABLE TRIGGER USER;
INSERT INTO runbook.runs (run_id, runbook, title, mode, host, operators, started_at,
                          finished_at, status, duration_ms, last_seq)
SELECT format('%s-%s', lpad(to_hex(i), 8, '0'), md5(i::text)),
       'runbook-' || (i % 40),
       'Runbook ' || (i % 40),
       CASE WHEN i % 20 = 0 THEN 'dry-run' WHEN i % 4 = 0 THEN 'drill' ELSE 'run' END,
       'host-' || (i % 50),
       ARRAY['engineer-' || (i % 120) || '@host-' || (i % 50)],
       now() - (i * interval '5 minutes'),
       now() - (i * interval '5 minutes') + ((60 + i % 1800) * interval '1 second'),
       CASE WHEN i % 17 = 0 THEN 'failed' WHEN i % 31 = 0 THEN 'aborted' ELSE 'succeeded' END,
       (60 + i % 1800) * 1000,
       $per
FROM generate_series(1, $runs) AS i;
INSERT INTO runbook.events (run_id, seq, ts, event, step, record, generation)
SELECT r.run_id, s, r.started_at + s * interval '1 second',
       CASE s % 6 WHEN 1 THEN 'step_started' WHEN 2 THEN 'command' WHEN 3 THEN 'output_tail'
                  WHEN 4 THEN 'command_finished' WHEN 5 THEN 'step_finished' ELSE 'note' END,
       'step-' || (s / 6),
       CASE s % 6
         WHEN 5 THEN jsonb_build_object('seq', s, 'event', 'step_finished', 'step', 'step-' || (s / 6),
              'status', CASE WHEN (s + n) % 23 = 0 THEN 'failed' WHEN (s + n) % 29 = 0 THEN 'skipped' ELSE 'ok' END,
              'reason', CASE WHEN (s + n) % 29 = 0 THEN 'not needed here' END, 'duration_ms', 1200)
         WHEN 2 THEN jsonb_build_object('seq', s, 'event', 'command', 'step', 'step-' || (s / 6),
              'command', 'kubectl rollout restart deploy/api', 'attempt', 1, 'edited', (s + n) % 37 = 0)
         ELSE jsonb_build_object('seq', s, 'event', 'step_started', 'step', 'step-' || (s / 6),
              'title', 'A step of the runbook', 'index', s / 6, 'kind', 'run')
       END,
       1
FROM (SELECT run_id, started_at, row_number() OVER () AS n FROM runbook.runs
      WHERE runbook LIKE 'runbook-%') r,
     generate_series(1, $per) AS s;
ALTER TABLE runbook.events ENABLE TRIGGER USER;
ANALYZE runbook.runs;
ANALYZE runbook.events;
SQL
t1=$(now)
size=$(psql -d runbook -c "SELECT pg_size_pretty(pg_database_size('runbook'))")
total=$(psql -d runbook -c "SELECT count(*) FROM runbook.events")
printf 'filled: %s runs, %s events, %s on disk, in %.0f s\n' "$runs" "$total" "$size" "$(echo "$t1 - $t0" | bc)"

time_best() {
  local n=$1; shift
  local times=()
  for _ in $(seq "$n"); do
    t0=$(now)
    "$@" >/dev/null
    t1=$(now)
    times+=("$(echo "($t1 - $t0) * 1000" | bc)")
  done
  printf '%s\n' "${times[@]}" | best
}
h=$(time_best 10 "$bin" history --team)
hj=$(time_best 10 "$bin" history --team --json --runbook runbook-7)
st=$(time_best 5 "$bin" stats)
sy=$(time_best 5 "$bin" stats --since 400d)
printf '%-44s %8.0f ms  (target <= 200 ms)\n' 'runbook history --team' "$h"
printf '%-44s %8.0f ms\n' 'runbook history --team --json --runbook NAME' "$hj"
printf '%-44s %8.0f ms  (target <= 1000 ms)\n' 'runbook stats (last 30 days)' "$st"
printf '%-44s %8.0f ms\n' 'runbook stats --since 400d (every run)' "$sy"
