#!/bin/sh
# A throwaway PostgreSQL server for the tests (CTest fixture `pg`):
#   pg-server.sh start STATE_DIR   initdb + start on 127.0.0.1:<free port>, write STATE_DIR/pg.env
#   pg-server.sh stop  STATE_DIR   stop it and delete its data
# The data lives in a temp dir under /tmp (the postgres user must be able to reach it;
# the build tree may not be). As root the server runs as `postgres` (it refuses root);
# otherwise as the current user. fsync is off: the data is thrown away anyway, and
# CREATE DATABASE per test is several times faster without it.
set -eu
action=$1 state=$2
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
    as_owner "'$bindir/initdb' -D '$dir/data' -U postgres -A trust -E UTF8 --no-locale --no-sync" \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
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
    } >"$env_file.tmp"
    mv "$env_file.tmp" "$env_file"
    echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
}

case "$action" in
    start) start ;;
    stop) stop; echo "PostgreSQL stopped" ;;
    *) echo "usage: pg-server.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
