"""0003: ``sdv``, the projection of source data verification.

Per item of a site, the revision a monitor verified, when, by whom and by which entry
(``sync.server.sdv``); ``GET /v1/sites/{site}/sdv`` reads it.
"""

from __future__ import annotations

from sync.server.migrations.base import Migration


def statements(dialect: str) -> list[str]:
    return [
        "CREATE TABLE IF NOT EXISTS sdv ("
        "site TEXT NOT NULL, path TEXT NOT NULL, subject TEXT, rev BIGINT NOT NULL, "
        "verified_at TEXT NOT NULL, verified_by TEXT NOT NULL, device TEXT NOT NULL, "
        "seq BIGINT NOT NULL, PRIMARY KEY (site, path))"
    ]


MIGRATION = Migration(3, "sdv", statements)
