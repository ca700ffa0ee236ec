"""The hash-chained, append-only audit trail (21 CFR Part 11 §11.10(e)).

Every write of the app appends its entries here inside the same transaction as the data change.
Entries of this device get the next gap-free sequence number and link to the hash of the
device's previous entry; entries pulled from other devices are stored as they came, so each
device's chain can be verified on its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from desktop_crf.model import ChainReport
from desktop_crf.store.chain import verify_device_chain
from sync.entries import (
    ENTRY_FIELDS,
    GENESIS_HASH,
    entry_hash,
    timestamp,
)

_COLUMNS = (*ENTRY_FIELDS, "hash")
_INSERT_SQL = (
    f"INSERT INTO audit ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)})"
)


def utc_now() -> str:
    """UTC time with microseconds, ISO 8601 with a Z, as every timestamp of the trail."""
    return timestamp()


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the user, the role they act in, and this device."""

    user: str
    role: str
    device: str


class AuditWriter:
    """Appends this device's entries within one open transaction.

    Reads the device's last sequence number and hash once, then chains in memory: a save of
    thirty items costs one read and thirty inserts.
    """

    def __init__(self, db: sqlite_utils.Database, actor: Actor) -> None:
        self._db = db
        self._actor = actor
        row = db.execute(
            "SELECT seq, hash FROM audit WHERE device = ? ORDER BY seq DESC LIMIT 1",
            [actor.device],
        ).fetchone()
        self._seq: int = int(row[0]) if row else 0
        self._hash: str = str(row[1]) if row else GENESIS_HASH
        self._ts = utc_now()

    def append(self, action: str, **fields: Any) -> dict[str, Any]:
        unknown = set(fields) - set(ENTRY_FIELDS)
        if unknown:
            raise TypeError(f"unknown audit fields: {sorted(unknown)}")
        entry: dict[str, Any] = dict.fromkeys(ENTRY_FIELDS)
        entry.update(fields)
        entry.update(
            device=self._actor.device,
            seq=self._seq + 1,
            ts=self._ts,
            user=self._actor.user,
            role=self._actor.role,
            action=action,
            prev_hash=self._hash,
        )
        entry["hash"] = entry_hash(entry)
        # The server refuses what does not fit the shared schema: never write such an entry.
        # (Imported here: its models are built on first use, not as the app's window opens.)
        from sync.entry_schema import check_entry

        check_entry(entry)
        self._db.execute(_INSERT_SQL, [entry[c] for c in _COLUMNS])
        self._seq, self._hash = entry["seq"], entry["hash"]
        return entry


def store_foreign_entry(db: sqlite_utils.Database, entry: Mapping[str, Any]) -> None:
    """Store an entry that another device wrote (already verified by the caller)."""
    db.execute(_INSERT_SQL, [entry.get(c) for c in _COLUMNS])


def verify_chain(db: sqlite_utils.Database) -> ChainReport:
    """Recompute every device's hash chain and name the first broken entry, if any."""
    total = 0
    devices = [r[0] for r in db.execute("SELECT DISTINCT device FROM audit ORDER BY device")]
    for device in devices:
        count, broken = verify_device_chain(db, device)
        total += count
        if broken is not None:
            return ChainReport(total, broken)
    return ChainReport(total, None)


def entries_after(
    db: sqlite_utils.Database, device: str, after_seq: int, *, limit: int = 500
) -> list[dict[str, Any]]:
    """This device's entries with a sequence number above ``after_seq``, in order."""
    cursor = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM audit WHERE device = ? AND seq > ? "
        "ORDER BY seq LIMIT ?",
        [device, after_seq, limit],
    )
    return [dict(zip(_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def last_seq(db: sqlite_utils.Database, device: str) -> int:
    row = db.execute("SELECT max(seq) FROM audit WHERE device = ?", [device]).fetchone()
    return int(row[0] or 0)


def trail(
    db: sqlite_utils.Database,
    *,
    subject: str | None = None,
    form: str | None = None,
    item: str | None = None,
    user: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 10_000,
) -> list[dict[str, Any]]:
    """Audit entries filtered as a monitor asks (per subject / form / item / user / date)."""
    where, params = [], []
    for column, value in (("subject", subject), ("form", form), ("item", item), ("user", user)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if since is not None:
        where.append("ts >= ?")
        params.append(since)
    if until is not None:
        where.append("ts < ?")
        params.append(until)
    sql = f"SELECT {', '.join(_COLUMNS)} FROM audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY ts, device, seq LIMIT ?"
    cursor = db.execute(sql, [*params, limit])
    return [dict(zip(_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def subject_entries(db: sqlite_utils.Database, subject: str, action: str) -> list[dict[str, Any]]:
    """Every device's entries of one action about one subject, in time order (entries pulled
    from other devices included: a decision made on another computer counts here too)."""
    cursor = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM audit WHERE subject = ? AND action = ? "
        "ORDER BY ts, device, seq",
        [subject, action],
    )
    return [dict(zip(_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


# -- reading the trail for review and export -------------------------------------------------


@dataclass(frozen=True)
class TrailFilter:
    """What a monitor narrows the trail to; ``since``/``until`` are UTC stamps as in ``ts``
    (``until`` excluded). Every field left None matches everything."""

    subject: str | None = None
    user: str | None = None
    action: str | None = None
    since: str | None = None
    until: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition (with its leading WHERE, or empty) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in (("subject", self.subject), ("user", self.user)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.action is not None:
            clauses.append("action = ?")
            params.append(self.action)
        if self.since is not None:
            clauses.append("ts >= ?")
            params.append(self.since)
        if self.until is not None:
            clauses.append("ts < ?")
            params.append(self.until)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def source(self) -> str:
        """The table to read, in time order. Without a subject, walk the time index: the
        planner otherwise sorts the whole trail for a page of 500 (0.7 s at 200,000 entries
        instead of 2 ms); a subject's entries are found by their own index and sorted."""
        return "audit" if self.subject is not None else "audit INDEXED BY audit_ts"


#: Where an entry stands in the newest-first order; a page continues below the last one shown.
TrailKey = tuple[str, str, int]


def trail_page(
    db: sqlite_utils.Database,
    where: TrailFilter,
    *,
    before: TrailKey | None = None,
    offset: int = 0,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Entries newest first, by (ts, device, seq). ``before`` pages by key, so entries that
    arrive while a monitor reads (a pull, a lock) neither repeat nor hide one."""
    condition, params = where.where()
    if before is not None:
        condition += (" AND " if condition else " WHERE ") + "(ts, device, seq) < (?, ?, ?)"
        params.extend(before)
    sql = (
        f"SELECT {', '.join(_COLUMNS)} FROM {where.source()}{condition} "
        "ORDER BY ts DESC, device DESC, seq DESC LIMIT ? OFFSET ?"
    )
    cursor = db.execute(sql, [*params, limit, offset])
    return [dict(zip(_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def trail_count(db: sqlite_utils.Database, where: TrailFilter) -> int:
    condition, params = where.where()
    return int(db.execute(f"SELECT count(*) FROM audit{condition}", params).fetchone()[0])


def iter_trail(
    db: sqlite_utils.Database, where: TrailFilter, *, batch: int = 2000
) -> Iterator[dict[str, Any]]:
    """Every matching entry oldest first (chain order), read in batches: an export of a
    million entries never holds them all in memory."""
    condition, params = where.where()
    cursor = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM {where.source()}{condition} ORDER BY ts, device, seq",
        params,
    )
    while rows := cursor.fetchmany(batch):
        for row in rows:
            yield dict(zip(_COLUMNS, row, strict=True))


def trail_values(db: sqlite_utils.Database, column: str) -> list[str]:
    """The distinct values of ``subject``, ``user`` or ``action`` (for filter choices)."""
    if column not in ("subject", "user", "action"):
        raise ValueError(f"not a filter column: {column}")
    cursor = db.execute(
        f"SELECT DISTINCT {column} FROM audit WHERE {column} IS NOT NULL ORDER BY {column}"
    )
    return [str(row[0]) for row in cursor.fetchall()]


#: Every stored column of an entry, in storage order (the CSV export's header).
COLUMNS = _COLUMNS
