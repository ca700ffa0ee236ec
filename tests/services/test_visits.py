"""The visit timeline: schedule states from the anchor, and form states with signatures."""

from __future__ import annotations

from datetime import date

from desktop_crf.model import FormKey
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.signatures import sign_form
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject
from desktop_crf.services.visits import subject_timeline
from tests.helpers.sites import PASSWORDS, login, make_site


def test_timeline_places_visits_and_tracks_form_states(nurse, investigator) -> None:
    sid = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    assert sid is not None
    screening = subject_timeline(nurse, sid, today=date(2026, 1, 3))
    assert [v.state for v in screening.visits] == ["screening"]
    enroll_subject(nurse, sid, Enrolment(arm="PEG_NA", anchor_date="2026-01-05"))
    key = FormKey(sid, "SE.W12", "F.VISIT")
    done = [ItemInput("IG.VISIT", "I.VISIT_DONE", "Y")]
    save_form(
        nurse, key, [*done, ItemInput("IG.VISIT", "I.VISIT_DATE", "2026-03-30")], complete=True
    )
    sign_form(investigator, key, PASSWORDS["investigator"])
    timeline = subject_timeline(nurse, sid, today=date(2026, 4, 1))
    visits = {v.event: v for v in timeline.visits}
    assert visits["SE.W12"].state == "done"
    assert visits["SE.W12"].target == "2026-03-30"
    forms = {f.key.form: f.status for f in visits["SE.W12"].forms}
    assert forms["F.VISIT"] == "signed"
    assert forms["F.LAB_LIVER"] == "not_started"
    save_form(
        nurse,
        key,
        [ItemInput("IG.VISIT", "I.VISIT_DATE", "2026-03-31")],
        reason="wrong day",
    )
    timeline = subject_timeline(nurse, sid, today=date(2026, 4, 1))
    w12 = next(v for v in timeline.visits if v.event == "SE.W12")
    assert {f.key.form: f.status for f in w12.forms}["F.VISIT"] == "signature_broken"
    assert [f.key.form for f in timeline.logs] == ["F.AE", "F.END_OF_STUDY"]


def test_a_first_visit_without_a_visit_form_is_done_on_the_screening_date(nurse) -> None:
    """NCT07553767's screening visit has no visit form: its date is the subject's."""
    sid = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    assert sid is not None
    enroll_subject(nurse, sid, Enrolment(arm="PEG_NA", anchor_date="2026-01-05"))
    visits = {v.event: v for v in subject_timeline(nurse, sid, today=date(2026, 1, 20)).visits}
    assert visits["SE.SCREENING"].state == "done"
    assert visits["SE.SCREENING"].done_on == "2026-01-02"


def test_a_first_visit_with_a_visit_form_is_done_when_that_form_says_so(tmp_path) -> None:
    """The recurrence study's baseline visit carries a visit form: the screening date does
    not mark it done."""
    root = tmp_path / "recurrence"
    make_site(root, study_id="PEG-HCC-RECUR-3Y", site_code="RC01")
    nurse = login(root, "nurse")
    try:
        sid = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
        assert sid is not None
        enroll_subject(nurse, sid, Enrolment(arm="PEG_NA", anchor_date="2026-01-05"))
        baseline = subject_timeline(nurse, sid, today=date(2026, 1, 20)).visits[0]
        assert baseline.event == "SE.BASELINE"
        assert baseline.done_on is None
        key = FormKey(sid, "SE.BASELINE", "F.VISIT")
        visit = [
            ItemInput("IG.VISIT", "I.VISIT_DONE", "Y"),
            ItemInput("IG.VISIT", "I.VISIT_DATE", "2026-01-05"),
        ]
        save_form(nurse, key, visit)
        baseline = subject_timeline(nurse, sid, today=date(2026, 1, 20)).visits[0]
        assert baseline.done_on == "2026-01-05"
    finally:
        nurse.close()
