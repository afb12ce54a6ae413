#!/bin/sh
# Fails when a C++ source of the project is not as clang-format (the root .clang-format)
# would write it, naming each file. Usage: check-format.sh CLANG_FORMAT SOURCE_DIR [FILE...]
# With FILEs, checks only those (the self-test hands it a misformatted copy).
set -eu
clang_format=$1 src=$2
shift 2
if [ $# -eq 0 ]; then
    # The project's own code: not the npm packages, fuzz corpora or build trees.
    set -- $(cd "$src" && find app ui models sync_core sandbox tests bench resources \
        \( -name node_modules -o -name corpus \) -prune -o \
        \( -name '*.cpp' -o -name '*.h' \) -print | sort)
fi
bad=0
for f in "$@"; do
    case "$f" in /*) path=$f ;; *) path=$src/$f ;; esac
    if ! "$clang_format" --style="file:$src/.clang-format" "$path" | cmp -s - "$path"; then
        echo "not formatted: $f" >&2
        bad=$((bad + 1))
    fi
done
if [ "$bad" -gt 0 ]; then
    echo "check-format: $bad of $# files differ from clang-format; run: make format" >&2
    exit 1
fi
echo "check-format: $# files formatted"
