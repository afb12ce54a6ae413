#!/bin/sh
# How long `lockstep --demo` takes to replay its 90 days of history (docs/BENCH.md).
# Runs the console REPS times under xvfb-run with --screenshot (which waits for the replay)
# and prints the console's own figure for each run.
# Usage: bench/demo/run-demo-history.sh [BUILD_DIR] [REPS]
set -eu
build=${1:-build}
reps=${2:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
i=1
while [ "$i" -le "$reps" ]; do
    HOME="$out/home$i" XDG_CONFIG_HOME="$out/home$i/.config" \
        xvfb-run -a -s "-screen 0 1440x900x24" "$build/bin/lockstep" --demo \
        --screenshot "$out/shots$i" 2>"$out/err$i" >/dev/null || true
    grep -h "demo history" "$out/err$i" || { echo "run $i: no figure"; cat "$out/err$i"; }
    i=$((i + 1))
done
