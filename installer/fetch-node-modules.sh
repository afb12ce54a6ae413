#!/bin/sh
# Fetches the npm packages the conformance tests use, exactly as pinned in
# tests/conformance/package-lock.json (`npm ci`), into tests/conformance/node_modules.
# Part of `make deps`, so a test run needs no network. Does nothing when node_modules
# already matches package.json and the lock file (a copy of both is kept in it).
set -eu
dir=$(cd "$(dirname "$0")/../tests/conformance" && pwd)
stamp=$dir/node_modules/.lockstep-stamp

if [ -f "$stamp" ] && cat "$dir/package.json" "$dir/package-lock.json" | cmp -s - "$stamp"; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "lockstep: npm not found (installer/install-deps.sh installs it)" >&2
    exit 1
fi
echo "lockstep: fetching the conformance tests' npm packages (npm ci in tests/conformance)"
rm -f "$stamp"
if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error); then
    # Seen on a fresh root behind a TLS-intercepting proxy: SELF_SIGNED_CERT_IN_CHAIN.
    echo "lockstep: npm ci failed (above). The conformance tests need these packages;" \
         "behind a proxy that re-signs TLS, trust its CA (system store, or" \
         "NODE_EXTRA_CA_CERTS=FILE) and run make deps again" >&2
    exit 1
fi
cat "$dir/package.json" "$dir/package-lock.json" >"$stamp"
