"""CTCAE v5.0 grades of lab values beyond the limits of quantification (">500", "<20").

Source: CTCAE v5.0 lab-based grades as read in clinical.md (see :mod:`forms.instruments.ctcae`);
DESIGN.md: a value beyond quantification is a bound, never a made-up number.

A bound says the true value lies in an interval (">500": above 500; "<=25": 25 or below, down to
0). Every CTCAE lab grade is monotone in the value (rising terms never grade lower for a higher
value, decreased counts never grade lower for a lower one), so the grades the interval can take
run from the grade just inside the bound to the grade at the interval's far end. When both are
the same, the bound decides the grade (bilirubin ">500" with ULN 21 is above 10 × ULN: grade 4
whatever the true value). Otherwise the grade just inside the bound is a proven lower bound
("≥ grade 1"), or nothing is proven when that is grade 0. "Target not detected" grades nothing.

Public names: :func:`assess_entered`.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from forms.errors import FormsError
from forms.instruments.ctcae import LabGrade, assess_lab, canonical_term, label_of
from forms.instruments.decimals import Number
from forms.quantities import Qualifier, parse_quantity

# Far enough beyond any CTCAE cut-off (the largest is 20 × ULN) to stand for "unbounded".
_UNBOUNDED = Decimal(10) ** 12
# A relative step small enough to cross no cut-off but the bound itself: entered values and
# limits have at most 30 digits, and the step is taken at 80 digits of precision.
_STEP = Decimal("1e-40")


def _inside(bound: Decimal, *, above: bool) -> Decimal:
    """A value just inside the open interval beyond ``bound``."""
    with localcontext() as ctx:
        ctx.prec = 80
        step = (bound if bound else Decimal(1)) * _STEP
        return bound + step if above else bound - step


def _words(above: bool) -> tuple[str, str]:
    return ("above", "高于") if above else ("below", "低于")


def assess_entered(
    term: str,
    entered: str,
    *,
    uln: Number | None = None,
    lln: Number | None = None,
    baseline: Number | None = None,
    baseline_abnormal: bool | None = None,
    on_anticoagulation: bool = False,
    unit: str | None = None,
) -> LabGrade:
    """Grade a result as entered: a plain number as :func:`assess_lab` does, a value beyond
    quantification from its bound (see the module docstring).

    Takes the arguments of :func:`forms.instruments.ctcae.grade_lab`, with the value as text.

    Raises:
        UnknownTerm: the term is not graded from a lab value.
        UnknownUnit: a unit the term's cut-offs are not given in.
        InvalidNumber: the text is not a lab result, or a limit is not a number.
    """

    def grade(value: Number) -> LabGrade:
        return assess_lab(
            term,
            value,
            uln=uln,
            lln=lln,
            baseline=baseline,
            baseline_abnormal=baseline_abnormal,
            on_anticoagulation=on_anticoagulation,
            unit=unit,
        )

    try:
        quantity = parse_quantity(entered)
    except FormsError:
        return grade(entered)  # not a lab result: assess_lab names the problem
    if quantity.is_exact:
        return grade(entered)
    label = label_of(term)
    tail = f" {unit}" if unit else ""
    shown = (f"{label[0]} {entered.strip()}{tail}", f"{label[1]} {entered.strip()}{tail}")
    if quantity.value is None:  # target not detected
        return LabGrade(
            canonical_term(term),
            None,
            f"{shown[0]}: not detected, no grade from the lab value",
            f"{shown[1]}：未检出，无法按化验值分级",
        )
    above = quantity.qualifier in (Qualifier.ABOVE, Qualifier.AT_LEAST)
    inclusive = quantity.qualifier in (Qualifier.AT_LEAST, Qualifier.AT_MOST)
    bound = quantity.value
    if not above and bound == 0:
        near = far = bound
    else:
        near = bound if inclusive else _inside(bound, above=above)
        far = _UNBOUNDED * max(bound, Decimal(1)) if above else Decimal(0)
    return _from_bound(grade(bound), grade(near), grade(far), shown, above=above)


def _from_bound(
    at_bound: LabGrade,
    first: LabGrade,
    last: LabGrade,
    shown: tuple[str, str],
    *,
    above: bool,
) -> LabGrade:
    en_word, zh_word = _words(above)
    intro_en = f"{shown[0]}, beyond quantification: at its bound, {at_bound.rule}"
    intro_zh = f"{shown[1]}，超出定量范围：界值处{at_bound.rule_zh}"
    if first.grade is None or last.grade is None:
        return LabGrade(
            at_bound.term,
            None,
            f"{intro_en}; the values {en_word} it cannot be graded",
            f"{intro_zh}；{zh_word}该界值的数值无法分级",
        )
    low, high = sorted((first.grade, last.grade))
    if low == high and not (first.at_least or last.at_least):
        return LabGrade(
            at_bound.term,
            low,
            f"{intro_en}; every value {en_word} it → grade {low}",
            f"{intro_zh}；所有{zh_word}该界值的数值 → {low}级",
        )
    if low == 0:
        return LabGrade(
            at_bound.term,
            None,
            f"{intro_en}; the values {en_word} it range from grade 0 to {high}",
            f"{intro_zh}；{zh_word}该界值的数值可为0至{high}级",
        )
    return LabGrade(
        at_bound.term,
        low,
        f"{intro_en}; the values {en_word} it → ≥ grade {low}",
        f"{intro_zh}；{zh_word}该界值的数值 → ≥{low}级",
        at_least=True,
    )
