#!/bin/sh
# `make asan`: an ASan+UBSan build (gcc) of the engine, CLI and sandbox tests, then
# those tests. Any sanitizer report fails the test that triggered it.
#   asan.sh SRC BIN JOBS
set -eu
src=$1 bin=$2 jobs=${3:-2}
san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
cmake -S "$src" -B "$bin" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="$san" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DLOCKSTEP_BUILD_BENCH=OFF
# The tests registered in tests/engine, tests/cli and tests/sandbox (test name =
# executable name), plus the two programs they run.
tests=$(sed -n 's/^add_test(\[=*\[\{0,1\}\([A-Za-z0-9_]*\).*/\1/p' \
    "$bin/tests/engine/CTestTestfile.cmake" "$bin/tests/cli/CTestTestfile.cmake" \
    "$bin/tests/sandbox/CTestTestfile.cmake" | sort -u)
[ -n "$tests" ] || { echo "asan.sh: no tests found" >&2; exit 1; }
# shellcheck disable=SC2086
cmake --build "$bin" -j "$jobs" --target lockstep lockstep-sandbox $tests
regex="^($(echo $tests | tr ' ' '|'))\$"
cd "$bin"
# Leaks are reported at exit; Qt's own one-time allocations are not ours (lsan.supp).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$src/tests/security/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j "$jobs" -R "$regex"
