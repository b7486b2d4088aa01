#!/usr/bin/env bash
# Benchmarks of `runbook lint` (see docs/BENCHMARKS.md): measured, never asserted.
#
#   bash benches/lint.sh
#
# Generates 2,000 runbooks of 30 steps in a temporary folder, then prints:
#   1. `runbook lint --no-shellcheck` beside the floor (a bare serde-saphyr parse of the same
#      files into serde_json::Value, one thread), with 1 and 2 threads: files/s, MB/s, ratio;
#   2. peak memory for 200 and for 2,000 files;
#   3. `runbook lint` with shellcheck, cold and warm cache, beside one shellcheck process per
#      script (measured on a sample, extrapolated to every script);
#   4. the start of `runbook --version` beside a hello-world Rust binary.
# Needs: cargo, rustc, GNU time (/usr/bin/time); shellcheck for part 3 (skipped without it).
# Knobs: FILES (2000), SMALL (200), RUNS (5, the best run counts), STARTS (200), SAMPLE (300).
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=${FILES:-2000}
SMALL=${SMALL:-200}
RUNS=${RUNS:-5}
STARTS=${STARTS:-200}
SAMPLE=${SAMPLE:-300}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time at $TIME (apt-get install time)" >&2; exit 2; }

echo "building (release)…" >&2
cargo build --release --quiet
exes=$(cargo bench --no-run --bench floor --bench support --message-format=json 2>/dev/null |
    grep -o '"executable":"[^"]*"' | cut -d'"' -f4)
FLOOR=$(grep '/floor-' <<<"$exes")
SUPPORT=$(grep '/support-' <<<"$exes")
RUNBOOK=$PWD/target/release/runbook

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$SUPPORT" generate "$WORK/runbooks" "$FILES"
"$SUPPORT" generate "$WORK/small" "$SMALL"
BYTES=$(cat "$WORK"/runbooks/*.yaml | wc -c)
problems=$("$RUNBOOK" lint --no-shellcheck --format json "$WORK/runbooks" | grep -c '"code"' || true)

# best WALL CPU RSS of $RUNS runs of a command: seconds, seconds (user + system), KB (the largest)
best() {
    local out all=""
    for _ in $(seq "$RUNS"); do
        # lint exits 1 when it finds problems: the time is what counts here.
        out=$("$TIME" -f '%e %U %S %M' "$@" 2>&1 >/dev/null | tail -n 1) || true
        all+="$out"$'\n'
    done
    awk 'NF == 4 { c = $2 + $3
        if (n == 0 || $1 < w) w = $1
        if (n == 0 || c < cpu) cpu = c
        if ($4 > rss) rss = $4
        n++ }
        END { printf "%.2f %.2f %d\n", w, cpu, rss }' <<<"$all"
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
ratio() { calc "%.2f" "$1 / $2"; }
per_s() { calc "%.0f" "$1 / $2"; }
mb_s() { calc "%.1f" "$BYTES / 1000000 / $1"; }

echo
echo "## runbook lint benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Corpus: $FILES runbooks of 30 steps, $BYTES bytes ($problems diagnostics without shellcheck)."
echo "Each figure is the best of $RUNS runs; CPU is user + system time."
echo

read -r fw fc fm < <(best "$FLOOR" "$WORK/runbooks")
read -r w1 c1 m1 < <(best env RAYON_NUM_THREADS=1 "$RUNBOOK" lint --no-shellcheck "$WORK/runbooks")
read -r w2 c2 m2 < <(best env RAYON_NUM_THREADS=2 "$RUNBOOK" lint --no-shellcheck "$WORK/runbooks")
echo "| program | wall s | CPU s | files/s | MB/s | wall / floor | CPU / floor |"
echo "|---|---|---|---|---|---|---|"
echo "| floor: serde-saphyr parse, 1 thread | $fw | $fc | $(per_s "$FILES" "$fw") | $(mb_s "$fw") | 1.00 | 1.00 |"
echo "| \`runbook lint --no-shellcheck\`, 1 thread | $w1 | $c1 | $(per_s "$FILES" "$w1") | $(mb_s "$w1") | $(ratio "$w1" "$fw") | $(ratio "$c1" "$fc") |"
echo "| \`runbook lint --no-shellcheck\`, 2 threads | $w2 | $c2 | $(per_s "$FILES" "$w2") | $(mb_s "$w2") | $(ratio "$w2" "$fw") | $(ratio "$c2" "$fc") |"
echo
echo "Targets: lint on 1 thread <= 1.5x the floor; on 2 threads, faster than the floor (wall < 1.00)."
echo

read -r _ _ ms < <(best "$RUNBOOK" lint --no-shellcheck "$WORK/small")
read -r _ _ ml < <(best "$RUNBOOK" lint --no-shellcheck "$WORK/runbooks")
echo "Peak memory (max RSS, 2 threads): $SMALL files $ms KB, $FILES files $ml KB."
echo

if command -v shellcheck >/dev/null; then
    scripts=$("$SUPPORT" scripts "$WORK/runbooks" "$WORK/scripts")
    cold_wall=""
    for _ in $(seq "$RUNS"); do
        rm -rf "$WORK/cache"
        out=$(RUNBOOK_CACHE_DIR="$WORK/cache" "$TIME" -f '%e' "$RUNBOOK" lint "$WORK/runbooks" 2>&1 >/dev/null | tail -n 1) || true
        cold_wall=$(awk -v a="$out" -v b="$cold_wall" 'BEGIN { print (b == "" || a < b) ? a : b }')
    done
    read -r warm_wall _ _ < <(best env RUNBOOK_CACHE_DIR="$WORK/cache" "$RUNBOOK" lint "$WORK/runbooks")
    findings=$(RUNBOOK_CACHE_DIR="$WORK/cache" "$RUNBOOK" lint --format json "$WORK/runbooks" | grep -c '"RB030"' || true)
    # One shellcheck process per script, two at a time (the machine's cores), with the flags
    # and the script text that runbook gives shellcheck (see src/lint/shellcheck.rs).
    step=$(( scripts / SAMPLE > 0 ? scripts / SAMPLE : 1 ))
    ls "$WORK/scripts" | awk -v s="$step" 'NR % s == 1' | head -n "$SAMPLE" > "$WORK/sample"
    sampled=$(wc -l < "$WORK/sample")
    # shellcheck exits 1 when it finds something, and xargs then 123.
    one_each=$(cd "$WORK/scripts" && "$TIME" -f '%e' xargs -P 2 -n 1 \
        shellcheck --format=json1 --severity=info --norc --shell=bash \
        --exclude=SC1091,SC2050,SC2154,SC2157,SC2194 < "$WORK/sample" 2>&1 >/dev/null | tail -n 1) || true
    per_script_ms=$(calc "%.2f" "$one_each * 1000 / $sampled")
    all_each=$(calc "%.2f" "$one_each * $scripts / $sampled")
    echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p'): $scripts scripts in the corpus ($findings findings)."
    echo
    echo "| program | wall s | scripts/s | speed-up |"
    echo "|---|---|---|---|"
    echo "| one shellcheck per script, 2 at a time ($sampled sampled, $per_script_ms ms a script, extrapolated) | $all_each | $(per_s "$scripts" "$all_each") | 1.0 |"
    echo "| \`runbook lint\`, cold cache | $cold_wall | $(per_s "$scripts" "$cold_wall") | $(ratio "$all_each" "$cold_wall") |"
    echo "| \`runbook lint\`, warm cache | $warm_wall | $(per_s "$scripts" "$warm_wall") | $(ratio "$all_each" "$warm_wall") |"
    echo
    echo "Target: >= 10x faster than one shellcheck process per script."
    echo
else
    echo "shellcheck is not installed: part 3 skipped."
    echo
fi

printf 'fn main() {\n    println!("hello");\n}\n' > "$WORK/hello.rs"
rustc -O -o "$WORK/hello" "$WORK/hello.rs"
{ read -r hm hmed hmin; read -r rm rmed rmin; } < <("$SUPPORT" startup "$STARTS" "$WORK/hello" "$RUNBOOK" --version)
echo "| start ($STARTS runs each, in turn) | mean ms | median ms | min ms |"
echo "|---|---|---|---|"
echo "| hello-world (rustc -O) | $hm | $hmed | $hmin |"
echo "| \`runbook --version\` | $rm | $rmed | $rmin |"
echo "| ratio | $(ratio "$rm" "$hm") | $(ratio "$rmed" "$hmed") | $(ratio "$rmin" "$hmin") |"
echo
echo "Target: runbook --version <= 1.5x the hello-world start."
