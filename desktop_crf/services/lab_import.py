"""Lab results from a hospital laboratory system's export (CSV), previewed, then imported
through the same rules as a nurse's save.

:func:`preview_lab_import` reads the file and says, row by row, where each result would go
(subject, sample date → visit by its window, test → item, the value in the item's unit) and
what stops it (:class:`Problem`: unknown subject, out of window, unit not convertible, value
not parseable, form signed…). Nothing is written. :func:`commit_lab_import` plans the file
again and imports it only if that plan is still the one the person confirmed (its
``digest``): every form in one transaction through ``data_entry.save_forms`` (items must exist,
warnings are confirmed by confirming the import and audited as such, stale revisions are
refused). A result that would change a saved value is imported only with a reason; a result
already saved as the file gives it changes nothing, so importing the same file again writes
nothing. Each imported value's ``item.set`` entry names the file's SHA-256 and the row
(``detail["import"]``), and travels by sync like any change.

Public API: :func:`preview_lab_import` ``(session, path, *, today=None, progress=None) ->
ImportPlan``; :func:`commit_lab_import` ``(session, path, *, expected, reason=None,
today=None, progress=None) -> ImportPlan``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from desktop_crf.errors import Cancelled, InvalidInput, KnownError
from desktop_crf.model import Changes, FormKey
from desktop_crf.services.data_entry import FormSave, ImportSource, ItemInput, save_forms
from desktop_crf.services.lab_import_plan import (
    FormPlanner,
    ImportRow,
    Placed,
    Problem,
    Status,
    place_row,
)
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from forms.errors import FormsError
from forms.lab_files import decode
from forms.lab_import import read_result_file
from forms.lab_ranges import LabFlag
from forms.validation import Finding

__all__ = [
    "ImportCancelled",
    "ImportOutdated",
    "ImportPlan",
    "ImportRow",
    "Problem",
    "commit_lab_import",
    "preview_lab_import",
]

#: A results file larger than this is not one laboratory export.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: ``progress(done, total)``; it may raise :class:`ImportCancelled` to stop.
Progress = Callable[[int, int], None]


class ImportCancelled(Cancelled):
    def __init__(self) -> None:
        super().__init__("The import was cancelled. Nothing was written.")


class ImportOutdated(KnownError):
    """What the file would do now is not what was previewed: nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            "The site or the file changed since the preview (a value was saved, a form "
            "signed, or the file rewritten). Nothing was written: preview the file again."
        )


@dataclass(frozen=True)
class ImportPlan:
    """A file read against the site: its name and SHA-256, each row's fate, the values the
    forms get beyond the rows (sample date and laboratory of a new form), and ``digest``, the
    fingerprint of what importing writes. After :func:`commit_lab_import`: ``written`` values
    and what changed."""

    file_name: str
    sha256: str
    rows: tuple[ImportRow, ...]
    form_values: tuple[tuple[FormKey, ItemInput], ...]
    digest: str
    written: int = 0
    changes: Changes | None = None

    def count(self, status: Status) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.rows if r.warnings and r.status in ("new", "change"))


def _read(path: Path) -> tuple[bytes, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path} cannot be read: {exc.strerror or exc}.") from None
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    return data, hashlib.sha256(data).hexdigest()


def _plan(
    session: Session, path: Path, today: date, progress: Progress | None
) -> tuple[ImportPlan, str]:
    data, sha256 = _read(path)
    try:
        rows = read_result_file(decode(data))
    except FormsError as exc:
        raise InvalidInput(f"{path.name} cannot be read: {exc}. Nothing was imported.") from None
    placed: list[Placed | ImportRow] = []
    planner = FormPlanner(session, today, sha256)
    for done, row in enumerate(rows, start=1):
        placed.append(place_row(planner, row, today))
        if progress is not None and (done % 50 == 0 or done == len(rows)):
            progress(done, len(rows))
    planned = planner.plan_forms([p for p in placed if isinstance(p, Placed)])
    result = [p if isinstance(p, ImportRow) else planned[p.source.row] for p in placed]
    fills = planner.form_values()
    plan = ImportPlan(path.name, sha256, tuple(result), tuple(fills), "")
    return replace(plan, digest=_digest(plan)), sha256


def _digest(plan: ImportPlan) -> str:
    """What importing would write, as one hash: the file, and each value with the revision
    it replaces."""
    doc: list[Any] = [plan.sha256]
    for r in plan.rows:
        if r.status in ("new", "change") and r.key is not None:
            doc.append([r.row, r.status, *_where(r.key), r.item, r.result, r.stored_unit])
            doc.append([r.base_rev, r.old, sorted((w.path, w.key) for w in r.warnings)])
    for key, value in plan.form_values:
        doc.append([*_where(key), value.item, value.value, value.base_rev])
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _where(key: FormKey) -> list[Any]:
    return [key.subject_id, key.event, key.event_repeat, key.form]


def preview_lab_import(
    session: Session, path: Path, *, today: date | None = None, progress: Progress | None = None
) -> ImportPlan:
    """What importing the results file at ``path`` would do, row by row. Nothing is written.

    Raises:
        InvalidInput: the file cannot be read as a results file (the message says why).
        ImportCancelled: ``progress`` asked to stop.
    """
    session.require(Permission.ENTER_DATA)
    plan, _sha = _plan(session, path, today or date.today(), progress)
    return plan


def commit_lab_import(
    session: Session,
    path: Path,
    *,
    expected: str,
    reason: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Import the results file at ``path`` as previewed (``expected``: the preview's digest).

    Rows that change a saved value are imported only with ``reason`` (kept with each).
    Everything is written in one transaction, or nothing.

    Raises:
        ImportOutdated: the plan is no longer the one previewed. InvalidInput: the file cannot
        be read. ImportCancelled: ``progress`` asked to stop. And whatever ``save_form``
        raises (nothing is written then either).
    """
    session.require(Permission.ENTER_DATA)
    plan, sha256 = _plan(session, path, today or date.today(), progress)
    if plan.digest != expected:
        raise ImportOutdated()
    why = (reason or "").strip() or None
    saves = _saves(plan, sha256, why)
    if not saves:
        return plan
    changes = save_forms(session, saves)
    written = sum(1 for r in plan.rows if r.status == "new" or (r.status == "change" and why))
    return replace(plan, written=written, changes=changes)


def _saves(plan: ImportPlan, sha256: str, reason: str | None) -> list[FormSave]:
    """One save per form that gets a result (with the sample date and laboratory it lacks)."""
    items: dict[FormKey, list[ItemInput]] = {}
    warnings: dict[FormKey, list[Finding]] = {}
    for r in plan.rows:
        wanted = r.status == "new" or (r.status == "change" and reason is not None)
        if not wanted or r.key is None or r.item is None or r.item_group is None:
            continue
        items.setdefault(r.key, []).append(
            ItemInput(
                r.item_group,
                r.item,
                r.result,
                r.stored_unit,
                reason=reason if r.status == "change" else None,
                base_rev=r.base_rev,
                imported=ImportSource(sha256, r.row),
            )
        )
        warnings.setdefault(r.key, []).extend(r.warnings)
    for key, value in plan.form_values:
        if key in items:
            items[key].insert(0, value)
    return [
        FormSave(key, values, accepted_warnings=tuple(warnings.get(key, ())))
        for key, values in items.items()
    ]


def describe(rows: Sequence[ImportRow]) -> list[str]:
    """One line per row for the command line (English)."""
    return [_line(r) for r in rows]


def _line(r: ImportRow) -> str:
    where = ""
    if r.key is not None and r.item_label is not None:
        where = f"{r.key.subject_id} · {r.key.event} · {r.item_label.en}"
    value = f"{r.result} {r.unit or ''}".strip()
    if r.in_item_unit:
        value += f" (= {r.in_item_unit})"
    flag = f" [{r.flag.value}]" if r.flag in (LabFlag.HIGH, LabFlag.LOW) else ""
    if r.status == "refused":
        return f"row {r.row}: refused — {problem_text(r)}"
    text = {"new": "import", "change": "change", "unchanged": "unchanged"}[r.status]
    line = f"row {r.row}: {text} {where} = {value}{flag}"
    if r.status == "change":
        line += f" (saved: {r.old}; needs a reason)"
    for warning in r.warnings:
        line += f" — unusual: {warning.message.en}"
    return line


def problem_text(r: ImportRow) -> str:
    """Why a row is refused, in English (the app words it in the user's language)."""
    texts = {
        Problem.UNKNOWN_SUBJECT: f"there is no subject {r.subject} on this site",
        Problem.BAD_DATE: f"the sample date {r.sample_date!r} is not a date (YYYY-MM-DD)",
        Problem.FUTURE_DATE: f"the sample date {r.sample_date} is in the future",
        Problem.UNKNOWN_TEST: f"test {r.test!r} is not a result the lab forms record",
        Problem.OUT_OF_WINDOW: f"{r.sample_date} is in no visit window of {r.subject} for "
        f"this test ({r.about or 'no visit dates yet'})",
        Problem.UNIT: f"unit {r.unit or '(none)'} cannot be converted ({r.about})",
        Problem.VALUE: f"the result {r.result!r} is not a lab result",
        Problem.SIGNED: "the form is signed: an investigator must review any change",
        Problem.OTHER_SAMPLE: f"the form holds the sample of {r.about}: enter this one by "
        "hand in an unscheduled visit",
        Problem.OTHER_LABORATORY: f"the form names another laboratory ({r.about})",
        Problem.INVALID: f"{r.about}",
        Problem.CONFLICTING_ROWS: f"rows {r.about} give other values for the same result",
    }
    return texts[r.problem] if r.problem is not None else ""
