#!/bin/sh
# Output benchmark (issue 3): one step printing 1 GiB, beside `head -c 1G /dev/zero | tee FILE`.
# Targets: no slower than tee, masking included; peak memory ≤ 32 MiB and independent of the
# output's size.
#
# Three contenders, each run ROUNDS times, interleaved:
#   runbook      `runbook run --yes` of a one-step runbook `run: head -c SIZE /dev/zero` with a
#                secret input (so masking is on): screen output to /dev/null, the step's output
#                log in a fresh state folder. This is the issue's benchmark.
#   shell_bench  examples/shell_bench.rs: the same command through `ProcessShell` alone, masked
#                by a `Masker` into a file (process group, streaming, bounded capture; no screen,
#                no journal). Shows what the process layer itself costs.
#   tee          `head -c SIZE /dev/zero | tee FILE > /dev/null`.
#
# Usage: benches/output.sh        (env: SIZE=1G ROUNDS=5 DIR=<folder for the files>)
# Prints each round, then the best and median wall time and the peak RSS (/usr/bin/time %M).
# All files go to DIR, on one file system; a tmpfs (DIR=/dev/shm/x) keeps the disk out of it.
# The machine should be otherwise idle: the figures are wall times.
set -eu

SIZE=${SIZE:-1G}
ROUNDS=${ROUNDS:-5}
DIR=${DIR:-$(mktemp -d)}
mkdir -p "$DIR"
cd "$(dirname "$0")/.."

cargo build --quiet --release --bin runbook --example shell_bench
RUNBOOK=$PWD/target/release/runbook
BENCH=$PWD/target/release/examples/shell_bench
TIMES=$(mktemp)
cleanup() { rm -rf "$TIMES" "$DIR/state" "$DIR/bench.yaml" "$DIR/ours.out" "$DIR/tee.out"; }
trap cleanup EXIT

write_runbook() { # SIZE
    cat > "$DIR/bench.yaml" <<YAML
version: 1
name: bench
title: Output benchmark
inputs:
  token:
    description: A secret, so that masking is on
    secret: true
    env: BENCH_TOKEN
steps:
  - id: print
    title: Print $1 of zeros
    run: head -c $1 /dev/zero
YAML
}

measure() { # NAME COMMAND...: appends "NAME seconds KiB" to $TIMES and shows it
    name=$1
    shift
    /usr/bin/time -f "$name %e %M" -a -o "$TIMES" "$@" > /dev/null 2>&1
    tail -n 1 "$TIMES"
}

run_runbook() { # NAME
    rm -rf "$DIR/state"
    measure "$1" "$RUNBOOK" run "$DIR/bench.yaml" --yes --input token=hunter2-secret \
        --state-dir "$DIR/state"
    rm -rf "$DIR/state"
}

write_runbook "$SIZE"
i=0
while [ "$i" -lt "$ROUNDS" ]; do
    i=$((i + 1))
    run_runbook runbook
    measure shell_bench "$BENCH" "$SIZE" "$DIR/ours.out"
    rm -f "$DIR/ours.out"
    measure tee sh -c "head -c $SIZE /dev/zero | tee '$DIR/tee.out'"
    rm -f "$DIR/tee.out"
done
# Peak memory must not grow with the output: the same runs with 64 MiB.
write_runbook 64M
run_runbook runbook-64M
measure shell_bench-64M "$BENCH" 64M "$DIR/ours.out"

echo
echo "size $SIZE, $ROUNDS rounds, files in $DIR"
for name in runbook shell_bench tee runbook-64M shell_bench-64M; do
    grep "^$name " "$TIMES" | sort -k2 -n | awk -v name="$name" '
        { t[NR] = $2; if ($3 > m) m = $3 }
        END { printf "%-16s best %6.2f s  median %6.2f s  peak RSS %6d KiB\n",
              name, t[1], t[int((NR + 1) / 2)], m }'
done
