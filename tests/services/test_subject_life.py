"""A subject's life cycle beyond enrolment: screen failure, withdrawal, a screening discarded
— each with its reason, audited, and only from the status it applies to."""

from __future__ import annotations

import json

import pytest

from desktop_crf.model import FormKey
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.subjects import (
    Enrolment,
    StatusReasonRequired,
    SubjectStatusRefused,
    discard_screening,
    enroll_subject,
    screen_fail,
    screen_subject,
    withdraw_subject,
)
from desktop_crf.store import repository as repo


def _screened(nurse) -> str:
    subject = screen_subject(
        nurse, study_version="1.0", screened_on="2026-01-02", initials="LW"
    ).subject_id
    assert subject is not None
    return subject


def _last_update(nurse, subject: str) -> dict:
    row = nurse.db.execute(
        "SELECT new FROM audit WHERE action = 'subject.update' AND subject = ? "
        "ORDER BY seq DESC LIMIT 1",
        [subject],
    ).fetchone()
    return json.loads(row[0])


def test_a_screen_failure_names_its_reason_and_criterion(nurse) -> None:
    subject = _screened(nurse)
    with pytest.raises(StatusReasonRequired):
        screen_fail(nurse, subject, reason="  ")
    screen_fail(nurse, subject, reason="platelets 80", criterion="EX03")
    stored = repo.get_subject(nurse.db, subject)
    assert stored["status"] == "screen_failed"
    assert stored["status_reason"] == "EX03: platelets 80"
    assert _last_update(nurse, subject)["status"] == "screen_failed"
    with pytest.raises(SubjectStatusRefused):  # no second screen failure, no enrolment path
        screen_fail(nurse, subject, reason="again")


def test_only_an_enrolled_subject_is_withdrawn_with_a_date(nurse) -> None:
    subject = _screened(nurse)
    with pytest.raises(SubjectStatusRefused):
        withdraw_subject(nurse, subject, reason="moved away", day="2026-03-01")
    enroll_subject(nurse, subject, Enrolment(arm="NA", anchor_date="2026-01-05"))
    withdraw_subject(nurse, subject, reason="moved away", day="2026-03-01")
    stored = repo.get_subject(nurse.db, subject)
    assert (stored["status"], stored["status_date"]) == ("withdrawn", "2026-03-01")
    assert _last_update(nurse, subject)["status_reason"] == "moved away"


def test_a_screening_is_discarded_only_while_nothing_was_recorded(nurse) -> None:
    opened_by_mistake, with_data = _screened(nurse), _screened(nurse)
    save_form(
        nurse,
        FormKey(with_data, "SE.SCREENING", "F.CONSENT"),
        [ItemInput("IG.CONSENT", "I.CONSENT_VERSION", "2.1")],
        accepted_warnings=[("I.CONSENT_VERSION", "not_applicable")],
    )
    with pytest.raises(SubjectStatusRefused, match="screen failure"):
        discard_screening(nurse, with_data, reason="opened twice")
    discard_screening(nurse, opened_by_mistake, reason="opened twice")
    assert repo.get_subject(nurse.db, opened_by_mistake)["status"] == "discarded"
