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
# Knobs: FILES (2000), SMALL (200), RUNS (5, the best run counts), COLD_RUNS (2), STARTS (200),
# SAMPLE (300). It takes about 5 minutes on 2 idle cores, most of it shellcheck.
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=${FILES:-2000}
SMALL=${SMALL:-200}
RUNS=${RUNS:-5}
STARTS=${STARTS:-200}
SAMPLE=${SAMPLE:-300}
COLD_RUNS=${COLD_RUNS:-2}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time at $TIME (apt-get install time)" >&2; exit 2; }

echo "building (release)…" >&2
cargo build --release --quiet
exes=$(cargo bench --no-run --bench floor --bench support --message-format=json 2>/dev/null |
    grep -o '"executable":"[^"]*"' | cut -d'"' -f4)
FLOOR=$(grep '/floor-' <<<"$exes")
SUPPORT=$(grep '/support-' <<<"$exes")
# Where cargo put them: CARGO_TARGET_DIR when set (relative to here, as cargo reads it).
TARGET=${CARGO_TARGET_DIR:-target}
[[ $TARGET == /* ]] || TARGET=$PWD/$TARGET
RUNBOOK=$TARGET/release/runbook

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$SUPPORT" generate "$WORK/runbooks" "$FILES"
"$SUPPORT" generate "$WORK/small" "$SMALL"
BYTES=$(cat "$WORK"/runbooks/*.yaml | wc -c)
problems=$("$RUNBOOK" lint --no-shellcheck --format json "$WORK/runbooks" | grep -c '"code"' || true)

# one run of a command: "WALL CPU RSS", seconds, seconds (user + system), KB
once() {
    # lint exits 1 when it finds problems: the time is what counts here.
    "$TIME" -f '%e %U %S %M' "$@" 2>&1 >/dev/null | tail -n 1 | awk '{ print $1, $2 + $3, $4 }' || true
}
# the best of runs given as lines of "WALL CPU RSS": least wall, least CPU, largest RSS
bestof() {
    awk 'NF == 3 {
        if (n == 0 || $1 < w) w = $1
        if (n == 0 || $2 < cpu) cpu = $2
        if ($3 > rss) rss = $3
        n++ }
        END { printf "%.2f %.2f %d\n", w, cpu, rss }' <<<"$1"
}
# the best of $RUNS runs of one command
best() {
    local all=""
    for _ in $(seq "$RUNS"); do all+="$(once "$@")"$'\n'; done
    bestof "$all"
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
ratio() { calc "%.2f" "$1 / $2"; }
per_s() { calc "%.0f" "$1 / $2"; }
mb_s() { calc "%.1f" "$BYTES / 1000000 / $1"; }

echo
echo "## runbook lint benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Corpus: $FILES runbooks of 30 steps, $BYTES bytes ($problems diagnostics without shellcheck)."
echo "Each figure is the best of $RUNS runs (taken in turn with the floor); CPU is user + system time."
echo

# In turn, round after round, so that the three see the same machine.
floor_runs="" one_runs="" two_runs=""
for _ in $(seq "$RUNS"); do
    floor_runs+="$(once "$FLOOR" "$WORK/runbooks")"$'\n'
    one_runs+="$(once env RAYON_NUM_THREADS=1 "$RUNBOOK" lint --no-shellcheck "$WORK/runbooks")"$'\n'
    two_runs+="$(once env RAYON_NUM_THREADS=2 "$RUNBOOK" lint --no-shellcheck "$WORK/runbooks")"$'\n'
done
read -r fw fc fm < <(bestof "$floor_runs")
read -r w1 c1 m1 < <(bestof "$one_runs")
read -r w2 c2 m2 < <(bestof "$two_runs")
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
    distinct=$(find "$WORK/scripts" -type f -exec sha256sum {} + | awk '{ print $1 }' | sort -u | wc -l)
    # A cold run checks every distinct script once: it takes long, so fewer runs.
    cold_wall=""
    for _ in $(seq "$COLD_RUNS"); do
        rm -rf "$WORK/cache"
        out=$(RUNBOOK_CACHE_DIR="$WORK/cache" "$TIME" -f '%e' "$RUNBOOK" lint "$WORK/runbooks" 2>&1 >/dev/null | tail -n 1) || true
        cold_wall=$(awk -v a="$out" -v b="$cold_wall" 'BEGIN { print (b == "" || a < b) ? a : b }')
    done
    read -r warm_wall _ _ < <(best env RUNBOOK_CACHE_DIR="$WORK/cache" "$RUNBOOK" lint "$WORK/runbooks")
    findings=$(RUNBOOK_CACHE_DIR="$WORK/cache" "$RUNBOOK" lint --format json "$WORK/runbooks" | grep -c '"RB030"' || true)
    # One shellcheck process per script, as actionlint runs them: the same script text and
    # flags as runbook gives shellcheck (see src/lint/shellcheck.rs), one at a time and two at
    # a time (the machine's cores), on a sample spread over the corpus.
    step=$(( scripts / SAMPLE > 0 ? scripts / SAMPLE : 1 ))
    ls "$WORK/scripts" | awk -v s="$step" 'NR % s == 1' | head -n "$SAMPLE" > "$WORK/sample"
    sampled=$(wc -l < "$WORK/sample")
    each() {
        # shellcheck exits 1 when it finds something, and xargs then 123.
        (cd "$WORK/scripts" && "$TIME" -f '%e' xargs -P "$1" -n 1 \
            shellcheck --format=json1 --severity=info --norc --shell=bash \
            --exclude=SC1091,SC2050,SC2154,SC2157,SC2194 < "$WORK/sample" 2>&1 >/dev/null | tail -n 1) || true
    }
    one_1=$(each 1)
    one_2=$(each 2)
    all_1=$(calc "%.1f" "$one_1 * $scripts / $sampled")
    all_2=$(calc "%.1f" "$one_2 * $scripts / $sampled")
    echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p'): $scripts scripts in the corpus, $distinct distinct ($findings findings)."
    echo
    echo "| program | wall s | scripts/s | runbook lint cold is | runbook lint warm is |"
    echo "|---|---|---|---|---|"
    echo "| one shellcheck per script, one at a time ($(calc "%.2f" "$one_1 * 1000 / $sampled") ms a script; $sampled sampled, extrapolated) | $all_1 | $(per_s "$scripts" "$all_1") | $(ratio "$all_1" "$cold_wall")x faster | $(ratio "$all_1" "$warm_wall")x faster |"
    echo "| one shellcheck per script, two at a time ($(calc "%.2f" "$one_2 * 1000 / $sampled") ms a script; extrapolated) | $all_2 | $(per_s "$scripts" "$all_2") | $(ratio "$all_2" "$cold_wall")x faster | $(ratio "$all_2" "$warm_wall")x faster |"
    echo "| \`runbook lint\`, cold cache (best of $COLD_RUNS) | $cold_wall | $(per_s "$scripts" "$cold_wall") | | |"
    echo "| \`runbook lint\`, warm cache | $warm_wall | $(per_s "$scripts" "$warm_wall") | | |"
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
