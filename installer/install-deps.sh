#!/bin/sh
# Installs the Debian 12 packages Lockstep needs to build, test and demo, and only
# the ones that are missing (dpkg-query tells which). Safe to run again.
set -eu

PACKAGES="
build-essential cmake ninja-build pkg-config git
qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-httpserver-dev qt6-websockets-dev qt6-tools-dev
qt6-l10n-tools libqt6sql6-sqlite libqt6sql6-psql qt6-image-formats-plugins
qtkeychain-qt6-dev libroaring-dev libbenchmark-dev zlib1g-dev libyaml-cpp-dev
libcurl4-openssl-dev python3-aiosmtpd
libgl1-mesa-dev libxkbcommon-dev fonts-dejavu-core
xvfb xauth
postgresql openssl
file dpkg-dev appstream desktop-file-utils
dbus gnome-keyring
clang libclang-rt-14-dev clang-format
"
# Node.js and npm (conformance tests) may come from another repository: they are
# installed only when no `npm` command works.
NODE_PACKAGES="nodejs npm"

# --list: what a fresh machine gets, one package a line (installer/check-install-deps.sh
# reads it, so the list lives only here).
if [ "${1:-}" = "--list" ]; then
    for p in $PACKAGES $NODE_PACKAGES; do echo "$p"; done
    exit 0
fi

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done

if ! command -v npm >/dev/null 2>&1; then
    missing="$missing $NODE_PACKAGES"
fi

if [ -z "$missing" ]; then
    exit 0
fi

echo "lockstep: installing missing Debian packages:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "lockstep: need root (or sudo) to install:$missing" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
