"""Numbered migrations of the server database, for SQLite and PostgreSQL.

The database records each migration it has had in ``schema_migrations`` (number, name, time).
``crf-server migrate`` applies the missing ones, and so does every start of the server and
every ``crf-server`` command that opens the database. Each migration runs in one transaction
with its record, under a lock (PostgreSQL: an advisory lock; SQLite: the one writer), so a
migration lands whole or not at all and several workers starting at once apply it once. A
server that finds a migration it does not know (the database was upgraded by a newer
``crf-server``) refuses to start rather than write to a schema it does not understand.

How to add a migration (say, an index for the monitors' exports):

1. Copy ``m0005_exports.py`` to ``m0006_<name>.py``: a docstring saying why, and
   ``MIGRATION = Migration(6, "<name>", statements)``, where ``statements(dialect)``
   returns the SQL for ``"sqlite"`` and ``"postgresql"`` (``base.column_types(dialect)`` gives
   the portable BLOB and auto-increment types).
2. Append it to ``MIGRATIONS`` below. Numbers are gap-free and never reused: two branches that
   both added a migration renumber the later one when they merge.
3. Never edit a migration that has been released: databases out there already had it. Change
   the schema again in a new one.
4. ``tests/sync/test_migrations.py`` upgrades a database made by the schema before migrations
   (with data) on both backends; it runs the new migration too, and ``crf-server verify`` must
   still pass.

A migration may be DDL or data changes; on PostgreSQL everything in it is transactional, and
SQLite's DDL is transactional too. Prefer additive changes (new tables, columns with a
default, indexes): several workers may run the previous version while one is upgraded.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sync.server.migrations import (
    m0001_ledger,
    m0002_queries_by_site,
    m0003_sdv,
    m0004_signers,
    m0005_exports,
)
from sync.server.migrations.base import Migration, column_types

if TYPE_CHECKING:
    from sync.server.db import Database, Tx

__all__ = ["MIGRATIONS", "Migration", "SchemaTooNew", "column_types", "migrate"]


class SchemaTooNew(Exception):
    """The database had a migration this server does not know: a newer crf-server made it."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"the database's schema is at migration {found:04d}, newer than this crf-server "
            f"knows ({known:04d}): run the crf-server version that upgraded it, or a newer one"
        )


#: Every migration, in order. Append new ones; never reorder or remove.
MIGRATIONS: tuple[Migration, ...] = (
    m0001_ledger.MIGRATION,
    m0002_queries_by_site.MIGRATION,
    m0003_sdv.MIGRATION,
    m0004_signers.MIGRATION,
    m0005_exports.MIGRATION,
)
LATEST = MIGRATIONS[-1].number

#: Advisory lock of the schema (PostgreSQL): one process migrates at a time.
_SCHEMA_LOCK = 8765


def _recorded(tx: Tx) -> set[int] | None:
    """The numbers applied, read without a lock or a write (None: no migration yet), so that
    a database that is up to date opens read-only too (a server on a read replica)."""
    if tx.dialect == "postgresql":
        exists = tx.one("SELECT to_regclass('schema_migrations') IS NOT NULL")
    else:
        exists = tx.one("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'")
    if not exists or not exists[0]:
        return None
    applied = {int(row[0]) for row in tx.all("SELECT number FROM schema_migrations")}
    if max(applied, default=0) > LATEST:
        raise SchemaTooNew(max(applied), LATEST)
    return applied


def _prepare(tx: Tx) -> set[int]:
    """Lock the schema for this transaction and return the numbers already applied."""
    if tx.dialect == "postgresql":
        tx.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
    tx.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return _recorded(tx) or set()


def applied_migrations(db: Database) -> list[tuple[int, str, str]]:
    """The migrations the database has had: (number, name, applied_at), in order."""
    with db.transaction() as tx:
        if _recorded(tx) is None:
            return []
        rows = tx.all("SELECT number, name, applied_at FROM schema_migrations ORDER BY number")
    return [(int(n), str(name), str(at)) for n, name, at in rows]


def pending_migrations(db: Database) -> list[Migration]:
    """The migrations this server knows that the database has not had yet."""
    done = {number for number, _name, _at in applied_migrations(db)}
    return [m for m in MIGRATIONS if m.number not in done]


def migrate(db: Database) -> list[Migration]:
    """Apply every missing migration, each in its own transaction; return those applied.

    Raises:
        SchemaTooNew: the database had a migration this server does not know.
    """
    with db.transaction() as tx:
        applied = _recorded(tx)
    if applied is not None and all(m.number in applied for m in MIGRATIONS):
        return []  # nothing to do: no lock, no write
    done: list[Migration] = []
    for migration in MIGRATIONS:
        with db.transaction() as tx:
            if migration.number in _prepare(tx):
                continue
            for statement in migration.statements(tx.dialect):
                tx.execute(statement)
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            tx.execute(
                "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
                (migration.number, migration.name, now),
            )
            # Kept for people and tools that read the version the schema had before.
            tx.execute(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(migration.number),)
            )
        done.append(migration)
    return done
