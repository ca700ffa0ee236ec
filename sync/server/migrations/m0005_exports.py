"""0005: ``exports``, a record of every export of clinical data the server wrote
(``crf-server export``): when, which study, the format, the file's name and SHA-256, how many
subjects and which sites. Append-only, like the ledger: the server has no audit trail of its
own, so this table is its trail of what left it.

Only a new table: a worker still running the previous version never reads it.
"""

from __future__ import annotations

from sync.server.migrations.base import Migration, append_only, column_types

_TABLE = """
CREATE TABLE IF NOT EXISTS exports (
    id {autoinc}, at TEXT NOT NULL, study TEXT NOT NULL, format TEXT NOT NULL,
    file TEXT NOT NULL, sha256 TEXT NOT NULL, subjects BIGINT NOT NULL, sites TEXT NOT NULL)
"""


def statements(dialect: str) -> list[str]:
    return [_TABLE.format(**column_types(dialect)).strip(), *append_only(dialect, ("exports",))]


MIGRATION = Migration(5, "exports", statements)
