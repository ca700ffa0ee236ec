#!/usr/bin/env bash
# Back up the server database, restore the backup into a fresh database, and check that one:
# crf-server verify (every signature and hash chain) and crf-server migrate --check.
#   scripts/backup-check.sh postgresql://USER@HOST:PORT/DB BACKUP_FILE [--keep]
#   scripts/backup-check.sh sqlite:///path/to/server.sqlite3 BACKUP_FILE [--keep]
# PostgreSQL: pg_dump --format=custom while the server runs (a consistent snapshot), restored
# with pg_restore into a new database on the same server (dropped afterwards unless --keep).
# SQLite: SQLite's online backup (consistent while the server writes), restored to a copy.
# Exit 0 only when the backup is written and the restored copy verifies. CRF_SERVER names the
# crf-server command (default: crf-server on PATH). See docs/deployment.md.
set -euo pipefail
url=${1:?usage: backup-check.sh DATABASE_URL BACKUP_FILE [--keep]}
backup=${2:?backup file missing}
keep=${3:-}
read -ra server <<<"${CRF_SERVER:-crf-server}"
work=$(mktemp -d "${TMPDIR:-/tmp}/crf-backup-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

check() {  # the restored database: every ledger check, and its schema up to date
  "${server[@]}" verify --data "$work" --database "$1"
  "${server[@]}" migrate --check --data "$work" --database "$1"
}

case "$url" in
  sqlite:///*)
    path=${url#sqlite://}
    [ -f "$path" ] || { echo "backup-check: no database at $path" >&2; exit 2; }
    "${PYTHON:-python3}" - "$path" "$backup" <<'PY'
import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with dst:
    src.backup(dst)
src.close(); dst.close()
PY
    echo "backup-check: backed up $path to $backup ($(du -h "$backup" | cut -f1))"
    cp "$backup" "$work/restored.sqlite3"
    check "sqlite:///$work/restored.sqlite3"
    [ "$keep" = --keep ] && cp "$work/restored.sqlite3" "$backup.restored"
    ;;
  postgres://*|postgresql://*)
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$bin" ] || bin=$(dirname "$(command -v pg_dump || echo /nonexistent/pg_dump)")
    [ -x "$bin/pg_dump" ] || { echo "backup-check: pg_dump not found (install postgresql-client)" >&2; exit 3; }
    "$bin/pg_dump" --format=custom --no-owner --file="$backup" "$url"
    echo "backup-check: backed up to $backup ($(du -h "$backup" | cut -f1))"
    fresh="crf_restore_check_$(date +%Y%m%d%H%M%S)_$$"
    base=${url%/*}
    "$bin/psql" --quiet --no-psqlrc -v ON_ERROR_STOP=1 -d "$url" -c "CREATE DATABASE $fresh" >/dev/null
    drop() { "$bin/psql" --quiet --no-psqlrc -d "$url" -c "DROP DATABASE IF EXISTS $fresh" >/dev/null; }
    [ "$keep" = --keep ] || trap 'drop; rm -rf "$work"' EXIT
    "$bin/pg_restore" --no-owner --exit-on-error --dbname="$base/$fresh" "$backup"
    echo "backup-check: restored into $base/$fresh"
    check "$base/$fresh"
    ;;
  *)
    echo "backup-check: the database must be postgresql://… or sqlite:///path" >&2
    exit 2
    ;;
esac
echo "backup-check: OK: the backup restores into a fresh database that verifies"
