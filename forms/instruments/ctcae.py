"""CTCAE v5.0 grades of adverse events from laboratory values.

Source: National Cancer Institute, *Common Terminology Criteria for Adverse Events (CTCAE)
version 5.0*, 27 November 2017, SOC "Investigations", "Blood and lymphatic system disorders"
(Anemia) and "Metabolism and nutrition disorders" (Hypoalbuminemia); the project's reading of the
range notation and its decisions where v5.0 is silent are in clinical.md, "CTCAE v5.0 lab-based
grades":

- ``>a – b`` means a < v ≤ b, ``<a – b`` means b ≤ v < a, and a lower bound written without
  ``>`` is inclusive ("1.5 – 3.0 × baseline" includes 1.5 × baseline).
- Every comparison is exact decimal arithmetic on the entered text (1.5 × 1.2 is 1.8, not
  1.7999999999999998, so a bilirubin of 1.8 with ULN 1.2 is grade 1).
- "Baseline abnormal" means baseline > ULN unless the caller says otherwise; a missing baseline
  counts as normal; a needed reference that is missing gives ``None`` ("cannot tell").
- Grades that rest on clinical words (transfusion indicated, life-threatening, death) are the
  investigator's: the lab value only suggests grades 1–4 (1–3 for Anemia and Hypoalbuminemia,
  whose grade 4 is clinical).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from forms.instruments.decimals import Number, to_decimal
from forms.instruments.errors import UnknownTerm, UnknownUnit

_ONE: Final = Decimal(1)


@dataclass(frozen=True, slots=True)
class Cut:
    """The lower edge of a grade: ``factor`` × reference, inclusive or not (``>``)."""

    factor: Decimal
    inclusive: bool = False

    def passed_rising(self, value: Decimal, reference: Decimal) -> bool:
        limit = self.factor * reference
        return value > limit or (self.inclusive and value == limit)


def _cuts(*factors: str, first_inclusive: bool = False) -> tuple[Cut, ...]:
    return tuple(
        Cut(Decimal(factor), inclusive=first_inclusive and i == 0)
        for i, factor in enumerate(factors)
    )


@dataclass(frozen=True, slots=True)
class RisingRule:
    """A term graded by multiples of ULN and, with an abnormal baseline, of the baseline."""

    label: str
    normal: tuple[Cut, ...]
    abnormal: tuple[Cut, ...]


@dataclass(frozen=True, slots=True)
class FallingRule:
    """A term graded by absolute cut-offs below the LLN (grades 2 and up), per unit."""

    label: str
    cut_offs: dict[str, tuple[Decimal, ...]]
    default_unit: str


def _per_unit(cut_offs: dict[str, tuple[str, ...]]) -> dict[str, tuple[Decimal, ...]]:
    return {unit: tuple(Decimal(v) for v in values) for unit, values in cut_offs.items()}


_TRANSAMINASE: Final = (
    _cuts("1", "3.0", "5.0", "20.0"),
    _cuts("1.5", "3.0", "5.0", "20.0", first_inclusive=True),
)
_ALP_GGT: Final = (
    _cuts("1", "2.5", "5.0", "20.0"),
    _cuts("2.0", "2.5", "5.0", "20.0", first_inclusive=True),
)
_BILIRUBIN: Final = (_cuts("1", "1.5", "3.0", "10.0"), _cuts("1.0", "1.5", "3.0", "10.0"))

RISING: Final[dict[str, RisingRule]] = {
    "Alanine aminotransferase increased": RisingRule("ALT", *_TRANSAMINASE),
    "Aspartate aminotransferase increased": RisingRule("AST", *_TRANSAMINASE),
    "Alkaline phosphatase increased": RisingRule("ALP", *_ALP_GGT),
    "GGT increased": RisingRule("GGT", *_ALP_GGT),
    "Blood bilirubin increased": RisingRule("Bilirubin", *_BILIRUBIN),
}


def _counts(*values: str) -> dict[str, tuple[Decimal, ...]]:
    """Cut-offs in 10^9/L; counts entered per mm³ scale them by 1000 (clinical.md)."""
    per_litre = tuple(Decimal(v) for v in values)
    return {"10^9/L": per_litre, "/mm3": tuple(v * 1000 for v in per_litre)}


FALLING: Final[dict[str, FallingRule]] = {
    "Platelet count decreased": FallingRule("Platelets", _counts("75.0", "50.0", "25.0"), "10^9/L"),
    "White blood cell decreased": FallingRule("WBC", _counts("3.0", "2.0", "1.0"), "10^9/L"),
    "Neutrophil count decreased": FallingRule(
        "Neutrophils", _counts("1.5", "1.0", "0.5"), "10^9/L"
    ),
    "Lymphocyte count decreased": FallingRule(
        "Lymphocytes", _counts("0.8", "0.5", "0.2"), "10^9/L"
    ),
    # Hgb cut-offs are per unit as printed in v5.0, not exact conversions: grade in the unit
    # entered.
    "Anemia": FallingRule(
        "Hgb",
        _per_unit({"g/L": ("100", "80"), "g/dL": ("10.0", "8.0"), "mmol/L": ("6.2", "4.9")}),
        "g/L",
    ),
    "Hypoalbuminemia": FallingRule(
        "Albumin", _per_unit({"g/L": ("30", "20"), "g/dL": ("3", "2")}), "g/L"
    ),
}

CREATININE: Final = "Creatinine increased"
INR: Final = "INR increased"
_CREATININE_ULN: Final = _cuts("1", "1.5", "3.0", "6.0")
_CREATININE_BASELINE: Final = _cuts("1.5", "3.0")  # grades 2 and 3
_INR_ABSOLUTE: Final = _cuts("1.2", "1.5", "2.5")
_INR_BASELINE: Final = _cuts("1", "1.5", "2.5")

GRADED_TERMS: Final = (*RISING, CREATININE, INR, *FALLING)
"""The CTCAE v5.0 terms that :func:`grade_lab` grades, spelled as in CTCAE v5.0."""


@dataclass(frozen=True, slots=True)
class LabGrade:
    """A lab-based grade with the rule that produced it, for the investigator to confirm.

    Attributes:
        term: the CTCAE v5.0 term.
        grade: 0 for no AE by the lab criterion, 1–4 for the grade, ``None`` for "cannot tell".
        rule: how the grade was reached, in English, e.g. "ALT 152 U/L = 3.8 × ULN (40),
            baseline normal → grade 2".
    """

    term: str
    grade: int | None
    rule: str


def _text(number: Decimal) -> str:
    """Show a decimal without exponent or trailing zeros beyond what was entered."""
    return format(number, "f")


def _ratio(value: Decimal, reference: Decimal) -> str:
    if reference == 0:
        return "∞"
    ratio = (value / reference).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return _text(ratio.normalize())


def _count_passed(cuts: tuple[Cut, ...], value: Decimal, reference: Decimal) -> int:
    return sum(1 for cut in cuts if cut.passed_rising(value, reference))


def _outcome(grade: int) -> str:
    return f"grade {grade}" if grade else "grade 0 (no AE by the lab criterion)"


def _shown(label: str, value: Decimal, unit: str | None) -> str:
    return f"{label} {_text(value)}" + (f" {unit}" if unit else "")


def _rising(
    rule: RisingRule,
    value: Decimal,
    *,
    uln: Decimal | None,
    baseline: Decimal | None,
    baseline_abnormal: bool | None,
    unit: str | None,
) -> tuple[int | None, str]:
    shown = _shown(rule.label, value, unit)
    if baseline_abnormal is None:
        if baseline is not None and uln is None:
            return None, f"{shown}: ULN missing, so neither grade nor baseline can be judged"
        baseline_abnormal = baseline is not None and uln is not None and baseline > uln
    if baseline_abnormal:
        if baseline is None:
            return None, f"{shown}: baseline abnormal but its value is missing"
        grade = _count_passed(rule.abnormal, value, baseline)
        return grade, (
            f"{shown} = {_ratio(value, baseline)} × baseline ({_text(baseline)}), "
            f"baseline abnormal → {_outcome(grade)}"
        )
    if uln is None:
        return None, f"{shown}: ULN missing"
    grade = _count_passed(rule.normal, value, uln)
    return grade, (
        f"{shown} = {_ratio(value, uln)} × ULN ({_text(uln)}), baseline normal → {_outcome(grade)}"
    )


def _creatinine(
    value: Decimal, *, uln: Decimal | None, baseline: Decimal | None, unit: str | None
) -> tuple[int | None, str]:
    """Both v5.0 criteria apply (× ULN and × baseline); the worse grade wins."""
    shown = _shown("Creatinine", value, unit)
    if uln is None:
        return None, f"{shown}: ULN missing, so grade 1 cannot be ruled out"
    by_uln = _count_passed(_CREATININE_ULN, value, uln)
    parts = [f"{_ratio(value, uln)} × ULN ({_text(uln)})"]
    grade = by_uln
    if baseline is not None:
        passed = _count_passed(_CREATININE_BASELINE, value, baseline)
        by_baseline = passed + 1 if passed else 0
        parts.append(f"{_ratio(value, baseline)} × baseline ({_text(baseline)})")
        grade = max(by_uln, by_baseline)
    return grade, f"{shown} = {', '.join(parts)} → {_outcome(grade)}"


def _inr(
    value: Decimal, *, baseline: Decimal | None, on_anticoagulation: bool
) -> tuple[int | None, str]:
    """Absolute cut-offs without anticoagulation, baseline multiples only with it."""
    shown = _shown("INR", value, None)
    if not on_anticoagulation:
        grade = _count_passed(_INR_ABSOLUTE, value, _ONE)
        return grade, f"{shown}, not anticoagulated → {_outcome(grade)}"
    if baseline is None:
        return None, f"{shown} on anticoagulation: baseline INR missing"
    grade = _count_passed(_INR_BASELINE, value, baseline)
    return grade, (
        f"{shown} = {_ratio(value, baseline)} × baseline ({_text(baseline)}) on anticoagulation "
        f"→ {_outcome(grade)}"
    )


def _falling(
    term: str, rule: FallingRule, value: Decimal, *, lln: Decimal | None, unit: str | None
) -> tuple[int | None, str]:
    """Grades 2 and up are absolute; grade 1 (below LLN) needs the lab's LLN."""
    unit = unit or rule.default_unit
    if unit not in rule.cut_offs:
        raise UnknownUnit(term, unit, tuple(rule.cut_offs))
    cut_offs = rule.cut_offs[unit]
    shown = _shown(rule.label, value, unit)
    below = sum(1 for cut_off in cut_offs if value < cut_off)
    if below:
        grade = below + 1
        return grade, f"{shown} < {_text(cut_offs[below - 1])} → {_outcome(grade)}"
    if lln is None:
        return None, f"{shown}: LLN missing, so grade 0 and grade 1 cannot be told apart"
    grade = 1 if value < lln else 0
    sign = "<" if grade else "≥"
    return grade, f"{shown} {sign} LLN ({_text(lln)}) → {_outcome(grade)}"


def canonical_term(term: str) -> str:
    """Return the CTCAE v5.0 spelling of a graded term, ignoring case and outer spaces.

    Raises:
        UnknownTerm: the term has no laboratory grading here.
    """
    wanted = " ".join(str(term).split()).casefold()
    for known in GRADED_TERMS:
        if known.casefold() == wanted:
            return known
    raise UnknownTerm(term, f"no lab-based grade; graded terms are {', '.join(GRADED_TERMS)}")


def _optional(value: Number | None, name: str) -> Decimal | None:
    return None if value is None else to_decimal(value, name=name)


def assess_lab(
    term: str,
    value: Number,
    *,
    uln: Number | None = None,
    lln: Number | None = None,
    baseline: Number | None = None,
    baseline_abnormal: bool | None = None,
    on_anticoagulation: bool = False,
    unit: str | None = None,
) -> LabGrade:
    """Grade a laboratory value by CTCAE v5.0 and say which rule produced the grade.

    Takes the same arguments as :func:`grade_lab`; see there.
    """
    term = canonical_term(term)
    number = to_decimal(value, name=term)
    upper = _optional(uln, "ULN")
    lower = _optional(lln, "LLN")
    base = _optional(baseline, "baseline")
    if term in RISING:
        grade, rule = _rising(
            RISING[term],
            number,
            uln=upper,
            baseline=base,
            baseline_abnormal=baseline_abnormal,
            unit=unit,
        )
    elif term == CREATININE:
        grade, rule = _creatinine(number, uln=upper, baseline=base, unit=unit)
    elif term == INR:
        grade, rule = _inr(number, baseline=base, on_anticoagulation=on_anticoagulation)
    else:
        grade, rule = _falling(term, FALLING[term], number, lln=lower, unit=unit)
    return LabGrade(term=term, grade=grade, rule=rule)


def grade_lab(
    term: str,
    value: Number,
    *,
    uln: Number | None = None,
    lln: Number | None = None,
    baseline: Number | None = None,
    baseline_abnormal: bool | None = None,
    on_anticoagulation: bool = False,
    unit: str | None = None,
) -> int | None:
    """Return the CTCAE v5.0 grade that a laboratory value suggests.

    Args:
        term: the CTCAE v5.0 term, e.g. "Alanine aminotransferase increased" (see
            ``GRADED_TERMS``).
        value: the result, in the same unit as its limits and baseline.
        uln: the lab's upper limit of normal (increased terms).
        lln: the lab's lower limit of normal (decreased terms; only grade 1 needs it).
        baseline: the patient's baseline value of the same test.
        baseline_abnormal: whether the baseline was abnormal; ``None`` means baseline > ULN.
        on_anticoagulation: for INR: grade by baseline multiples instead of absolute cut-offs.
        unit: for counts "10^9/L" (default) or "/mm3"; for Anemia "g/L" (default), "g/dL" or
            "mmol/L"; for Hypoalbuminemia "g/L" (default) or "g/dL". Shown only otherwise.

    Returns:
        0 for no AE by the lab criterion, 1–4 for the grade, ``None`` when a needed reference
        is missing.

    Raises:
        UnknownTerm: the term is not graded from a lab value.
        UnknownUnit: a unit the term's cut-offs are not given in.
        InvalidNumber: the value or a limit is not a non-negative number.
    """
    return assess_lab(
        term,
        value,
        uln=uln,
        lln=lln,
        baseline=baseline,
        baseline_abnormal=baseline_abnormal,
        on_anticoagulation=on_anticoagulation,
        unit=unit,
    ).grade
