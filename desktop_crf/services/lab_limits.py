"""The reference limits that apply to a lab form's results, and their H/L flags.

For each result of a lab form, LLN and ULN come, bound by bound, from:

1. the per-sample limit entered on the form (``I.ALT_LLN``, ``I.ALT_ULN``…), when there is
   one: values entered before laboratory ranges were recorded stay readable and keep their
   meaning, and a sample the laboratory reported with other limits keeps them;
2. otherwise the laboratory's recorded range (``services.lab_ranges``) for the laboratory the
   form names (``I.LAB_NAME``), its sample date, and the subject's sex and age on that date
   (``F.DEMOGRAPHICS``: ``I.SEX``, ``I.BRTHDTC``).

Limits are given in the result item's own unit (converted exactly with the item's factors).
The CTCAE suggestions (``services.ae_suggestions``) grade against the same limits.

A per-sample limit that differs from the laboratory's range in force overrides it: saving one
needs a reason (``data_entry.save_form`` asks for it, :func:`overriding` finds them).

What a lab form view shows: read ``form_limits(session, key)`` with the form (and again, with
``laboratory=`` and ``sample_date=`` as typed, when those two change); beside each result its
limits (``AnalyteLimits.lln``/``uln`` in ``unit``, and where they come from) and its flag,
computed as the nurse types with ``forms.lab_ranges.flag_value(item, entry, lln=..., uln=...)``
(a per-sample limit typed on the form replaces the laboratory's for that bound); a ``gap``
in words when the laboratory's range cannot be used; ``overrides()`` as a difference from
the laboratory's range, which a save refuses without a reason (``LimitOverrideNeedsReason``).

Public API: :func:`form_limits` ``(session, key, *, laboratory=None, sample_date=None) ->
FormLimits``; :func:`overriding` ``(limits, form, values) -> list[str]``;
:func:`limit_text` ``(item, text, unit) -> str | None``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from desktop_crf.model import FormKey, StoredValue
from desktop_crf.services.lab_ranges import analytes
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import lab_ranges as store
from desktop_crf.store import repository as repo
from desktop_crf.studies import load_form
from forms.errors import FormsError
from forms.lab_ranges import (
    LAB_NAME_ITEM,
    Analyte,
    LabFlag,
    LabRange,
    age_on,
    decimal_text,
    flag_value,
    limits_in_item_unit,
    select_range,
)
from forms.quantities import Qualifier
from forms.schema import FormDef, ItemDef, ItemValue
from forms.values import read_quantity

#: Where the subject's sex and date of birth are recorded (both studies).
SEX_ITEM = ("F.DEMOGRAPHICS", "I.SEX")
BIRTH_DATE_ITEM = ("F.DEMOGRAPHICS", "I.BRTHDTC")

Source = Literal["sample", "laboratory"]


class Gap(StrEnum):
    """Why a result has no laboratory range."""

    NO_LABORATORY = "no_laboratory"  # the form names no laboratory
    NO_SAMPLE_DATE = "no_sample_date"  # the form has no (readable) sample date
    NO_RANGE = "no_range"  # the laboratory has no range for it on that date
    NEEDS_SEX_OR_AGE = "needs_sex_or_age"  # its ranges depend on a sex or age not recorded
    UNIT = "unit"  # the range's unit cannot be converted into the item's


@dataclass(frozen=True)
class AnalyteLimits:
    """The limits of one result of a lab form, in the item's own ``unit``.

    ``lln``/``uln``: decimal texts (None: no such limit); ``lln_from``/``uln_from``: where
    each came from (a per-sample value wins over the laboratory's range). ``laboratory_range``:
    the laboratory's range in force for this sample and subject (also when a per-sample value
    overrides it), or None with ``gap`` saying why. ``flag``: the saved result against these
    limits (None: no result, or it cannot tell).
    """

    item: str
    unit: str | None
    lln: str | None = None
    uln: str | None = None
    lln_from: Source | None = None
    uln_from: Source | None = None
    laboratory_range: LabRange | None = None
    gap: Gap | None = None
    flag: LabFlag | None = None
    laboratory_lln: str | None = None
    laboratory_uln: str | None = None

    @property
    def lln_value(self) -> Decimal | None:
        return None if self.lln is None else Decimal(self.lln)

    @property
    def uln_value(self) -> Decimal | None:
        return None if self.uln is None else Decimal(self.uln)

    def overrides(self) -> tuple[str, ...]:
        """The bounds ("LLN", "ULN") where a per-sample limit differs from the laboratory's
        range in force (a form shows them; saving such a limit needs a reason)."""
        found = []
        for bound, own, source, lab in (
            ("LLN", self.lln, self.lln_from, self.laboratory_lln),
            ("ULN", self.uln, self.uln_from, self.laboratory_uln),
        ):
            differs = own is not None and lab is not None and Decimal(own) != Decimal(lab)
            if source == "sample" and differs:
                found.append(bound)
        return tuple(found)


@dataclass(frozen=True)
class FormLimits:
    """The limits of every result of one lab form, and what they were chosen from."""

    key: FormKey
    laboratory: str | None
    sample_date: date | None
    sex: str | None
    age: int | None
    analytes: Mapping[str, AnalyteLimits] = field(default_factory=dict)


def _subject_value(session: Session, subject_id: str, where: tuple[str, str]) -> str | None:
    row = session.db.execute(
        "SELECT value FROM item_values WHERE subject_id = ? AND form = ? AND item = ? "
        "AND value IS NOT NULL ORDER BY event, event_repeat LIMIT 1",
        [subject_id, *where],
    ).fetchone()
    return None if row is None else str(row[0])


def _date(text: str | None) -> date | None:
    with contextlib.suppress(ValueError, TypeError):
        return date.fromisoformat(text or "")
    return None


def _saved(saved: Mapping[tuple[str, int, str], StoredValue], item: str) -> StoredValue | None:
    return next((v for (_g, rep, oid), v in saved.items() if oid == item and rep == 1), None)


def _sample_limit(form: FormDef, oid: str | None, saved_value: StoredValue | None) -> str | None:
    """A per-sample limit, as a decimal text in the item's unit (None: none or unreadable)."""
    if oid is None or saved_value is None or saved_value.value is None:
        return None
    return limit_text(form.items()[oid], saved_value.value, saved_value.unit)


def limit_text(item: ItemDef, text: str, unit: str | None) -> str | None:
    """A limit entered in ``item`` as a decimal text in the item's own unit: as entered when
    no conversion is needed, else converted exactly (None: not a number in a known unit)."""
    try:
        quantity = read_quantity(item, ItemValue(text=text, unit=unit))
    except FormsError:
        return None
    if quantity.qualifier is not Qualifier.EXACT or quantity.value is None:
        return None
    same = unit is None or unit == item.unit
    return text.strip() if same else decimal_text(quantity.value)


def overriding(limits: FormLimits, form: FormDef, values: Iterable[StoredValue]) -> list[str]:
    """The per-sample limits among ``values`` (new values of ``form``'s limit items) that
    differ from the laboratory's range in force (``limits``): their item OIDs."""
    found = []
    for value in values:
        item = form.items().get(value.item)
        if item is None or item.limit_of is None or value.value is None:
            continue
        analyte = limits.analytes.get(item.limit_of.item)
        if analyte is None:
            continue
        lab = analyte.laboratory_lln if item.limit_of.bound == "LLN" else analyte.laboratory_uln
        own = limit_text(item, value.value, value.unit)
        if lab is not None and own is not None and Decimal(own) != Decimal(lab):
            found.append(value.item)
    return found


def form_limits(
    session: Session,
    key: FormKey,
    *,
    laboratory: str | None = None,
    sample_date: date | None = None,
) -> FormLimits:
    """The limits of each result of the lab form ``key`` (see the module docstring).

    ``laboratory`` and ``sample_date``, when given, stand for the form's own (a form being
    typed asks before saving); otherwise the saved ones are used.
    """
    session.require(Permission.VIEW_DATA)
    form = load_form(key.form)
    saved = repo.form_values(session.db, key)
    if laboratory is None:
        found = _saved(saved, LAB_NAME_ITEM)
        laboratory = found.value if found is not None else None
    if sample_date is None and form.date_item is not None:
        found = _saved(saved, form.date_item)
        sample_date = _date(found.value if found is not None else None)
    sex = _subject_value(session, key.subject_id, SEX_ITEM)
    birth = _date(_subject_value(session, key.subject_id, BIRTH_DATE_ITEM))
    age = age_on(birth, sample_date) if birth is not None and sample_date is not None else None
    mine = {oid: a for oid, a in analytes().items() if a.form.oid == form.oid}
    ranges = []
    if laboratory and laboratory.strip():
        held = store.list_ranges(session.db, laboratory=laboratory, analytes=list(mine))
        ranges = [r.lab_range for r in held]
    context = _Context(laboratory, sample_date, sex, age, ranges)
    limits = {oid: _analyte_limits(form, a, saved, context) for oid, a in mine.items()}
    return FormLimits(key, laboratory, sample_date, sex, age, limits)


@dataclass(frozen=True)
class _Context:
    laboratory: str | None
    sample_date: date | None
    sex: str | None
    age: int | None
    ranges: list[LabRange]

    def choose(self, analyte: str) -> tuple[LabRange | None, Gap | None]:
        if not (self.laboratory or "").strip():
            return None, Gap.NO_LABORATORY
        if self.sample_date is None:
            return None, Gap.NO_SAMPLE_DATE
        assert self.laboratory is not None
        chosen = select_range(
            self.ranges,
            laboratory=self.laboratory,
            analyte=analyte,
            on=self.sample_date,
            sex=self.sex,
            age=self.age,
        )
        if chosen is not None:
            return chosen, None
        relevant = [r for r in self.ranges if r.analyte == analyte]
        unknown = any(r.covers(self.sex, self.age) is None for r in relevant)
        return None, Gap.NEEDS_SEX_OR_AGE if unknown else Gap.NO_RANGE


def _analyte_limits(
    form: FormDef,
    analyte: Analyte,
    saved: Mapping[tuple[str, int, str], StoredValue],
    context: _Context,
) -> AnalyteLimits:
    item = analyte.item
    chosen, gap = context.choose(item.oid)
    lab = limits_in_item_unit(item, chosen) if chosen is not None else None
    if chosen is not None and lab is None:
        chosen, gap = None, Gap.UNIT
    bounds: dict[str, tuple[str | None, Source | None]] = {}
    for bound in ("LLN", "ULN"):
        oid = analyte.limit_items.get(bound)
        own = _sample_limit(form, oid, _saved(saved, oid) if oid else None)
        from_lab = None if lab is None else (lab.lln if bound == "LLN" else lab.uln)
        if own is not None:
            bounds[bound] = (own, "sample")
        elif from_lab is not None:
            bounds[bound] = (decimal_text(from_lab), "laboratory")
        else:
            bounds[bound] = (None, None)
    (lln, lln_from), (uln, uln_from) = bounds["LLN"], bounds["ULN"]
    lab_lln = None if lab is None or lab.lln is None else decimal_text(lab.lln)
    lab_uln = None if lab is None or lab.uln is None else decimal_text(lab.uln)
    result = _saved(saved, item.oid)
    flag = None
    if result is not None and result.value is not None:
        flag = flag_value(
            item,
            ItemValue(text=result.value, unit=result.unit),
            lln=None if lln is None else Decimal(lln),
            uln=None if uln is None else Decimal(uln),
        )
    return AnalyteLimits(
        item.oid, item.unit, lln, uln, lln_from, uln_from, chosen, gap, flag, lab_lln, lab_uln
    )
