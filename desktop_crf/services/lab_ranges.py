"""Laboratory reference ranges, recorded once per laboratory (not on every sample).

A range (``forms.lab_ranges.LabRange``: laboratory, analyte, unit, sex and age band, LLN/ULN,
valid from) is recorded by the site admin, in the app or from the data manager's CSV file
(``crf labs ranges import``). Every change is an audit entry (``labrange.set``,
``labrange.remove``) that sync carries to the site's other computers, where it has the same
effect (``desktop_crf.store.lab_ranges``). Correcting a recorded range (same laboratory,
analyte, sex, age band and date) or removing one needs a reason; a range that would apply to
the same subjects as another of the same date is refused.

A lab form uses them through ``services.lab_limits``.

Public API:

- :func:`list_lab_ranges` ``(session, *, laboratory=None) -> list[StoredRange]``
- :func:`known_laboratories` ``(session) -> list[str]``
- :func:`record_lab_range` ``(session, lab_range, *, reason=None) -> Changes``
- :func:`remove_lab_range` ``(session, lab_range, *, reason) -> Changes``
- :func:`preview_range_file` ``(session, path) -> RangeFilePlan``: what importing would do,
  row by row; nothing is written.
- :func:`import_range_file` ``(session, path, *, reason=None) -> RangeFilePlan``: all rows
  or none.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Literal

from desktop_crf.errors import InvalidInput, KnownError
from desktop_crf.model import Changes
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import lab_ranges as store
from desktop_crf.store.audit import AuditWriter
from desktop_crf.store.lab_ranges import StoredRange
from desktop_crf.studies import bundled_forms
from forms.errors import FormsError
from forms.lab_files import decode
from forms.lab_range_file import read_range_file
from forms.lab_ranges import Analyte, LabRange, bands_overlap, lab_analytes
from forms.schema import ItemDef
from forms.values import normalise_unit

__all__ = [
    "RangeFilePlan",
    "RangeFileRefused",
    "RangeFileRow",
    "StoredRange",
    "analytes",
    "import_range_file",
    "known_laboratories",
    "list_lab_ranges",
    "preview_range_file",
    "record_lab_range",
    "remove_lab_range",
]

#: What a write of ranges says it changed: every open lab form may show other limits.
RANGES_CHANGED = Changes(kind="lab_ranges")
#: A range file larger than this is not a range file.
MAX_FILE_BYTES = 5 * 1024 * 1024


@cache
def analytes() -> dict[str, Analyte]:
    """Every result of the bundled lab forms a range may be recorded for, by item OID."""
    return lab_analytes(bundled_forms().values())


def _items() -> dict[str, ItemDef]:
    return {oid: analyte.item for oid, analyte in analytes().items()}


def list_lab_ranges(session: Session, *, laboratory: str | None = None) -> list[StoredRange]:
    """The recorded ranges (of one laboratory), by laboratory, analyte and date."""
    session.require(Permission.VIEW_LAB_RANGES)
    return store.list_ranges(session.db, laboratory=laboratory)


def known_laboratories(session: Session) -> list[str]:
    """The laboratories with recorded ranges (names as a lab form should give them)."""
    session.require(Permission.VIEW_LAB_RANGES)
    return store.laboratories(session.db)


def _checked(lab_range: LabRange) -> LabRange:
    """The range with its unit spelt as the item spells it.

    Raises:
        InvalidInput: no lab form records the analyte, or its unit cannot be converted.
    """
    analyte = analytes().get(lab_range.analyte)
    if analyte is None:
        raise InvalidInput(f"{lab_range.analyte} is not a result the lab forms record.")
    item = analyte.item
    if lab_range.unit is None and item.unit is None:
        return lab_range
    written = normalise_unit(lab_range.unit or "")
    for unit in item.units:
        if normalise_unit(unit) == written:
            return lab_range.model_copy(update={"unit": unit})
    accepted = ", ".join(item.units) or "no unit"
    raise InvalidInput(
        f"{item.label.en}: unit {lab_range.unit or '(none)'} cannot be converted; "
        f"use one of {accepted}."
    )


def _overlapping(session: Session, lab_range: LabRange) -> StoredRange | None:
    held = store.list_ranges(
        session.db, laboratory=lab_range.laboratory, analytes=[lab_range.analyte]
    )
    return next(
        (
            r
            for r in held
            if r.lab_range.key != lab_range.key and bands_overlap(r.lab_range, lab_range)
        ),
        None,
    )


def _append_set(
    session: Session,
    audit: AuditWriter,
    lab_range: LabRange,
    old: LabRange | None,
    *,
    reason: str | None,
    detail: str | None = None,
) -> None:
    entry = audit.append(
        store.SET_ACTION,
        item=lab_range.analyte,
        unit=lab_range.unit,
        old=None if old is None else store.range_json(old),
        new=store.range_json(lab_range),
        reason=reason,
        detail=detail,
    )
    store.apply_entry(session.db, entry)


def record_lab_range(
    session: Session, lab_range: LabRange, *, reason: str | None = None
) -> Changes:
    """Record a laboratory's range, or correct the recorded one with the same key.

    Recording a range exactly as recorded changes nothing (no audit entry).

    Raises:
        InvalidInput: unknown analyte, a unit the item cannot convert, or a range that would
        apply to the same subjects as another recorded range of the same date.
        ReasonRequired: it corrects a recorded range and no reason was given.
    """
    session.require(Permission.MANAGE_LAB_RANGES)
    lab_range = _checked(lab_range)
    why = (reason or "").strip() or None
    with session.write() as audit:
        held = store.get_range(session.db, lab_range)
        old = held.lab_range if held is not None and not held.removed else None
        if old == lab_range:
            return Changes(kind="lab_ranges")
        clash = _overlapping(session, lab_range)
        if clash is not None:
            raise InvalidInput(_clash_text(lab_range, clash.lab_range))
        if old is not None and why is None:
            raise RangeChangeNeedsReason(old)
        _append_set(session, audit, lab_range, old, reason=why)
    return RANGES_CHANGED


class RangeChangeNeedsReason(KnownError):
    """A recorded range would change without a reason."""

    def __init__(self, old: LabRange) -> None:
        self.old = old
        super().__init__(
            f"The range of {old.analyte} at {old.laboratory} from {old.valid_from} "
            f"({old.band_text()}) is already recorded as {_limits_text(old)}: give the reason "
            "for the correction. Nothing was saved."
        )


def _limits_text(lab_range: LabRange) -> str:
    unit = f" {lab_range.unit}" if lab_range.unit else ""
    return f"{lab_range.lln or '–'} to {lab_range.uln or '–'}{unit}"


def _clash_text(lab_range: LabRange, other: LabRange) -> str:
    return (
        f"The range of {lab_range.analyte} ({lab_range.band_text()}) from "
        f"{lab_range.valid_from} would apply to the same subjects as the recorded range "
        f"({other.band_text()}, {_limits_text(other)}): remove that one first, or give the new "
        "range another date. Nothing was saved."
    )


def remove_lab_range(session: Session, lab_range: LabRange, *, reason: str) -> Changes:
    """Remove a recorded range (entered by mistake); the removal is audited with the reason.

    Raises:
        InvalidInput: no reason, or no such range is recorded.
    """
    session.require(Permission.MANAGE_LAB_RANGES)
    why = reason.strip()
    if not why:
        raise InvalidInput("Give the reason for removing the range: it is kept in the audit trail.")
    with session.write() as audit:
        held = store.get_range(session.db, lab_range)
        if held is None or held.removed:
            raise InvalidInput("That range is not recorded (it may have been removed already).")
        entry = audit.append(
            store.REMOVE_ACTION,
            item=held.lab_range.analyte,
            unit=held.lab_range.unit,
            old=store.range_json(held.lab_range),
            reason=why,
        )
        store.apply_entry(session.db, entry)
    return RANGES_CHANGED


# -- a file of ranges ---------------------------------------------------------------------

RowStatus = Literal["new", "changed", "unchanged", "refused"]


@dataclass(frozen=True)
class RangeFileRow:
    """What importing one row does: record a ``new`` range, correct a recorded one
    (``changed``, from ``old``), nothing (``unchanged``), or nothing because it is
    ``refused`` (``problem`` says why)."""

    row: int
    status: RowStatus
    lab_range: LabRange | None = None
    old: LabRange | None = None
    problem: str | None = None


@dataclass(frozen=True)
class RangeFilePlan:
    """A range file read against the recorded ranges: its SHA-256 and each row's fate."""

    sha256: str
    rows: tuple[RangeFileRow, ...]
    changes: Changes | None = None

    def count(self, status: RowStatus) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def refused(self) -> list[RangeFileRow]:
        return [r for r in self.rows if r.status == "refused"]


class RangeFileRefused(KnownError):
    """Nothing of the file was imported: rows are refused, or corrections need a reason."""

    def __init__(self, plan: RangeFilePlan, message: str) -> None:
        self.plan = plan
        super().__init__(message)


def _read_file(path: Path) -> tuple[bytes, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path} cannot be read: {exc.strerror or exc}.") from None
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    return data, hashlib.sha256(data).hexdigest()


def _plan(session: Session, data: bytes, sha256: str) -> RangeFilePlan:
    try:
        rows = read_range_file(decode(data), _items())
    except FormsError as exc:
        raise InvalidInput(f"The file cannot be read: {exc}. Nothing was imported.") from None
    planned = [_plan_row(session, r.row, r.lab_range, r.problem) for r in rows]
    return RangeFilePlan(sha256, tuple(planned))


def _plan_row(
    session: Session, row: int, lab_range: LabRange | None, problem: str | None
) -> RangeFileRow:
    if lab_range is None:
        return RangeFileRow(row, "refused", problem=problem)
    try:
        lab_range = _checked(lab_range)
    except InvalidInput as exc:
        return RangeFileRow(row, "refused", problem=str(exc))
    held = store.get_range(session.db, lab_range)
    old = held.lab_range if held is not None and not held.removed else None
    if old == lab_range:
        return RangeFileRow(row, "unchanged", lab_range)
    clash = _overlapping(session, lab_range)
    if clash is not None:
        why = f"it overlaps the recorded range {clash.lab_range.band_text()}, " + _limits_text(
            clash.lab_range
        )
        return RangeFileRow(row, "refused", lab_range, problem=why)
    return RangeFileRow(row, "changed" if old is not None else "new", lab_range, old)


def preview_range_file(session: Session, path: Path) -> RangeFilePlan:
    """What importing the range file at ``path`` would do, row by row. Nothing is written."""
    session.require(Permission.MANAGE_LAB_RANGES)
    data, sha256 = _read_file(path)
    return _plan(session, data, sha256)


def import_range_file(session: Session, path: Path, *, reason: str | None = None) -> RangeFilePlan:
    """Import the range file at ``path``: every row, or none.

    Each new or corrected range is a ``labrange.set`` entry whose ``detail`` names the file's
    SHA-256 and the row; a correction carries ``reason``. Importing the same file again
    changes nothing.

    Raises:
        RangeFileRefused: a row is refused, or rows correct recorded ranges and no reason
        was given (the plan says which). InvalidInput: the file cannot be read.
    """
    session.require(Permission.MANAGE_LAB_RANGES)
    data, sha256 = _read_file(path)
    why = (reason or "").strip() or None
    with session.write() as audit:
        plan = _plan(session, data, sha256)
        _refuse(plan, why)
        for row in plan.rows:
            if row.status in ("new", "changed") and row.lab_range is not None:
                source = {"file_sha256": sha256, "row": row.row}
                detail = json.dumps({"import": source}, sort_keys=True, separators=(",", ":"))
                reason_here = why if row.status == "changed" else None
                _append_set(
                    session, audit, row.lab_range, row.old, reason=reason_here, detail=detail
                )
    written = plan.count("new") + plan.count("changed")
    return replace(plan, changes=RANGES_CHANGED if written else None)


def _refuse(plan: RangeFilePlan, reason: str | None) -> None:
    refused = plan.refused
    if refused:
        listed = "; ".join(f"row {r.row}: {r.problem}" for r in refused[:20])
        more = f" (and {len(refused) - 20} more)" if len(refused) > 20 else ""
        raise RangeFileRefused(
            plan,
            f"Nothing was imported: {len(refused)} row(s) of the file are refused — "
            f"{listed}{more}. Correct the file and import it again.",
        )
    if plan.count("changed") and reason is None:
        raise RangeFileRefused(
            plan,
            f"Nothing was imported: {plan.count('changed')} row(s) correct ranges already "
            "recorded; give the reason for the corrections.",
        )


def describe(rows: Sequence[RangeFileRow], limit: int = 50) -> list[str]:
    """One line per row for the command line."""
    lines = []
    for r in rows[:limit]:
        what = "" if r.lab_range is None else _row_text(r.lab_range)
        if r.status == "refused":
            lines.append(f"row {r.row}: refused — {r.problem}")
        elif r.status == "changed" and r.old is not None:
            lines.append(f"row {r.row}: corrects {what} (was {_limits_text(r.old)})")
        else:
            lines.append(f"row {r.row}: {r.status} {what}")
    if len(rows) > limit:
        lines.append(f"… {len(rows) - limit} more rows")
    return lines


def _row_text(lab_range: LabRange) -> str:
    return (
        f"{lab_range.laboratory} · {lab_range.analyte} · {lab_range.band_text()} · "
        f"{_limits_text(lab_range)} from {lab_range.valid_from}"
    )


def counts_text(plan: RangeFilePlan) -> str:
    """``"3 new, 1 corrected, 10 unchanged, 0 refused"``."""
    return (
        f"{plan.count('new')} new, {plan.count('changed')} corrected, "
        f"{plan.count('unchanged')} unchanged, {plan.count('refused')} refused"
    )
