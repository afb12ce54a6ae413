#!/bin/sh
# `make bench`: every benchmark, one after the other, against the build in $1.
# Figures land in the README and docs/BENCH.md, docs/HEALTH.md, docs/SANDBOX.md; timing is
# never part of `make test`.
set -eu
BUILD=${1:-build}
# The benchmarks' sandboxes listen on loopback; lockstep sends secrets only to the
# vendors' hosts and to hosts the environment names.
export LOCKSTEP_ALLOWED_HOSTS="${LOCKSTEP_ALLOWED_HOSTS:-127.0.0.1,localhost}"
echo "== sandbox throughput (membership rows/s, /engage updates/s)"
"$BUILD/bin/bench_sandbox" 1000000
echo "== health: 20x20 overlap matrix over 1M-member cohorts, rules over 100 mappings x 3 years"
"$BUILD/bin/bench_health"
echo "== engine: per-member CPU (parse, identity, diff, snapshot)"
"$BUILD/bin/bench_engine"
if [ -x "$BUILD/bin/bench_gui" ]; then
    echo "== console responsiveness"
    QT_QPA_PLATFORM=offscreen "$BUILD/bin/bench_gui"
fi
echo "== engine end to end: 1M members against the sandbox, Node mixpanel library side by side"
bash "$(dirname "$0")/engine/run-engine-bench.sh" --build "$BUILD" --reps 3 --node-sample 20000
