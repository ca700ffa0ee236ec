"""Enrolment is refused unless the saved screening data show the subject eligible."""

from __future__ import annotations

from copy import deepcopy

import pytest

from desktop_crf.services.eligibility import NotEligible, enrol_eligible, screening_eligibility
from desktop_crf.services.subjects import Enrolment, screen_subject
from desktop_crf.store import repository as repo
from tests.ui.screening import ELIGIBLE, save_screening, screening_with


def _screen(nurse, data) -> str:
    sid = screen_subject(nurse, study_version="1.0", screened_on="2026-03-20").subject_id
    assert sid is not None
    save_screening(nurse, sid, data)
    return sid


def test_eligible_subject_is_enrolled(nurse) -> None:
    sid = _screen(nurse, ELIGIBLE)
    assert screening_eligibility(nurse, sid).enrollable
    enrol_eligible(nurse, sid, Enrolment(arm="PEG_NA", anchor_date="2026-03-25", na_drug="ETV"))
    assert repo.get_subject(nurse.db, sid)["status"] == "enrolled"


def test_ineligible_or_incomplete_subject_is_refused(nurse) -> None:
    sid = _screen(nurse, screening_with(**{"I.PLT": "60"}))
    with pytest.raises(NotEligible, match="EX03"):
        enrol_eligible(nurse, sid, Enrolment(arm="PEG_NA", anchor_date="2026-03-25"))
    blank = screen_subject(nurse, study_version="1.0", screened_on="2026-03-20").subject_id
    assert blank is not None
    with pytest.raises(NotEligible):
        enrol_eligible(nurse, blank, Enrolment(arm="PEG_NA", anchor_date="2026-03-25"))
    assert repo.get_subject(nurse.db, sid)["status"] == "screening"


def test_a_woman_not_of_childbearing_potential_is_enrolled(nurse) -> None:
    # Postmenopausal or sterilised: the pregnancy test and contraception items do not apply
    # (they are shown only when CHILDBEARING_POTENTIAL=Y), so they are left empty.
    data = screening_with(**{"I.CHILDBEARING_POTENTIAL": "N"})
    for item in ("I.PREGNANCY_TEST", "I.CONTRACEPTION"):
        del data["F.SCREENING"][item]
    sid = _screen(nurse, data)
    result = screening_eligibility(nurse, sid)
    statuses = {r.criterion.id: r.status.value for r in result.results}
    assert (statuses["IN07"], statuses["EX09"]) == ("met", "not_met")
    enrol_eligible(nurse, sid, Enrolment(arm="PEG_NA", anchor_date="2026-03-25", na_drug="TDF"))
    assert repo.get_subject(nurse.db, sid)["status"] == "enrolled"


def test_a_breastfeeding_woman_not_of_childbearing_potential_is_still_excluded(nurse) -> None:
    data = screening_with(**{"I.CHILDBEARING_POTENTIAL": "N", "I.BREASTFEEDING": "Y"})
    for item in ("I.PREGNANCY_TEST", "I.CONTRACEPTION"):
        del data["F.SCREENING"][item]
    sid = _screen(nurse, data)
    with pytest.raises(NotEligible, match="EX09"):
        enrol_eligible(nurse, sid, Enrolment(arm="PEG_NA", anchor_date="2026-03-25"))


def test_a_derived_score_that_arrived_entered_does_not_override_its_derivation(nurse) -> None:
    # The components give Child-Pugh 6 (albumin 35 g/L: 2 points); a score of 5 arrived as
    # an entered value (by import or from another computer). The derivation decides (EX05:
    # score > 5) and the difference is flagged.
    data = screening_with(**{"I.CP_ALB": "35"})
    data["F.CHILD_PUGH"]["I.CP_SCORE"] = "5"
    sid = _screen(nurse, data)
    result = screening_eligibility(nurse, sid)
    ex05 = next(r for r in result.results if r.criterion.id == "EX05")
    assert ex05.status.value == "met"
    (flag,) = result.derived_differs
    assert (flag.ref, flag.entered, flag.derived) == ("F.CHILD_PUGH/I.CP_SCORE", "5", "6")
    assert flag.message.en.endswith("6 is used")
    with pytest.raises(NotEligible, match="EX05"):
        enrol_eligible(nurse, sid, Enrolment(arm="PEG_NA", anchor_date="2026-03-25"))


def test_screening_imaging_recurrence_disagrees_with_the_ex01_answer(nurse) -> None:
    data = deepcopy(ELIGIBLE)  # EX01 answered "recurrent or metastatic: No"
    data["F.IMAGING"] = {
        "I.SCAN_DATE": "2026-03-01",
        "I.MODALITY": "CE_MRI",
        "I.NEW_LESION": "N",
        "I.RECURRENCE": "Y",
        "I.RECURRENCE_TYPE": "INTRAHEPATIC",
    }
    sid = _screen(nurse, data)
    result = screening_eligibility(nurse, sid)
    (disagreement,) = result.inconsistencies
    assert disagreement.check.id == "CC01"
    assert any("Recurrence" in reason.en for reason in disagreement.reasons)
    assert not result.enrollable
    with pytest.raises(NotEligible, match="CC01"):
        enrol_eligible(nurse, sid, Enrolment(arm="PEG_NA", anchor_date="2026-03-25"))


def test_the_two_screening_inrs_must_agree(nurse) -> None:
    sid = _screen(nurse, screening_with(**{"I.CP_INR": "1.10"}))  # liver panel INR 0.98
    result = screening_eligibility(nurse, sid)
    (disagreement,) = result.inconsistencies
    assert disagreement.check.id == "CC02"
    assert "0.98" in disagreement.reasons[0].en
    assert "1.10" in disagreement.reasons[0].en
    with pytest.raises(NotEligible, match="CC02"):
        enrol_eligible(nurse, sid, Enrolment(arm="PEG_NA", anchor_date="2026-03-25"))
    same = _screen(nurse, screening_with(**{"I.CP_INR": "0.980"}))  # the same number
    assert screening_eligibility(nurse, same).inconsistencies == ()
