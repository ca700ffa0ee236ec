"""Form definitions in CDISC ODM terms: form → item groups (repeating where needed) → items.

A form file under ``resources/forms/`` is one :class:`FormDef` as JSON. OIDs are stable:
forms ``F.…``, item groups ``IG.…``, items ``I.…``. Data entered for a form is a flat mapping
from *item path* to the text exactly as entered (optionally with a unit, see
:class:`ItemValue`):

- an item of a non-repeating group: its item OID, e.g. ``"I.ALT"``;
- an item of a repeating group: ``"IG.LESION[2]/I.LESION_SIZE"`` (1-based repeat key, as ODM's
  ``ItemGroupRepeatKey``).

Public names: :class:`DataType`, :class:`Choice`, :class:`AltUnit`, :class:`Range`,
:class:`Condition`, :class:`Derivation`, :class:`LimitOf`, :class:`ItemDef`,
:class:`ItemGroupDef`, :class:`CrossCheck`, :class:`CausalityItems`,
:class:`AdverseEventItems`, :class:`FormDef`, :class:`ItemValue`,
:func:`item_path`, :func:`split_item_path`, :func:`repeat_keys`,
:func:`resolve_path`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import suppress
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from forms.errors import DefinitionError
from forms.text import Text

_OID = r"^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)+$"
_PATH = re.compile(r"^(?:(IG\.[A-Z0-9_.]+)\[(\d+)\]/)?(I\.[A-Z0-9_.]+)$")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_decimal(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a decimal number") from None
    if not number.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    return text


class DataType(StrEnum):
    """What an item holds. ``quantity`` is a lab result that may be below or above the
    limits of quantification (``<10``, ``target not detected``, ``>1.7E+08``)."""

    INTEGER = "integer"
    DECIMAL = "decimal"
    QUANTITY = "quantity"
    TEXT = "text"
    DATE = "date"
    PARTIAL_DATE = "partial_date"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    BOOLEAN = "boolean"


NUMERIC_TYPES = frozenset({DataType.INTEGER, DataType.DECIMAL, DataType.QUANTITY})


class Choice(_Model):
    """One coded answer: the stored ``code`` and its label."""

    code: str = Field(min_length=1)
    label: Text


class AltUnit(_Model):
    """An accepted alternative unit: value in the item's unit = value × factor ÷ divisor.

    Factor and divisor are decimal strings so the conversion is exact (e.g. bilirubin
    mg/dL → µmol/L: factor "17.1").
    """

    unit: str = Field(min_length=1)
    factor: str = "1"
    divisor: str = "1"

    _factor_is_decimal = field_validator("factor", "divisor")(_check_decimal)

    def to_item_unit(self, value: Decimal) -> Decimal:
        """Convert ``value`` from this unit into the item's unit, exactly where possible."""
        return value * Decimal(self.factor) / Decimal(self.divisor)


class Range(_Model):
    """An inclusive range in the item's unit; either end may be open. Decimal strings."""

    low: str | None = None
    high: str | None = None

    _ends_are_decimal = field_validator("low", "high")(_check_decimal)

    def contains(self, value: Decimal) -> bool:
        """Tell whether ``value`` lies inside the range (ends included)."""
        if self.low is not None and value < Decimal(self.low):
            return False
        return self.high is None or value <= Decimal(self.high)

    def describe(self) -> str:
        """The range as a person reads it, e.g. ``"0 to 2000"`` or ``"at least 0"``."""
        if self.low is not None and self.high is not None:
            return f"{self.low} – {self.high}"
        if self.low is not None:
            return f"≥ {self.low}"
        return f"≤ {self.high}"


class Condition(_Model):
    """Show-when: the item (same form, or same repeat of a repeating group) whose value decides.

    True when the other item's value is one of ``any_of`` (for a multi-choice item: when any
    selected code is), or, with ``filled``, when it is (not) filled in.
    """

    item: str = Field(pattern=r"^I\.")
    any_of: tuple[str, ...] = ()
    filled: bool | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        if bool(self.any_of) == (self.filled is not None):
            raise ValueError("a condition needs exactly one of any_of or filled")
        return self


class Derivation(_Model):
    """How a derived item is computed: a named method of ``forms.derivations`` and its inputs
    (parameter name → item OID of the same form).

    ``stored``: the value is kept with the data (e.g. the QLQ-C30 scores): whoever saves the
    form, the value is computed from the inputs when the form is completed and kept in step
    while it stays complete; nobody enters it.
    """

    method: str = Field(min_length=1)
    inputs: dict[str, str] = Field(default_factory=dict)
    stored: bool = False


class LimitOf(_Model):
    """Marks an item as the site laboratory's reference limit of another item."""

    item: str = Field(pattern=r"^I\.")
    bound: Literal["LLN", "ULN"]


class ItemDef(_Model):
    """One item: OID, labels, type, units, ranges, required, show-when and derivation."""

    oid: str = Field(pattern=_OID)
    label: Text
    data_type: DataType
    required: bool = False
    unit: str | None = None
    alt_units: tuple[AltUnit, ...] = ()
    hard_range: Range | None = None
    soft_range: Range | None = None
    choices: tuple[Choice, ...] = ()
    show_when: Condition | None = None
    derivation: Derivation | None = None
    limit_of: LimitOf | None = None
    allow_future: bool = False
    max_length: int | None = None
    help: Text | None = None
    #: The roles who answer this item (empty: whoever enters the form's data), e.g. the
    #: investigator's eligibility decision.
    entered_by: tuple[Literal["nurse", "investigator", "patient"], ...] = ()
    #: The same measurement recorded on another form of the visit (``F.LAB_LIVER/I.TBIL``):
    #: offered in this item when it is empty, so it is not typed twice.
    same_as: str | None = Field(default=None, pattern=r"^F\.[A-Z0-9_]+/I\.[A-Z0-9_.]+$")

    @model_validator(mode="after")
    def _consistent(self) -> ItemDef:
        choice_types = {DataType.CHOICE, DataType.MULTI_CHOICE}
        if (self.data_type in choice_types) != bool(self.choices):
            raise ValueError(f"{self.oid}: choices are required for, and only for, choice items")
        has_numbers = self.hard_range or self.soft_range or self.unit or self.alt_units
        if has_numbers and self.data_type not in NUMERIC_TYPES:
            raise ValueError(f"{self.oid}: units and ranges belong to numeric items only")
        if self.alt_units and self.unit is None:
            raise ValueError(f"{self.oid}: alternative units need the item's own unit")
        return self

    @property
    def units(self) -> tuple[str, ...]:
        """Every unit the item accepts, its own first."""
        own = () if self.unit is None else (self.unit,)
        return own + tuple(alt.unit for alt in self.alt_units)

    def choice(self, code: str) -> Choice | None:
        """Return the choice with ``code``, or None."""
        return next((c for c in self.choices if c.code == code), None)


class ItemGroupDef(_Model):
    """An item group; a repeating group (e.g. lesions) holds any number of repeats."""

    oid: str = Field(pattern=_OID)
    label: Text
    repeating: bool = False
    show_when: Condition | None = None
    items: tuple[ItemDef, ...] = Field(min_length=1)


class CrossCheck(_Model):
    """A check between two items of one form (of the same repeat in a repeating group).

    ``not_before``: ``item`` (a date) must not be before ``other`` (e.g. stop date ≥ start
    date). ``at_most``: numeric ``item`` must not exceed ``other``. ``requires``: when
    ``item`` is one of ``when``, ``other`` must hold one of ``requires`` (e.g. CTCAE grade 5
    requires the seriousness criterion "death"); ``note`` says it in words. ``ctcae_grade``:
    ``item`` (a grade) must be one that CTCAE v5.0 defines for the term in ``other``.
    """

    kind: Literal["not_before", "at_most", "requires", "ctcae_grade"]
    item: str = Field(pattern=r"^I\.")
    other: str = Field(pattern=r"^I\.")
    when: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    note: Text | None = None

    @model_validator(mode="after")
    def _codes_for_requires_only(self) -> CrossCheck:
        if (self.kind == "requires") != bool(self.when and self.requires):
            raise ValueError("when and requires belong to, and are needed by, a requires check")
        return self


class CausalityItems(_Model):
    """The WHO-UMC guided assessment of one drug on an AE form: the item of each answer and
    the item where the suggested category is put (WHO-UMC causality categories)."""

    drug: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    time: str = Field(pattern=r"^I\.")
    alternative: str = Field(pattern=r"^I\.")
    dechallenge: str = Field(pattern=r"^I\.")
    rechallenge: str = Field(pattern=r"^I\.")
    definitive: str = Field(pattern=r"^I\.")
    information: str = Field(pattern=r"^I\.")
    pending: str = Field(pattern=r"^I\.")
    suggestion: str = Field(pattern=r"^I\.")

    def refs(self) -> list[str]:
        return [
            self.time,
            self.alternative,
            self.dechallenge,
            self.rechallenge,
            self.definitive,
            self.information,
            self.pending,
            self.suggestion,
        ]


class AdverseEventItems(_Model):
    """Which items of an AE form play which part: the repeating group of events, the CTCAE
    term, its MedDRA code and grade, each drug's causality assessment, and the items the app
    fills from the lab value an AE was suggested by (``linked``: never typed, since editing
    them would break the link)."""

    group: str = Field(pattern=r"^IG\.")
    term: str = Field(pattern=r"^I\.")
    meddra_code: str = Field(pattern=r"^I\.")
    grade: str = Field(pattern=r"^I\.")
    causality: tuple[CausalityItems, ...] = ()
    linked: tuple[str, ...] = ()

    def refs(self) -> list[str]:
        return [self.term, self.meddra_code, self.grade, *self.linked] + [
            ref for drug in self.causality for ref in drug.refs()
        ]

    @property
    def drugs(self) -> tuple[str, ...]:
        return tuple(c.drug for c in self.causality)


class FormDef(_Model):
    """A form (CRF page): ODM FormDef with its item groups and cross-field checks.

    ``kind`` is ``"visit"`` for forms filled at a visit and ``"log"`` for running logs not tied
    to one visit (adverse events). ``date_item`` names the item that dates the form (visit date,
    sample date, scan date), used for the window and consent checks.

    ``suggests_adverse_events``: a saved value of this form may suggest a CTCAE-graded AE (a
    lab form). ``adverse_event``: this form is an AE log, and which of its items are which.
    ``reported_by``: ``"patient"`` for a patient-reported outcome (the QLQ-C30): the patient
    answers it, and a change by staff always states why.
    """

    oid: str = Field(pattern=r"^F\.[A-Z0-9_]+$")
    version: str = "1.0"
    label: Text
    description: Text | None = None
    kind: Literal["visit", "log"] = "visit"
    date_item: str | None = None
    item_groups: tuple[ItemGroupDef, ...] = Field(min_length=1)
    checks: tuple[CrossCheck, ...] = ()
    suggests_adverse_events: bool = False
    adverse_event: AdverseEventItems | None = None
    reported_by: Literal["staff", "patient"] = "staff"

    @model_validator(mode="after")
    def _references_resolve(self) -> FormDef:
        oids = [item.oid for group in self.item_groups for item in group.items]
        duplicates = sorted({oid for oid in oids if oids.count(oid) > 1})
        if duplicates:
            raise ValueError(f"{self.oid}: item OIDs used twice: {', '.join(duplicates)}")
        known = set(oids)
        refs = [self.date_item] if self.date_item else []
        refs += [c.item for c in self.checks] + [c.other for c in self.checks]
        for group in self.item_groups:
            refs += [group.show_when.item] if group.show_when else []
            for item in group.items:
                refs += [item.show_when.item] if item.show_when else []
                refs += list(item.derivation.inputs.values()) if item.derivation else []
                refs += [item.limit_of.item] if item.limit_of else []
        if self.adverse_event is not None:
            refs += self.adverse_event.refs()
            if self.adverse_event.group not in {g.oid for g in self.item_groups}:
                raise ValueError(f"{self.oid}: no item group {self.adverse_event.group}")
        missing = sorted(set(refs) - known)
        if missing:
            raise ValueError(f"{self.oid}: refers to unknown items {', '.join(missing)}")
        return self

    def items(self) -> dict[str, ItemDef]:
        """Every item of the form by OID (built once per definition: read it, do not change
        it)."""
        known = _ITEMS.get(id(self))
        if known is not None and known[0] is self:
            return known[1]
        found = {item.oid: item for group in self.item_groups for item in group.items}
        if len(_ITEMS) > 1024:
            _ITEMS.clear()
        _ITEMS[id(self)] = (self, found)
        return found

    def group_of(self, item_oid: str) -> ItemGroupDef:
        """Return the group holding ``item_oid``.

        Raises:
            DefinitionError: the form has no such item.
        """
        for group in self.item_groups:
            if any(item.oid == item_oid for item in group.items):
                return group
        raise DefinitionError(f"{self.oid} has no item {item_oid}")

    def stored_derived(self) -> list[ItemDef]:
        """The derived items whose value is kept with the data (``Derivation.stored``)."""
        return [
            item
            for item in self.items().values()
            if item.derivation is not None and item.derivation.stored
        ]

    def limits_of(self, item_oid: str) -> dict[str, str]:
        """The OIDs of the items holding ``item_oid``'s LLN/ULN, by bound."""
        return {
            item.limit_of.bound: item.oid
            for item in self.items().values()
            if item.limit_of is not None and item.limit_of.item == item_oid
        }


class ItemValue(_Model):
    """A value as entered: the text exactly as typed and, for measured items, its unit."""

    text: str
    unit: str | None = None


#: Each definition's items by OID, kept by the definition's identity (a definition is
#: immutable; hashing a whole one would cost more than building the map).
_ITEMS: dict[int, tuple[FormDef, dict[str, ItemDef]]] = {}


def item_path(item_oid: str, *, group_oid: str | None = None, repeat: int | None = None) -> str:
    """Build the key of an item in form data (see the module docstring)."""
    if group_oid is None or repeat is None:
        return item_oid
    return f"{group_oid}[{repeat}]/{item_oid}"


def split_item_path(path: str) -> tuple[str | None, int | None, str]:
    """Split an item path into (group OID, repeat key, item OID); the first two may be None.

    Raises:
        DefinitionError: the path is not an item path.
    """
    match = _PATH.match(path)
    if match is None:
        raise DefinitionError(f"{path!r} is not an item path such as I.ALT or IG.LESION[1]/I.SIZE")
    group, repeat, item = match.groups()
    return group, (int(repeat) if repeat else None), item


def repeat_keys(group_oid: str, paths: Iterable[str]) -> list[int]:
    """The repeat keys of a repeating group present in form data, in order."""
    prefix = f"{group_oid}["
    keys = set()
    for path in paths:
        if path.startswith(prefix):
            with suppress(DefinitionError):
                keys.add(split_item_path(path)[1])
    return sorted(k for k in keys if k is not None)


def resolve_path(form: FormDef, item_oid: str, *, group_oid: str, repeat: int | None) -> str:
    """The path of ``item_oid`` as seen from a repeat of ``group_oid``: the same repeat when the
    item is in that repeating group, otherwise the item of its non-repeating group."""
    group = form.group_of(item_oid)
    if group.repeating and group.oid == group_oid and repeat is not None:
        return item_path(item_oid, group_oid=group_oid, repeat=repeat)
    return item_oid
