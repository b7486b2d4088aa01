#!/usr/bin/env bash
# Step overhead of `runbook run` (issue 3): 1,000 trivial `run` steps with --yes, durable
# journal included, beside a shell loop that starts `sh -c true` 1,000 times.
# Usage: bash benches/steps.sh [STEPS]   (prints the best of 3 runs of each)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-1000}
cargo build --release --quiet
bin=$PWD/target/release/runbook
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/runbooks"
{
  echo "title: Many trivial steps"
  echo "owner: bench"
  echo "description: $steps steps that do nothing."
  echo "shell: sh"
  echo "steps:"
  for i in $(seq "$steps"); do echo "  - {id: s$i, title: Step $i, run: 'true'}"; done
} > "$tmp/runbooks/steps.yaml"

now() { date +%s.%N; }
best() { sort -n | head -n 1; }

loop_times=()
run_times=()
for _ in 1 2 3; do
  t0=$(now)
  for _ in $(seq "$steps"); do sh -c true; done
  t1=$(now)
  loop_times+=("$(echo "$t1 - $t0" | bc)")
  rm -rf "$tmp/state"
  t0=$(now)
  (cd "$tmp" && RUNBOOK_STATE_DIR="$tmp/state" "$bin" run steps --yes >/dev/null 2>&1 </dev/null)
  t1=$(now)
  run_times+=("$(echo "$t1 - $t0" | bc)")
done
loop=$(printf '%s\n' "${loop_times[@]}" | best)
run=$(printf '%s\n' "${run_times[@]}" | best)
events=$(wc -l < "$(ls -d "$tmp"/state/runs/*/journal.jsonl | head -n 1)")
printf 'steps                 %s\n' "$steps"
printf 'sh -c true loop       %.3f s\n' "$loop"
printf 'runbook run --yes     %.3f s  (%s journal events, synced at every step end)\n' "$run" "$events"
printf 'ratio                 %.2fx\n' "$(echo "$run / $loop" | bc -l)"
