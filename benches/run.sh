#!/usr/bin/env bash
# Benchmarks for docs/performance.md. Not part of `cargo test`. Run from the crate root:
#
#   benches/run.sh [WORK_DIR]        # default WORK_DIR: /tmp/gti-bench
#
# 1. Sensitivity: the per-replication time of COINr's vignette analysis (benches/asem_spec.toml,
#    its four inputs) on COINr's example coin (benches/example_coin.toml, on the ASEM data),
#    fast path with 1 and 2 threads vs the naive path (re-validate + full pipeline per
#    replication) measured in the same run; then the whole command. COINr itself, side by
#    side: benches/coinr_sensitivity.R (needs R and COINr; not run here).
# 2. Scale: a 10-million-row synthetic panel (2,000 units x 500 indicators x 10 years);
#    `gti compute` on it vs pandas doing a grouped min-max of the same file, both under
#    /usr/bin/time -v (wall time and peak memory).
#
# Environment: CARGO_TARGET_DIR (default $HOME/.cache/gti-target); N (UA replications, default
# 100000); NAIVE_N (default 200); SYNTH="2000 500 10" (units indicators years).
set -euo pipefail
WORK=${1:-/tmp/gti-bench}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/gti-target}
N=${N:-100000}
NAIVE_N=${NAIVE_N:-200}
SYNTH=${SYNTH:-"2000 500 10"}
GTI=$CARGO_TARGET_DIR/release/gti
mkdir -p "$WORK"

cargo build --locked --release --bin gti --example bench_sensitivity --example synth_panel
echo "## machine: $(nproc) cores, $(uname -sr), $(rustc -V)"

echo "## 1. sensitivity, COINr's example coin (ASEM: 51 units, 49 indicators), COINr's vignette spec"
"$GTI" import coinr --idata tests/data/coinr-asem/ASEM_iData.csv \
    --imeta tests/data/coinr-asem/ASEM_iMeta.csv -o "$WORK/asem" >/dev/null 2>&1
M=benches/example_coin.toml
"$CARGO_TARGET_DIR/release/examples/bench_sensitivity" "$M" "$WORK/asem" \
    benches/asem_spec.toml "$N" "$NAIVE_N"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for t in 1 2; do
    echo "### whole command, UA, N = $N, --threads $t"
    /usr/bin/time -f "wall %e s, peak RSS %M KiB" "$GTI" sensitivity -m "$M" \
        -d "$WORK/asem" --spec benches/asem_spec.toml --runs "$N" --seed 42 --threads "$t" -q -o "$WORK/ua-$t"
done
for f in rank_stats.csv band_probs.csv runs.csv manifest.json; do
    cmp "$WORK/ua-1/$f" "$WORK/ua-2/$f" && echo "$f identical for 1 and 2 threads"
done
echo "### whole command, SA, N = 10000 (60,000 runs), --threads 2"
/usr/bin/time -f "wall %e s, peak RSS %M KiB" "$GTI" sensitivity -m "$M" \
    -d "$WORK/asem" --spec benches/asem_spec.toml --mode sa --runs 10000 --seed 42 --threads 2 -q -o "$WORK/sa"

echo "## 2. scale: synthetic panel ($SYNTH)"
# shellcheck disable=SC2086
"$CARGO_TARGET_DIR/release/examples/synth_panel" "$WORK/synth" $SYNTH
ls -l "$WORK/synth/indicators.csv"
echo "memory target: peak RSS <= 2 x the CSV = $(($(stat -c %s "$WORK/synth/indicators.csv") * 2 / 1024)) KiB"
cat "$WORK/synth/indicators.csv" >/dev/null   # into the page cache for every contender
# Alternated, three times each: the VM's speed drifts, so only runs side by side compare.
# The output folder is removed before each gti run (replacing a previous 505 MB scores.csv
# would add the deletion of the old file, about 0.1 s, to the run).
TIMES="Elapsed|Maximum resident|User time|System time"
for run in 1 2 3; do
    rm -rf "$WORK/synth-out"
    echo "### run $run: gti compute"
    /usr/bin/time -v "$GTI" compute -m "$WORK/synth/methodology.toml" -d "$WORK/synth/indicators.csv" -q \
        -o "$WORK/synth-out" 2>&1 | grep -E "$TIMES"
    echo "### run $run: pandas read + grouped min-max"
    /usr/bin/time -v python3 benches/pandas_minmax.py "$WORK/synth/indicators.csv" 2>&1 |
        grep -E "pandas|$TIMES"
done
echo "### pandas read + grouped min-max + write"
/usr/bin/time -v python3 benches/pandas_minmax.py "$WORK/synth/indicators.csv" "$WORK/pandas.csv" 2>&1 |
    grep -E "pandas|$TIMES"
ls -l "$WORK/synth-out"
