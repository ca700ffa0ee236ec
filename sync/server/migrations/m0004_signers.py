"""0004: the users' keys the server knows, for per-user author signatures (``sync.authorship``).

- ``signers``: whose key, which role, on which device's chain, active or revoked, and for a
  monitor whether it was bound centrally (``sync.server.signers``).
- ``device_trust``: what a device's enrolment bound (its root admin key, how much of its chain
  was written before user signatures) and whether its chain has a signed entry yet.
- ``legacy_accounts``: the accounts created in a chain's unsigned part.
- ``token_options``: marks an enrolment token the data manager issued for a site created before
  user signatures (only such an enrolment may declare an unsigned history).
- ``monitor_tokens``: the one-time tokens a monitor binds their key with (as SHA-256, like
  enrolment tokens).

Only new tables: a worker still running the previous version never reads them.
"""

from __future__ import annotations

from sync.server.migrations.base import Migration, column_types

_TABLES = """
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
"""


def statements(dialect: str) -> list[str]:
    text = _TABLES.format(**column_types(dialect))
    return [s.strip() for s in text.split(";") if s.strip()]


MIGRATION = Migration(4, "signers", statements)
