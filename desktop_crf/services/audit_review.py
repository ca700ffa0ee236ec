"""Reviewing the audit trail: pages of entries a monitor can read, and a CSV export of it all.

Reading the trail is not itself audited (21 CFR Part 11 does not ask for it, and a monitor
paging through thousands of entries would bury the changes under "viewed" records). An export
is: it takes a copy of clinical values off the site, so it appends one ``audit.export`` entry
naming how many entries, which filters and which file name.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from desktop_crf.services.export_files import ExportCancelled, ExportFailed, write_atomically
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store.audit import (
    COLUMNS,
    TrailFilter,
    TrailKey,
    iter_trail,
    trail_count,
    trail_page,
    trail_values,
)
from sync.entries import timestamp

#: The audit action an export appends.
EXPORT_ACTION = "audit.export"
#: How often (in entries) an export reports progress: often enough for a smooth bar, rarely
#: enough that the GUI's event queue is never flooded.
PROGRESS_EVERY = 1000

Progress = Callable[[int, int], None]

__all__ = [  # ExportCancelled and ExportFailed are shared by every export
    "EXPORT_ACTION",
    "PROGRESS_EVERY",
    "ExportCancelled",
    "ExportFailed",
    "audit_entries",
    "audit_filter_choices",
    "entry_key",
    "export_audit_csv",
    "readable",
    "trail_filter",
    "utc_stamp",
    "where_text",
]
Moment = datetime | str | None


def utc_stamp(moment: Moment) -> str | None:
    """A bound as the trail writes its times (``2026-10-01T08:00:00.000000Z``), so that
    comparing strings compares instants. A naive datetime is taken as local time."""
    if moment is None or isinstance(moment, str):
        return moment
    return timestamp(moment)


def trail_filter(
    *,
    subject: str | None = None,
    user: str | None = None,
    action: str | None = None,
    since: Moment = None,
    until: Moment = None,
) -> TrailFilter:
    """Blank text means "any"; ``until`` is excluded."""
    return TrailFilter(
        subject=(subject or "").strip() or None,
        user=(user or "").strip() or None,
        action=(action or "").strip() or None,
        since=utc_stamp(since),
        until=utc_stamp(until),
    )


def audit_entries(
    session: Session,
    *,
    subject: str | None = None,
    user: str | None = None,
    action: str | None = None,
    since: Moment = None,
    until: Moment = None,
    before: TrailKey | None = None,
    offset: int = 0,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Entries newest first, each with every stored field plus readable ones: ``time``,
    ``entry`` (device#seq), ``where`` (subject / visit / form / item) and ``change``
    (old → new). Page on with ``before=entry_key(last row)`` (or ``offset``)."""
    session.require(Permission.VIEW_AUDIT)
    where = trail_filter(subject=subject, user=user, action=action, since=since, until=until)
    rows = trail_page(session.db, where, before=before, offset=offset, limit=limit)
    return [readable(row) for row in rows]


def entry_key(entry: dict[str, Any]) -> TrailKey:
    """Where ``entry`` stands in the newest-first order (for ``before=``)."""
    return (str(entry["ts"]), str(entry["device"]), int(entry["seq"]))


def readable(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with the fields a person reads first added to it."""
    old, new = row.get("old"), row.get("new")
    change = "" if old is None and new is None else f"{_text(old)} → {_text(new)}"
    return {
        **row,
        "time": row["ts"],
        "entry": f"{row['device']}#{row['seq']}",
        "where": where_text(row),
        "change": change,
    }


def where_text(row: dict[str, Any]) -> str:
    """``NB02-0001 / SE.W0 / F.LAB_LIVER / I.ALT``; repeats shown as ``#2``, blanks left out."""
    parts = [
        row.get("subject"),
        _repeated(row.get("event"), row.get("event_repeat")),
        row.get("form"),
        _repeated(row.get("item"), row.get("group_repeat")),
    ]
    return " / ".join(str(p) for p in parts if p)


def _repeated(name: Any, repeat: Any) -> str | None:
    if not name:
        return None
    return f"{name} #{repeat}" if isinstance(repeat, int) and repeat > 1 else str(name)


def _text(value: Any) -> str:
    return "—" if value is None else str(value)


def audit_filter_choices(session: Session) -> dict[str, list[str]]:
    """The subjects, users and actions that occur in the trail, for the filter boxes."""
    session.require(Permission.VIEW_AUDIT)
    return {column: trail_values(session.db, column) for column in ("subject", "user", "action")}


# -- export ----------------------------------------------------------------------------------


def export_audit_csv(
    session: Session,
    path: Path | str,
    *,
    subject: str | None = None,
    user: str | None = None,
    action: str | None = None,
    since: Moment = None,
    until: Moment = None,
    progress: Progress | None = None,
) -> int:
    """Write the (filtered) trail to ``path`` as CSV, oldest first; return the entry count.

    One row per entry with every stored column, ``prev_hash`` and ``hash`` included, values
    exactly as stored (so the chain can be checked again from the file). UTF-8 with a BOM, so
    Excel shows Chinese text. The rows go to a temporary file in the same folder that replaces
    ``path`` only when complete: a failed or cancelled export leaves no partial file.
    ``progress(done, total)`` is called every ``PROGRESS_EVERY`` entries and at the end, on the
    calling thread; it may raise ``ExportCancelled`` to stop.

    Raises:
        PermissionDenied: the role may not review the audit trail or export data.
        ExportFailed: the folder is missing or not writable, or the disk is full.
    """
    session.require(Permission.VIEW_AUDIT)
    session.require(Permission.EXPORT)
    target = Path(path)
    where = trail_filter(subject=subject, user=user, action=action, since=since, until=until)
    total = trail_count(session.db, where)
    written = [0]

    def write(out: IO[bytes]) -> None:
        written[0] = _write_rows(session, out, where, total, progress)

    def commit(_digest: str, move: Callable[[], None]) -> None:
        # The file appears in the same transaction as its audit entry: both or neither.
        with session.write() as audit:
            detail = {"entries": written[0], "file": target.name, "filters": _filters(where)}
            audit.append(EXPORT_ACTION, detail=json.dumps(detail, sort_keys=True))
            move()

    write_atomically(target, write, commit)
    return written[0]


def _write_rows(
    session: Session, stream: IO[bytes], where: TrailFilter, total: int, progress: Progress | None
) -> int:
    written = 0
    out = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for entry in iter_trail(session.db, where):
        writer.writerow(["" if entry[c] is None else entry[c] for c in COLUMNS])
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written, total)
    out.flush()
    out.detach()
    if progress is not None:
        progress(written, max(total, written))
    return written


def _filters(where: TrailFilter) -> dict[str, str]:
    return {name: value for name, value in asdict(where).items() if value is not None}
