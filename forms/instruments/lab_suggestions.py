"""Adverse events suggested by saved laboratory values, for the nurse or investigator to decide.

Source: CTCAE v5.0 lab-based grades as read in clinical.md (see :mod:`forms.instruments.ctcae`).
When a saved value grades 1 or more, a suggestion names the term, the grade and the rule that
produced it (e.g. "ALT 152 U/L = 3.8 × ULN (40), baseline normal → grade 2"). Nothing enters the
AE log by itself: a person accepts the suggestion, which prefills an AE entry, or dismisses it
with a reason; the decision is kept either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from forms.errors import FormsError
from forms.instruments.ctcae import LabGrade, assess_lab
from forms.instruments.ctcae_bounds import assess_entered
from forms.instruments.ctcae_dictionary import Dictionary
from forms.instruments.decimals import Number
from forms.instruments.errors import InvalidNumber, ReasonRequired, UnknownUnit
from forms.quantities import parse_quantity

LAB_TERMS: Final[dict[str, str]] = {
    "I.ALT": "Alanine aminotransferase increased",
    "I.AST": "Aspartate aminotransferase increased",
    "I.TBIL": "Blood bilirubin increased",
    "I.ALP": "Alkaline phosphatase increased",
    "I.GGT": "GGT increased",
    "I.CREAT": "Creatinine increased",
    "I.INR": "INR increased",
    "I.PLT": "Platelet count decreased",
    "I.WBC": "White blood cell decreased",
    "I.NEUT": "Neutrophil count decreased",
    "I.LYMPH": "Lymphocyte count decreased",
    "I.HGB": "Anemia",
    "I.ALB": "Hypoalbuminemia",
}
"""Lab item OID (as on the lab forms) → the CTCAE v5.0 term its value grades."""

_SAME_UNIT: Final = {"10^3/uL": "10^9/L", "/mm³": "/mm3", "µmol/L": "umol/L"}


def _unit(unit: str | None) -> str | None:
    return None if unit is None else _SAME_UNIT.get(unit.strip(), unit.strip())


def _same_unit(unit: str | None, other: str | None) -> bool:
    """Units agree when equal or when either is unstated (then it is the item's own unit)."""
    return unit is None or other is None or _unit(unit) == _unit(other)


@dataclass(frozen=True, slots=True)
class LabValue:
    """A saved result as entered, with its unit (``None``: the item's own unit)."""

    value: Number
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class ReferenceRange:
    """The site laboratory's limits for one test, in ``unit``."""

    lln: Number | None = None
    uln: Number | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A suggested AE: the lab item, CTCAE term, grade and the rule that produced it.

    ``rule`` is in English, ``rule_zh`` in Simplified Chinese. ``at_least``: the grade is a
    proven lower bound ("≥ grade 2"), the exact grade is the investigator's.

    Where the value came from (filled in by the service that read it): ``event``,
    ``event_repeat`` and ``form`` of the lab form, ``value`` and ``unit`` as entered, and
    ``sample_date`` (the lab form's date), which becomes the AE's onset date.
    """

    item: str
    term: str
    grade: int
    rule: str
    rule_zh: str
    at_least: bool = False
    event: str | None = None
    event_repeat: int = 1
    form: str | None = None
    value: str | None = None
    unit: str | None = None
    sample_date: str | None = None

    @property
    def source(self) -> str | None:
        """The lab value's place, e.g. ``"SE.W12[1]/F.LAB_LIVER/I.ALT"`` (None when unknown)."""
        if self.event is None or self.form is None:
            return None
        return f"{self.event}[{self.event_repeat}]/{self.form}/{self.item}"

    @property
    def shown_value(self) -> str | None:
        """The value as entered with its unit, e.g. ``"1250 U/L"``."""
        if self.value is None:
            return None
        return f"{self.value} {self.unit}" if self.unit else self.value


@dataclass(frozen=True, slots=True)
class Decision:
    """What a person decided about a suggestion: accepted into the AE log, or dismissed."""

    suggestion: Suggestion
    accepted: bool
    reason: str | None = None


def _as_lab_value(value: Number | LabValue) -> LabValue:
    return value if isinstance(value, LabValue) else LabValue(value)


def _suggest_one(
    item: str,
    value: LabValue,
    limits: ReferenceRange,
    base: LabValue | None,
    *,
    on_anticoagulation: bool,
) -> Suggestion | None:
    unit = _unit(value.unit) or _unit(limits.unit)
    if not _same_unit(limits.unit, unit):
        return None  # limits in another unit cannot be compared exactly
    if base is not None and not _same_unit(base.unit, unit):
        base = None  # a baseline in another unit: treated as missing, so as normal
    term = LAB_TERMS[item]
    refs = ReferenceRange(limits.lln, limits.uln, unit)
    baseline = None if base is None else _exact(base.value)
    try:
        result = _assess(term, value.value, refs, baseline, on_anticoagulation)
    except (InvalidNumber, UnknownUnit):
        return None  # not a result, or a unit CTCAE does not grade in
    if result.grade is None or result.grade == 0:
        return None
    return Suggestion(
        item=item,
        term=term,
        grade=result.grade,
        rule=result.rule,
        rule_zh=result.rule_zh,
        at_least=result.at_least,
    )


def _assess(
    term: str,
    value: Number,
    refs: ReferenceRange,
    baseline: Number | None,
    on_anticoagulation: bool,
) -> LabGrade:
    """Grade text as entered (bounds such as ">500" included), a number as it is."""
    if isinstance(value, str):
        return assess_entered(
            term,
            value,
            uln=refs.uln,
            lln=refs.lln,
            baseline=baseline,
            on_anticoagulation=on_anticoagulation,
            unit=refs.unit,
        )
    return assess_lab(
        term,
        value,
        uln=refs.uln,
        lln=refs.lln,
        baseline=baseline,
        on_anticoagulation=on_anticoagulation,
        unit=refs.unit,
    )


def _exact(value: Number) -> Number | None:
    """A baseline is a reference only when it is a number (a baseline "<10" is none)."""
    if not isinstance(value, str):
        return value
    try:
        quantity = parse_quantity(value)
    except FormsError:
        return None
    return value if quantity.is_exact else None


def suggest_adverse_events(
    lab_values: Mapping[str, Number | LabValue],
    reference_ranges: Mapping[str, ReferenceRange],
    baseline: Mapping[str, Number | LabValue],
    *,
    on_anticoagulation: bool = False,
) -> list[Suggestion]:
    """Suggest an AE for every saved lab value that CTCAE v5.0 grades 1 or more.

    Args:
        lab_values: lab item OID (e.g. "I.ALT", see :data:`LAB_TERMS`) → the saved value.
        reference_ranges: lab item OID → the site laboratory's LLN/ULN for that test.
        baseline: lab item OID → the patient's baseline value of that test.
        on_anticoagulation: whether the patient is anticoagulated (INR by baseline multiples).

    Returns:
        One suggestion per graded value, in the order of :data:`LAB_TERMS`. A value beyond
        quantification (">500") is graded from its bound when the bound decides the grade,
        and suggested "≥ grade n" when it proves only a lower bound. Values that are not
        graded (other items, grade 0, a needed limit missing, limits in another unit, "target
        not detected") give none.
    """
    suggestions: list[Suggestion] = []
    for item in LAB_TERMS:
        if item not in lab_values:
            continue
        base = baseline.get(item)
        suggestion = _suggest_one(
            item,
            _as_lab_value(lab_values[item]),
            reference_ranges.get(item, ReferenceRange()),
            None if base is None else _as_lab_value(base),
            on_anticoagulation=on_anticoagulation,
        )
        if suggestion is not None:
            suggestions.append(suggestion)
    return suggestions


def accept(suggestion: Suggestion) -> Decision:
    """Accept a suggestion into the AE log (prefill the entry with :func:`ae_values`)."""
    return Decision(suggestion=suggestion, accepted=True)


def dismiss(suggestion: Suggestion, reason: str) -> Decision:
    """Dismiss a suggestion; the reason is required and kept.

    Raises:
        ReasonRequired: the reason is empty.
    """
    text = reason.strip()
    if not text:
        raise ReasonRequired(
            f"Dismissing the suggested {suggestion.term} (grade {suggestion.grade})"
        )
    return Decision(suggestion=suggestion, accepted=False, reason=text)


def ae_values(suggestion: Suggestion, dictionary: Dictionary) -> dict[str, str]:
    """Return the AE form values (item OID → text) that an accepted suggestion prefills.

    The grade is prefilled only when the value decides it (not for "≥ grade n": the
    investigator grades). When the suggestion knows its source, the AE is linked to it
    (``I.AELABSRC``, and ``I.AELABVAL``: the value it was created from, so that a later change
    of that value is seen) and its onset date is the sample date (``I.AESTDAT``).
    """
    term = dictionary.get(suggestion.term)
    values = {
        "I.AETERM": term.name,
        "I.AEMEDDRA": str(term.meddra_code),
        "I.AEGRADE": str(suggestion.grade),
        "I.AELABRULE": suggestion.rule,
    }
    if suggestion.at_least:
        del values["I.AEGRADE"]
    if suggestion.source is not None:
        values["I.AELABSRC"] = suggestion.source
        values["I.AELABVAL"] = suggestion.shown_value or ""
    if suggestion.sample_date:
        values["I.AESTDAT"] = suggestion.sample_date
    return values
