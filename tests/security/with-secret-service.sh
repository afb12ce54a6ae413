#!/bin/sh
# Runs a command under a private D-Bus session with a real Secret Service
# (gnome-keyring-daemon) whose login keyring is created and unlocked, in a fresh HOME
# that is removed afterwards. Exit code 77 (skipped) when the tools are not installed.
set -eu
for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null 2>&1 || { echo "with-secret-service: $tool not installed (installer/install-deps.sh)"; exit 77; }
done
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -m 700 "$home/run"
export HOME="$home" XDG_RUNTIME_DIR="$home/run" XDG_DATA_HOME="$home/.local/share" \
    XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
# A non-empty password creates and unlocks the login keyring without a prompt. The
# daemon runs in the foreground so it can be stopped by its pid (a daemonised one can
# outlive the session bus); the test starts once the Secret Service name is owned.
dbus-run-session -- sh -c '
    printf pass | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
    daemon=$!
    trap "kill $daemon 2>/dev/null" EXIT
    i=0
    until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; do
        i=$((i + 1))
        [ $i -lt 100 ] || { echo "with-secret-service: the Secret Service did not start" >&2; exit 1; }
        sleep 0.1
    done
    "$@"
' sh "$@"
