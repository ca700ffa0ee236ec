"""0002: an index of the queries by site.

Listing a site's queries (``crf-server query list``, ``GET /v1/sites/{site}/queries``) and
finding a monitor's open query on an item read ``queries`` by site, kind and place; without an
index each read scanned every site's queries.
"""

from __future__ import annotations

from sync.server.migrations.base import Migration


def statements(dialect: str) -> list[str]:
    return ["CREATE INDEX IF NOT EXISTS queries_site ON queries (site, kind, path)"]


MIGRATION = Migration(2, "queries_by_site", statements)
