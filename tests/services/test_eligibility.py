"""Enrolment is refused unless the saved screening data show the subject eligible."""

from __future__ import annotations

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
