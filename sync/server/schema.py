"""The server's tables, written once for both SQLite and PostgreSQL.

- ``changesets`` is the append-only ledger: the canonical bytes and signature of every accepted
  set, and the receipt that was returned (a resend gets exactly the same one).
- ``feed`` is what devices pull, in order of ``pos``: every accepted entry (with its projection
  outcome) and every opened or closed query. Export reads the entries from it.
- ``set_aside`` lists the records of the feed that a device reported it could not apply (where
  and why; a device sets such a record aside and goes on).
- ``items`` is the projection: the current value and revision of each item, and whether it is in
  conflict (``query_id`` of the open conflict query).
- ``signers`` are the users' keys the server knows (``sync.authorship``): whose, which role, on
  which device's chain, active or revoked, and for a monitor whether it was bound centrally;
  ``device_trust`` holds what a device's enrolment bound (its root admin key, how much of its
  chain was written before user signatures) and whether its chain has a signed entry yet;
  ``legacy_accounts`` the accounts created in a chain's unsigned part; ``token_options`` marks
  an enrolment token the data manager issued for a site created before user signatures (only
  such an enrolment may declare an unsigned history); ``monitor_tokens`` the
  one-time tokens a monitor binds their key with (as SHA-256, like enrolment tokens).
- ``sdv`` is the projection of source data verification: per item, the revision a monitor
  verified (``sync.server.sdv``).
- ``exports`` records every export of clinical data the server wrote (``crf-server export``):
  when, which study, the format, file name, SHA-256 and counts.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

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
CREATE TABLE IF NOT EXISTS token_options (
    token_hash TEXT PRIMARY KEY, unsigned_history INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS signers (
    key_id TEXT PRIMARY KEY, site TEXT NOT NULL, device TEXT NOT NULL, user_name TEXT NOT NULL,
    role TEXT NOT NULL, public_key {blob} NOT NULL, status TEXT NOT NULL,
    monitor_bound INTEGER NOT NULL, source TEXT NOT NULL, changed_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS signers_device ON signers (device);
CREATE TABLE IF NOT EXISTS device_trust (
    device TEXT PRIMARY KEY, root_key_id TEXT, unsigned_through BIGINT,
    signed_yet INTEGER NOT NULL, bound_by TEXT, bound_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS legacy_accounts (
    device TEXT NOT NULL, user_name TEXT NOT NULL, role TEXT NOT NULL,
    PRIMARY KEY (device, user_name));
CREATE TABLE IF NOT EXISTS monitor_tokens (
    token_hash TEXT PRIMARY KEY, site TEXT NOT NULL REFERENCES sites(code),
    user_name TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    used_at TEXT, key_id TEXT);
CREATE TABLE IF NOT EXISTS sdv (
    site TEXT NOT NULL, path TEXT NOT NULL, subject TEXT, rev BIGINT NOT NULL,
    verified_at TEXT NOT NULL, verified_by TEXT NOT NULL, device TEXT NOT NULL,
    seq BIGINT NOT NULL, PRIMARY KEY (site, path));
CREATE TABLE IF NOT EXISTS exports (
    id {autoinc}, at TEXT NOT NULL, study TEXT NOT NULL, format TEXT NOT NULL,
    file TEXT NOT NULL, sha256 TEXT NOT NULL, subjects BIGINT NOT NULL, sites TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS queries (
    id {autoinc}, site TEXT NOT NULL, subject TEXT, path TEXT, kind TEXT NOT NULL,
    status TEXT NOT NULL, body TEXT NOT NULL, opened_at TEXT NOT NULL, closed_at TEXT);
"""

_TYPES = {
    "sqlite": {"blob": "BLOB", "autoinc": "INTEGER PRIMARY KEY AUTOINCREMENT"},
    "postgresql": {
        "blob": "BYTEA",
        "autoinc": "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    },
}


#: Tables whose rows are never changed or deleted once written.
APPEND_ONLY = ("changesets", "feed", "exports")


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


def schema_statements(dialect: str) -> list[str]:
    """Return the statements that create the schema (idempotent) in ``dialect``."""
    text = _TABLES.format(**_TYPES[dialect])
    statements = [s.strip() for s in text.split(";") if s.strip()]
    statements += _append_only(dialect)
    statements.append(
        "INSERT INTO meta (key, value) VALUES ('schema_version', '1') ON CONFLICT (key) DO NOTHING"
    )
    return statements
