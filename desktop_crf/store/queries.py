"""This device's copy of the site's queries (table ``queries``, migration ``m002_queries``).

A query from the server is kept by its id, as the server last sent it (with what this device
did to it since: ``sync.queries.with_local_changes``). A query a monitor raised here waits with
no id, known by its origin (the ``query.raise`` entry), until the server's copy takes its place.
The place columns are there for SQL (per-subject counts); ``body`` is the whole record.

Writes run inside the caller's transaction.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from sync.entries import PATH_FIELDS
from sync.queries import Origin, Query

_COLUMNS = ("id", "origin_device", "origin_seq", "kind", "status", *PATH_FIELDS, "opened_at")
_ALL = (*_COLUMNS, "body")
_INSERT = f"INSERT INTO queries ({', '.join(_ALL)}) VALUES ({', '.join('?' for _ in _ALL)})"
_UPSERT = (
    _INSERT
    + " ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in _ALL if name != "id")
)
#: A pending query is known by its origin: answering or closing it here replaces its record.
_UPSERT_PENDING = (
    _INSERT
    + " ON CONFLICT (origin_device, origin_seq) WHERE id IS NULL DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in ("status", "body"))
)
#: Those from the server by id, then those raised here, in the order they were raised.
_ORDER = " ORDER BY id IS NULL, id, opened_at, origin_seq"


def _row(query: Query) -> list[Any]:
    origin = query.origin
    return [
        query.id,
        origin.device if origin else None,
        origin.seq if origin else None,
        query.kind,
        query.status,
        *(getattr(query, name) for name in PATH_FIELDS),
        query.opened_at,
        json.dumps(query.to_record()),
    ]


def put_query(db: sqlite_utils.Database, query: Query) -> None:
    """Keep ``query``: the server's copy replaces the one with its id; a pending query (no
    id) replaces the one with its origin (one per origin)."""
    db.execute(_UPSERT_PENDING if query.is_pending else _UPSERT, _row(query))


def drop_pending(db: sqlite_utils.Database, origin: Origin) -> None:
    """Forget the pending query raised by the entry ``origin`` (its server copy is here)."""
    db.execute(
        "DELETE FROM queries WHERE id IS NULL AND origin_device = ? AND origin_seq = ?",
        [origin.device, origin.seq],
    )


def get_query(db: sqlite_utils.Database, query_id: int) -> Query | None:
    """The query with the server id ``query_id``, or None."""
    row = db.execute("SELECT body FROM queries WHERE id = ?", [query_id]).fetchone()
    return None if row is None else _query(row[0])


def get_pending(db: sqlite_utils.Database, origin: Origin) -> Query | None:
    """The query raised by the entry ``origin`` while it waits for the server, or None."""
    row = db.execute(
        "SELECT body FROM queries WHERE id IS NULL AND origin_device = ? AND origin_seq = ?",
        [origin.device, origin.seq],
    ).fetchone()
    return None if row is None else _query(row[0])


def get_by_origin(db: sqlite_utils.Database, origin: Origin) -> Query | None:
    """The server's copy of the query raised by the entry ``origin`` (it has its id), or None."""
    row = db.execute(
        "SELECT body FROM queries WHERE id IS NOT NULL AND origin_device = ? AND origin_seq = ?",
        [origin.device, origin.seq],
    ).fetchone()
    return None if row is None else _query(row[0])


def list_queries(db: sqlite_utils.Database, *, subject: str | None = None) -> list[Query]:
    """The site's queries (monitors' and conflicts), optionally of one subject: those from the
    server by id, then those raised here and not yet on the server, in the order raised."""
    if subject is None:
        rows = db.execute("SELECT body FROM queries" + _ORDER)
    else:
        rows = db.execute("SELECT body FROM queries WHERE subject = ?" + _ORDER, [subject])
    return [_query(row[0]) for row in rows.fetchall()]


def count_open_monitor_queries(db: sqlite_utils.Database) -> int:
    """A monitor's queries still open (conflicts are counted by their items)."""
    row = db.execute(
        "SELECT count(*) FROM queries WHERE status = 'open' AND kind = 'monitor'"
    ).fetchone()
    return int(row[0])


def open_queries_by_subject(db: sqlite_utils.Database) -> dict[str, int]:
    """Per subject, its open queries (a monitor's or a conflict's)."""
    rows = db.execute(
        "SELECT subject, count(*) FROM queries WHERE status = 'open' AND subject IS NOT NULL "
        "GROUP BY subject"
    ).fetchall()
    return {str(subject): int(count) for subject, count in rows}


def _query(body: str) -> Query:
    return Query.from_record(json.loads(body))
