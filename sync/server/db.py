"""Storage behind one small interface: SQLite by default, PostgreSQL through psycopg.

The ledger, projection and feed code write portable SQL with ``?`` placeholders against a
``Tx``; each backend turns that into its own dialect. Every server operation is one
transaction, so an upload lands whole or not at all.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from sync.server.migrations import migrate as apply_migrations

Row = tuple[Any, ...]
T = TypeVar("T")
#: Rows fetched at a time by ``Tx.rows``.
_PAGE = 2000
_CURSORS = itertools.count(1)


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

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        """The rows of a query as they are read, a page at a time (a long read whose memory
        does not grow with its rows)."""
        yield from self.all(sql, params)

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """Return the first row of a query, or None."""
        rows = self.all(sql, params)
        return rows[0] if rows else None

    @abstractmethod
    def lock_site(self, site: str) -> None:
        """Serialise writers of one site until the transaction ends (feed order, conflicts)."""


class WouldWait(Exception):
    """A read asked of ``Database.read_at_once`` would wait for the database: run it on a
    thread instead."""


class Database(ABC):
    """A server database: hands out transactions."""

    dialect: str

    def read_at_once(self, read: Callable[[Tx], T]) -> T:
        """Run a short read (one indexed lookup) on the calling thread, the event loop's, if
        it need not wait for the database; else raise ``WouldWait``, and the caller reads on a
        thread. Spares a request the trip to a thread and back, which cost more than the read.

        Raises:
            WouldWait: always here (PostgreSQL: every read is a round trip to the database).
        """
        raise WouldWait()

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """Open a transaction; commit on normal exit, roll back on an exception."""

    @abstractmethod
    @contextmanager
    def snapshot(self) -> Iterator[Tx]:
        """A read-only transaction that sees the database as it was when it began, however
        long it lasts, and holds no writer back (an export being written while sites sync)."""

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

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        cursor = self._conn.execute(sql, params)
        while page := cursor.fetchmany(_PAGE):
            yield from page

    def lock_site(self, site: str) -> None:
        """Nothing to do: one connection behind one lock already serialises everything."""


#: How long a statement waits for a lock held by another connection (sqlite3's default).
_BUSY_MS = 5000


class SqliteDatabase(Database):
    """One file, one connection behind a lock: SQLite has a single writer anyway."""

    dialect = "sqlite"

    def __init__(self, path: Path, *, migrate: bool = True) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=_BUSY_MS / 1000
        )
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

    def read_at_once(self, read: Callable[[Tx], T]) -> T:
        """Read now if the connection is free (no thread of this server is using it), in a
        deferred transaction: in WAL mode a reader waits for no writer, of this process or of
        another (``crf-server token``), where ``BEGIN IMMEDIATE`` would.

        Raises:
            WouldWait: another thread holds the connection.
        """
        if not self._lock.acquire(blocking=False):
            raise WouldWait()
        try:
            if self._conn.in_transaction:  # this very thread is inside a transaction
                raise WouldWait()
            # Never wait on the event loop: a lock held elsewhere (a WAL recovery, a
            # connection in exclusive mode) makes the read go to a thread, not wait here.
            self._conn.execute("PRAGMA busy_timeout = 0")
            try:
                self._conn.execute("BEGIN")
                try:
                    return read(_SqliteTx(self._conn))
                finally:
                    self._conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:  # read again on a thread, which reports it
                raise WouldWait() from exc
            finally:
                self._conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        finally:
            self._lock.release()

    @contextmanager
    def snapshot(self) -> Iterator[Tx]:
        """A connection of its own, reading only: in WAL mode its read transaction keeps the
        database as it was at its first read while the writer goes on."""
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA query_only=ON")
            conn.execute("BEGIN")
            yield _SqliteTx(conn)
            conn.execute("COMMIT")
        finally:
            conn.close()

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

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        """A server-side cursor: PostgreSQL sends the rows a page at a time."""
        with self._conn.cursor(name=f"rows_{next(_CURSORS)}") as cur:
            cur.itersize = _PAGE
            cur.execute(_pg_sql(sql), params)
            yield from cur

    def lock_site(self, site: str) -> None:
        self.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (f"site:{site}",))


class DatabaseUnavailable(Exception):
    """The database cannot be reached now (PostgreSQL restarting, failing over, or down).

    Nothing of the request was stored: the server replays the request for a while
    (``retry.DatabaseRetryMiddleware``), then answers 503 and the client retries later.
    """


#: SQLSTATEs of a server going away or not ready yet: the connection is gone, not the request.
_GONE = {"57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004"}


class PostgresDatabase(Database):
    """A ``psycopg_pool`` pool: each connection is checked before it is lent, so a stale one
    (PostgreSQL restarted) is replaced instead of failing a request; a transaction cut by the
    database going away raises ``DatabaseUnavailable``. Writers of one site serialise on an
    advisory lock."""

    dialect = "postgresql"

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 8,
        migrate: bool = True,
        wait_s: float = 30.0,
    ) -> None:
        import psycopg  # imported here so that SQLite installs never need libpq
        from psycopg_pool import ConnectionPool

        self.url = url
        self._errors = (psycopg.OperationalError, psycopg.InterfaceError)
        try:  # libpq's own words for a wrong host, port, user or database
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.Error as exc:
            raise DatabaseUnavailable(f"PostgreSQL could not be reached: {exc}".strip()) from exc
        self._pool = ConnectionPool(
            url,
            min_size=min(2, pool_size),
            max_size=pool_size,
            kwargs={"autocommit": True},
            check=ConnectionPool.check_connection,
            timeout=wait_s,  # how long a request waits for a connection (e.g. a restart)
            max_idle=300,
            name="crf-server",
            open=False,
        )
        self._pool.open(wait=True, timeout=wait_s)
        if migrate:
            apply_migrations(self)  # under an advisory lock: workers starting at once wait

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        from psycopg_pool import PoolTimeout

        conn = None
        try:
            with self._pool.connection() as conn, conn.transaction():
                yield _PostgresTx(conn)
        except PoolTimeout as exc:
            raise DatabaseUnavailable(f"no PostgreSQL connection could be had: {exc}") from exc
        except self._errors as exc:
            sqlstate = getattr(exc, "sqlstate", None)
            if (conn is not None and (conn.broken or conn.closed)) or sqlstate in _GONE:
                raise DatabaseUnavailable(f"the PostgreSQL connection was lost: {exc}") from exc
            raise

    @contextmanager
    def snapshot(self) -> Iterator[Tx]:
        """REPEATABLE READ, READ ONLY: one snapshot for the whole transaction."""
        with self.transaction() as tx:
            tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield tx

    def close(self) -> None:
        self._pool.close()


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
