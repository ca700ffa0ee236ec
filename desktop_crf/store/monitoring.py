"""Monitoring visits (table ``monitoring_visits``, migration ``m007_monitoring``), made from
their audit entries: ``monitoring.visit.start``, ``.close`` (remarks, summary and its hash) and
``.sign`` (the monitor's signature of that hash), this device's or pulled from another.

Writes run inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

START, CLOSE, SIGN = "monitoring.visit.start", "monitoring.visit.close", "monitoring.visit.sign"
ACTIONS = (START, CLOSE, SIGN)
_COLUMNS = (
    "visit, started_at, started_by, device, purpose, closed_at, remarks, summary, "
    "content_hash, signature"
)


@dataclass(frozen=True)
class VisitRecord:
    """A monitoring visit as recorded: open until ``closed_at``; signed once ``signature``."""

    visit: str
    started_at: str
    started_by: str
    device: str
    purpose: str | None
    closed_at: str | None
    remarks: str | None
    summary: dict[str, Any] | None
    content_hash: str | None
    signature: dict[str, Any] | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def apply_entry(db: sqlite_utils.Database, entry: Mapping[str, Any]) -> None:
    """What a visit's entry (this device's or pulled) does here."""
    detail = json.loads(str(entry["detail"]))
    visit, action = str(detail["visit"]), entry["action"]
    if action == START:
        db.execute(
            "INSERT INTO monitoring_visits (visit, started_at, started_by, device, purpose) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (visit) DO NOTHING",
            [visit, entry["ts"], entry["user"], entry["device"], entry.get("new")],
        )
    elif action == CLOSE:
        db.execute(
            "UPDATE monitoring_visits SET closed_at = ?, remarks = ?, summary = ?, "
            "content_hash = ? WHERE visit = ? AND closed_at IS NULL",
            [
                entry["ts"],
                entry.get("new"),
                json.dumps(detail["summary"], sort_keys=True),
                detail["content_hash"],
                visit,
            ],
        )
    elif action == SIGN:
        signature = {k: v for k, v in detail.items() if k != "visit"}
        db.execute(
            "UPDATE monitoring_visits SET signature = ? WHERE visit = ? AND signature IS NULL",
            [json.dumps(signature, sort_keys=True), visit],
        )


def get_visit(db: sqlite_utils.Database, visit: str) -> VisitRecord | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM monitoring_visits WHERE visit = ?", [visit]
    ).fetchone()
    return None if row is None else _record(row)


def open_visit(db: sqlite_utils.Database, user: str) -> VisitRecord | None:
    """The visit ``user`` started and has not closed yet, if any."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM monitoring_visits WHERE started_by = ? AND closed_at IS NULL "
        "ORDER BY started_at DESC LIMIT 1",
        [user],
    ).fetchone()
    return None if row is None else _record(row)


def list_visits(db: sqlite_utils.Database) -> list[VisitRecord]:
    """Every monitoring visit of the site, newest first."""
    rows = db.execute(f"SELECT {_COLUMNS} FROM monitoring_visits ORDER BY started_at DESC")
    return [_record(row) for row in rows.fetchall()]


def _record(row: tuple[Any, ...]) -> VisitRecord:
    values = list(row)
    for index in (7, 9):
        values[index] = json.loads(values[index]) if values[index] else None
    return VisitRecord(*values)
