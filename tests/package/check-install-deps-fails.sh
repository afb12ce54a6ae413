#!/bin/sh
# Proves installer/check-install-deps.sh can fail: against install-deps' list without
# PACKAGE (one the build needs), it must exit 1 and name PACKAGE as an offender.
# Usage: check-install-deps-fails.sh SOURCE_DIR BUILD_DIR PACKAGE
set -eu
src=$1 build=$2 pkg=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$src/installer/install-deps.sh" --list >"$tmp/full"
if ! grep -qx "$pkg" "$tmp/full"; then
    echo "FAIL: $pkg is not in install-deps.sh --list: nothing left to prove"
    exit 1
fi
grep -vx "$pkg" "$tmp/full" >"$tmp/list"

rc=0
"$src/installer/check-install-deps.sh" "$build" "$tmp/list" >"$tmp/out" 2>&1 || rc=$?
cat "$tmp/out"
case $rc in
    77) exit 77 ;;   # no dpkg/apt-cache: the check itself skipped
    1) ;;
    *) echo "FAIL: expected exit 1 (offenders), got $rc"; exit 1 ;;
esac
# An offender line starts with the package's name (or the alternatives that own the file).
if ! grep -Eq "^  ($pkg|.* or $pkg)( or .*)?	" "$tmp/out"; then
    echo "FAIL: the check failed without naming $pkg"
    exit 1
fi
echo "PASS: without $pkg the check fails and names it"
