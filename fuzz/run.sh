#!/usr/bin/env bash
# Usage: fuzz/run.sh [SECONDS [TARGET...]]
# Runs each fuzz target (default: all) for SECONDS (default 1800 = 30 minutes), two at a
# time, on a copy of the committed seed corpus. Needs cargo-fuzz (`cargo install cargo-fuzz`); the
# sanitizer flags need nightly features, enabled on the stable toolchain with
# RUSTC_BOOTSTRAP=1. Crashes are kept in fuzz/artifacts/<target>/; turn each into a
# regression test before fixing it. An input that runs over 60 s is a hang, kept as a
# timeout-* artifact (libFuzzer's own default waits 20 minutes).
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH="${1:-1800}"
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O
targets=(methodology set data pattern coinr columns published survey sheet release)
if (($# > 1)); then targets=("${@:2}"); fi
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
done
# Every target runs the binaries of the one build above (not `cargo fuzz run`, which would
# rebuild from whatever the sources are when its turn comes).
bin=target/$(rustc -vV | sed -n "s/^host: //p")/release
run() {
    mkdir -p "artifacts/$1"
    "$bin/$1" -max_total_time="$SECONDS_EACH" -rss_limit_mb=4096 -timeout=60 -artifact_prefix="artifacts/$1/" \
        "corpus/$1" > "run-$1.log" 2>&1 || echo "$1: fuzzer stopped (see fuzz/run-$1.log, fuzz/artifacts/$1/)"
    grep -E "^(#[0-9]+|Done)" "run-$1.log" | tail -1 | sed "s/^/$1: /"
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
    run "${targets[i]}" &
    if ((i + 1 < ${#targets[@]})); then run "${targets[i + 1]}" & fi
    wait
done
