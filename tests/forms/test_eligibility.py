"""Every eligibility criterion of both protocols, at its boundary."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

import pytest

from desktop_crf.studies import bundled_forms, bundled_studies, load_study
from forms.criteria import AllRule, AnyRule, Criterion, Rule, SameValue
from forms.eligibility import Status, evaluate
from forms.schema import ItemValue
from tests.helpers.eligible import ELIGIBLE

FORMS = bundled_forms()
NCT = load_study("NCT07553767")
RECURRENCE = load_study("PEG-HCC-RECUR-3Y")


def _with(form: str, item: str, value: Any) -> dict[str, dict[str, Any]]:
    data = deepcopy(ELIGIBLE)
    data[form][item] = value
    return data


def _status(data: dict[str, dict[str, Any]], criterion: str, study: Any = NCT) -> Status:
    result = evaluate(study, data, FORMS)
    return next(r.status for r in result.results if r.criterion.id == criterion)


def test_the_reference_subject_is_enrollable() -> None:
    result = evaluate(NCT, ELIGIBLE, FORMS)
    assert [r.criterion.id for r in result.blocking] == []
    assert result.enrollable


def test_criteria_are_worded_as_the_protocol() -> None:
    texts = {c.id: c.text.en for c in NCT.eligibility}
    assert texts["EX06"] == "INR > 1."
    assert texts["IN04"] == "HBsAg positive and HBsAg level < 2000 IU/mL."
    assert texts["EX04"] == "ALT > 3×ULN or total bilirubin (TBIL) > 2×ULN."
    assert len([c for c in NCT.eligibility if c.kind == "inclusion"]) == 7
    assert len([c for c in NCT.eligibility if c.kind == "exclusion"]) == 10


@pytest.mark.parametrize(
    ("birth", "status"),
    [
        ("2008-03-21", Status.NOT_MET),  # 17 on the consent day 2026-03-20
        ("2008-03-20", Status.MET),  # 18th birthday on the consent day
        ("1960-03-21", Status.MET),  # 65 years and 364 days
        ("1960-03-20", Status.NOT_MET),  # 66th birthday on the consent day
    ],
)
def test_in01_age_18_to_65_at_consent(birth: str, status: Status) -> None:
    assert _status(_with("F.DEMOGRAPHICS", "I.BRTHDTC", birth), "IN01") is status


def test_in02_diagnosis() -> None:
    assert _status(_with("F.HCC_HISTORY", "I.DIAG_METHOD", "CE_MRI"), "IN02") is Status.MET
    assert _status(_with("F.HCC_HISTORY", "I.DIAG_METHOD", "OTHER"), "IN02") is Status.NOT_MET
    assert _status(_with("F.HCC_HISTORY", "I.HBV_RELATED", "N"), "IN02") is Status.NOT_MET


@pytest.mark.parametrize(
    ("imaging", "status"),
    [
        ("2026-02-14", Status.NOT_MET),  # less than 1 month after 2026-01-15
        ("2026-02-15", Status.MET),
        ("2026-04-15", Status.MET),  # exactly 3 months
        ("2026-04-16", Status.NOT_MET),
    ],
)
def test_in03_no_residual_tumour_within_1_to_3_months(imaging: str, status: Status) -> None:
    assert _status(_with("F.SCREENING", "I.RESIDUAL_IMAGING_DATE", imaging), "IN03") is status


def test_in03_stage_and_treatment() -> None:
    assert _status(_with("F.HCC_HISTORY", "I.CNLC_STAGE", "IIA"), "IN03") is Status.MET
    assert _status(_with("F.HCC_HISTORY", "I.CNLC_STAGE", "IIB"), "IN03") is Status.NOT_MET
    assert _status(_with("F.HCC_HISTORY", "I.RADICAL_TYPE", "ABLATION"), "IN03") is Status.MET


@pytest.mark.parametrize(
    ("hbsag", "status"),
    [
        ("1999.99", Status.MET),
        ("2000", Status.NOT_MET),
        ("<2000", Status.UNKNOWN),  # below 2000, but positive cannot be told
        (">1000", Status.UNKNOWN),
        ("0.05", Status.MET),
        ("<0.05 IU/mL", Status.NOT_MET),  # HBsAg negative
        ("target not detected", Status.NOT_MET),
    ],
)
def test_in04_hbsag_positive_and_below_2000(hbsag: str, status: Status) -> None:
    assert _status(_with("F.LAB_VIROLOGY", "I.HBSAG", hbsag), "IN04") is status


@pytest.mark.parametrize(
    ("item", "value", "criterion", "status"),
    [
        ("I.PRIOR_SYSTEMIC_THERAPY", "Y", "IN05", Status.NOT_MET),
        ("I.ABLE_TO_COMPLY", "N", "IN06", Status.NOT_MET),
        ("I.CONTRACEPTION", "N", "IN07", Status.NOT_MET),
        ("I.PREGNANCY_TEST", "POS", "IN07", Status.NOT_MET),
        ("I.RECURRENT_OR_METASTATIC", "Y", "EX01", Status.MET),
        ("I.PEG_CONTRAINDICATION", "Y", "EX02", Status.MET),
        ("I.TRANSPLANT", "Y", "EX07", Status.MET),
        ("I.HYPERSENSITIVITY", "Y", "EX08", Status.MET),
        ("I.PREGNANCY_TEST", "POS", "EX09", Status.MET),
        ("I.BREASTFEEDING", "Y", "EX09", Status.MET),
        ("I.OTHER_TRIAL", "Y", "EX10", Status.MET),
    ],
)
def test_screening_questions(item: str, value: str, criterion: str, status: Status) -> None:
    assert _status(_with("F.SCREENING", item, value), criterion) is status


def test_in07_and_ex09_do_not_apply_to_men() -> None:
    data = _with("F.DEMOGRAPHICS", "I.SEX", "M")
    for item in ("I.CHILDBEARING_POTENTIAL", "I.PREGNANCY_TEST", "I.CONTRACEPTION"):
        del data["F.SCREENING"][item]
    assert _status(data, "IN07") is Status.MET
    assert _status(data, "EX09") is Status.NOT_MET


def test_in06_needs_signed_consent() -> None:
    assert _status(_with("F.CONSENT", "I.CONSENT_SIGNED", "N"), "IN06") is Status.NOT_MET


@pytest.mark.parametrize(
    ("item", "value", "status"),
    [
        ("I.WBC", "3.49", Status.MET),
        ("I.WBC", "3.5", Status.NOT_MET),
        ("I.PLT", "99", Status.MET),
        ("I.PLT", "100", Status.NOT_MET),
        ("I.PLT", ItemValue(text="99000", unit="/mm3"), Status.MET),
        ("I.PLT", ItemValue(text="100000", unit="/mm3"), Status.NOT_MET),
    ],
)
def test_ex03_wbc_and_platelets(item: str, value: Any, status: Status) -> None:
    assert _status(_with("F.LAB_BLOOD", item, value), "EX03") is status


@pytest.mark.parametrize(
    ("item", "value", "status"),
    [
        ("I.ALT", "120", Status.NOT_MET),  # exactly 3 × ULN 40
        ("I.ALT", "120.01", Status.MET),
        ("I.TBIL", "42", Status.NOT_MET),  # exactly 2 × ULN 21
        ("I.TBIL", "42.1", Status.MET),
        ("I.TBIL", ItemValue(text="2.46", unit="mg/dL"), Status.MET),  # 42.066 µmol/L
    ],
)
def test_ex04_alt_and_bilirubin_times_uln(item: str, value: Any, status: Status) -> None:
    assert _status(_with("F.LAB_LIVER", item, value), "EX04") is status


def test_ex04_without_the_labs_uln_is_unknown() -> None:
    data = deepcopy(ELIGIBLE)
    del data["F.LAB_LIVER"]["I.ALT_ULN"]
    result = evaluate(NCT, data, FORMS)
    ex04 = next(r for r in result.results if r.criterion.id == "EX04")
    assert ex04.status is Status.UNKNOWN
    assert any("ULN" in reason.en for reason in ex04.reasons)
    assert not result.enrollable


@pytest.mark.parametrize(("albumin", "status"), [("35.1", Status.NOT_MET), ("35", Status.MET)])
def test_ex05_child_pugh_5_vs_6(albumin: str, status: Status) -> None:
    assert _status(_with("F.CHILD_PUGH", "I.CP_ALB", albumin), "EX05") is status


@pytest.mark.parametrize(("inr", "status"), [("1", Status.NOT_MET), ("1.01", Status.MET)])
def test_ex06_inr_above_1(inr: str, status: Status) -> None:
    assert _status(_with("F.LAB_LIVER", "I.INR", inr), "EX06") is status


def test_missing_data_is_unknown_with_a_reason_and_blocks_enrolment() -> None:
    data = deepcopy(ELIGIBLE)
    del data["F.LAB_BLOOD"]
    result = evaluate(NCT, data, FORMS)
    ex03 = next(r for r in result.results if r.criterion.id == "EX03")
    assert ex03.status is Status.UNKNOWN
    assert ex03.reasons[0].en == "White blood cells: not entered"
    assert ex03.reasons[0].zh == "白细胞：未录入"
    assert not result.enrollable


def test_recurrence_study_criterion() -> None:
    assert evaluate(RECURRENCE, ELIGIBLE, FORMS).enrollable
    data = _with("F.HCC_HISTORY", "I.HBV_RELATED", "N")
    assert _status(data, "IN01", RECURRENCE) is Status.NOT_MET


def _refs(rule: Rule) -> list[str]:
    if isinstance(rule, AnyRule | AllRule):
        return [ref for sub in rule.rules for ref in _refs(sub)]
    fields = ("item", "birth_date", "on", "start", "end", "limit")
    return [getattr(rule, f) for f in fields if getattr(rule, f, None)]


def test_every_rule_refers_to_a_bundled_item() -> None:
    for study in bundled_studies().values():
        for criterion in study.eligibility:
            for ref in _refs(criterion.rule):
                form, item = ref.split("/")
                assert item in FORMS[form].items(), (study.id, criterion.id, ref)


def test_eligibility_reads_only_forms_due_at_the_first_visit() -> None:
    for study in bundled_studies().values():
        first_visit = set(study.visits[0].forms)
        for criterion in study.eligibility:
            forms = {ref.split("/")[0] for ref in _refs(criterion.rule)}
            assert forms <= first_visit, (study.id, criterion.id, forms - first_visit)


def _not_of_childbearing_potential() -> dict[str, dict[str, Any]]:
    data = _with("F.SCREENING", "I.CHILDBEARING_POTENTIAL", "N")
    for item in ("I.PREGNANCY_TEST", "I.CONTRACEPTION"):
        del data["F.SCREENING"][item]
    return data


def test_ex09_for_a_woman_not_of_childbearing_potential() -> None:
    data = _not_of_childbearing_potential()
    assert _status(data, "EX09") is Status.NOT_MET
    assert _status(_with("F.SCREENING", "I.BREASTFEEDING", "Y"), "EX09") is Status.MET
    data["F.SCREENING"]["I.BREASTFEEDING"] = "Y"
    assert _status(data, "EX09") is Status.MET
    assert evaluate(NCT, _not_of_childbearing_potential(), FORMS).enrollable


def test_an_item_that_does_not_apply_has_none_of_its_values() -> None:
    # The pregnancy test is shown only to women of childbearing potential: for a woman who is
    # not, "pregnancy test positive" is false (not unknown), with the reason said.
    rule = {"kind": "choice", "item": "F.SCREENING/I.PREGNANCY_TEST", "any_of": ["POS"]}
    criterion = Criterion.model_validate(
        {"id": "EX99", "kind": "exclusion", "text": {"en": "t", "zh": "t"}, "rule": rule}
    )
    study = NCT.model_copy(update={"eligibility": (criterion,)})
    (result,) = evaluate(study, _not_of_childbearing_potential(), FORMS).results
    assert result.status is Status.NOT_MET
    assert result.reasons[0].en == "Pregnancy test: does not apply"
    unanswered = _not_of_childbearing_potential()
    del unanswered["F.SCREENING"]["I.CHILDBEARING_POTENTIAL"]
    (result,) = evaluate(study, unanswered, FORMS).results
    assert result.status is Status.UNKNOWN  # it may yet apply


def test_an_entered_derived_score_without_its_inputs_is_not_used() -> None:
    data = deepcopy(ELIGIBLE)
    data["F.CHILD_PUGH"] = {"I.CP_SCORE": "5"}  # the components are missing
    result = evaluate(NCT, data, FORMS)
    assert _status(data, "EX05") is Status.UNKNOWN
    (flag,) = result.derived_differs
    assert (flag.entered, flag.derived) == ("5", None)
    assert not result.enrollable
    assert evaluate(NCT, ELIGIBLE, FORMS).derived_differs == ()


def test_consistency_checks_compare_first_visit_items_of_both_studies() -> None:
    for study in bundled_studies().values():
        assert [c.id for c in study.consistency] == ["CC01", "CC02"], study.id
        first_visit = set(study.visits[0].forms)
        for check in study.consistency:
            inner = check.check
            refs = (
                list(inner.items)
                if isinstance(inner, SameValue)
                else _refs(inner.when) + _refs(inner.then)
            )
            for ref in refs:
                form, item = ref.split("/")
                assert form in first_visit, (study.id, check.id, ref)
                assert item in FORMS[form].items(), (study.id, check.id, ref)


def test_the_two_inrs_compare_exactly_and_by_what_a_bound_tells() -> None:
    assert evaluate(NCT, _with("F.CHILD_PUGH", "I.CP_INR", "0.980"), FORMS).inconsistencies == ()
    (found,) = evaluate(NCT, _with("F.CHILD_PUGH", "I.CP_INR", "0.99"), FORMS).inconsistencies
    assert found.reasons[0].en == "Liver function, INR 0.98 ≠ Child-Pugh, INR 0.99"
    unknown = _with("F.CHILD_PUGH", "I.CP_INR", "<1.5")  # cannot tell: no disagreement said
    assert evaluate(NCT, unknown, FORMS).inconsistencies == ()
    missing = deepcopy(ELIGIBLE)
    del missing["F.CHILD_PUGH"]["I.CP_INR"]
    assert evaluate(NCT, missing, FORMS).inconsistencies == ()
