"""Lab → AE suggestions through the services: the baseline is the study's, values before the
first dose are not adverse events, and the study's reporting threshold applies."""

from __future__ import annotations

from desktop_crf.model import FormKey
from desktop_crf.services.adverse_events import lab_suggestions
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject
from desktop_crf.studies import load_form
from tests.helpers.saving import save_confirmed


def _subject(session: Session) -> str:
    sid = screen_subject(session, study_version="1.0", screened_on="2026-01-02").subject_id
    assert sid is not None
    return sid


def _lab(session: Session, sid: str, event: str, form: str, **values: str) -> FormKey:
    definition = load_form(form)
    key = FormKey(sid, event, form)
    items = [
        ItemInput(definition.group_of(f"I.{item}").oid, f"I.{item}", value)
        for item, value in values.items()
    ]
    save_confirmed(session, key, items)
    return key


def test_nct_renal_baseline_is_week_0(nurse) -> None:
    # NCT07553767 measures creatinine from week 0 (no renal panel at screening): 144 is
    # 1.31 × ULN (grade 1) but 1.8 × the week-0 baseline (grade 2); the worse grade wins.
    sid = _subject(nurse)
    _lab(nurse, sid, "SE.W0", "F.LAB_RENAL", CREAT="80", CREAT_ULN="110")
    key = _lab(nurse, sid, "SE.W12", "F.LAB_RENAL", CREAT="144", CREAT_ULN="110")
    (suggestion,) = lab_suggestions(nurse, key)
    assert (suggestion.term, suggestion.grade) == ("Creatinine increased", 2)
    assert "1.8 × baseline (80)" in suggestion.rule


def test_a_value_before_any_dose_is_not_suggested(nurse) -> None:
    sid = _subject(nurse)
    screening = _lab(nurse, sid, "SE.SCREENING", "F.LAB_LIVER", ALT="152", ALT_ULN="40")
    assert lab_suggestions(nurse, screening) == []
    week0 = _lab(nurse, sid, "SE.W0", "F.LAB_LIVER", ALT="152", ALT_ULN="40")
    assert lab_suggestions(nurse, week0) == []  # sampled before the first dose


def test_nct_baseline_falls_back_to_screening_when_week_0_lacks_the_test(nurse) -> None:
    sid = _subject(nurse)
    _lab(nurse, sid, "SE.SCREENING", "F.LAB_LIVER", ALT="80", ALT_ULN="40")
    _lab(nurse, sid, "SE.W0", "F.LAB_LIVER", TBIL="10", TBIL_ULN="21")
    key = _lab(nurse, sid, "SE.W12", "F.LAB_LIVER", ALT="152", ALT_ULN="40")
    (suggestion,) = lab_suggestions(nurse, key)
    assert suggestion.grade == 1  # 1.9 × an abnormal baseline (80), not 3.8 × ULN
    assert "baseline abnormal" in suggestion.rule


def test_recurrence_study_baseline_visit(recurrence_nurse) -> None:
    # The recurrence study has no SE.SCREENING: its baseline is SE.BASELINE. ALT 350 is
    # 3.5 × an abnormal baseline of 100 (grade 2), not 8.75 × ULN (grade 3).
    sid = _subject(recurrence_nurse)
    _lab(recurrence_nurse, sid, "SE.BASELINE", "F.LAB_LIVER", ALT="100", ALT_ULN="40")
    key = _lab(recurrence_nurse, sid, "SE.W12", "F.LAB_LIVER", ALT="350", ALT_ULN="40")
    (suggestion,) = lab_suggestions(recurrence_nurse, key)
    assert suggestion.grade == 2
    assert "3.5 × baseline (100), baseline abnormal" in suggestion.rule


def test_recurrence_study_suggests_only_from_grade_2(recurrence_nurse) -> None:
    # The example: ALT 160 is 1.6 × an abnormal baseline of 100: grade 1, below the
    # recurrence study's reporting threshold (≥ grade 2), so nothing is suggested.
    sid = _subject(recurrence_nurse)
    _lab(recurrence_nurse, sid, "SE.BASELINE", "F.LAB_LIVER", ALT="100", ALT_ULN="40")
    key = _lab(recurrence_nurse, sid, "SE.W12", "F.LAB_LIVER", ALT="160", ALT_ULN="40")
    assert lab_suggestions(recurrence_nurse, key) == []
    other = _subject(recurrence_nurse)  # baseline normal: ALT 130 is 3.25 × ULN, grade 2
    key = _lab(recurrence_nurse, other, "SE.W12", "F.LAB_LIVER", ALT="130", ALT_ULN="40")
    assert [s.grade for s in lab_suggestions(recurrence_nurse, key)] == [2]
    mild = _lab(recurrence_nurse, other, "SE.W24", "F.LAB_LIVER", ALT="50", ALT_ULN="40")
    assert lab_suggestions(recurrence_nurse, mild) == []


def test_nct_suggests_from_grade_1(nurse) -> None:
    sid = _subject(nurse)
    key = _lab(nurse, sid, "SE.W12", "F.LAB_LIVER", ALT="50", ALT_ULN="40")
    assert [s.grade for s in lab_suggestions(nurse, key)] == [1]


def test_bilirubin_beyond_quantification_is_graded_from_its_bound(nurse) -> None:
    sid = _subject(nurse)
    key = _lab(nurse, sid, "SE.W12", "F.LAB_LIVER", TBIL=">500", TBIL_ULN="21")
    (suggestion,) = lab_suggestions(nurse, key)
    assert (suggestion.term, suggestion.grade) == ("Blood bilirubin increased", 4)


def test_creatinine_without_uln_suggests_at_least_grade_2(nurse) -> None:
    sid = _subject(nurse)
    _lab(nurse, sid, "SE.W0", "F.LAB_RENAL", CREAT="80")
    key = _lab(nurse, sid, "SE.W12", "F.LAB_RENAL", CREAT="144")  # no ULN reported
    (suggestion,) = lab_suggestions(nurse, key)
    assert (suggestion.grade, suggestion.at_least) == (2, True)
    assert "≥ grade 2" in suggestion.rule
