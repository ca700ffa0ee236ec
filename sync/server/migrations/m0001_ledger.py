"""0001: the server's tables as they were before migrations were recorded (schema version 1).

Every statement is idempotent (``IF NOT EXISTS``, ``OR REPLACE``), so on a database made by a
server of that time this migration changes nothing and is only recorded: that is how such a
database joins the numbered migrations. Keep it that way: never edit it.

- ``changesets`` is the append-only ledger: the canonical bytes and signature of every accepted
  set, and the receipt that was returned (a resend gets exactly the same one).
- ``feed`` is what devices pull, in order of ``pos``: every accepted entry (with its projection
  outcome) and every opened or closed query. Export reads the entries from it.
- ``set_aside`` lists the records of the feed that a device reported it could not apply (where
  and why; a device sets such a record aside and goes on).
- ``items`` is the projection: the current value and revision of each item, and whether it is in
  conflict (``query_id`` of the open conflict query).
"""

from __future__ import annotations

from sync.server.migrations.base import Migration, column_types

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sites (
    code TEXT PRIMARY KEY, study TEXT, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY, site TEXT NOT NULL REFERENCES sites(code),
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT, device TEXT);
CREATE TABLE IF NOT EXISTS devices (
    device TEXT PRIMARY KEY, site TEXT NOT NULL REFERENCES sites(code), study TEXT NOT NULL,
    public_key {blob} NOT NULL, key_id TEXT NOT NULL, label TEXT NOT NULL,
    status TEXT NOT NULL, enrolled_at TEXT NOT NULL, revoked_at TEXT,
    last_seq BIGINT NOT NULL, last_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS changesets (
    id TEXT PRIMARY KEY, device TEXT NOT NULL REFERENCES devices(device),
    site TEXT NOT NULL, seq_from BIGINT NOT NULL, seq_to BIGINT NOT NULL,
    body {blob} NOT NULL, signature {blob} NOT NULL, received_at TEXT NOT NULL,
    receipt TEXT NOT NULL, UNIQUE (device, seq_from));
CREATE TABLE IF NOT EXISTS feed (
    pos {autoinc}, site TEXT NOT NULL, kind TEXT NOT NULL,
    device TEXT, seq BIGINT, body TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS feed_entry ON feed (device, seq) WHERE kind = 'entry';
CREATE INDEX IF NOT EXISTS feed_site ON feed (site, pos);
CREATE TABLE IF NOT EXISTS items (
    site TEXT NOT NULL, path TEXT NOT NULL, subject TEXT, value TEXT, unit TEXT,
    rev BIGINT NOT NULL, device TEXT NOT NULL, seq BIGINT NOT NULL, query_id BIGINT,
    PRIMARY KEY (site, path));
CREATE TABLE IF NOT EXISTS set_aside (
    site TEXT NOT NULL, reporter TEXT NOT NULL, pos BIGINT NOT NULL, kind TEXT NOT NULL,
    device TEXT, seq BIGINT, query_id BIGINT, stored INTEGER NOT NULL, reason TEXT NOT NULL,
    reported_at TEXT NOT NULL, PRIMARY KEY (reporter, pos));
CREATE TABLE IF NOT EXISTS queries (
    id {autoinc}, site TEXT NOT NULL, subject TEXT, path TEXT, kind TEXT NOT NULL,
    status TEXT NOT NULL, body TEXT NOT NULL, opened_at TEXT NOT NULL, closed_at TEXT);
"""

#: Tables whose rows are never changed or deleted once written.
APPEND_ONLY = ("changesets", "feed")


def _append_only(dialect: str) -> list[str]:
    """Triggers that refuse UPDATE and DELETE on the ledger and the entries served from it.

    Someone with write access to the database can still drop them; ``crf-server verify``
    re-checks every signature and hash, so such tampering is found.
    """
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            for table in APPEND_ONLY
            for verb in ("UPDATE", "DELETE")
        ]
    function = (
        "CREATE OR REPLACE FUNCTION crf_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "'BEGIN RAISE EXCEPTION ''% is append-only'', TG_TABLE_NAME; END'"
    )
    return [function] + [
        f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION crf_append_only()"
        for table in APPEND_ONLY
    ]


def statements(dialect: str) -> list[str]:
    """Return the statements that create the schema (idempotent) in ``dialect``."""
    text = _TABLES.format(**column_types(dialect))
    out = [s.strip() for s in text.split(";") if s.strip()]
    out += _append_only(dialect)
    out.append(
        "INSERT INTO meta (key, value) VALUES ('schema_version', '1') ON CONFLICT (key) DO NOTHING"
    )
    return out


MIGRATION = Migration(1, "ledger", statements)
