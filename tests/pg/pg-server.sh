#!/bin/sh
# A throwaway PostgreSQL server for the tests (CTest fixture `pg`):
#   pg-server.sh start STATE_DIR [--password FILE] [--tls-san SAN]
#                                  initdb + start on 127.0.0.1:<free port>, write STATE_DIR/pg.env
#   pg-server.sh stop  STATE_DIR   stop it and delete its data
# --password FILE: TCP connections must give the password in FILE, asked in plain text
#   (auth method `password`, so a test can see whether it crossed the wire); the Unix
#   socket stays trusted.
# --tls-san SAN: a self-signed certificate for SAN (e.g. "IP:192.0.2.2,DNS:localhost") in
#   the data folder, ready for `ALTER SYSTEM SET ssl = on`; its copy for clients is
#   STATE_DIR/ca.crt (LOCKSTEP_PG_CA). TLS stays off until a test turns it on.
# The data lives in a temp dir under /tmp (the postgres user must be able to reach it;
# the build tree may not be). As root the server runs as `postgres` (it refuses root);
# otherwise as the current user. fsync is off: the data is thrown away anyway, and
# CREATE DATABASE per test is several times faster without it.
set -eu
action=$1 state=$2
shift 2
password_file="" tls_san=""
while [ $# -gt 0 ]; do
    case "$1" in
        --password) password_file=$2; shift 2 ;;
        --tls-san) tls_san=$2; shift 2 ;;
        *) echo "pg-server: unknown option $1" >&2; exit 2 ;;
    esac
done
env_file=$state/pg.env

bindir=""
for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$d/pg_ctl" ]; then bindir=$d; break; fi
done
[ -n "$bindir" ] || { echo "pg-server: PostgreSQL not installed (installer/install-deps.sh)" >&2; exit 1; }

as_owner() { # runs a command as the server's owner
    if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

stop() {
    [ -f "$env_file" ] || return 0
    dir=$(sed -n 's/^LOCKSTEP_PG_DIR=//p' "$env_file")
    rm -f "$env_file"
    case "$dir" in /tmp/lockstep-pg.*) ;; *) return 0 ;; esac # never delete anything else
    # Immediate: the data is deleted next, so a checkpoint (slow on a loaded machine) or a
    # session still ending buys nothing.
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "'$bindir/pg_ctl' -D '$dir/data' stop -m immediate -w -t 30" >/dev/null || true
    fi
    rm -rf "$dir"
}

start() {
    stop # a server left over from an interrupted run
    mkdir -p "$state"
    dir=$(mktemp -d /tmp/lockstep-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$dir"
    auth="-A trust"
    if [ -n "$password_file" ]; then
        cp "$password_file" "$dir/pwfile"
        [ "$(id -u)" -ne 0 ] || chown postgres "$dir/pwfile"
        auth="--auth-local=trust --auth-host=password --pwfile='$dir/pwfile'"
    fi
    as_owner "'$bindir/initdb' -D '$dir/data' -U postgres $auth -E UTF8 --no-locale --no-sync" \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
    rm -f "$dir/pwfile"
    if [ -n "$tls_san" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=lockstep-test" \
            -addext "subjectAltName=$tls_san" \
            -keyout "$dir/data/server.key" -out "$dir/data/server.crt" >"$dir/openssl.log" 2>&1 ||
            { cat "$dir/openssl.log" >&2; rm -rf "$dir"; exit 1; }
        chmod 600 "$dir/data/server.key"
        [ "$(id -u)" -ne 0 ] || chown postgres "$dir/data/server.key" "$dir/data/server.crt"
        mkdir -p "$state"
        cp "$dir/data/server.crt" "$state/ca.crt"
    fi
    # A random port; another one when it is taken (pg_ctl -w fails when bind fails).
    tries=0
    while :; do
        port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
        opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off"
        opts="$opts -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        if as_owner "'$bindir/pg_ctl' -D '$dir/data' -o '$opts' -l '$dir/log' -t 60 start -w" \
            >/dev/null 2>&1; then
            break
        fi
        tries=$((tries + 1))
        if [ $tries -ge 5 ]; then
            cat "$dir/log" >&2
            rm -rf "$dir"
            exit 1
        fi
    done
    {
        echo "LOCKSTEP_PG_HOST=127.0.0.1"
        echo "LOCKSTEP_PG_PORT=$port"
        echo "LOCKSTEP_PG_USER=postgres"
        echo "LOCKSTEP_PG_DIR=$dir"
        [ -z "$tls_san" ] || echo "LOCKSTEP_PG_CA=$state/ca.crt"
    } >"$env_file.tmp"
    mv "$env_file.tmp" "$env_file"
    echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
}

case "$action" in
    start) start ;;
    stop) stop; echo "PostgreSQL stopped" ;;
    *) echo "usage: pg-server.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
