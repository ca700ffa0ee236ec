"""Storage behind one small interface: SQLite by default, PostgreSQL through psycopg.

The ledger, projection and feed code write portable SQL with ``?`` placeholders against a
``Tx``; each backend turns that into its own dialect. Every server operation is one
transaction, so an upload lands whole or not at all.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sync.server.migrations import migrate as apply_migrations

Row = tuple[Any, ...]


class Tx(ABC):
    """One open transaction."""

    dialect: str

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a statement and return the number of rows it changed."""

    @abstractmethod
    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run a statement once per row of parameters."""

    @abstractmethod
    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Return every row of a query."""

    def all_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> list[Row]:
        """Run a query once per row of parameters and return all result rows together."""
        return [row for params in rows for row in self.all(sql, params)]

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """Return the first row of a query, or None."""
        rows = self.all(sql, params)
        return rows[0] if rows else None

    @abstractmethod
    def lock_site(self, site: str) -> None:
        """Serialise writers of one site until the transaction ends (feed order, conflicts)."""


class Database(ABC):
    """A server database: hands out transactions."""

    dialect: str

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """Open a transaction; commit on normal exit, roll back on an exception."""

    @abstractmethod
    def close(self) -> None:
        """Close every connection."""


class _SqliteTx(Tx):
    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._conn.execute(sql, params).rowcount

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._conn.execute(sql, params).fetchall()

    def lock_site(self, site: str) -> None:
        """Nothing to do: one connection behind one lock already serialises everything."""


class SqliteDatabase(Database):
    """One file, one connection behind a lock: SQLite has a single writer anyway."""

    dialect = "sqlite"

    def __init__(self, path: Path, *, migrate: bool = True) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        # FULL: an accepted change set must survive a power cut, since the device then
        # moves its outbox past it.
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._lock = threading.RLock()
        if migrate:
            apply_migrations(self)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTx(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()


@lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class _PostgresTx(Tx):
    dialect = "postgresql"

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self._conn.cursor() as cur:
            cur.execute(_pg_sql(sql), params)
            return int(cur.rowcount)

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        if batch:
            with self._conn.cursor() as cur:
                cur.executemany(_pg_sql(sql), batch)

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._conn.cursor() as cur:
            cur.execute(_pg_sql(sql), params)
            return list(cur.fetchall()) if cur.description else []

    def all_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> list[Row]:
        """Pipelined: one round trip for all the lookups, each an exact index lookup."""
        batch = list(rows)
        if not batch:
            return []
        found: list[Row] = []
        with self._conn.cursor() as cur:
            cur.executemany(_pg_sql(sql), batch, returning=True)
            while True:
                found.extend(cur.fetchall())
                if not cur.nextset():
                    return found

    def lock_site(self, site: str) -> None:
        self.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (f"site:{site}",))


class PostgresDatabase(Database):
    """A small pool of psycopg connections; writers of one site serialise on an advisory lock."""

    dialect = "postgresql"

    def __init__(self, url: str, *, pool_size: int = 8, migrate: bool = True) -> None:
        import psycopg  # imported here so that SQLite installs never need libpq

        self.url = url

        def connect() -> Any:
            return psycopg.connect(url, autocommit=True)

        self._connect = connect
        self._pool: queue.LifoQueue[Any] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(pool_size)
        if migrate:
            apply_migrations(self)  # under an advisory lock: workers starting at once wait

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._slots:
            try:
                conn = self._pool.get_nowait()
            except queue.Empty:
                conn = self._connect()
            try:
                with conn.transaction():
                    yield _PostgresTx(conn)
            except BaseException:
                if conn.closed or conn.broken:
                    conn = None
                raise
            finally:
                if conn is not None and not conn.closed:
                    self._pool.put(conn)

    def close(self) -> None:
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                return


def open_database(
    database: str | None, data_dir: Path, *, pool_size: int = 8, migrate: bool = True
) -> Database:
    """Open (creating if needed) the server database named by a URL, or SQLite in ``data_dir``,
    and bring its schema up to date unless ``migrate`` is false (see ``migrations``)."""
    if database and database.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(database, pool_size=pool_size, migrate=migrate)
    if database and database.startswith("sqlite:///"):
        return SqliteDatabase(Path(database.removeprefix("sqlite:///")), migrate=migrate)
    if database:
        raise ValueError("--database must be postgresql://… or sqlite:///path")
    return SqliteDatabase(data_dir / "server.sqlite3", migrate=migrate)
