"""Handing the tablet to a patient and taking it back, through the services: one visit's
questionnaire only, audited as the patient, leaving only with staff credentials."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from desktop_crf.errors import PermissionDenied, UnlockDelayed
from desktop_crf.model import FormKey
from desktop_crf.services import data_entry, kiosk
from desktop_crf.services.audit_review import audit_entries
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.kiosk import (
    HandoverOpen,
    LeaveRefused,
    NotDue,
    PinNotAccepted,
    check_pin,
)
from desktop_crf.services.questionnaire import answer_question, choose_language, kiosk_state
from desktop_crf.services.session import Session
from tests.helpers.sites import PASSWORDS
from tests.helpers.tablet import due_subject, handed_over

TODAY = date.today()


def _actions(session: Session, action: str) -> list[dict[str, Any]]:
    return audit_entries(session, action=action)


def test_a_hand_over_binds_the_patient_to_that_visits_questionnaire(
    recurrence_nurse: Session,
) -> None:
    key = due_subject(recurrence_nurse)
    other = due_subject(recurrence_nurse, initials="ZZ")
    patient = handed_over(recurrence_nurse, key)
    assert patient.role == "patient"
    assert recurrence_nurse.data_key is not None
    assert patient.data_key is None  # the patient's session is not given the data key
    choose_language(patient, "en", today=TODAY)
    answer_question(patient, 1, 2)
    answer = [ItemInput("IG.QLQ_ITEMS", "I.QLQ02", "1")]
    elsewhere = (
        FormKey(key.subject_id, "SE.W24", key.form),  # another visit of the same patient
        FormKey(other.subject_id, key.event, key.form),  # another patient
        FormKey(key.subject_id, key.event, "F.VISIT"),  # another form
    )
    for where in elsewhere:
        with pytest.raises(PermissionDenied):
            data_entry.save_form(patient, where, answer)
        with pytest.raises(PermissionDenied):
            data_entry.load_form(patient, where)
    with pytest.raises(PermissionDenied):
        kiosk.hand_over(patient, other)


def test_only_a_due_questionnaire_is_handed_over(recurrence_nurse: Session) -> None:
    key = due_subject(recurrence_nurse)
    with pytest.raises(NotDue, match=r"Only the F\.QLQC30"):
        kiosk.hand_over(recurrence_nurse, FormKey(key.subject_id, key.event, "F.VISIT"))
    with pytest.raises(NotDue, match=r"not a form of SE\.SCREENING"):
        kiosk.hand_over(recurrence_nurse, FormKey(key.subject_id, "SE.SCREENING", key.form))


def test_a_second_hand_over_is_refused_while_one_is_open(recurrence_nurse: Session) -> None:
    key = due_subject(recurrence_nurse)
    other = due_subject(recurrence_nurse, initials="ZZ")
    kiosk.hand_over(recurrence_nurse, key)
    with pytest.raises(HandoverOpen):
        kiosk.hand_over(recurrence_nurse, other)
    pending = kiosk.pending_handover(recurrence_nurse)
    assert pending is not None
    assert pending.key == key


def test_leaving_needs_staff_credentials_and_refusals_are_audited(
    recurrence_nurse: Session,
) -> None:
    key = due_subject(recurrence_nurse)
    patient = handed_over(recurrence_nurse, key)
    with pytest.raises(LeaveRefused):
        kiosk.end_handover(patient, "nurse", "not-the-password", method="password")
    with pytest.raises(LeaveRefused):
        kiosk.end_handover(patient, "nurse", "123580", method="pin")  # no PIN set
    with pytest.raises(LeaveRefused):  # a monitor cannot take the tablet back
        kiosk.end_handover(patient, "monitor", PASSWORDS["monitor"], method="password")
    refused = _actions(recurrence_nurse, "kiosk.leave_refused")
    assert len(refused) == 3
    assert {e["user"] for e in refused} == {f"patient:{key.subject_id}"}
    assert {e["role"] for e in refused} == {"patient"}
    assert all(e["subject"] == key.subject_id for e in refused)
    assert '"user": "monitor"' in refused[0]["detail"]  # newest first


def test_leaving_with_the_password_ends_the_hand_over_as_that_staff_member(
    recurrence_nurse: Session,
) -> None:
    key = due_subject(recurrence_nurse)
    patient = handed_over(recurrence_nurse, key)
    ended = kiosk.end_handover(patient, "nurse", PASSWORDS["nurse"], method="password")
    assert ended.same_user
    assert not ended.finished
    end = _actions(recurrence_nurse, "kiosk.end")
    assert [(e["user"], e["role"]) for e in end] == [("nurse", "nurse")]
    assert kiosk.pending_handover(recurrence_nurse) is None
    with pytest.raises(Exception, match="no longer handed over"):
        answer_question(patient, 1, 1)  # the patient's session is done with


def test_another_staff_member_may_take_the_tablet_back(recurrence_nurse: Session) -> None:
    patient = handed_over(recurrence_nurse, due_subject(recurrence_nurse))
    ended = kiosk.end_handover(
        patient, "investigator", PASSWORDS["investigator"], method="password"
    )
    assert (ended.user, ended.role, ended.same_user) == ("investigator", "investigator", False)


def test_a_pin_is_kept_as_a_hash_and_takes_the_tablet_back(recurrence_nurse: Session) -> None:
    kiosk.set_kiosk_pin(recurrence_nurse, PASSWORDS["nurse"], "482913")
    assert kiosk.has_kiosk_pin(recurrence_nurse)
    raw = recurrence_nurse.db.execute("SELECT salt, hash, kdf FROM staff_pins").fetchall()
    assert len(raw) == 1
    assert b"482913" not in raw[0][1]
    assert len(raw[0][1]) == 32
    patient = handed_over(recurrence_nurse, due_subject(recurrence_nurse))
    with pytest.raises(LeaveRefused):
        kiosk.end_handover(patient, "nurse", "482914", method="pin")
    assert kiosk.end_handover(patient, "nurse", "482913", method="pin").same_user


@pytest.mark.parametrize("pin", ["12345", "111111", "123456", "987654", "12a456", "1234567890123"])
def test_a_weak_or_malformed_pin_is_refused(pin: str) -> None:
    with pytest.raises(Exception, match="PIN"):
        check_pin(pin)


def test_setting_a_pin_needs_the_password(recurrence_nurse: Session) -> None:
    with pytest.raises(Exception, match="not correct"):
        kiosk.set_kiosk_pin(recurrence_nurse, "wrong-password", "482913")
    assert not kiosk.has_kiosk_pin(recurrence_nurse)


def test_repeated_refusals_delay_the_next_attempt_and_then_refuse_pins(
    recurrence_nurse: Session,
) -> None:
    kiosk.set_kiosk_pin(recurrence_nurse, PASSWORDS["nurse"], "482913")
    patient = handed_over(recurrence_nurse, due_subject(recurrence_nurse))
    start = datetime.now(UTC)
    for _ in range(kiosk.FREE_ATTEMPTS):
        with pytest.raises(LeaveRefused):
            kiosk.end_handover(patient, "nurse", "000001", method="pin", now=start)
    with pytest.raises(UnlockDelayed):
        kiosk.end_handover(patient, "nurse", "482913", method="pin", now=start)
    later = start + timedelta(seconds=kiosk.MAX_DELAY_S + 1)
    for _ in range(kiosk.PIN_ATTEMPTS - kiosk.FREE_ATTEMPTS):
        with pytest.raises(LeaveRefused):
            kiosk.end_handover(patient, "nurse", "000001", method="pin", now=later)
        later += timedelta(seconds=kiosk.MAX_DELAY_S + 1)
    with pytest.raises(PinNotAccepted):
        kiosk.end_handover(patient, "nurse", "482913", method="pin", now=later)
    ended = kiosk.end_handover(patient, "nurse", PASSWORDS["nurse"], method="password", now=later)
    assert ended.same_user


def test_resuming_after_a_crash_goes_back_to_the_same_hand_over(
    recurrence_nurse: Session,
) -> None:
    key = due_subject(recurrence_nurse)
    patient = handed_over(recurrence_nurse, key)
    choose_language(patient, "en", today=TODAY)
    for item in range(1, 18):
        answer_question(patient, item, 2)
    resumed = kiosk.resume_handover(recurrence_nurse)
    assert resumed.key == key
    state = kiosk_state(resumed.patient)
    assert state.resume_at == 18
    assert len(state.answers) == 17
    assert state.language == "en"
