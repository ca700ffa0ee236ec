"""A recurrence-study subject whose QLQ-C30 is due, and a tablet handed to that patient."""

from __future__ import annotations

from datetime import date, timedelta

from desktop_crf.model import FormKey
from desktop_crf.services import kiosk
from desktop_crf.services.session import PATIENT_FORM, Session
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject

#: 12 weeks after the radical treatment: the week-12 visit (and its QLQ-C30) is due today.
ANCHOR = date.today() - timedelta(days=84)


def due_subject(nurse: Session, initials: str = "LW") -> FormKey:
    """Screen and enrol a recurrence-study subject; return its week-12 QLQ-C30."""
    subject = screen_subject(
        nurse,
        study_version="1.0",
        screened_on=(ANCHOR - timedelta(days=10)).isoformat(),
        initials=initials,
    ).subject_id
    assert subject is not None
    enrolment = Enrolment(
        arm="PEG_NA",
        anchor_date=ANCHOR.isoformat(),
        na_drug="ETV",
        consent_date=(ANCHOR - timedelta(days=12)).isoformat(),
    )
    enroll_subject(nurse, subject, enrolment)
    return FormKey(subject, "SE.W12", PATIENT_FORM)


def handed_over(nurse: Session, key: FormKey, **kw: bool) -> Session:
    """Hand the tablet to the patient of ``key``; return the patient's session."""
    return kiosk.hand_over(nurse, key, **kw).patient
