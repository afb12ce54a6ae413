#!/usr/bin/env bash
# A fleet on one Customer.io App API key: N mappings of M members each, one sandbox at the
# App API's 10 requests/s and Mixpanel's 60 queries an hour. Per repetition, on a fresh
# sandbox and workspace: a first `lockstep sync --all` (every mapping's first sync), then
# one tick of CHURN (a share of each segment leaves, as many join, merges included) and the
# incremental `sync --all` the operator waits for. For each sync: the time it took, the
# Customer.io requests the sandbox logged (segment reads, pages, exit lookups), the bound
# the key's limit sets (requests / 10 s), the longest gap between two of them, and the
# Mixpanel queries spent. Raw lines in OUT/results.jsonl, the table in OUT/summary.md.
#
# usage: bench/engine/run-fleet-bench.sh [--build DIR] [--reps N] [--mappings N] [--members M]
#                                        [--churn SHARE] [--merged SHARE] [--out DIR]
#                                        [-- extra `lockstep sync` arguments]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="$ROOT/build-bench"
REPS=3
MAPPINGS=20
MEMBERS=50000
CHURN=0.01
MERGED=0.003
OUT=""
EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        --build) BUILD="$(cd "$2" && pwd)"; shift 2 ;;
        --reps) REPS="$2"; shift 2 ;;
        --mappings) MAPPINGS="$2"; shift 2 ;;
        --members) MEMBERS="$2"; shift 2 ;;
        --churn) CHURN="$2"; shift 2 ;;
        --merged) MERGED="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --) shift; EXTRA=("$@"); break ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
OUT="${OUT:-$BUILD/bench-fleet}"
mkdir -p "$OUT"
LOCKSTEP="$BUILD/bin/lockstep"
SANDBOX="$BUILD/bin/lockstep-sandbox"
for b in "$LOCKSTEP" "$SANDBOX"; do
    [ -x "$b" ] || { echo "missing $b: cmake --build $BUILD --target lockstep lockstep-sandbox" >&2; exit 2; }
done

export LOCKSTEP_CUSTOMERIO_APP_API_KEY=fleet-key
export LOCKSTEP_MIXPANEL_PROJECT_TOKEN=fleet-token
export LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT=fleet-sa:fleet-secret
# The sandbox is on loopback: the keys may go there (docs/DECISIONS.md, pinned hosts).
export LOCKSTEP_ALLOWED_HOSTS="${LOCKSTEP_ALLOWED_HOSTS:-127.0.0.1,localhost}"
export QT_LOGGING_RULES="${BENCH_LOGGING_RULES:-lockstep.*.info=false}"

SCENARIO="$OUT/scenario.json"
python3 "$HERE/fleet.py" scenario "$MAPPINGS" "$MEMBERS" "$CHURN" "$MERGED" > "$SCENARIO"

RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
SBX_PID=""
cleanup() { [ -n "$SBX_PID" ] && kill "$SBX_PID" 2>/dev/null || true; }
trap cleanup EXIT

measure() {
    local tag="$1" ws="$2" dir="$3"
    curl -sf -X POST "$CIO/_sandbox/stats/reset" > /dev/null
    local t0 t1
    t0=$(date +%s.%N)
    "$LOCKSTEP" --workspace "$ws" sync --all --json "${EXTRA[@]}" > "$dir/$tag.json" 2> "$dir/$tag.err" \
        || echo "sync $tag exited non-zero" >&2
    t1=$(date +%s.%N)
    curl -sf "$CIO/_sandbox/stats?log_limit=200000" > "$dir/$tag.stats.json"
    "$LOCKSTEP" --workspace "$ws" status --json > "$dir/$tag.status.json" 2>/dev/null || true
    python3 "$HERE/fleet.py" collect "$tag" "$dir" "$t0" "$t1" "$MAPPINGS" "$MEMBERS" \
        "$(uptime | sed 's/.*load average: //')" >> "$RESULTS"
}

for rep in $(seq 1 "$REPS"); do
    dir="$OUT/rep$rep"
    rm -rf "$dir"; mkdir -p "$dir"
    "$SANDBOX" --scenario "$SCENARIO" > "$dir/sandbox.json" 2> "$dir/sandbox.err" &
    SBX_PID=$!
    for _ in $(seq 1 1200); do [ -s "$dir/sandbox.json" ] && break; sleep 0.1; done
    [ -s "$dir/sandbox.json" ] || { echo "sandbox did not start" >&2; cat "$dir/sandbox.err" >&2; exit 1; }
    CIO=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["customerio"])' "$dir/sandbox.json")
    MP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mixpanel"])' "$dir/sandbox.json")
    MQ=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mixpanel_query"])' "$dir/sandbox.json")
    ws="$dir/workspace.db"
    "$LOCKSTEP" --workspace "$ws" connect --customerio-url "$CIO" --mixpanel-url "$MP" \
        --mixpanel-query-url "$MQ" --project-id 42 > /dev/null
    for i in $(seq 1 "$MAPPINGS"); do
        "$LOCKSTEP" --workspace "$ws" mapping add --segment "$i" --cohort "Fleet $i" --identity cio_id > /dev/null
    done
    echo "rep $rep: first sync of $MAPPINGS x $MEMBERS" >&2
    measure first "$ws" "$dir"
    curl -sf -X POST "$CIO/_sandbox/tick?n=1" > "$dir/tick.json"
    echo "rep $rep: after one tick of $CHURN churn" >&2
    measure churn "$ws" "$dir"
    kill "$SBX_PID" 2>/dev/null || true
    wait "$SBX_PID" 2>/dev/null || true
    SBX_PID=""
done

python3 "$HERE/fleet.py" summary "$RESULTS" | tee "$OUT/summary.md"
