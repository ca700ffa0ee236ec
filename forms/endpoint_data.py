"""One subject's data as the endpoints read it: every form of every visit, dated, with the
study's baseline visits and the start dates of time-to-event endpoints.

Pure: the services (and the server) read their database, group the stored values into records
with :func:`form_records`, and build :class:`SubjectData` with :meth:`SubjectData.of`.
A form is dated by its own date item (sample, scan, contact, assessment date), else by the date
of its visit (``F.VISIT``); an undated form is left out of dated series (never a guessed date).

Public names: :class:`FormRecord`, :class:`SubjectData`, :data:`StoredRow`,
:func:`form_records`, :func:`start_dates`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from forms.dates import parse_date
from forms.endpoint_defs import START_ITEMS
from forms.errors import FormsError
from forms.schema import FormDef, ItemValue, item_path
from forms.study import Study
from forms.values import Entry, entry_text

VISIT_FORM, VISIT_DATE = "F.VISIT", "I.VISIT_DATE"


@dataclass(frozen=True)
class FormRecord:
    """The values of one form of one visit: item path → entry."""

    event: str
    event_repeat: int
    form: str
    values: Mapping[str, Entry]

    def text(self, path: str) -> str | None:
        """The entered text of an item, stripped; None when blank."""
        return entry_text(self.values.get(path))

    def date(self, path: str) -> date | None:
        """An item read as a full date; None when blank or not a full date."""
        text = self.text(path)
        return None if text is None else _full_date(text)


@lru_cache(maxsize=65536)
def _full_date(text: str) -> date | None:
    """A full date, or None; the same few thousand dates are read again and again."""
    try:
        return parse_date(text)
    except FormsError:
        return None


@dataclass(frozen=True)
class SubjectData:
    """Everything the endpoints read about one subject.

    Attributes:
        records: every form of every visit (logs included), any order.
        forms: the form definitions by OID.
        baseline_visits: the study's baseline visits, in schedule order.
        starts: the start dates that are known, by kind (``radical_treatment``,
            ``first_dose``).
    """

    records: tuple[FormRecord, ...]
    forms: Mapping[str, FormDef]
    baseline_visits: tuple[str, ...]
    starts: Mapping[str, date] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        study: Study,
        forms: Mapping[str, FormDef],
        records: Iterable[FormRecord],
        *,
        starts: Mapping[str, date] | None = None,
    ) -> SubjectData:
        """Build the data of a subject of ``study``."""
        return cls(tuple(records), forms, study.baseline.visits, dict(starts or {}))

    @cached_property
    def _by_form(self) -> dict[str, list[FormRecord]]:
        found: dict[str, list[FormRecord]] = {}
        for record in self.records:
            found.setdefault(record.form, []).append(record)
        return found

    def of_form(self, form: str) -> list[FormRecord]:
        """Every record of one form."""
        return list(self._by_form.get(form, ()))

    @cached_property
    def _visit_dates(self) -> dict[tuple[str, int], date | None]:
        found: dict[tuple[str, int], date | None] = {}
        for visit in self.of_form(VISIT_FORM):
            found.setdefault((visit.event, visit.event_repeat), visit.date(VISIT_DATE))
        return found

    def date_of(self, record: FormRecord) -> date | None:
        """The record's own date item, else its visit's date; None when neither is known."""
        known = self._dates.get(id(record))
        if known is not None and known[0] is record:
            return known[1]
        return self._date_of(record)

    @cached_property
    def _dates(self) -> dict[int, tuple[FormRecord, date | None]]:
        """Each record's date, worked out once (the endpoints and the visits ask for the same
        records' dates several times), by the record's identity."""
        return {id(record): (record, self._date_of(record)) for record in self.records}

    def _date_of(self, record: FormRecord) -> date | None:
        definition = self.forms.get(record.form)
        own = definition.date_item if definition is not None else None
        if own is not None and (on := record.date(own)) is not None:
            return on
        return self._visit_dates.get((record.event, record.event_repeat))

    def dated(self, form: str, *, after_baseline: bool = False) -> list[tuple[date, FormRecord]]:
        """The dated records of one form in date order (optionally only those not recorded at
        a baseline visit)."""
        found = []
        for record in self._by_form.get(form, ()):
            if after_baseline and record.event in self.baseline_visits:
                continue
            on = self.date_of(record)
            if on is not None:
                found.append((on, record))
        return sorted(found, key=lambda pair: pair[0])

    def baseline(self, form: str, has: str) -> FormRecord | None:
        """The baseline record of a form for the item ``has``: at the latest baseline visit
        where that item is entered (week 0 before screening in NCT07553767)."""
        for event in reversed(self.baseline_visits):
            for record in self.of_form(form):
                if record.event == event and record.text(has) is not None:
                    return record
        return None

    def dates(self, form: str, item: str) -> list[date]:
        """Every full date entered in one item of a form, in date order."""
        return sorted(d for r in self.of_form(form) if (d := r.date(item)) is not None)


StoredRow = tuple[str, int, str, str, int, str, str | None, str | None]
"""One stored item value of a subject: (event, event repeat, form, item group, group repeat,
item, value as entered, unit)."""


def form_records(rows: Iterable[StoredRow], forms: Mapping[str, FormDef]) -> list[FormRecord]:
    """Group one subject's stored values into a record per form of each visit, items of a
    repeating group keyed ``IG.X[n]/I.Y``. Blank values and forms not defined are left out; a
    unit that is the item's own is left implicit (it reads the same)."""
    grouped: dict[tuple[str, int, str], dict[str, Entry]] = {}
    shapes: dict[str, _Shape | None] = {}  # of the forms met: a subject has a few
    for event, ev_rep, form, group, rep, item, value, unit in rows:
        if value is None:
            continue
        if form not in shapes:
            definition = forms.get(form)
            shapes[form] = None if definition is None else _shape(definition)
        shape = shapes[form]
        if shape is None:
            continue
        repeating, units = shape
        path = item_path(item, group_oid=group, repeat=rep) if group in repeating else item
        entry: Entry = value
        if unit and unit != units.get(item):
            # model_construct: the text and unit are strings as stored, nothing to validate
            entry = ItemValue.model_construct(text=value, unit=unit)
        grouped.setdefault((event, ev_rep, form), {})[path] = entry
    return [FormRecord(e, r, f, values) for (e, r, f), values in grouped.items()]


_Shape = tuple[frozenset[str], dict[str, str | None]]
_SHAPES: dict[int, tuple[FormDef, _Shape]] = {}


def _shape(form: FormDef) -> _Shape:
    """A form's repeating groups and each item's own unit (kept by the definition's identity:
    hashing a whole definition would cost more than it saves)."""
    known = _SHAPES.get(id(form))
    if known is not None and known[0] is form:
        return known[1]
    repeating = frozenset(g.oid for g in form.item_groups if g.repeating)
    shape = (repeating, {i.oid: i.unit for g in form.item_groups for i in g.items})
    if len(_SHAPES) > 1024:
        _SHAPES.clear()
    _SHAPES[id(form)] = (form, shape)
    return shape


def start_dates(
    records: Iterable[FormRecord], *, anchor_kind: str, anchor: date | None
) -> dict[str, date]:
    """The start dates of time-to-event endpoints (``START_ITEMS``), each the earliest date
    entered where it is recorded; the subject's anchor date (recorded at enrolment) stands in
    for its own kind while the form does not hold it yet."""
    records = list(records)
    starts: dict[str, date] = {}
    for kind, ref in START_ITEMS.items():
        form, item = ref.split("/")
        found = [d for r in records if r.form == form and (d := r.date(item)) is not None]
        if found:
            starts[kind] = min(found)
    if anchor_kind not in starts and anchor is not None:
        starts[anchor_kind] = anchor
    return starts
