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
- Creatinine without the lab's ULN: the baseline criterion alone proves a lower bound
  (> 1.5 × baseline: "≥ grade 2"; > 3.0 × baseline: "≥ grade 3"), since the × ULN criterion,
  which could give more, cannot be judged.
- Grades that rest on clinical words (transfusion indicated, life-threatening, death) are the
  investigator's: the lab value only suggests grades 1–4 (1–3 for Anemia and Hypoalbuminemia,
  whose grade 4 is clinical).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from forms.instruments.ctcae_criteria import (
    CREATININE,
    CREATININE_BASELINE,
    CREATININE_ULN,
    FALLING,
    GRADED_TERMS,
    INR,
    INR_ABSOLUTE,
    INR_BASELINE,
    ONE,
    RISING,
    Cut,
    FallingRule,
    RisingRule,
)
from forms.instruments.decimals import Number, to_decimal
from forms.instruments.errors import UnknownTerm, UnknownUnit


@dataclass(frozen=True, slots=True)
class LabGrade:
    """A lab-based grade with the rule that produced it, for the investigator to confirm.

    Attributes:
        term: the CTCAE v5.0 term.
        grade: 0 for no AE by the lab criterion, 1–4 for the grade, ``None`` for "cannot tell".
        rule: how the grade was reached, in English, e.g. "ALT 152 U/L = 3.8 × ULN (40),
            baseline normal → grade 2".
        rule_zh: the same in Simplified Chinese.
        at_least: ``grade`` is proven but a higher one cannot be ruled out ("≥ grade 2"), e.g.
            creatinine above 1.5 × baseline when the lab reported no ULN.
    """

    term: str
    grade: int | None
    rule: str
    rule_zh: str
    at_least: bool = False


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


def _outcome(grade: int) -> tuple[str, str]:
    if grade:
        return f"grade {grade}", f"{grade}级"
    return "grade 0 (no AE by the lab criterion)", "0级（按化验标准不构成不良事件）"


def _shown(label: tuple[str, str], value: Decimal, unit: str | None) -> tuple[str, str]:
    tail = f" {_text(value)}" + (f" {unit}" if unit else "")
    return label[0] + tail, label[1] + tail


Said = tuple[int | None, str, str]
"""A grade with the rule that produced it, in English and Simplified Chinese."""


def _rising(
    rule: RisingRule,
    value: Decimal,
    *,
    uln: Decimal | None,
    baseline: Decimal | None,
    baseline_abnormal: bool | None,
    unit: str | None,
) -> Said:
    en, zh = _shown(rule.label, value, unit)
    if baseline_abnormal is None:
        if baseline is not None and uln is None:
            return (
                None,
                f"{en}: ULN missing, so neither grade nor baseline can be judged",
                f"{zh}：缺少ULN，无法判断分级及基线是否异常",
            )
        baseline_abnormal = baseline is not None and uln is not None and baseline > uln
    if baseline_abnormal:
        if baseline is None:
            return (
                None,
                f"{en}: baseline abnormal but its value is missing",
                f"{zh}：基线异常但缺少基线值",
            )
        grade = _count_passed(rule.abnormal, value, baseline)
        ratio, out = f"{_ratio(value, baseline)} × ", _outcome(grade)
        return (
            grade,
            f"{en} = {ratio}baseline ({_text(baseline)}), baseline abnormal → {out[0]}",
            f"{zh} = {ratio}基线值（{_text(baseline)}），基线异常 → {out[1]}",
        )
    if uln is None:
        return None, f"{en}: ULN missing", f"{zh}：缺少ULN"
    grade = _count_passed(rule.normal, value, uln)
    ratio, out = f"{_ratio(value, uln)} × ULN", _outcome(grade)
    return (
        grade,
        f"{en} = {ratio} ({_text(uln)}), baseline normal → {out[0]}",
        f"{zh} = {ratio}（{_text(uln)}），基线正常 → {out[1]}",
    )


def _creatinine(
    value: Decimal, *, uln: Decimal | None, baseline: Decimal | None, unit: str | None
) -> tuple[Said, bool]:
    """Both v5.0 criteria apply (× ULN and × baseline); the worse grade wins. Without the ULN,
    the baseline criterion alone proves a lower bound ("≥ grade 2"); the flag says so."""
    en, zh = _shown(("Creatinine", "肌酐"), value, unit)
    if uln is None:
        passed = 0 if baseline is None else _count_passed(CREATININE_BASELINE, value, baseline)
        if baseline is None or not passed:
            return (
                None,
                f"{en}: ULN missing, so grade 1 cannot be ruled out",
                f"{zh}：缺少ULN，不能排除1级",
            ), False
        ratio = f"{_ratio(value, baseline)} × "
        return (
            passed + 1,
            f"{en} = {ratio}baseline ({_text(baseline)}); ULN missing → ≥ grade {passed + 1}",
            f"{zh} = {ratio}基线值（{_text(baseline)}）；缺少ULN → ≥{passed + 1}级",
        ), True
    grade = _count_passed(CREATININE_ULN, value, uln)
    parts_en = [f"{_ratio(value, uln)} × ULN ({_text(uln)})"]
    parts_zh = [f"{_ratio(value, uln)} × ULN（{_text(uln)}）"]
    if baseline is not None:
        passed = _count_passed(CREATININE_BASELINE, value, baseline)
        grade = max(grade, passed + 1 if passed else 0)
        parts_en.append(f"{_ratio(value, baseline)} × baseline ({_text(baseline)})")
        parts_zh.append(f"{_ratio(value, baseline)} × 基线值（{_text(baseline)}）")
    out = _outcome(grade)
    return (
        grade,
        f"{en} = {', '.join(parts_en)} → {out[0]}",
        f"{zh} = {'、'.join(parts_zh)} → {out[1]}",
    ), False


def _inr(value: Decimal, *, baseline: Decimal | None, on_anticoagulation: bool) -> Said:
    """Absolute cut-offs without anticoagulation, baseline multiples only with it."""
    shown = f"INR {_text(value)}"
    if not on_anticoagulation:
        grade = _count_passed(INR_ABSOLUTE, value, ONE)
        out = _outcome(grade)
        return grade, f"{shown}, not anticoagulated → {out[0]}", f"{shown}，未抗凝 → {out[1]}"
    if baseline is None:
        return (
            None,
            f"{shown} on anticoagulation: baseline INR missing",
            f"{shown}，抗凝治疗中：缺少基线INR",
        )
    grade = _count_passed(INR_BASELINE, value, baseline)
    ratio, out = f"{_ratio(value, baseline)} × ", _outcome(grade)
    return (
        grade,
        f"{shown} = {ratio}baseline ({_text(baseline)}) on anticoagulation → {out[0]}",
        f"{shown} = {ratio}基线值（{_text(baseline)}），抗凝治疗中 → {out[1]}",
    )


def _falling(
    term: str, rule: FallingRule, value: Decimal, *, lln: Decimal | None, unit: str | None
) -> Said:
    """Grades 2 and up are absolute; grade 1 (below LLN) needs the lab's LLN."""
    unit = unit or rule.default_unit
    if unit not in rule.cut_offs:
        raise UnknownUnit(term, unit, tuple(rule.cut_offs))
    cut_offs = rule.cut_offs[unit]
    en, zh = _shown(rule.label, value, unit)
    below = sum(1 for cut_off in cut_offs if value < cut_off)
    if below:
        grade, cut = below + 1, _text(cut_offs[below - 1])
        out = _outcome(grade)
        return grade, f"{en} < {cut} → {out[0]}", f"{zh} < {cut} → {out[1]}"
    if lln is None:
        return (
            None,
            f"{en}: LLN missing, so grade 0 and grade 1 cannot be told apart",
            f"{zh}：缺少LLN，无法区分0级与1级",
        )
    grade = 1 if value < lln else 0
    sign, out = ("<" if grade else "≥"), _outcome(grade)
    return (
        grade,
        f"{en} {sign} LLN ({_text(lln)}) → {out[0]}",
        f"{zh} {sign} LLN（{_text(lln)}） → {out[1]}",
    )


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


def label_of(term: str) -> tuple[str, str]:
    """The short name of a graded term's test in rules, in English and Simplified Chinese
    (e.g. "Bilirubin", "胆红素").

    Raises:
        UnknownTerm: the term has no laboratory grading here.
    """
    term = canonical_term(term)
    if term in RISING:
        return RISING[term].label
    if term in FALLING:
        return FALLING[term].label
    return ("Creatinine", "肌酐") if term == CREATININE else ("INR", "INR")


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

    Takes the same arguments as :func:`grade_lab`; see there. Unlike :func:`grade_lab`, it
    also gives a proven lower bound (``at_least``) where the exact grade cannot be told.
    """
    term = canonical_term(term)
    number = to_decimal(value, name=term)
    upper = _optional(uln, "ULN")
    lower = _optional(lln, "LLN")
    base = _optional(baseline, "baseline")
    said: Said
    at_least = False
    if term in RISING:
        said = _rising(
            RISING[term],
            number,
            uln=upper,
            baseline=base,
            baseline_abnormal=baseline_abnormal,
            unit=unit,
        )
    elif term == CREATININE:
        said, at_least = _creatinine(number, uln=upper, baseline=base, unit=unit)
    elif term == INR:
        said = _inr(number, baseline=base, on_anticoagulation=on_anticoagulation)
    else:
        said = _falling(term, FALLING[term], number, lln=lower, unit=unit)
    return LabGrade(term=term, grade=said[0], rule=said[1], rule_zh=said[2], at_least=at_least)


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
        is missing (also when only a lower bound is proven: see :func:`assess_lab`).

    Raises:
        UnknownTerm: the term is not graded from a lab value.
        UnknownUnit: a unit the term's cut-offs are not given in.
        InvalidNumber: the value or a limit is not a non-negative number.
    """
    result = assess_lab(
        term,
        value,
        uln=uln,
        lln=lln,
        baseline=baseline,
        baseline_abnormal=baseline_abnormal,
        on_anticoagulation=on_anticoagulation,
        unit=unit,
    )
    return None if result.at_least else result.grade


__all__ = [
    "CREATININE",
    "FALLING",
    "GRADED_TERMS",
    "INR",
    "RISING",
    "LabGrade",
    "assess_lab",
    "canonical_term",
    "grade_lab",
    "label_of",
]
