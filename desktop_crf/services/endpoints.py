"""A subject's derived endpoints, as the study file declares them, from the saved data.

Public API:

- :func:`subject_endpoints` ``(session, subject_id) -> list[EndpointValue]``: every endpoint
  of the subject's study version (``Study.endpoints``, with the file's own parameters),
  derived by :func:`forms.endpoints.evaluate_endpoints`: HBsAg loss, seroconversion, confirmed
  loss and decline; undetectable HBV DNA; Child-Pugh deterioration; recurrence, time to
  recurrence, RFS and OS with their landmark years; QLQ-C30 change.
- :func:`subject_data` ``(session, subject_id) -> SubjectData``: what the endpoints read.

The start dates of time-to-event endpoints come from the forms where they are entered
(``forms.endpoint_defs.START_ITEMS``); the study's anchor date recorded at enrolment stands in
for its own kind while the form does not hold it yet.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop_crf.errors import NotFound
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.studies import bundled_forms, load_study
from forms.endpoint_data import FormRecord, SubjectData, form_records, start_dates
from forms.endpoints import EndpointValue, evaluate_endpoints

__all__ = ["EndpointValue", "subject_data", "subject_endpoints"]


def _subject(session: Session, subject_id: str) -> dict[str, Any]:
    subject = repo.get_subject(session.db, subject_id)
    if subject is None:
        raise NotFound(f"There is no subject {subject_id}.")
    return subject


def _records(session: Session, subject_id: str) -> list[FormRecord]:
    rows = repo.subject_values(session.db, subject_id)
    return form_records((row[:8] for row in rows), bundled_forms())


def _anchor(subject: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(subject["anchor_date"]) if subject.get("anchor_date") else None
    except ValueError:
        return None


def subject_data(session: Session, subject_id: str) -> SubjectData:
    """Every saved form of the subject, with the study's baseline visits and start dates.

    Raises:
        NotFound: no such subject.
    """
    session.require(Permission.VIEW_DATA)
    subject = _subject(session, subject_id)
    study = load_study(subject["study_id"], subject["study_version"])
    records = _records(session, subject_id)
    starts = start_dates(records, anchor_kind=study.anchor.kind, anchor=_anchor(subject))
    return SubjectData.of(study, bundled_forms(), records, starts=starts)


def subject_endpoints(session: Session, subject_id: str) -> list[EndpointValue]:
    """Every endpoint the subject's study declares, derived from the saved data.

    Raises:
        NotFound: no such subject.
    """
    data = subject_data(session, subject_id)
    subject = _subject(session, subject_id)
    return evaluate_endpoints(load_study(subject["study_id"], subject["study_version"]), data)
