#!/bin/sh
# Builds and runs the libFuzzer targets in their own clang build directory.
#   fuzz.sh build SRC BIN               configure (once) and build the fuzzers
#   fuzz.sh run SRC BIN TARGET SECONDS  run one fuzzer from its seed corpus
#   fuzz.sh all SRC BIN SECONDS         build, then run every fuzzer for SECONDS
# New inputs go to BIN/work/TARGET (the committed seeds stay as they are); a crash is
# saved as BIN/artifacts/TARGET-crash-* and makes the run fail.
set -eu
TARGETS="membership_page mixpanel_reply scenario naming_pattern mappings_file"

build() {
    src=$1 bin=$2
    cxx=${CXX:-$(command -v clang++-14 || command -v clang++)}
    if [ ! -f "$bin/build.ninja" ]; then
        cmake -S "$src" -B "$bin" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
            -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" \
            -DLOCKSTEP_FUZZ=ON -DLOCKSTEP_WERROR=OFF -DLOCKSTEP_BUILD_BENCH=OFF \
            -DBUILD_TESTING=ON >"$bin.configure.log" 2>&1 \
            || { cat "$bin.configure.log"; exit 1; }
    fi
    targets=""
    for t in $TARGETS; do targets="$targets fuzz_$t"; done
    # shellcheck disable=SC2086
    cmake --build "$bin" --target $targets -j "${FUZZ_BUILD_JOBS:-2}"
}

run() {
    src=$1 bin=$2 t=$3 secs=$4
    mkdir -p "$bin/work/$t" "$bin/artifacts"
    # A target's own dictionary when it has one (the YAML reader), else the JSON one.
    dict="$src/tests/fuzz/$t.dict"
    [ -f "$dict" ] || dict="$src/tests/fuzz/json.dict"
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a runaway allocation.
    "$bin/bin/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -dict="$dict" -print_final_stats=1 \
        -artifact_prefix="$bin/artifacts/$t-" "$bin/work/$t" "$src/tests/fuzz/corpus/$t"
}

cmd=${1:-}
case "$cmd" in
build) build "$2" "$3" ;;
run) run "$2" "$3" "$4" "$5" ;;
all)
    build "$2" "$3"
    for t in $TARGETS; do
        echo "== fuzz_$t for $4 s"
        run "$2" "$3" "$t" "$4"
    done
    ;;
*) sed -n '2,7p' "$0"; exit 2 ;;
esac
