"""Records pulled from the server that this device could not apply (table ``set_aside``,
migration ``m005_set_aside``): kept with the reason, shown in the Sync tab and reported to the
server, so that one bad record never stops a device from receiving everything after it.

Writes run inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils


@dataclass(frozen=True)
class SetAside:
    """A pulled record that was not applied, or whose entry was stored without its effect."""

    id: int
    pos: int | None
    kind: str
    device: str | None
    seq: int | None
    query_id: int | None
    stored: bool
    reason: str
    at: str
    reported_at: str | None

    def report(self) -> dict[str, Any]:
        """What the server is told (never the record's values: only where it is and why)."""
        return {
            "pos": self.pos,
            "kind": self.kind,
            "device": self.device,
            "seq": self.seq,
            "query_id": self.query_id,
            "stored": self.stored,
            "reason": self.reason,
        }


_COLUMNS = "id, pos, kind, device, seq, query_id, stored, reason, at, reported_at"


def _int(value: Any) -> int | None:
    return value if type(value) is int and -(2**63) < value < 2**63 else None


def _text(value: Any) -> str | None:
    return value[:200] if isinstance(value, str) else None


def set_aside(
    db: sqlite_utils.Database,
    record: Any,
    *,
    reason: str,
    stored: bool,
    at: str,
) -> None:
    """Keep ``record`` (as it came) with the reason it could not be applied."""
    record_map: Mapping[str, Any] = record if isinstance(record, Mapping) else {}
    kind = _text(record_map.get("kind")) or "unknown"
    entry = record_map.get("entry")
    entry_map: Mapping[str, Any] = entry if isinstance(entry, Mapping) else {}
    query = record_map.get("query")
    query_map: Mapping[str, Any] = query if isinstance(query, Mapping) else {}
    try:
        raw = json.dumps(record, ensure_ascii=False)
    except (TypeError, ValueError):
        raw = json.dumps(repr(record)[:10_000])
    db.execute(
        "INSERT INTO set_aside (pos, kind, device, seq, query_id, stored, reason, record, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            _int(record_map.get("pos")),
            kind,
            _text(entry_map.get("device")),
            _int(entry_map.get("seq")),
            _int(query_map.get("id")),
            int(stored),
            reason[:500],
            raw.encode("utf-8", "replace").decode("utf-8"),
            at,
        ],
    )


def set_aside_records(db: sqlite_utils.Database, *, limit: int = 1000) -> list[SetAside]:
    """The records set aside, newest first."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM set_aside ORDER BY id DESC LIMIT ?", [limit]
    ).fetchall()
    return [_row(r) for r in rows]


def unreported(db: sqlite_utils.Database, *, limit: int = 100) -> list[SetAside]:
    """Those the server has not been told of yet, oldest first."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM set_aside WHERE reported_at IS NULL ORDER BY id LIMIT ?",
        [limit],
    ).fetchall()
    return [_row(r) for r in rows]


def mark_reported(db: sqlite_utils.Database, ids: Sequence[int], *, at: str) -> None:
    for record_id in ids:
        db.execute(
            "UPDATE set_aside SET reported_at = ? WHERE id = ? AND reported_at IS NULL",
            [at, record_id],
        )


def set_aside_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM set_aside").fetchone()[0])


def _row(row: Sequence[Any]) -> SetAside:
    record_id, pos, kind, device, seq, query_id, stored, reason, at, reported_at = row
    return SetAside(
        record_id, pos, kind, device, seq, query_id, bool(stored), reason, at, reported_at
    )
