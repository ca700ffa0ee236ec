"""CTCAE v5.0 lab grades: every threshold on, just below and just above it.

The expectations are typed from clinical.md's table, independently of the module's own tables.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from forms.instruments import ctcae, ctcae_bounds
from forms.instruments.errors import InvalidNumber, UnknownTerm, UnknownUnit

STEP = Decimal("0.001")

# (term, cut-offs for baseline normal × ULN, cut-offs for baseline abnormal × baseline);
# a cut-off "x" is exclusive (">x"), "=x" includes x. The n-th cut-off starts grade n.
RISING = [
    ("Alanine aminotransferase increased", ">1 >3.0 >5.0 >20.0", "=1.5 >3.0 >5.0 >20.0"),
    ("Aspartate aminotransferase increased", ">1 >3.0 >5.0 >20.0", "=1.5 >3.0 >5.0 >20.0"),
    ("Alkaline phosphatase increased", ">1 >2.5 >5.0 >20.0", "=2.0 >2.5 >5.0 >20.0"),
    ("GGT increased", ">1 >2.5 >5.0 >20.0", "=2.0 >2.5 >5.0 >20.0"),
    ("Blood bilirubin increased", ">1 >1.5 >3.0 >10.0", ">1.0 >1.5 >3.0 >10.0"),
]


def _edges(spec: str, reference: Decimal) -> list[tuple[Decimal, int]]:
    """(value, expected grade) on, just below and just above each cut-off."""
    cases = []
    for grade, cut in enumerate(spec.split(), start=1):
        limit = Decimal(cut[1:]) * reference
        on_grade = grade if cut.startswith("=") else grade - 1
        cases += [(limit - STEP, grade - 1), (limit, on_grade), (limit + STEP, grade)]
    return cases


RISING_CASES = [
    pytest.param(term, "normal", value, grade, id=f"{term[:12]}-normal-{value}")
    for term, normal, _ in RISING
    for value, grade in _edges(normal, Decimal(40))
] + [
    pytest.param(term, "abnormal", value, grade, id=f"{term[:12]}-abnormal-{value}")
    for term, _, abnormal in RISING
    for value, grade in _edges(abnormal, Decimal(80))
]


@pytest.mark.parametrize(("term", "baseline_state", "value", "grade"), RISING_CASES)
def test_rising_terms_on_every_threshold(
    term: str, baseline_state: str, value: Decimal, grade: int
) -> None:
    if baseline_state == "normal":
        assert ctcae.grade_lab(term, value, uln="40", baseline="30") == grade
        assert ctcae.grade_lab(term, str(value), uln=40) == grade  # no baseline: normal
    else:
        assert ctcae.grade_lab(term, value, uln="40", baseline="80") == grade
        assert ctcae.grade_lab(term, value, baseline=80, baseline_abnormal=True) == grade


def test_bilirubin_where_binary_floats_go_wrong() -> None:
    # 1.5 x 1.2 is 1.7999999999999998 in binary floats; exactly it is 1.8, still grade 1.
    term = "Blood bilirubin increased"
    assert ctcae.grade_lab(term, 1.8, uln=1.2) == 1
    assert ctcae.grade_lab(term, "1.8", uln="1.2") == 1
    assert ctcae.grade_lab(term, Decimal("1.8"), uln=Decimal("1.2")) == 1
    assert ctcae.grade_lab(term, "1.81", uln="1.2") == 2
    # 3.0 x 1.2 = 3.5999999999999996 in floats: 3.6 is still grade 2.
    assert ctcae.grade_lab(term, 3.6, uln=1.2) == 2
    # Baseline abnormal 1.3 (> ULN 1.2): 1.5 x 1.3 = 1.9500000000000002 in floats.
    assert ctcae.grade_lab(term, 1.95, uln=1.2, baseline=1.3) == 1
    assert ctcae.grade_lab(term, 1.3, uln=1.2, baseline=1.3) == 0


def test_transaminase_float_trap_on_inclusive_lower_edge() -> None:
    # 1.5 x 1.1 is 1.6500000000000001 in floats: an ALT of 1.65 x baseline is grade 1.
    alt = "Alanine aminotransferase increased"
    assert ctcae.grade_lab(alt, 1.65, uln=1, baseline=1.1) == 1
    assert ctcae.grade_lab(alt, "1.649", uln=1, baseline="1.1") == 0


def test_abnormal_baseline_above_uln_but_below_first_multiple_is_grade_zero() -> None:
    alt = "Alanine aminotransferase increased"
    assert ctcae.grade_lab(alt, 100, uln=40, baseline=80) == 0  # 1.25 x baseline, 2.5 x ULN
    assert ctcae.grade_lab(alt, 100, uln=40, baseline=80, baseline_abnormal=False) == 1


def test_baseline_at_uln_is_normal() -> None:
    alt = "Alanine aminotransferase increased"
    assert ctcae.grade_lab(alt, 50, uln=40, baseline=40) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"baseline": 80},  # baseline given but ULN missing: cannot tell whether it is abnormal
        {},  # no ULN
        {"baseline_abnormal": True},  # abnormal baseline without its value
        {"uln": 40, "baseline_abnormal": True},
        {"baseline_abnormal": False, "baseline": 80},
    ],
)
def test_rising_without_needed_reference_cannot_tell(kwargs: dict[str, object]) -> None:
    assert ctcae.grade_lab("GGT increased", 500, **kwargs) is None  # type: ignore[arg-type]


CREATININE = [
    # (value, uln, baseline, grade)
    ("1.0", "1.0", None, 0),
    ("1.001", "1.0", None, 1),
    ("1.5", "1.0", None, 1),
    ("1.501", "1.0", None, 2),
    ("3.0", "1.0", None, 2),
    ("3.001", "1.0", None, 3),
    ("6.0", "1.0", None, 3),
    ("6.001", "1.0", None, 4),
    # × baseline: >1.5 – 3.0 is grade 2, >3.0 is grade 3; the worse criterion wins.
    ("0.75", "1.0", "0.5", 0),
    ("0.751", "1.0", "0.5", 2),
    ("1.5", "1.0", "0.5", 2),
    ("1.501", "1.0", "0.5", 3),
    ("0.9", "1.0", "0.3", 2),
    ("0.901", "1.0", "0.3", 3),
    ("7", "1.0", "0.3", 4),  # 6 × ULN beats 3 × baseline
    ("1.2", "1.0", "1.0", 1),  # baseline criterion gives 0, ULN criterion 1
]


@pytest.mark.parametrize(("value", "uln", "baseline", "grade"), CREATININE)
def test_creatinine_worse_criterion_wins(
    value: str, uln: str, baseline: str | None, grade: int
) -> None:
    assert ctcae.grade_lab("Creatinine increased", value, uln=uln, baseline=baseline) == grade


def test_creatinine_without_uln_cannot_tell() -> None:
    assert ctcae.grade_lab("Creatinine increased", "2.0", baseline="0.5") is None


INR_CASES = [
    ("1.2", False, 0),
    ("1.201", False, 1),
    ("1.5", False, 1),
    ("1.501", False, 2),
    ("2.5", False, 2),
    ("2.501", False, 3),
    ("9", False, 3),
    ("2.0", True, 0),  # = baseline
    ("2.001", True, 1),
    ("3.0", True, 1),
    ("3.001", True, 2),
    ("5.0", True, 2),
    ("5.001", True, 3),
]


@pytest.mark.parametrize(("value", "anticoagulated", "grade"), INR_CASES)
def test_inr(value: str, anticoagulated: bool, grade: int) -> None:
    assert (
        ctcae.grade_lab("INR increased", value, baseline="2.0", on_anticoagulation=anticoagulated)
        == grade
    )


def test_inr_on_anticoagulation_needs_baseline() -> None:
    assert ctcae.grade_lab("INR increased", "3", on_anticoagulation=True) is None
    assert ctcae.grade_lab("INR increased", "1.3") == 1


# (term, unit, LLN, absolute cut-offs starting grades 2, 3, 4)
FALLING = [
    ("Platelet count decreased", "10^9/L", "150", "75.0 50.0 25.0"),
    ("Platelet count decreased", "/mm3", "150000", "75000 50000 25000"),
    ("White blood cell decreased", "10^9/L", "4.0", "3.0 2.0 1.0"),
    ("White blood cell decreased", "/mm3", "4000", "3000 2000 1000"),
    ("Neutrophil count decreased", "10^9/L", "2.0", "1.5 1.0 0.5"),
    ("Neutrophil count decreased", "/mm3", "2000", "1500 1000 500"),
    ("Lymphocyte count decreased", "10^9/L", "1.1", "0.8 0.5 0.2"),
    ("Lymphocyte count decreased", "/mm3", "1100", "800 500 200"),
    ("Anemia", "g/L", "130", "100 80"),
    ("Anemia", "g/dL", "13.0", "10.0 8.0"),
    ("Anemia", "mmol/L", "8.1", "6.2 4.9"),
    ("Hypoalbuminemia", "g/L", "35", "30 20"),
    ("Hypoalbuminemia", "g/dL", "3.5", "3 2"),
]

FALLING_CASES = []
for _term, _unit, _lln, _cuts in FALLING:
    _edges_falling = [(Decimal(_lln), 0), (Decimal(_lln) - STEP, 1)]
    for _grade, _cut in enumerate(_cuts.split(), start=2):
        _limit = Decimal(_cut)
        _edges_falling += [
            (_limit + STEP, _grade - 1),
            (_limit, _grade - 1),
            (_limit - STEP, _grade),
        ]
    FALLING_CASES += [
        pytest.param(_term, _unit, _lln, v, g, id=f"{_term[:10]}-{_unit}-{v}")
        for v, g in _edges_falling
    ]


@pytest.mark.parametrize(("term", "unit", "lln", "value", "grade"), FALLING_CASES)
def test_falling_terms_on_every_threshold(
    term: str, unit: str, lln: str, value: Decimal, grade: int
) -> None:
    assert ctcae.grade_lab(term, value, lln=lln, unit=unit) == grade
    # Without the LLN only grades 2 and up can be told.
    assert ctcae.grade_lab(term, value, unit=unit) == (grade if grade >= 2 else None)


def test_default_units() -> None:
    assert ctcae.grade_lab("Platelet count decreased", 60) == 2
    assert ctcae.grade_lab("Anemia", 90) == 2
    assert ctcae.grade_lab("Hypoalbuminemia", 25) == 2


def test_absolute_cut_off_wins_over_a_low_lln() -> None:
    # A lab LLN below the grade-2 cut-off: 0.7 is grade 2 whatever the LLN says.
    assert ctcae.grade_lab("Lymphocyte count decreased", "0.7", lln="0.6") == 2
    assert ctcae.grade_lab("Lymphocyte count decreased", "0.8", lln="0.6") == 0


@pytest.mark.parametrize(
    ("term", "unit"),
    [
        ("Platelet count decreased", "g/L"),
        ("Anemia", "10^9/L"),
        ("Hypoalbuminemia", "mmol/L"),
    ],
)
def test_unknown_unit_is_refused(term: str, unit: str) -> None:
    with pytest.raises(UnknownUnit, match=term):
        ctcae.grade_lab(term, 1, lln=2, unit=unit)


def test_term_spelling() -> None:
    assert ctcae.grade_lab("  alanine aminotransferase   INCREASED ", 50, uln=40) == 1
    with pytest.raises(UnknownTerm, match="Fatigue"):
        ctcae.grade_lab("Fatigue", 1, uln=1)
    with pytest.raises(UnknownTerm, match="no lab-based grade"):
        ctcae.grade_lab("ALT", 1, uln=1)


@pytest.mark.parametrize("name", ["value", "uln", "baseline"])
def test_invalid_numbers_are_refused(name: str) -> None:
    args: dict[str, object] = {"value": "50", "uln": "40", "baseline": "30"} | {name: "n/a"}
    with pytest.raises(InvalidNumber):
        ctcae.grade_lab("GGT increased", **args)  # type: ignore[arg-type]


def test_rules_explain_the_grade() -> None:
    alt = "Alanine aminotransferase increased"
    assert (
        ctcae.assess_lab(alt, 152, uln=40, unit="U/L").rule
        == "ALT 152 U/L = 3.8 × ULN (40), baseline normal → grade 2"
    )
    assert (
        ctcae.assess_lab(alt, "100", uln="40", baseline="80").rule
        == "ALT 100 = 1.25 × baseline (80), baseline abnormal → grade 0 (no AE by the lab "
        "criterion)"
    )
    assert "ULN missing" in ctcae.assess_lab(alt, 100).rule
    assert ctcae.assess_lab(alt, 100).grade is None
    creatinine = ctcae.assess_lab("Creatinine increased", "1.2", uln="1.0", baseline="0.4")
    assert creatinine.rule == "Creatinine 1.2 = 1.2 × ULN (1.0), 3 × baseline (0.4) → grade 2"
    assert ctcae.assess_lab("Platelet count decreased", 60).rule == (
        "Platelets 60 10^9/L < 75.0 → grade 2"
    )
    assert ctcae.assess_lab("Anemia", 120, lln=130).rule == "Hgb 120 g/L < LLN (130) → grade 1"
    assert ctcae.assess_lab("Anemia", 130, lln=130).rule.startswith("Hgb 130 g/L ≥ LLN (130)")
    assert "LLN missing" in ctcae.assess_lab("Anemia", 120).rule
    assert "not anticoagulated → grade 1" in ctcae.assess_lab("INR increased", "1.3").rule
    assert (
        "on anticoagulation → grade 2"
        in ctcae.assess_lab("INR increased", "3.2", baseline="2", on_anticoagulation=True).rule
    )


@pytest.mark.parametrize(
    ("term", "kwargs", "rule_zh"),
    [
        ("GGT increased", {"value": 100, "uln": 40}, "GGT 100 = 2.5 × ULN（40），基线正常 → 1级"),
        (
            "Blood bilirubin increased",
            {"value": "30", "uln": "20", "baseline": "25"},
            "胆红素 30 = 1.2 × 基线值（25），基线异常 → 1级",
        ),
        (
            "GGT increased",
            {"value": 60, "uln": 40, "baseline": 50},
            "GGT 60 = 1.2 × 基线值（50），基线异常 → 0级（按化验标准不构成不良事件）",
        ),
        (
            "GGT increased",
            {"value": 60, "baseline": 50},
            "GGT 60：缺少ULN，无法判断分级及基线是否异常",
        ),
        ("GGT increased", {"value": 60, "baseline_abnormal": True}, "GGT 60：基线异常但缺少基线值"),
        ("GGT increased", {"value": 60}, "GGT 60：缺少ULN"),
        (
            "Creatinine increased",
            {"value": "1.2", "uln": "1.0", "baseline": "0.4", "unit": "mg/dL"},
            "肌酐 1.2 mg/dL = 1.2 × ULN（1.0）、3 × 基线值（0.4） → 2级",
        ),
        ("Creatinine increased", {"value": "1.2"}, "肌酐 1.2：缺少ULN，不能排除1级"),
        ("INR increased", {"value": "1.3"}, "INR 1.3，未抗凝 → 1级"),
        (
            "INR increased",
            {"value": "3.2", "on_anticoagulation": True},
            "INR 3.2，抗凝治疗中：缺少基线INR",
        ),
        (
            "INR increased",
            {"value": "3.2", "baseline": "2", "on_anticoagulation": True},
            "INR 3.2 = 1.6 × 基线值（2），抗凝治疗中 → 2级",
        ),
        ("Platelet count decreased", {"value": 40}, "血小板 40 10^9/L < 50.0 → 3级"),
        ("Anemia", {"value": 120, "lln": 130}, "血红蛋白 120 g/L < LLN（130） → 1级"),
        ("Hypoalbuminemia", {"value": 36}, "白蛋白 36 g/L：缺少LLN，无法区分0级与1级"),
    ],
)
def test_rules_in_chinese(term: str, kwargs: dict[str, object], rule_zh: str) -> None:
    assert ctcae.assess_lab(term, **kwargs).rule_zh == rule_zh  # type: ignore[arg-type]


def test_zero_reference_is_shown_as_infinite_ratio() -> None:
    result = ctcae.assess_lab("GGT increased", 5, uln=0)
    assert result.grade == 4
    assert "∞ × ULN" in result.rule


references = st.decimals(min_value="0.1", max_value="500", places=2)
values = st.decimals(min_value=0, max_value=10000, places=3)


@given(
    term=st.sampled_from([t for t, _, _ in RISING] + ["Creatinine increased"]),
    low=values,
    high=values,
    uln=references,
    baseline=st.one_of(st.none(), references),
)
def test_rising_grades_are_monotone_in_the_value(
    term: str, low: Decimal, high: Decimal, uln: Decimal, baseline: Decimal | None
) -> None:
    assume(low <= high)
    lower = ctcae.grade_lab(term, low, uln=uln, baseline=baseline)
    higher = ctcae.grade_lab(term, high, uln=uln, baseline=baseline)
    assert lower is not None
    assert higher is not None
    assert 0 <= lower <= higher <= 4


@given(
    low=values,
    high=values,
    baseline=references,
    anticoagulated=st.booleans(),
)
def test_inr_grades_are_monotone(
    low: Decimal, high: Decimal, baseline: Decimal, anticoagulated: bool
) -> None:
    assume(low <= high)
    kwargs = {"baseline": baseline, "on_anticoagulation": anticoagulated}
    lower = ctcae.grade_lab("INR increased", low, **kwargs)  # type: ignore[arg-type]
    higher = ctcae.grade_lab("INR increased", high, **kwargs)  # type: ignore[arg-type]
    assert lower is not None
    assert higher is not None
    assert 0 <= lower <= higher <= 3


@given(
    case=st.sampled_from(FALLING),
    low=values,
    high=values,
    lln=st.one_of(st.none(), references),
)
def test_falling_grades_are_monotone_in_the_value(
    case: tuple[str, str, str, str], low: Decimal, high: Decimal, lln: Decimal | None
) -> None:
    assume(low <= high)
    term, unit, _, _ = case
    lower = ctcae.grade_lab(term, low, lln=lln, unit=unit)
    higher = ctcae.grade_lab(term, high, lln=lln, unit=unit)
    if lower is not None and higher is not None:
        assert lower >= higher
    if higher is None:  # cannot tell only between grade 0 and 1
        assert lower is None or lower >= 2
    if lln is not None:
        assert lower is not None
        assert higher is not None


def test_creatinine_without_uln_is_at_least_the_baseline_grade() -> None:
    # 2.0 is 4 × baseline: > 3.0 × baseline proves grade 3 at least; without the ULN the
    # × ULN criterion (grade 4 above 6 × ULN) cannot be judged, so the exact grade is open.
    result = ctcae.assess_lab("Creatinine increased", "2.0", baseline="0.5")
    assert (result.grade, result.at_least) == (3, True)
    assert result.rule == "Creatinine 2.0 = 4 × baseline (0.5); ULN missing → ≥ grade 3"
    assert result.rule_zh == "肌酐 2.0 = 4 × 基线值（0.5）；缺少ULN → ≥3级"
    second = ctcae.assess_lab("Creatinine increased", "1.8", baseline="1.0")
    assert (second.grade, second.at_least) == (2, True)
    below = ctcae.assess_lab("Creatinine increased", "1.2", baseline="1.0")
    assert below.grade is None  # 1.2 × baseline proves nothing; grade 1 not ruled out
    assert not ctcae.assess_lab("Creatinine increased", "1.2", uln="1.0").at_least


@pytest.mark.parametrize(
    ("term", "entered", "kwargs", "grade", "at_least"),
    [
        ("Blood bilirubin increased", ">500", {"uln": "21"}, 4, False),  # > 23.8 × ULN
        ("Alanine aminotransferase increased", ">400", {"uln": "20"}, 4, False),  # > 20 × ULN
        ("Alanine aminotransferase increased", ">=400", {"uln": "20"}, 3, True),  # 400 is G3
        ("Alanine aminotransferase increased", ">100", {"uln": "40"}, 1, True),
        ("Alanine aminotransferase increased", ">30", {"uln": "40"}, None, False),
        ("Platelet count decreased", "<20", {"lln": "125"}, 4, False),
        ("Platelet count decreased", "<60", {"lln": "125"}, 2, True),
        ("Platelet count decreased", "<=25", {}, 3, True),  # 25 itself is grade 3
        ("Alanine aminotransferase increased", "<10", {"uln": "40"}, 0, False),
        ("Alanine aminotransferase increased", "target not detected", {"uln": "40"}, None, False),
    ],
)
def test_values_beyond_quantification_are_graded_from_their_bound(
    term: str, entered: str, kwargs: dict[str, str], grade: int | None, at_least: bool
) -> None:
    result = ctcae_bounds.assess_entered(term, entered, **kwargs)
    assert (result.grade, result.at_least) == (grade, at_least)


def test_a_bound_says_how_it_was_graded() -> None:
    result = ctcae_bounds.assess_entered(
        "Blood bilirubin increased", ">500", uln="21", unit="umol/L"
    )
    assert result.rule == (
        "Bilirubin >500 umol/L, beyond quantification: at its bound, Bilirubin 500 umol/L = "
        "23.81 × ULN (21), baseline normal → grade 4; every value above it → grade 4"
    )
    assert result.rule_zh.endswith("所有高于该界值的数值 → 4级")
    plain = ctcae_bounds.assess_entered("Blood bilirubin increased", "30", uln="21")
    assert plain == ctcae.assess_lab("Blood bilirubin increased", "30", uln="21")
