#!/usr/bin/env bash
# Two `lockstep sync` processes on one workspace, one Customer.io App API key, one sandbox
# at 10 requests/s: the combined requests, the time both took and the bound the limit sets
# (requests / 10 s). Runs the tst_sharedlimit test binary (its scenario, its checks) REPS
# times per store and collects the `shared-limit:` line each row prints.
#
# usage: bench/engine/run-shared-limit-bench.sh [--build DIR] [--reps N] [--stores "sqlite postgresql"]
#                                               [--control] [--out DIR]
# --control also runs the row without the shared bucket (each process on its own limits).
# PostgreSQL: a throwaway server from tests/pg/pg-server.sh, stopped at the end.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="$ROOT/build"
REPS=3
STORES="sqlite postgresql"
CONTROL=0
OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --build) BUILD="$(cd "$2" && pwd)"; shift 2 ;;
        --reps) REPS="$2"; shift 2 ;;
        --stores) STORES="$2"; shift 2 ;;
        --control) CONTROL=1; shift ;;
        --out) OUT="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
OUT="${OUT:-$BUILD/bench-shared-limit}"
mkdir -p "$OUT"
TEST="$BUILD/bin/tst_sharedlimit"
[ -x "$TEST" ] || { echo "missing $TEST: cmake --build $BUILD --target tst_sharedlimit lockstep" >&2; exit 2; }

PG_STATE=""
cleanup() { [ -n "$PG_STATE" ] && sh "$ROOT/tests/pg/pg-server.sh" stop "$PG_STATE" >/dev/null 2>&1 || true; }
trap cleanup EXIT

ROWS="twoProcessesKeepToOneLimit:shared through the workspace"
LINES="$OUT/lines.txt"
: > "$LINES"
for store in $STORES; do
    env=(QT_QPA_PLATFORM=offscreen LOCKSTEP_TEST=1)
    if [ "$store" = postgresql ]; then
        if [ -z "$PG_STATE" ]; then
            PG_STATE="$OUT/pg"
            sh "$ROOT/tests/pg/pg-server.sh" start "$PG_STATE" >&2
        fi
        env+=(LOCKSTEP_TEST_STORE=postgresql "LOCKSTEP_PG_ENV=$PG_STATE/pg.env")
    fi
    for rep in $(seq 1 "$REPS"); do
        args=("$ROWS")
        [ "$CONTROL" -eq 1 ] && args=(twoProcessesKeepToOneLimit)
        echo "== $store, repetition $rep" >&2
        env "${env[@]}" "$TEST" "${args[@]}" 2>&1 | tee "$OUT/$store-$rep.log" | grep -o 'shared-limit: .*' >> "$LINES" || true
    done
done

# One table row per line: store, processes x pages, requests, 429s, most in a second,
# seconds (both processes, start to exit), first to last Customer.io request, bound, ratio.
echo "| store | shared | processes × pages | Customer.io requests | 429 | most in 1 s | seconds | reading s | bound (requests ÷ 10/s) | ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|"
sed 's/^shared-limit: //' "$LINES" | while read -r line; do
    declare -A f=()
    for kv in $line; do f[${kv%%=*}]=${kv#*=}; done
    shared=$([ "${f[shared]}" = 1 ] && echo yes || echo "no (control)")
    echo "| ${f[store]} | $shared | ${f[processes]} × $(( f[pages] / f[processes] )) | ${f[requests]} | ${f[http429]} | ${f[max_per_second]} | ${f[seconds]} | ${f[read_seconds]} | ${f[bound]} | ${f[ratio]} |"
done | tee "$OUT/summary.md"
