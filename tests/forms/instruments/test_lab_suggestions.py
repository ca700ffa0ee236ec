"""Lab-driven AE suggestions: graded values become suggestions with their rule; decisions kept."""

from __future__ import annotations

import pytest

from desktop_crf.instruments import load_ctcae_dictionary
from forms.instruments import lab_suggestions as labs
from forms.instruments.errors import ReasonRequired
from forms.instruments.lab_suggestions import LabValue, ReferenceRange

RANGES = {
    "I.ALT": ReferenceRange(lln="7", uln="40", unit="U/L"),
    "I.TBIL": ReferenceRange(uln="1.2", unit="mg/dL"),
    "I.PLT": ReferenceRange(lln="125", uln="350", unit="10^9/L"),
    "I.HGB": ReferenceRange(lln="130", uln="175", unit="g/L"),
    "I.INR": ReferenceRange(uln="1.15"),
}


def test_issue_example_alt() -> None:
    found = labs.suggest_adverse_events({"I.ALT": LabValue("152", "U/L")}, RANGES, {})
    assert found == [
        labs.Suggestion(
            item="I.ALT",
            term="Alanine aminotransferase increased",
            grade=2,
            rule="ALT 152 U/L = 3.8 × ULN (40), baseline normal → grade 2",
            rule_zh="ALT 152 U/L = 3.8 × ULN（40），基线正常 → 2级",
        )
    ]


def test_several_values_in_a_fixed_order() -> None:
    values = {
        "I.PLT": LabValue("60", "10^3/uL"),  # same unit as 10^9/L
        "I.TBIL": LabValue(1.8, "mg/dL"),  # 1.5 × ULN exactly: grade 1
        "I.HGB": LabValue("140", "g/L"),  # normal: no suggestion
        "I.INR": "1.3",
        "I.AFP": "900",  # not a CTCAE lab term
    }
    found = labs.suggest_adverse_events(values, RANGES, {})
    assert [(s.item, s.grade) for s in found] == [("I.TBIL", 1), ("I.INR", 1), ("I.PLT", 2)]


def test_abnormal_baseline_changes_the_grade() -> None:
    values = {"I.ALT": LabValue("152", "U/L")}
    baseline = {"I.ALT": LabValue("80", "U/L")}  # > ULN: abnormal; 152 = 1.9 × baseline
    (suggestion,) = labs.suggest_adverse_events(values, RANGES, baseline)
    assert suggestion.grade == 1
    assert "baseline abnormal" in suggestion.rule
    assert labs.suggest_adverse_events({"I.ALT": "110"}, RANGES, {"I.ALT": "80"}) == []


def test_baseline_in_another_unit_counts_as_missing() -> None:
    values = {"I.TBIL": LabValue("2.0", "mg/dL")}
    baseline = {"I.TBIL": LabValue("30", "umol/L")}
    (suggestion,) = labs.suggest_adverse_events(values, RANGES, baseline)
    assert "baseline normal" in suggestion.rule
    assert suggestion.grade == 2


@pytest.mark.parametrize(
    "values",
    [
        {"I.ALT": LabValue("3", "ukat/L")},  # limits are in U/L
        {"I.PLT": LabValue("60", "G/L")},  # a unit CTCAE counts are not graded in
        {"I.GGT": "500"},  # no ULN reported for GGT
        {"I.INR": "1.1"},
    ],
)
def test_no_suggestion_without_an_exact_comparison(values: dict[str, object]) -> None:
    assert labs.suggest_adverse_events(values, RANGES, {}) == []  # type: ignore[arg-type]


def test_anticoagulated_inr_needs_baseline() -> None:
    assert labs.suggest_adverse_events({"I.INR": "3.5"}, {}, {}, on_anticoagulation=True) == []
    (suggestion,) = labs.suggest_adverse_events(
        {"I.INR": "3.5"}, {}, {"I.INR": "2.0"}, on_anticoagulation=True
    )
    assert suggestion.grade == 2


def test_accept_prefills_the_ae_entry() -> None:
    (suggestion,) = labs.suggest_adverse_events({"I.PLT": "40"}, RANGES, {})
    decision = labs.accept(suggestion)
    assert decision.accepted
    assert decision.reason is None
    assert labs.ae_values(suggestion, load_ctcae_dictionary()) == {
        "I.AETERM": "Platelet count decreased",
        "I.AEMEDDRA": "10035528",
        "I.AEGRADE": "3",
        "I.AELABRULE": "Platelets 40 10^9/L < 50.0 → grade 3",
    }


def test_dismiss_needs_and_keeps_a_reason() -> None:
    (suggestion,) = labs.suggest_adverse_events({"I.PLT": "40"}, RANGES, {})
    with pytest.raises(ReasonRequired, match="Platelet count decreased"):
        labs.dismiss(suggestion, "  ")
    decision = labs.dismiss(suggestion, " clumped sample, repeat normal ")
    assert not decision.accepted
    assert decision.reason == "clumped sample, repeat normal"


def test_every_lab_term_exists_in_the_dictionary() -> None:
    dictionary = load_ctcae_dictionary()
    for term in labs.LAB_TERMS.values():
        assert term in dictionary


def test_values_beyond_quantification_are_suggested_when_their_bound_decides() -> None:
    ranges = {**RANGES, "I.TBIL": ReferenceRange(uln="21", unit="umol/L")}
    values = {"I.TBIL": LabValue(">500", "umol/L"), "I.PLT": LabValue("<20", "10^9/L")}
    found = labs.suggest_adverse_events(values, ranges, {})
    assert [(s.item, s.grade, s.at_least) for s in found] == [
        ("I.TBIL", 4, False),
        ("I.PLT", 4, False),
    ]
    (open_grade,) = labs.suggest_adverse_events({"I.ALT": ">100"}, RANGES, {})
    assert (open_grade.grade, open_grade.at_least) == (1, True)
    assert "≥ grade 1" in open_grade.rule


def test_creatinine_without_uln_suggests_at_least_grade_2() -> None:
    (suggestion,) = labs.suggest_adverse_events({"I.CREAT": "144"}, {}, {"I.CREAT": "80"})
    assert (suggestion.term, suggestion.grade, suggestion.at_least) == (
        "Creatinine increased",
        2,
        True,
    )
    assert suggestion.rule.endswith("→ ≥ grade 2")
    # The investigator grades it: the AE entry is not prefilled with a grade.
    assert "I.AEGRADE" not in labs.ae_values(suggestion, load_ctcae_dictionary())
