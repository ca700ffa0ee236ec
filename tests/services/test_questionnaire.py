"""The QLQ-C30 answered on the tablet, through the services: each answer saved when given and
audited as the patient, administration items filled by the kiosk, scores stored on completion
equal to ``qlq_c30.score`` of the stored answers, staff corrections with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_crf.errors import ReasonRequired
from desktop_crf.services import data_entry, kiosk
from desktop_crf.services.audit_review import audit_entries
from desktop_crf.services.data_entry import ItemInput, ItemsNotInForm, load_form
from desktop_crf.services.questionnaire import (
    PATIENT_CHANGED,
    QuestionnaireFinished,
    answer_question,
    choose_language,
    finish_questionnaire,
    kiosk_state,
    questionnaire_summaries,
)
from desktop_crf.services.session import Session
from desktop_crf.services.wordings import load_wording
from forms.instruments import qlq_c30
from tests.helpers.sites import PASSWORDS
from tests.helpers.tablet import due_subject, handed_over

TODAY = date.today()


def _stored_answers(session: Session, key: data_entry.FormKey) -> dict[int, int | None]:
    form = load_form(session, key)
    values = {item: form.value(group, item) for (group, _r, item) in form.values}
    return qlq_c30.responses_from_values(values)


def _scores(session: Session, key: data_entry.FormKey) -> dict[str, float | None]:
    form = load_form(session, key)
    found: dict[str, float | None] = {}
    for code in qlq_c30.KEYS:
        text = form.value("IG.QLQ_SCORES", f"I.QLQ_{code}")
        found[code] = None if text is None else float(text)
    return found


def test_every_answer_is_saved_when_given_and_audited_as_the_patient(
    recurrence_nurse: Session,
) -> None:
    key = due_subject(recurrence_nurse)
    patient = handed_over(recurrence_nurse, key)
    choose_language(patient, "en", today=TODAY)
    for item in (1, 2, 3):
        answer_question(patient, item, item)
    answer_question(patient, 2, 4)  # the patient goes back and changes an answer
    assert _stored_answers(recurrence_nurse, key)[2] == 4
    entries = audit_entries(recurrence_nurse, subject=key.subject_id, action="item.set")
    answers = [e for e in entries if e["item_group"] == "IG.QLQ_ITEMS"]
    assert len(answers) == 4
    assert {(e["user"], e["role"]) for e in answers} == {(f"patient:{key.subject_id}", "patient")}
    assert all(e["ts"].endswith("Z") for e in answers)
    changed = next(e for e in answers if e["item"] == "I.QLQ02" and e["new"] == "4")
    assert (changed["old"], changed["reason"]) == ("2", PATIENT_CHANGED)


def test_the_kiosk_fills_the_administration_items(recurrence_nurse: Session) -> None:
    key = due_subject(recurrence_nurse)
    patient = handed_over(recurrence_nurse, key)
    choose_language(patient, "en", today=TODAY)
    form = load_form(recurrence_nurse, key)
    assert form.value("IG.QLQ_ADMIN", "I.QLQ_DATE") == TODAY.isoformat()
    assert form.value("IG.QLQ_ADMIN", "I.QLQ_LANG") == "en"
    assert form.value("IG.QLQ_ADMIN", "I.QLQ_OFFICIAL") == "Y"
    fingerprint = load_wording(recurrence_nurse, "en").fingerprint
    assert form.value("IG.QLQ_ADMIN", "I.QLQ_WORDING") == fingerprint
    admin = audit_entries(recurrence_nurse, subject=key.subject_id, action="item.set")
    assert {e["role"] for e in admin} == {"patient"}


def test_finishing_stores_the_scores_of_the_stored_answers(recurrence_nurse: Session) -> None:
    key = due_subject(recurrence_nurse)
    patient = handed_over(recurrence_nurse, key)
    choose_language(patient, "en", today=TODAY)
    for item in qlq_c30.ITEMS:
        if item not in (4, 17):  # two questions skipped: the half rule still scores PF2
            low, high = qlq_c30.answer_range(item)
            answer_question(patient, item, low + (item * 7) % (high - low + 1))
    assert _scores(recurrence_nurse, key)["QL2"] is None  # nothing before completion
    finish_questionnaire(patient)
    assert load_form(recurrence_nurse, key).status == "complete"
    expected = qlq_c30.score(_stored_answers(recurrence_nurse, key))
    assert _scores(recurrence_nurse, key) == expected
    assert expected["DI"] is None  # item 17 skipped: diarrhoea is missing
    assert expected["PF2"] is not None
    with pytest.raises(QuestionnaireFinished):
        answer_question(patient, 4, 1)
    assert kiosk_state(patient).finished


def test_staff_corrections_need_a_reason_and_keep_the_scores_in_step(
    recurrence_nurse: Session,
) -> None:
    key = due_subject(recurrence_nurse)
    patient = handed_over(recurrence_nurse, key)
    choose_language(patient, "en", today=TODAY)
    for item in qlq_c30.ITEMS:
        answer_question(patient, item, 1)
    finish_questionnaire(patient)
    fix = [ItemInput("IG.QLQ_ITEMS", "I.QLQ29", "4")]
    with pytest.raises(ReasonRequired, match="patient's own answer"):
        data_entry.save_form(recurrence_nurse, key, fix)
    filling = [ItemInput("IG.QLQ_ITEMS", "I.QLQ01", None)]
    with pytest.raises(ReasonRequired):
        data_entry.save_form(recurrence_nurse, key, filling)
    with pytest.raises(ItemsNotInForm, match="computed"):
        data_entry.save_form(
            recurrence_nurse, key, [ItemInput("IG.QLQ_SCORES", "I.QLQ_QL2", "50")], reason="x"
        )
    data_entry.save_form(recurrence_nurse, key, fix, reason="patient misread the scale")
    entry = audit_entries(recurrence_nurse, subject=key.subject_id, action="item.set")[0]
    assert (entry["user"], entry["role"], entry["item"]) == ("nurse", "nurse", "I.QLQ_QL2")
    nurse_fix = next(
        e
        for e in audit_entries(recurrence_nurse, subject=key.subject_id, user="nurse")
        if e["item"] == "I.QLQ29"
    )
    assert nurse_fix["reason"] == "patient misread the scale"
    assert _scores(recurrence_nurse, key) == qlq_c30.score(_stored_answers(recurrence_nurse, key))
    assert _scores(recurrence_nurse, key)["QL2"] == 25.0


def test_a_form_taken_back_to_draft_keeps_no_scores(recurrence_nurse: Session) -> None:
    key = due_subject(recurrence_nurse)
    patient = handed_over(recurrence_nurse, key)
    choose_language(patient, "en", today=TODAY)
    answer_question(patient, 29, 7)
    finish_questionnaire(patient)
    assert _scores(recurrence_nurse, key)["QL2"] == 100.0
    data_entry.save_form(
        recurrence_nurse,
        key,
        [ItemInput("IG.QLQ_ADMIN", "I.QLQ_DATE", None)],
        reason="date belongs to another visit",
    )
    assert load_form(recurrence_nurse, key).status == "draft"
    assert _scores(recurrence_nurse, key)["QL2"] is None


def test_staff_see_completeness_and_scores(recurrence_nurse: Session) -> None:
    key = due_subject(recurrence_nurse)
    patient = handed_over(recurrence_nurse, key)
    choose_language(patient, "en", today=TODAY)
    for item in range(1, 21):
        answer_question(patient, item, 2)
    [summary] = questionnaire_summaries(recurrence_nurse, key.subject_id)
    assert (summary.status, summary.answered, summary.total) == ("draft", 20, 30)
    assert (summary.language, summary.official, summary.by_patient) == ("en", True, True)
    assert summary.scores == {}
    finish_questionnaire(patient)
    [summary] = questionnaire_summaries(recurrence_nurse, key.subject_id)
    assert summary.status == "complete"
    assert summary.completed_on == TODAY.isoformat()
    assert summary.scores == qlq_c30.score(_stored_answers(recurrence_nurse, key))


def test_the_state_resumes_after_the_last_answer(recurrence_nurse: Session) -> None:
    key = due_subject(recurrence_nurse, initials="QW")
    patient = handed_over(recurrence_nurse, key, show_initials=True)
    state = kiosk_state(patient)
    assert (state.language, state.resume_at, state.initials) == (None, 1, "QW")
    choose_language(patient, "en", today=TODAY)
    for item in (1, 2, 3, 5):  # 4 skipped
        answer_question(patient, item, 1)
    assert kiosk_state(patient).resume_at == 6
    kiosk.end_handover(patient, "nurse", PASSWORDS["nurse"], method="password")
    other = handed_over(recurrence_nurse, due_subject(recurrence_nurse, initials="ZZ"))
    assert kiosk_state(other).initials is None  # not shown unless staff chose to
    assert kiosk_state(other).answers == {}
