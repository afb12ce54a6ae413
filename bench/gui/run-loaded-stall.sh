#!/bin/sh
# The GUI-thread stall of a 1M-member sync on a busy machine (docs/BENCH.md): a `nice`d
# compile of the engine on both cores, started in its own session as a build in another
# terminal would be, then bench_gui's sync REPS times with the console's priorities and
# REPS times without them (BENCH_ENGINE_NICE=0). Without LOAD=1 it measures the quiet
# machine instead (same runs, no compile).
# Usage: [LOAD=1] bench/gui/run-loaded-stall.sh [BUILD_DIR] [REPS]
set -eu
build=${1:-build}
reps=${2:-3}
src=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
loadpid=
cleanup() {
    [ -n "$loadpid" ] && kill -- "-$loadpid" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT INT TERM
if [ "${LOAD:-0}" = 1 ]; then
    cmake -S "$src" -B "$scratch/load" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER_LAUNCHER= >/dev/null
    # setsid: its own session, so its own scheduling group, as another terminal's build.
    setsid sh -c "while :; do nice -n 19 cmake --build '$scratch/load' -j2 \
        --target lockstep_engine lockstep_store >/dev/null 2>&1; \
        cmake --build '$scratch/load' --target clean >/dev/null 2>&1; done" &
    loadpid=$!
    sleep 10
fi
run() {
    QT_QPA_PLATFORM=offscreen "$build/bin/bench_gui" sync 2>/dev/null |
        grep -A1 "^sync of" | tr -d '\n'
    echo " (load $(cut -d' ' -f1 /proc/loadavg))"
}
i=1
while [ "$i" -le "$reps" ]; do
    run
    BENCH_ENGINE_NICE=0 run
    i=$((i + 1))
done
