"""Opening the encrypted site database, and mapping SQLite failures to errors a nurse can act on.

The data key is used as a raw SQLCipher key (``PRAGMA key = "x'…'"``), so no PBKDF runs on
open: the slow Argon2id step happens once, in the key slot. Clinical writes use WAL with
``synchronous=FULL``: a commit that returned is on disk.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3
import sqlite_utils

from desktop_crf.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DiskFull,
    KnownError,
    ReadOnlyDatabase,
)
from desktop_crf.store.chain_part import apply_key

DatabaseError = sqlcipher3.dbapi2.DatabaseError

# SQLite primary result codes (https://sqlite.org/rescode.html).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26


def known_error(exc: BaseException, path: Path | str) -> KnownError | None:
    """Return the KnownError for an SQLite failure of the environment, or None for a bug."""
    if not isinstance(exc, DatabaseError):
        return None
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    text = str(exc).lower()
    if code == _SQLITE_FULL or "database or disk is full" in text:
        return DiskFull()
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text:
        return DatabaseLocked()
    if code == _SQLITE_READONLY or "readonly" in text:
        return ReadOnlyDatabase(str(path))
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB, _SQLITE_CANTOPEN) or "malformed" in text:
        return DatabaseCorrupt(str(path))
    return None


@contextlib.contextmanager
def translated_errors(path: Path | str) -> Iterator[None]:
    """Re-raise SQLite failures of the environment as KnownError subclasses."""
    try:
        yield
    except DatabaseError as exc:
        known = known_error(exc, path)
        if known is None:
            raise
        raise known from exc


def open_database(
    path: Path, data_key: bytes | None, *, create: bool = False
) -> sqlite_utils.Database:
    """Open (or with ``create`` make) the encrypted database at ``path``.

    ``data_key=None`` opens a plain, unencrypted SQLite file through the same code: the
    benchmark's baseline, never a site.

    Raises:
        DatabaseCorrupt: the file is not a database for this key, or is damaged.
        ReadOnlyDatabase, DiskFull, DatabaseLocked: as their names say.
    """
    if not create and not path.is_file():
        raise DatabaseCorrupt(str(path))
    with translated_errors(path):
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
        try:
            _configure(conn, data_key)
        except BaseException:
            conn.close()
            raise
    return sqlite_utils.Database(conn)


def _configure(conn: sqlcipher3.Connection, data_key: bytes | None) -> None:
    apply_key(conn, data_key)
    # Reading the schema is the first access that decrypts a page: a wrong key or a damaged
    # file fails here, before anything could be written.
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    # Every page read from the file is decrypted and checked; keeping 64 MiB of them (SQLite's
    # default: 2 MiB) spares that on the site-wide reads of a large site (SDV, tasks, lists).
    conn.execute("PRAGMA cache_size = -65536")


@contextlib.contextmanager
def transaction(
    db: sqlite_utils.Database, path: Path | str = "", *, durable: bool = True
) -> Iterator[None]:
    """One write transaction: everything inside lands, or nothing does.

    ``BEGIN IMMEDIATE`` takes the write lock up front, so the per-device audit sequence read
    inside the transaction cannot race with another writer.

    ``durable=False`` is for bookkeeping that a power cut may take back without harm (when the
    last sync round ended): its commit does not wait for the disk (``synchronous = NORMAL`` in
    WAL mode; the file stays consistent, and the next durable commit syncs it too). Clinical
    data, the audit trail and the sync outbox are never written this way.
    """
    conn = db.conn
    if not durable:
        with translated_errors(path):
            conn.execute("PRAGMA synchronous = NORMAL")
        try:
            with transaction(db, path):
                yield
        finally:
            with translated_errors(path):
                conn.execute("PRAGMA synchronous = FULL")
        return
    with translated_errors(path):
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            with contextlib.suppress(DatabaseError):
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(DatabaseError):
                conn.execute("ROLLBACK")
            raise


def close_database(db: sqlite_utils.Database) -> None:
    with contextlib.suppress(DatabaseError):
        db.conn.close()
