#!/usr/bin/env bash
# End-to-end engine benchmark against lockstep-sandbox with its REAL limits (Customer.io
# 10 requests/s, Mixpanel ingestion as fast as the single-process sandbox answers):
#   - initial sync of a 1M-member segment (identity cio_id, then email),
#   - an incremental run after one sandbox tick of 1% churn (10k leave, 10k join),
#   - the same memberships through the official `mixpanel` Node library (a sample,
#     extrapolated to 1M),
# each repeated REPS times on a fresh sandbox. Raw results go to OUT/results.jsonl,
# the summary (medians) to OUT/summary.md; docs/BENCH.md explains every column.
#
# usage: bench/engine/run-engine-bench.sh [--build DIR] [--reps N] [--node-sample N]
#                                         [--node-concurrency N] [--identities "cio_id email"]
#                                         [--steady N] [--perf] [--out DIR]
# --steady N: N more incremental runs after the first (1 % churn each), reported together
#             as steady-<identity>: they include the runs that fold the journal into the
#             snapshot (every ~7th at 1 % churn), so the spread shows what those cost.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="$ROOT/build-bench"
REPS=3
NODE_SAMPLE=50000
NODE_CONCURRENCY=32
IDENTITIES="cio_id email"
PERF=0
STEADY=0
OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --build) BUILD="$(cd "$2" && pwd)"; shift 2 ;;
        --reps) REPS="$2"; shift 2 ;;
        --node-sample) NODE_SAMPLE="$2"; shift 2 ;;
        --node-concurrency) NODE_CONCURRENCY="$2"; shift 2 ;;
        --identities) IDENTITIES="$2"; shift 2 ;;
        --steady) STEADY="$2"; shift 2 ;;
        --perf) PERF=1; shift ;;
        --out) OUT="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
OUT="${OUT:-$BUILD/bench-engine}"
mkdir -p "$OUT"
LOCKSTEP="$BUILD/bin/lockstep"
SANDBOX="$BUILD/bin/lockstep-sandbox"
SCENARIO="$HERE/scenario-1m.json"
for b in "$LOCKSTEP" "$SANDBOX"; do
    [ -x "$b" ] || { echo "missing $b: cmake --build $BUILD --target lockstep lockstep-sandbox" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }

# The official Node library, installed next to the build (never into the source tree).
NODE_DIR="$BUILD/bench-node"
if [ ! -d "$NODE_DIR/node_modules/mixpanel" ]; then
    mkdir -p "$NODE_DIR"
    (cd "$NODE_DIR" && { [ -f package.json ] || npm init -y >/dev/null; } \
        && npm install --no-audit --no-fund mixpanel@0.24.0 >/dev/null)
fi

# Scenario credentials (bench/engine/scenario-1m.json).
export LOCKSTEP_CUSTOMERIO_APP_API_KEY=bench-key
export LOCKSTEP_MIXPANEL_PROJECT_TOKEN=bench-token
export LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT=bench-sa:bench-secret
# The sandbox is on loopback: lockstep sends secrets only to hosts the environment names.
export LOCKSTEP_ALLOWED_HOSTS="${LOCKSTEP_ALLOWED_HOSTS:-127.0.0.1,localhost}"
export QT_LOGGING_RULES="${BENCH_LOGGING_RULES:-lockstep.*.info=false}"

RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
SBX_PID=""
cleanup() { [ -n "$SBX_PID" ] && kill "$SBX_PID" 2>/dev/null || true; }
trap cleanup EXIT

# user+sys CPU seconds of a live process, from /proc (the sandbox outlives each phase).
cpu_of() { awk '{ printf "%.3f", ($14 + $15) / '"$(getconf CLK_TCK)"' }' "/proc/$1/stat"; }

start_sandbox() {
    local log="$1"
    "$SANDBOX" --scenario "$SCENARIO" > "$log" 2> "$log.err" &
    SBX_PID=$!
    for _ in $(seq 1 3000); do  # up to 5 min: 1M people on a loaded box
        [ -s "$log" ] && break
        sleep 0.1
    done
    [ -s "$log" ] || { echo "sandbox did not start" >&2; cat "$log.err" >&2; exit 1; }
    CIO=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["customerio"])' "$log")
    MP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mixpanel"])' "$log")
    MQ=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mixpanel_query"])' "$log")
}

stop_sandbox() {
    kill "$SBX_PID" 2>/dev/null || true
    wait "$SBX_PID" 2>/dev/null || true
    SBX_PID=""
}

# One lockstep sync under /usr/bin/time (and perf when asked), with the sandbox's CPU
# and request log around it. Appends one JSON line to $RESULTS.
measure_sync() {
    local tag="$1" ws="$2" dir="$3"
    curl -sf -X POST "$CIO/_sandbox/stats/reset" > /dev/null
    local sbx0; sbx0=$(cpu_of "$SBX_PID")
    local wrap=()
    [ "$PERF" = 1 ] && wrap=(perf record -g -F 499 -o "$dir/$tag.perf.data" --)
    /usr/bin/time -v -o "$dir/$tag.time" "${wrap[@]}" "$LOCKSTEP" --workspace "$ws" sync --all --json \
        > "$dir/$tag.json" 2> "$dir/$tag.err" || echo "sync $tag exited non-zero" >&2
    local sbx1; sbx1=$(cpu_of "$SBX_PID")
    curl -sf "$CIO/_sandbox/stats?log_limit=200000" > "$dir/$tag.stats.json"
    python3 "$HERE/collect.py" sync "$tag" "$dir" "$sbx0" "$sbx1" "${SEND_CONCURRENCY:-10}" \
        "$(uptime | sed 's/.*load average: //')" >> "$RESULTS"
}

# lockstep's fixed cost: the RSS of a process that starts and prints its version.
/usr/bin/time -v -o "$OUT/version.time" "$LOCKSTEP" --version > /dev/null
python3 "$HERE/collect.py" baseline "$OUT/version.time" >> "$RESULTS"

for rep in $(seq 1 "$REPS"); do
    for identity in $IDENTITIES; do
        dir="$OUT/rep$rep-$identity"
        rm -rf "$dir"; mkdir -p "$dir"
        start_sandbox "$dir/sandbox.json"
        ws="$dir/workspace.db"
        "$LOCKSTEP" --workspace "$ws" connect --customerio-url "$CIO" --mixpanel-url "$MP" \
            --mixpanel-query-url "$MQ" --project-id 42 > /dev/null
        "$LOCKSTEP" --workspace "$ws" mapping add --segment 1 --cohort "Bench 1M" --identity "$identity" > /dev/null
        echo "rep $rep $identity: initial sync" >&2
        measure_sync "initial-$identity" "$ws" "$dir"
        curl -sf -X POST "$CIO/_sandbox/tick?n=1" > "$dir/tick.json"
        echo "rep $rep $identity: incremental after $(cat "$dir/tick.json")" >&2
        measure_sync "incremental-$identity" "$ws" "$dir"
        for k in $(seq 2 $((STEADY + 1))); do
            curl -sf -X POST "$CIO/_sandbox/tick?n=1" > /dev/null
            measure_sync "steady$k-$identity" "$ws" "$dir"
        done

        if [ "$identity" = cio_id ] && [ "$NODE_SAMPLE" -gt 0 ]; then
            # The first NODE_SAMPLE members of the segment, as the engine keyed them.
            curl -sf "$CIO/_sandbox/segments/1/members" | python3 -c '
import json, sys
n = int(sys.argv[1])
for m in json.load(sys.stdin)["members"][:n]:
    print(m["cio_id"])' "$NODE_SAMPLE" > "$dir/node-keys.txt"
            curl -sf -X POST "$CIO/_sandbox/stats/reset" > /dev/null
            sbx0=$(cpu_of "$SBX_PID")
            echo "rep $rep: node mixpanel library, $NODE_SAMPLE updates, $NODE_CONCURRENCY in flight" >&2
            NODE_PATH="$NODE_DIR/node_modules" /usr/bin/time -v -o "$dir/node.time" \
                node "$HERE/node-push.mjs" "$MP" bench-token cio_cohorts "Bench 1M" \
                "$dir/node-keys.txt" "$NODE_CONCURRENCY" > "$dir/node.json"
            sbx1=$(cpu_of "$SBX_PID")
            curl -sf "$CIO/_sandbox/stats?log_limit=0" > "$dir/node.stats.json"
            python3 "$HERE/collect.py" node "$dir" "$sbx0" "$sbx1" \
                "$(uptime | sed 's/.*load average: //')" >> "$RESULTS"
        fi
        stop_sandbox
    done
done

python3 "$HERE/collect.py" summary "$RESULTS" > "$OUT/summary.md"
cat "$OUT/summary.md"
