#!/usr/bin/env bash
# Throwaway PostgreSQL server for tests and benchmarks, from the machine's own binaries.
#   scripts/postgres.sh start DIR PORT   -> prints the connection URL on stdout
#   scripts/postgres.sh restart DIR      -> fast restart: every open connection is cut
#   scripts/postgres.sh stop DIR
# Installs the `postgresql` Debian package when no binaries are found and we may (root + apt).
# The cluster trusts local connections only and lives entirely in DIR; delete DIR afterwards.
set -euo pipefail
cmd=${1:?usage: postgres.sh start DIR PORT | restart DIR | stop DIR}
dir=${2:?data folder missing}

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$found" ] && command -v pg_ctl >/dev/null; then found=$(dirname "$(command -v pg_ctl)"); fi
  echo "$found"
}

bin=$(find_bin)
if [ -z "$bin" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing PostgreSQL (postgresql package) for the tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bin=$(find_bin)
  fi
fi
if [ -z "$bin" ]; then
  echo "no PostgreSQL binaries (install the postgresql package)" >&2
  exit 3
fi

# PostgreSQL refuses to run as root: run it as the unprivileged postgres (or nobody) account.
as_user() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  user=postgres
  id "$user" >/dev/null 2>&1 || user=nobody
  as_user() { runuser -u "$user" -- "$@"; }
fi

case "$cmd" in
  start)
    port=${3:?port missing}
    mkdir -p "$dir"
    # The cluster lives in a folder of its own that the server account can reach (a test's
    # temporary folder is usually private to root); DIR/cluster remembers where.
    cluster=$(mktemp -d "${TMPDIR:-/tmp}/crf-pg.XXXXXX")
    chmod 755 "$cluster"
    echo "$cluster" >"$dir/cluster"
    [ "$(id -u)" = 0 ] && chown "$user" "$cluster"
    if ! as_user "$bin/initdb" -D "$cluster/data" -U crf -A trust --no-sync -E UTF8 \
      >"$dir/initdb.log" 2>&1; then
      echo "initdb failed: $(tail -n 3 "$dir/initdb.log")" >&2
      exit 4
    fi
    as_user "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
      -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
      start >/dev/null

    echo "postgresql://crf@127.0.0.1:$port/postgres"
    ;;
  restart)
    cluster=$(cat "$dir/cluster")
    as_user "$bin/pg_ctl" -D "$cluster/data" -m fast -w -t 60 restart >/dev/null
    ;;
  stop)
    cluster=$(cat "$dir/cluster" 2>/dev/null || true)
    [ -n "$cluster" ] || exit 0
    as_user "$bin/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$cluster" "$dir/cluster"
    ;;
  *)
    echo "usage: postgres.sh start DIR PORT | restart DIR | stop DIR" >&2
    exit 2
    ;;
esac
