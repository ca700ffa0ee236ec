"""A laboratory's reference ranges (LLN–ULN) and the H/L flag of a result against them.

A site records each laboratory's ranges once: analyte, unit, sex and age band, LLN and ULN,
and the date from which they apply (:class:`LabRange`). A lab form names its laboratory and
sample date; :func:`select_range` picks the range in force for that sample and the subject's
sex and age, and :func:`flag_value` says whether a result lies below (L) or above (H) it.

Reading rules (decisions of this project; CTCAE v5.0 grades against "the lab's LLN/ULN"):

- A range applies to its laboratory (names compared ignoring case, spacing and full-width
  forms), its analyte, from ``valid_from`` (inclusive) until a later range of the same
  laboratory and analyte that covers the subject replaces it.
- Sex ``None`` means both sexes; ages are completed years, both ends of the band included,
  an open end unbounded. A range of one sex is preferred to a range of both with the same
  ``valid_from``.
- When the subject's sex or age is unknown and the newest candidate range depends on it,
  the answer is "cannot tell" (None), never a guess (clinical.md: a missing reference is
  "cannot tell").
- A result beyond quantification is flagged only when its bound decides it (``<5`` is L
  against an LLN of 7; ``<20`` against an LLN of 10 cannot tell).

Public names: :class:`LabRange`, :class:`LabFlag`, :class:`Limits`, :func:`laboratory_key`,
:func:`select_range`, :func:`limits_in_item_unit`, :func:`flag_value`, :func:`decimal_text`,
:func:`age_on`, :func:`bands_overlap`, :class:`Analyte`, :func:`lab_analytes`,
:data:`LAB_NAME_ITEM`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from forms.errors import DefinitionError, FormsError
from forms.quantities import parse_decimal
from forms.schema import NUMERIC_TYPES, FormDef, ItemDef
from forms.values import Entry, normalise_unit, read_quantity

Sex = Literal["M", "F"]
_Converter = Callable[[Decimal], Decimal]


def laboratory_key(name: str) -> str:
    """How laboratory names are compared: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def decimal_text(value: Decimal) -> str:
    """A decimal as a person writes it: no exponent, no trailing zeros (``"0.5"``, ``"40"``)."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def _limit(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    number = parse_decimal(text)
    if number < 0:
        raise ValueError(f"{text!r}: a reference limit is not negative")
    return text.strip()


class LabRange(BaseModel):
    """One reference range of one laboratory for one analyte, sex and age band.

    ``analyte`` is the item OID of the result on the lab forms (e.g. ``I.ALT``); ``lln`` and
    ``uln`` are decimal texts in ``unit`` (either may be absent, not both); ``age_min`` and
    ``age_max`` are completed years, both included (None: unbounded).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    laboratory: str = Field(min_length=1, max_length=200)
    analyte: str = Field(pattern=r"^I\.[A-Z0-9_]+$")
    unit: str | None = Field(default=None, max_length=40)
    sex: Sex | None = None
    age_min: int | None = Field(default=None, ge=0, le=150)
    age_max: int | None = Field(default=None, ge=0, le=150)
    lln: str | None = None
    uln: str | None = None
    valid_from: date

    _limits_are_decimal = field_validator("lln", "uln")(_limit)

    @field_validator("laboratory")
    @classmethod
    def _name(cls, name: str) -> str:
        clean = " ".join(unicodedata.normalize("NFKC", name).split())
        if not clean:
            raise ValueError("the laboratory needs a name")
        return clean

    @model_validator(mode="after")
    def _consistent(self) -> LabRange:
        if self.lln is None and self.uln is None:
            raise ValueError("give LLN, ULN or both")
        both = self.lln is not None and self.uln is not None
        if both and Decimal(str(self.lln)) >= Decimal(str(self.uln)):
            raise ValueError(f"LLN {self.lln} is not below ULN {self.uln}")
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError(f"the age band {self.age_min}–{self.age_max} is empty")
        return self

    @property
    def key(self) -> tuple[str, str, str, int | None, int | None, str]:
        """What identifies the range: recording the same key again corrects it."""
        return (
            laboratory_key(self.laboratory),
            self.analyte,
            self.sex or "",
            self.age_min,
            self.age_max,
            self.valid_from.isoformat(),
        )

    def covers(self, sex: str | None, age: int | None) -> bool | None:
        """Does the range apply to a subject of ``sex`` and ``age``? None: cannot tell."""
        if self.sex is not None and sex is None:
            return None
        if self.sex is not None and self.sex != sex:
            return False
        if self.age_min is None and self.age_max is None:
            return True
        if age is None:
            return None
        low = self.age_min if self.age_min is not None else 0
        high = self.age_max if self.age_max is not None else 10_000
        return low <= age <= high

    def band_text(self) -> str:
        """Sex and age band as a short text, e.g. ``"F, 18–64 y"`` or ``"all"``."""
        parts: list[str] = [self.sex] if self.sex else []
        if self.age_min is not None or self.age_max is not None:
            low = "" if self.age_min is None else str(self.age_min)
            high = "" if self.age_max is None else str(self.age_max)
            parts.append(f"{low}–{high} y" if high else f"≥{low} y")
        return ", ".join(parts) or "all"


def bands_overlap(one: LabRange, other: LabRange) -> bool:
    """Whether two ranges of the same laboratory, analyte and date could both apply to the
    same subject with the same preference (same sex, overlapping age bands)."""
    if one.key[:2] != other.key[:2] or one.valid_from != other.valid_from:
        return False
    if one.sex != other.sex:
        return False
    low = max(one.age_min or 0, other.age_min or 0)
    high = min(
        one.age_max if one.age_max is not None else 10_000,
        other.age_max if other.age_max is not None else 10_000,
    )
    return low <= high


def age_on(birth: date, day: date) -> int:
    """Completed years of age on ``day``."""
    years = day.year - birth.year
    return years - 1 if (day.month, day.day) < (birth.month, birth.day) else years


def select_range(
    ranges: Iterable[LabRange],
    *,
    laboratory: str,
    analyte: str,
    on: date,
    sex: str | None,
    age: int | None,
) -> LabRange | None:
    """The laboratory's range for ``analyte`` in force on ``on`` for this subject, or None.

    The newest range (by ``valid_from``, one sex before both) that covers the subject wins;
    when the newest one that might apply depends on an unknown sex or age, None.
    """
    lab = laboratory_key(laboratory)
    found: list[tuple[tuple[date, bool], LabRange, bool | None]] = []
    for candidate in ranges:
        if candidate.key[0] != lab or candidate.analyte != analyte or candidate.valid_from > on:
            continue
        covered = candidate.covers(sex, age)
        if covered is not False:
            found.append(((candidate.valid_from, candidate.sex is not None), candidate, covered))
    if not found:
        return None
    _order, best, covered = max(found, key=lambda f: f[0])
    return best if covered else None


@dataclass(frozen=True)
class Limits:
    """LLN and ULN in one unit (either may be missing)."""

    lln: Decimal | None
    uln: Decimal | None
    unit: str | None


def limits_in_item_unit(item: ItemDef, lab_range: LabRange) -> Limits | None:
    """The range's limits converted into ``item``'s own unit with its exact factors, or None
    when the item does not accept the range's unit."""
    factor = _to_item_unit(item, lab_range.unit)
    if factor is None:
        return None

    def convert(text: str | None) -> Decimal | None:
        return None if text is None else factor(Decimal(text))

    return Limits(convert(lab_range.lln), convert(lab_range.uln), item.unit)


def _to_item_unit(item: ItemDef, unit: str | None) -> _Converter | None:
    if unit is None or item.unit is None:
        return _same if unit == item.unit or not (unit or "").strip() else None
    if normalise_unit(unit) == normalise_unit(item.unit):
        return _same
    for alt in item.alt_units:
        if normalise_unit(unit) == normalise_unit(alt.unit):
            return alt.to_item_unit
    return None


def _same(value: Decimal) -> Decimal:
    return value


class LabFlag(StrEnum):
    """Where a result lies against LLN–ULN: below (L), above (H) or within (N)."""

    LOW = "L"
    HIGH = "H"
    NORMAL = "N"


def flag_value(
    item: ItemDef, entry: Entry, *, lln: Decimal | None, uln: Decimal | None
) -> LabFlag | None:
    """Flag a result (as entered, in any unit ``item`` accepts) against limits given in the
    item's own unit.

    Returns:
        ``L`` below LLN, ``H`` above ULN, ``N`` within the limits given; None when there is
        no limit, the text is not a result, or a bound beyond quantification cannot tell.
    """
    if lln is None and uln is None:
        return None
    try:
        quantity = read_quantity(item, entry)
    except FormsError:
        return None
    below = None if lln is None else quantity.is_below(lln)
    above = None if uln is None else quantity.is_above(uln)
    if below:
        return LabFlag.LOW
    if above:
        return LabFlag.HIGH
    inside_low = lln is None or below is False
    inside_high = uln is None or above is False
    return LabFlag.NORMAL if inside_low and inside_high else None


#: The item that names, on a lab form, the laboratory whose reference ranges apply.
LAB_NAME_ITEM = "I.LAB_NAME"


@dataclass(frozen=True)
class Analyte:
    """A laboratory result recorded on a lab form: the form, the item, and the items that
    hold its per-sample limits on that form (by bound: ``{"ULN": "I.ALT_ULN"}``)."""

    form: FormDef
    item: ItemDef
    limit_items: Mapping[str, str]


def lab_analytes(forms: Iterable[FormDef]) -> dict[str, Analyte]:
    """Every numeric result of the lab forms (forms naming their laboratory in
    :data:`LAB_NAME_ITEM`), by item OID: neither a per-sample limit nor a derived item.

    Raises:
        DefinitionError: one result is on two lab forms (a file row could not be placed).
    """
    found: dict[str, Analyte] = {}
    for form in forms:
        items = form.items()
        if LAB_NAME_ITEM not in items:
            continue
        for item in items.values():
            if item.data_type not in NUMERIC_TYPES or item.limit_of or item.derivation:
                continue
            if item.oid in found:
                raise DefinitionError(
                    f"{item.oid} is on both {found[item.oid].form.oid} and {form.oid}"
                )
            found[item.oid] = Analyte(form, item, form.limits_of(item.oid))
    return found
