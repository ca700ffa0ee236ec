"""Planning a lab results import: where each row of the file goes and what stops it.

:func:`place_row` places one row (subject, sample date → visit by window, test → item, unit
and value read); :class:`FormPlanner` then looks at each target form as a whole (signed? which
sample and laboratory does it hold? rows that disagree? the value saved already? what does
validation say of the form after the import?). Used by ``services.lab_import``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from desktop_crf.model import FormKey, StoredValue
from desktop_crf.services.data_entry import ImportSource, ItemInput, validation_context
from desktop_crf.services.form_rules import form_entries
from desktop_crf.services.lab_limits import AnalyteLimits, form_limits
from desktop_crf.services.lab_ranges import analytes
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.studies import load_study
from forms.errors import UnknownUnit, ValueNotUnderstood
from forms.lab_files import find_analyte
from forms.lab_import import ResultRow, sample_day, visit_for
from forms.lab_ranges import (
    LAB_NAME_ITEM,
    Analyte,
    LabFlag,
    decimal_text,
    flag_value,
    laboratory_key,
)
from forms.quantities import Qualifier
from forms.schedule import plan_visits
from forms.schema import FormDef, ItemDef, ItemValue
from forms.study import Study, VisitDef
from forms.text import Text
from forms.validation import Finding, Severity, validate
from forms.values import normalise_unit, read_quantity


class Problem(StrEnum):
    """Why a row of a results file is not imported."""

    UNKNOWN_SUBJECT = "unknown_subject"
    BAD_DATE = "bad_date"
    FUTURE_DATE = "future_date"
    UNKNOWN_TEST = "unknown_test"
    OUT_OF_WINDOW = "out_of_window"
    UNIT = "unit_not_convertible"
    VALUE = "value_not_parseable"
    SIGNED = "form_signed"
    OTHER_SAMPLE = "other_sample"
    OTHER_LABORATORY = "other_laboratory"
    INVALID = "invalid_value"
    CONFLICTING_ROWS = "conflicting_rows"


Status = Literal["new", "change", "unchanged", "refused"]


@dataclass(frozen=True)
class ImportRow:
    """One row of the file and what importing does with it.

    ``status``: ``new`` (a value where there is none), ``change`` (replaces the saved value
    ``old``; only with a reason), ``unchanged`` (saved already as the file gives it), or
    ``refused`` (``problem`` says why; ``about`` names what it refers to, e.g. the form's
    sample date; ``error`` is the validation finding of an ``invalid_value``). Where it goes:
    ``key`` (the form), ``visit`` and ``item_label``; ``in_item_unit`` is the value converted
    into the item's unit when the file's unit is another. ``warnings`` are the unusual values
    that confirming the import confirms; ``flag`` is H/L against the limits that apply.
    """

    row: int
    subject: str
    sample_date: str
    test: str
    result: str
    unit: str | None
    status: Status
    problem: Problem | None = None
    about: str | None = None
    key: FormKey | None = None
    visit: Text | None = None
    item_group: str | None = None
    item: str | None = None
    item_label: Text | None = None
    in_item_unit: str | None = None
    old: str | None = None
    warnings: tuple[Finding, ...] = ()
    error: Finding | None = None
    flag: LabFlag | None = None
    base_rev: int = 0
    stored_unit: str | None = None


@dataclass(frozen=True)
class Placed:
    """A row that found its form and item; the form-wide checks are still to come."""

    source: ResultRow
    key: FormKey
    visit: VisitDef
    analyte: Analyte
    day: date
    unit: str | None
    in_item_unit: str | None


def _date(text: Any) -> date | None:
    with contextlib.suppress(ValueError, TypeError):
        return date.fromisoformat(str(text or ""))
    return None


def _row(source: ResultRow, status: Status, **more: Any) -> ImportRow:
    return ImportRow(
        source.row,
        source.subject,
        source.sample_date,
        source.test,
        source.result,
        source.unit,
        status,
        **more,
    )


class FormPlanner:
    """What the planning reads from the site, once per subject and study."""

    def __init__(self, session: Session, today: date, sha256: str) -> None:
        self.session, self.today, self.sha256 = session, today, sha256
        self.catalog = analytes()
        self._subjects: dict[str, dict[str, Any] | None] = {}
        self._studies: dict[tuple[str, str], Study] = {}
        self._fills: list[tuple[FormKey, ItemInput]] = []

    def subject(self, subject_id: str) -> dict[str, Any] | None:
        if subject_id not in self._subjects:
            self._subjects[subject_id] = repo.get_subject(self.session.db, subject_id)
        return self._subjects[subject_id]

    def study(self, subject: dict[str, Any]) -> Study:
        where = (str(subject["study_id"]), str(subject["study_version"]))
        if where not in self._studies:
            self._studies[where] = load_study(*where)
        return self._studies[where]

    def form_values(self) -> list[tuple[FormKey, ItemInput]]:
        """The sample date and laboratory the new forms get from the file."""
        return list(self._fills)

    def plan_forms(self, placed: Sequence[Placed]) -> dict[int, ImportRow]:
        """Each placed row's fate (by row number), form by form."""
        groups: dict[FormKey, list[Placed]] = {}
        for p in placed:
            groups.setdefault(p.key, []).append(p)
        found: dict[int, ImportRow] = {}
        for key, rows in groups.items():
            for row in self._plan_form(key, rows):
                found[row.row] = row
        return found

    def _plan_form(self, key: FormKey, rows: list[Placed]) -> list[ImportRow]:
        db = self.session.db
        form = rows[0].analyte.form
        saved = repo.form_values(db, key)
        signature = repo.latest_signature(db, key)
        if signature is not None and signature["content_hash"] == repo.content_hash(saved.values()):
            return [_refused(p, Problem.SIGNED) for p in rows]
        day = _saved_text(form, saved, form.date_item) or rows[0].day.isoformat()
        lab = _saved_text(form, saved, LAB_NAME_ITEM) or next(
            (p.source.laboratory for p in rows if p.source.laboratory), None
        )
        out: dict[int, ImportRow] = {}
        kept = []
        for p in rows:
            if p.day.isoformat() != day:
                out[p.source.row] = _refused(p, Problem.OTHER_SAMPLE, day)
            elif (
                p.source.laboratory
                and lab
                and laboratory_key(p.source.laboratory) != laboratory_key(lab)
            ):
                out[p.source.row] = _refused(p, Problem.OTHER_LABORATORY, lab)
            else:
                kept.append(p)
        out.update(self._compare(form, saved, kept))
        fills = self._form_fills(key, form, saved, day, lab, kept)
        out.update(self._validate(key, form, saved, fills, out, lab))
        if any(r.status in ("new", "change") for r in out.values()):
            self._fills += [(key, value) for value in fills]
        return [out[p.source.row] for p in rows]

    def _compare(
        self, form: FormDef, saved: dict[tuple[str, int, str], StoredValue], rows: list[Placed]
    ) -> dict[int, ImportRow]:
        out: dict[int, ImportRow] = {}
        by_item: dict[str, list[Placed]] = {}
        for p in rows:
            by_item.setdefault(p.analyte.item.oid, []).append(p)
        for item, same in by_item.items():
            values = {(p.source.result, p.unit) for p in same}
            if len(values) > 1:
                numbers = ", ".join(str(p.source.row) for p in same)
                out.update(
                    {p.source.row: _refused(p, Problem.CONFLICTING_ROWS, numbers) for p in same}
                )
                continue
            first, *again = same
            held = saved.get((form.group_of(item).oid, 1, item))
            out[first.source.row] = _compared(first, held)
            for p in again:
                out[p.source.row] = _placed_row(p, "unchanged", about=str(first.source.row))
        return out

    def _form_fills(
        self,
        key: FormKey,
        form: FormDef,
        saved: dict[tuple[str, int, str], StoredValue],
        day: str,
        lab: str | None,
        rows: list[Placed],
    ) -> list[ItemInput]:
        if not rows:
            return []
        source = ImportSource(self.sha256, rows[0].source.row)
        fills = []
        for item, value in ((form.date_item, day), (LAB_NAME_ITEM, lab)):
            if item is None or value is None or _saved_text(form, saved, item) is not None:
                continue
            group = form.group_of(item).oid
            fills.append(ItemInput(group, item, value, base_rev=0, imported=source))
        return fills

    def _validate(
        self,
        key: FormKey,
        form: FormDef,
        saved: dict[tuple[str, int, str], StoredValue],
        fills: list[ItemInput],
        out: dict[int, ImportRow],
        lab: str | None,
    ) -> dict[int, ImportRow]:
        writing = [r for r in out.values() if r.status in ("new", "change")]
        if not writing:
            return {}
        after = dict(saved)
        for value in [*fills, *(_as_input(r) for r in writing)]:
            after[(value.item_group, 1, value.item)] = StoredValue(
                value.item_group, 1, value.item, value.value, value.unit, 0
            )
        context = validation_context(self.session, key, today=self.today)
        findings = validate(form, form_entries(form, after.values()), context)
        dated = [f for f in findings if f.path in (form.date_item, LAB_NAME_ITEM)]
        date_errors = [f for f in dated if f.severity is Severity.ERROR]
        day = _date(next((v.value for v in fills if v.item == form.date_item), None))
        limits = form_limits(self.session, key, laboratory=lab, sample_date=day).analytes
        checked = {}
        for r in writing:
            errors = date_errors + _on(findings, r.item, Severity.ERROR)
            if errors:
                error = errors[0]
                checked[r.row] = replace(
                    r,
                    status="refused",
                    problem=Problem.INVALID,
                    about=error.message.en,
                    error=error,
                )
                continue
            warnings = tuple(_on(findings, r.item, Severity.WARNING))
            checked[r.row] = replace(r, warnings=warnings, flag=_flag(form, r, limits))
        return checked


def _on(findings: Iterable[Finding], item: str | None, severity: Severity) -> list[Finding]:
    return [f for f in findings if f.path == item and f.severity is severity]


def _flag(form: FormDef, row: ImportRow, limits: Mapping[str, AnalyteLimits]) -> LabFlag | None:
    found = limits.get(row.item or "")
    if found is None or row.item is None:
        return None
    item = form.items()[row.item]
    entry = ItemValue(text=row.result, unit=row.stored_unit)
    return flag_value(item, entry, lln=found.lln_value, uln=found.uln_value)


def _as_input(row: ImportRow) -> ItemInput:
    return ItemInput(row.item_group or "", row.item or "", row.result, row.stored_unit)


def _saved_text(
    form: FormDef, saved: dict[tuple[str, int, str], StoredValue], item: str | None
) -> str | None:
    if item is None:
        return None
    held = saved.get((form.group_of(item).oid, 1, item))
    return held.value if held is not None and held.value else None


def _other_lab(name: str | None, form_lab: str) -> bool:
    return bool(name) and laboratory_key(name or "") != laboratory_key(form_lab)


def _compared(p: Placed, held: StoredValue | None) -> ImportRow:
    if held is None or held.value is None:
        return _placed_row(p, "new", base_rev=0 if held is None else held.rev)
    shown = f"{held.value} {held.unit}" if held.unit else held.value
    if held.value.strip() == p.source.result.strip() and held.unit == p.unit:
        return _placed_row(p, "unchanged", old=shown, base_rev=held.rev)
    return _placed_row(p, "change", old=shown, base_rev=held.rev)


def _placed_row(p: Placed, status: Status, **more: Any) -> ImportRow:
    item = p.analyte.item
    return _row(
        p.source,
        status,
        key=p.key,
        visit=p.visit.label,
        item_group=p.analyte.form.group_of(item.oid).oid,
        item=item.oid,
        item_label=item.label,
        in_item_unit=p.in_item_unit,
        stored_unit=p.unit,
        **more,
    )


def _refused(p: Placed, problem: Problem, about: str | None = None) -> ImportRow:
    return _placed_row(p, "refused", problem=problem, about=about)


def place_row(planner: FormPlanner, source: ResultRow, today: date) -> Placed | ImportRow:
    """Place one row, or refuse it with the first problem found."""
    subject = planner.subject(source.subject)
    if subject is None:
        return _row(source, "refused", problem=Problem.UNKNOWN_SUBJECT)
    try:
        day = sample_day(source.sample_date)
    except ValueNotUnderstood:
        return _row(source, "refused", problem=Problem.BAD_DATE)
    if day > today:
        return _row(source, "refused", problem=Problem.FUTURE_DATE)
    oid = find_analyte(source.test, planner.catalog)
    if oid is None:
        return _row(source, "refused", problem=Problem.UNKNOWN_TEST)
    analyte = planner.catalog[oid]
    item = analyte.item
    unit = _unit(item, source.unit)
    if unit is None and (item.unit is not None or source.unit):
        accepted = ", ".join(item.units) or "no unit"
        return _row(source, "refused", problem=Problem.UNIT, about=accepted, item=oid)
    try:
        quantity = read_quantity(item, ItemValue(text=source.result, unit=unit))
    except UnknownUnit:
        return _row(source, "refused", problem=Problem.UNIT, about=", ".join(item.units))
    except ValueNotUnderstood:
        return _row(source, "refused", problem=Problem.VALUE)
    study = planner.study(subject)
    anchor, screened = _date(subject.get("anchor_date")), _date(subject.get("screened_on"))
    visit = visit_for(study, analyte.form.oid, day, anchor=anchor, screened_on=screened)
    if visit is None:
        nearest = _nearest(study, analyte.form.oid, day, anchor)
        return _row(source, "refused", problem=Problem.OUT_OF_WINDOW, about=nearest)
    converted = None
    if unit is not None and unit != item.unit and quantity.value is not None:
        prefix = "" if quantity.qualifier is Qualifier.EXACT else quantity.qualifier.value
        converted = f"{prefix}{decimal_text(quantity.value)} {item.unit}"
    key = FormKey(source.subject, visit.oid, analyte.form.oid)
    return Placed(source, key, visit, analyte, day, unit, converted)


def _unit(item: ItemDef, written: str | None) -> str | None:
    """The item's own spelling of the unit written, or None (not given, or not accepted)."""
    if not written:
        return None
    return next((u for u in item.units if normalise_unit(u) == normalise_unit(written)), None)


def _nearest(study: Study, form: str, day: date, anchor: date | None) -> str | None:
    """The window of the visit with ``form`` nearest to ``day``, e.g. "2026-04-07 – 2026-04-21"."""
    if anchor is None:
        return None
    visits = [v for v in plan_visits(study, anchor) if form in v.forms]
    if not visits:
        return None
    near = min(visits, key=lambda v: abs((day - v.target).days))
    return f"{near.earliest.isoformat()} – {near.latest.isoformat()}"
