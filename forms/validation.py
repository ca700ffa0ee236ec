"""Validation of one form's entered values: ``validate(form, values, context) -> list[Finding]``.

Checks, in the order a nurse fixes them: unknown items; show-when (a value for an item that
does not apply is a warning; what applies is decided by :mod:`forms.visibility`); required;
type (including units and partial dates); hard range (error) and soft range (warning that
needs confirmation); dates not in the future; the form's date not before informed consent and
inside the visit window (warning); cross-field checks of the form file (stop date not before
start date; an answer that requires another; a CTCAE grade the term defines); lab limits (LLN
not above ULN); a derived item that disagrees with its
derivation (warning).

An error blocks "complete"; a warning asks for confirmation (DESIGN.md). Validation never
raises on what was entered, whatever the text: anything it cannot read becomes a finding.

Clinical cross-checks declared by a form: ``requires`` (CTCAE grade 5 or a fatal outcome
requires the event to be serious by the criterion "death": ICH E2A II.B; CTCAE v5.0, grade 5
"Death related to AE") and ``ctcae_grade`` (only the grades CTCAE v5.0 defines for the chosen
term). :func:`contradictions` returns those the answers already decide, which the services
refuse to save even in a draft.

Public names: :class:`Severity`, :class:`Finding`, :class:`ValidationContext`, :func:`validate`,
:func:`contradictions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from forms.dates import PartialDate
from forms.derivations import derive
from forms.errors import DefinitionError, FormsError, UnknownUnit
from forms.instruments.ctcae_dictionary import Dictionary
from forms.messages import EXPECTED, render
from forms.quantities import Quantity
from forms.schema import (
    CrossCheck,
    FormDef,
    ItemDef,
    ItemValue,
    resolve_path,
    split_item_path,
)
from forms.text import Text
from forms.values import Entry, Typed, as_item_value, is_blank, read_typed, split_codes
from forms.visibility import ShowWhen, Slot, slots

WARNINGS = frozenset({"soft_range", "outside_window", "not_applicable", "derived_differs"})
"""Finding keys that are warnings (confirm and go on); every other key is an error."""


class Severity(StrEnum):
    """An error blocks completing the form; a warning needs a confirmation, which is audited."""

    ERROR = "error"
    WARNING = "warning"


class Finding(BaseModel):
    """One problem with the entered data: where, how serious, what to do, and its key."""

    model_config = ConfigDict(frozen=True)

    path: str
    severity: Severity
    key: str
    message: Text


@dataclass(frozen=True)
class ValidationContext:
    """What validation needs beyond the form: today, the consent date, the visit window, and
    the CTCAE v5.0 dictionary for the grades a term defines (``ctcae_grade`` checks are
    skipped without it)."""

    today: date
    consent_date: date | None = None
    window: tuple[date, date] | None = None
    ctcae: Dictionary | None = None


class _Validator:
    def __init__(self, form: FormDef, values: Mapping[str, object], ctx: ValidationContext):
        self.form, self.ctx, self.items = form, ctx, form.items()
        self.values: dict[str, Entry] = {
            k: v for k, v in values.items() if isinstance(v, str | ItemValue)
        }
        self.findings: list[Finding] = []
        self.contradicted: list[Finding] = []
        self.typed: dict[str, Typed] = {}
        self.slots = slots(form, self.values)
        self.show = ShowWhen(form, self.values)
        self.visible = frozenset(slot.path for slot in self.slots if self.show(slot))

    def add(
        self, path: str, label: Text, key: str, *, value: str = "", expected: Text | str = ""
    ) -> None:
        severity = Severity.WARNING if key in WARNINGS else Severity.ERROR
        message = render(key, label=label, value=value, expected=expected)
        self.findings.append(Finding(path=path, severity=severity, key=key, message=message))

    def check_paths(self, values: Mapping[str, object]) -> None:
        for path, entry in values.items():
            item = _item_at(self.form, path)
            if item is None:
                self.add(path, Text(en=path[:60] or "''", zh=path[:60] or "''"), "unknown_item")
            elif not isinstance(entry, str | ItemValue):
                self.add(path, item.label, "type", value=repr(entry), expected=_expected(item))

    def check_slot(self, slot: Slot, derived: Mapping[str, str]) -> None:
        entry = self.values.get(slot.path)
        label = slot.item.label
        if slot.path not in self.visible:
            if not is_blank(entry):
                self.add(slot.path, label, "not_applicable")
        elif slot.item.derivation is not None:
            computed = derived.get(slot.path)
            if (
                entry is not None
                and not is_blank(entry)
                and computed not in (None, _text(entry).strip())
            ):
                self.add(
                    slot.path, label, "derived_differs", value=_text(entry), expected=str(computed)
                )
        elif entry is None or is_blank(entry):
            if slot.item.required:
                self.add(slot.path, label, "required")
        else:
            self.check_value(slot, entry)

    def check_value(self, slot: Slot, entry: Entry) -> None:
        item, text = slot.item, _text(entry)
        try:
            typed = read_typed(item, entry)
        except UnknownUnit as exc:
            self.add(slot.path, item.label, "unit", value=exc.unit, expected=", ".join(exc.allowed))
            return
        except (FormsError, ArithmeticError):
            self.add(slot.path, item.label, "type", value=text, expected=_expected(item))
            return
        self.typed[slot.path] = typed
        if isinstance(typed, Quantity):
            self.check_ranges(slot, typed, text)
        elif isinstance(typed, PartialDate):
            self.check_date(slot, typed, text)
        elif isinstance(typed, date):
            self.check_date(slot, PartialDate.of(typed), text)

    def check_ranges(self, slot: Slot, quantity: Quantity, text: str) -> None:
        item = slot.item
        unit = f" {item.unit}" if item.unit else ""
        for limits, key in ((item.hard_range, "hard_range"), (item.soft_range, "soft_range")):
            if limits and quantity.value is not None and not limits.contains(quantity.value):
                self.add(slot.path, item.label, key, value=text, expected=limits.describe() + unit)
                return

    def check_date(self, slot: Slot, day: PartialDate, text: str) -> None:
        label = slot.item.label
        if not slot.item.allow_future and day.earliest > self.ctx.today:
            self.add(slot.path, label, "future", value=text)
        if slot.item.oid != self.form.date_item:
            return
        consent = self.ctx.consent_date
        if consent is not None and day.latest < consent:
            self.add(slot.path, label, "before_consent", value=text, expected=consent.isoformat())
        window = self.ctx.window
        if window is not None and (day.latest < window[0] or day.earliest > window[1]):
            span = f"{window[0].isoformat()} – {window[1].isoformat()}"
            self.add(slot.path, label, "outside_window", value=text, expected=span)

    def check_cross(self, check: CrossCheck, slots: list[Slot]) -> None:
        if check.kind == "requires":
            self.check_requires(check, slots)
            return
        if check.kind == "ctcae_grade":
            self.check_grade(check, slots)
            return
        other = self.items[check.other]
        for slot in (s for s in slots if s.item.oid == check.item):
            path = resolve_path(
                self.form, check.other, group_oid=slot.group.oid, repeat=slot.repeat
            )
            mine, theirs = self.typed.get(slot.path), self.typed.get(path)
            if mine is None or theirs is None or not _violates(check.kind, mine, theirs):
                continue
            shown = _text(self.values[path])
            expected = Text(en=f"{other.label.en} ({shown})", zh=f"{other.label.zh}（{shown}）")
            value = _text(self.values[slot.path])
            self.add(slot.path, slot.item.label, check.kind, value=value, expected=expected)

    def other_slot(self, check: CrossCheck, slot: Slot) -> Slot:
        other = self.items[check.other]
        group = self.form.group_of(other.oid)
        path = resolve_path(self.form, other.oid, group_oid=slot.group.oid, repeat=slot.repeat)
        return Slot(path, other, group, slot.repeat if group.repeating else None)

    def codes(self, slot: Slot) -> set[str] | None:
        """The codes entered in a slot that applies, or None (blank or not applicable)."""
        entry = self.values.get(slot.path)
        if entry is None or is_blank(entry) or not self.show(slot):
            return None
        return set(split_codes(_text(entry)))

    def ruled_out(self, slot: Slot) -> bool:
        """True when an answer already given hides the slot (not one still missing)."""
        for condition in (slot.group.show_when, slot.item.show_when):
            if condition is None:
                continue
            path = resolve_path(
                self.form, condition.item, group_oid=slot.group.oid, repeat=slot.repeat
            )
            entry = self.values.get(path)
            if entry is not None and not is_blank(entry) and not self.show.holds(condition, slot):
                return True
        return False

    def check_requires(self, check: CrossCheck, slots: list[Slot]) -> None:
        """``item`` in ``when`` needs ``other`` in ``requires``. The finding is a
        contradiction when the answers given already rule it out (not merely missing)."""
        for slot in (s for s in slots if s.item.oid == check.item):
            mine = self.codes(slot)
            if not mine or not mine & set(check.when):
                continue
            target = self.other_slot(check, slot)
            theirs = self.codes(target)
            if theirs is not None and theirs & set(check.requires):
                continue
            labels = [c.label for c in target.item.choices if c.code in check.requires]
            expected = check.note or Text(
                en=f"{target.item.label.en}: {', '.join(t.en for t in labels)}",
                zh=f"{target.item.label.zh}：{'、'.join(t.zh for t in labels)}",
            )
            self.add(
                slot.path,
                slot.item.label,
                "requires",
                value=_text(self.values[slot.path]),
                expected=expected,
            )
            if theirs is not None or self.ruled_out(target):
                self.contradicted.append(self.findings[-1])

    def check_grade(self, check: CrossCheck, slots: list[Slot]) -> None:
        """The grade must be one CTCAE v5.0 defines for the chosen term (a "-" in v5.0 is no
        grade at all); a term not in the dictionary is left to the term's own check."""
        dictionary = self.ctx.ctcae
        if dictionary is None:
            return
        for slot in (s for s in slots if s.item.oid == check.item):
            grade, term = self.codes(slot), self.codes(self.other_slot(check, slot))
            if grade is None or term is None:
                continue
            name = _text(self.values[self.other_slot(check, slot).path]).strip()
            code = _text(self.values[slot.path]).strip()
            if name not in dictionary or not code.isdigit():
                continue
            entry = dictionary.get(name)
            if int(code) in entry.grades:
                continue
            defined = ", ".join(str(g) for g in entry.available_grades)
            expected = Text(
                en=f"{code} for {entry.name} (it defines grades {defined})",
                zh=f"“{entry.name}”的{code}级（该术语仅有 {defined} 级）",
            )
            self.add(slot.path, slot.item.label, "ctcae_grade", value=code, expected=expected)
            self.contradicted.append(self.findings[-1])


def _item_at(form: FormDef, path: str) -> ItemDef | None:
    """The item a data path names, or None when the path does not fit the form."""
    try:
        group_oid, repeat, item_oid = split_item_path(path)
        group = form.group_of(item_oid)
    except DefinitionError:
        return None
    if group.repeating != (group_oid is not None) or (group_oid and group_oid != group.oid):
        return None
    if repeat is not None and repeat < 1:
        return None
    return form.items()[item_oid]


def _text(entry: Entry) -> str:
    return as_item_value(entry).text


def _as_partial(value: Typed) -> PartialDate | None:
    if isinstance(value, PartialDate):
        return value
    return PartialDate.of(value) if isinstance(value, date) else None


def _dates(mine: Typed, theirs: Typed) -> tuple[PartialDate, PartialDate] | None:
    first, second = _as_partial(mine), _as_partial(theirs)
    return None if first is None or second is None else (first, second)


def _violates(kind: str, mine: Typed, theirs: Typed) -> bool:
    if kind == "not_before":
        pair = _dates(mine, theirs)
        return pair is not None and pair[0].definitely_before(pair[1])
    if isinstance(mine, Quantity) and isinstance(theirs, Quantity):
        return mine.is_exact and theirs.is_exact and _greater(mine.value, theirs.value)
    return False


def _greater(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and b is not None and a > b


def _expected(item: ItemDef) -> Text:
    en, zh = EXPECTED[item.data_type]
    codes = ", ".join(c.code for c in item.choices)
    length = str(item.max_length or "")
    return Text(en=en.format(codes=codes, length=length), zh=zh.format(codes=codes, length=length))


def validate(
    form: FormDef, values: Mapping[str, object], context: ValidationContext
) -> list[Finding]:
    """Validate the values entered on ``form``.

    Args:
        form: the form definition.
        values: item path → entry (the text as typed, or an ``ItemValue`` with its unit); see
            :mod:`forms.schema` for item paths.
        context: today, the subject's consent date and the visit window, when known.

    Returns:
        Every finding, errors and warnings, in form order; empty when all is well.
    """
    return _run(form, values, context).findings


def contradictions(
    form: FormDef, values: Mapping[str, object], context: ValidationContext
) -> list[Finding]:
    """The clinical errors that the answers given already decide (``requires`` and
    ``ctcae_grade`` findings that no further entry can clear without changing an answer):
    a draft may be incomplete, but never contradict itself this way.

    Args:
        form: the form definition.
        values: item path → entry, as for :func:`validate`.
        context: as for :func:`validate`; ``ctcae`` is needed for the grade check.
    """
    return _run(form, values, context).contradicted


def _run(form: FormDef, values: Mapping[str, object], context: ValidationContext) -> _Validator:
    validator = _Validator(form, values, context)
    validator.check_paths(values)
    all_slots = validator.slots
    derived = derive(form, validator.values)
    for slot in all_slots:
        validator.check_slot(slot, derived)
    for check in form.checks:
        validator.check_cross(check, all_slots)
    return validator
