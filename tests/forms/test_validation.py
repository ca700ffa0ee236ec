"""validate(form, values, context): findings with item path, severity, key and both languages."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_crf.instruments import load_ctcae_dictionary
from desktop_crf.studies import bundled_forms, load_form
from forms.schema import ItemValue
from forms.validation import Finding, Severity, ValidationContext, contradictions, validate

TODAY = date(2026, 11, 22)
CTX = ValidationContext(today=TODAY)
FORMS = bundled_forms()


def _keys(findings: list[Finding]) -> dict[str, str]:
    return {f.path: f.key for f in findings}


LIVER_OK = {
    "I.SAMPLE_DATE": "2026-06-20",
    "I.LAB_NAME": "Ningbo No.2 Hospital",
    "I.ALT": "40",
    "I.ALT_ULN": "40",
    "I.TBIL": ItemValue(text="1.2", unit="mg/dL"),
}


def test_a_clean_form_has_no_findings() -> None:
    assert validate(load_form("F.LAB_LIVER"), LIVER_OK, CTX) == []


def test_required_and_type_errors_name_the_item_in_both_languages() -> None:
    findings = validate(load_form("F.LAB_LIVER"), {"I.SAMPLE_DATE": "22/11/2026"}, CTX)
    assert _keys(findings) == {"I.SAMPLE_DATE": "type", "I.LAB_NAME": "required"}
    wrong = findings[0]
    assert wrong.severity is Severity.ERROR
    assert "Sample date" in wrong.message.en
    assert "YYYY-MM-DD" in wrong.message.en
    assert "采样日期" in wrong.message.zh


def test_values_below_quantification_are_valid_entries() -> None:
    values = {
        "I.SAMPLE_DATE": "2026-06-20",
        "I.LAB_NAME": "Site lab",
        "I.HBSAG": "<0.05 IU/mL",
        "I.HBV_DNA": "target not detected",
        "I.ANTI_HBS": "<10",
        "I.HBEAG_STATUS": "NEG",
        "I.ANTI_HBE_STATUS": "POS",
    }
    assert validate(load_form("F.LAB_VIROLOGY"), values, CTX) == []
    values["I.HBV_DNA"] = ">1.7E+08 IU/mL"
    assert validate(load_form("F.LAB_VIROLOGY"), values, CTX) == []


def test_hard_range_is_an_error_and_soft_range_a_warning() -> None:
    form = load_form("F.LAB_BLOOD")
    base = {"I.SAMPLE_DATE": "2026-06-20", "I.LAB_NAME": "Site lab"}
    hard = validate(form, {**base, "I.PLT": "5000"}, CTX)
    assert [(f.key, f.severity) for f in hard] == [("hard_range", Severity.ERROR)]
    soft = validate(form, {**base, "I.PLT": "900"}, CTX)
    assert [(f.key, f.severity) for f in soft] == [("soft_range", Severity.WARNING)]
    assert "20 – 800" in soft[0].message.en


def test_alternative_units_convert_exactly_before_range_checks() -> None:
    form = load_form("F.LAB_BLOOD")
    base = {"I.SAMPLE_DATE": "2026-06-20", "I.LAB_NAME": "Site lab"}
    assert validate(form, {**base, "I.PLT": ItemValue(text="150000", unit="/mm3")}, CTX) == []
    wrong_unit = validate(form, {**base, "I.PLT": ItemValue(text="150", unit="g/L")}, CTX)
    assert _keys(wrong_unit) == {"I.PLT": "unit"}


def test_dates_not_in_the_future_not_before_consent_and_inside_the_window() -> None:
    form = load_form("F.VISIT")
    ctx = ValidationContext(
        today=TODAY, consent_date=date(2026, 3, 1), window=(date(2026, 6, 17), date(2026, 7, 1))
    )
    assert validate(form, {"I.VISIT_DONE": "Y", "I.VISIT_DATE": "2026-06-17"}, ctx) == []
    late = validate(form, {"I.VISIT_DONE": "Y", "I.VISIT_DATE": "2026-07-02"}, ctx)
    assert [(f.key, f.severity) for f in late] == [("outside_window", Severity.WARNING)]
    early = validate(form, {"I.VISIT_DONE": "Y", "I.VISIT_DATE": "2026-02-28"}, ctx)
    assert "before_consent" in {f.key for f in early}
    future = validate(form, {"I.VISIT_DONE": "Y", "I.VISIT_DATE": "2026-11-23"}, ctx)
    assert "future" in {f.key for f in future}


def test_show_when_hides_items_and_flags_values_that_do_not_apply() -> None:
    form = load_form("F.VISIT")
    not_done = validate(form, {"I.VISIT_DONE": "N"}, CTX)
    assert _keys(not_done) == {"I.NOT_DONE_REASON": "required"}
    stray = validate(
        form, {"I.VISIT_DONE": "N", "I.NOT_DONE_REASON": "ill", "I.VISIT_DATE": "2026-06-20"}, CTX
    )
    assert [(f.path, f.key, f.severity) for f in stray] == [
        ("I.VISIT_DATE", "not_applicable", Severity.WARNING)
    ]


def test_stop_date_not_before_start_date() -> None:
    form = load_form("F.TREATMENT")
    values = {
        "I.FIRST_DOSE_DATE": "2026-04-01",
        "I.NA_DRUG": "TAF",
        "I.NA_START_DATE": "2025-11",
        "I.PEG_GIVEN": "Y",
        "I.PEG_START_DATE": "2026-04-01",
        "I.PEG_DOSE": "180",
        "I.PEG_STOP_DATE": "2026-03-31",
        "I.PEG_STOP_REASON": "AE",
    }
    assert _keys(validate(form, values, CTX)) == {"I.PEG_STOP_DATE": "not_before"}
    values["I.PEG_STOP_DATE"] = "2026-04-01"
    assert validate(form, values, CTX) == []


def test_partial_dates_where_history_needs_them() -> None:
    form = load_form("F.HCC_HISTORY")
    values = {
        "I.HBV_RELATED": "Y",
        "I.DIAG_DATE": "2025-12",
        "I.DIAG_METHOD": "PATHOLOGY",
        "I.CNLC_STAGE": "IA",
        "I.BCLC_STAGE": "A",
        "I.RADICAL_TYPE": "ABLATION",
        "I.RADICAL_DATE": "2025-12-01",
    }
    assert validate(form, values, CTX) == []  # same month: not definitely before
    values["I.RADICAL_DATE"] = "2025-11-30"
    assert _keys(validate(form, values, CTX)) == {"I.RADICAL_DATE": "not_before"}


def test_lab_limits_are_checked_against_each_other() -> None:
    values = {**LIVER_OK, "I.ALT_LLN": "45"}
    assert _keys(validate(load_form("F.LAB_LIVER"), values, CTX)) == {"I.ALT_LLN": "at_most"}


def test_repeating_groups_are_validated_per_repeat() -> None:
    form = load_form("F.IMAGING")
    lesion = {
        "I.LESION_SEGMENT": "S6",
        "I.LESION_SIZE": "25",
        "I.APHE": "Y",
        "I.WASHOUT": "Y",
        "I.CAPSULE": "N",
        "I.THRESHOLD_GROWTH": "N",
        "I.LIRADS": "LR5",
    }
    values: dict[str, str] = {
        "I.SCAN_DATE": "2026-06-20",
        "I.MODALITY": "CE_MRI",
        "I.NEW_LESION": "Y",
        "I.RECURRENCE": "Y",
        "I.RECURRENCE_TYPE": "INTRAHEPATIC",
    }
    values |= {f"IG.LESION[1]/{k}": v for k, v in lesion.items()}
    values |= {f"IG.LESION[2]/{k}": v for k, v in lesion.items() if k != "I.APHE"}
    assert _keys(validate(form, values, CTX)) == {"IG.LESION[2]/I.APHE": "required"}


def test_a_derived_value_that_disagrees_is_a_warning() -> None:
    form = load_form("F.DEMOGRAPHICS")
    values = {"I.BRTHDTC": "1970-01-01", "I.SEX": "F", "I.HEIGHT": "160", "I.WEIGHT": "64"}
    assert validate(form, {**values, "I.BMI": "25.0"}, CTX) == []
    wrong = validate(form, {**values, "I.BMI": "30"}, CTX)
    assert [(f.key, f.severity) for f in wrong] == [("derived_differs", Severity.WARNING)]


def test_unknown_items_and_paths_are_errors() -> None:
    findings = validate(load_form("F.VISIT"), {"I.NOPE": "1", "IG.VISIT[1]/I.VISIT_DONE": "Y"}, CTX)
    assert {f.key for f in findings} >= {"unknown_item"}
    assert {"I.NOPE", "IG.VISIT[1]/I.VISIT_DONE"} <= {f.path for f in findings}


@pytest.mark.parametrize("oid", sorted(FORMS))
def test_an_empty_form_reports_only_required_items(oid: str) -> None:
    assert {f.key for f in validate(FORMS[oid], {}, CTX)} <= {"required"}


_PATHS = st.sampled_from(
    sorted({p for form in FORMS.values() for p in form.items()} | {"IG.LESION[1]/I.LIRADS"})
)
_ENTRIES = st.one_of(
    st.text(max_size=30),
    st.builds(ItemValue, text=st.text(max_size=20), unit=st.none() | st.text(max_size=8)),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    oid=st.sampled_from(sorted(FORMS)),
    values=st.dictionaries(_PATHS | st.text(max_size=12), _ENTRIES, max_size=8),
)
def test_validation_never_raises_on_arbitrary_strings(
    oid: str, values: dict[str, str | ItemValue]
) -> None:
    findings = validate(FORMS[oid], values, CTX)
    for finding in findings:
        assert finding.message.en
        assert finding.message.zh
    for path, entry in values.items():
        text = entry.text if isinstance(entry, ItemValue) else entry
        if path not in FORMS[oid].items() and "[" not in path and text.strip():
            assert any(f.path == path for f in findings)


AE = "IG.AE[1]/"


def _ae(**values: str) -> dict[str, str]:
    return {AE + item: value for item, value in values.items()}


def test_grade_5_needs_the_death_criterion_and_says_so() -> None:
    form = load_form("F.AE")
    fatal = _ae(**{"I.AETERM": "Anemia", "I.AEGRADE": "5", "I.AESER": "Y", "I.AESCRIT": "death"})
    assert "requires" not in _keys(validate(form, fatal, CTX)).values()
    for values in (
        {**fatal, AE + "I.AESER": "N", AE + "I.AESCRIT": ""},
        {**fatal, AE + "I.AESCRIT": "hospitalisation"},
    ):
        (finding,) = [f for f in validate(form, values, CTX) if f.key == "requires"]
        assert finding.path == AE + "I.AEGRADE"
        assert finding.severity is Severity.ERROR
        assert "Results in death" in finding.message.en
        assert "导致死亡" in finding.message.zh
        assert contradictions(form, values, CTX) == [finding]
    unanswered = {**fatal, AE + "I.AESER": "", AE + "I.AESCRIT": ""}
    assert [f.key for f in validate(form, unanswered, CTX) if f.key == "requires"] == ["requires"]
    assert contradictions(form, unanswered, CTX) == []  # not decided yet: a draft may hold it


def test_a_grade_ctcae_does_not_define_for_the_term() -> None:
    form = load_form("F.AE")
    values = _ae(**{"I.AETERM": "Fatigue", "I.AEGRADE": "4"})
    assert "ctcae_grade" not in _keys(validate(form, values, CTX)).values()  # no dictionary
    context = ValidationContext(today=TODAY, ctcae=load_ctcae_dictionary())
    (finding,) = contradictions(form, values, context)
    assert finding.key == "ctcae_grade"
    assert "no grade 4 for Fatigue (it defines grades 1, 2, 3)" in finding.message.en
    assert contradictions(form, {**values, AE + "I.AEGRADE": "3"}, context) == []
    assert contradictions(form, {**values, AE + "I.AETERM": "not a term"}, context) == []
