"""A subject's visit timeline: every scheduled visit with its window and state, unscheduled
visits, and the forms due at each with their status (not started, draft, complete, signed,
signature broken).

Public API: :func:`subject_timeline` ``(session, subject_id, *, today) -> Timeline``;
:data:`LOG_EVENT` is the event that holds running logs (the AE log).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop_crf.errors import KnownError, NotFound
from desktop_crf.model import FormKey, StoredValue
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import (
    visit_dates,
    with_screening_done,
)
from desktop_crf.store import repository as repo
from desktop_crf.studies import load_study
from forms.schedule import track_visits
from forms.study import Study
from forms.text import Text

#: Event OID under which running log forms (adverse events, end of study) are kept.
LOG_EVENT = "SE.LOG"
#: Event OID prefix of unscheduled visits; the event repeat numbers them.
UNSCHEDULED_EVENT = "SE.UNSCHEDULED"


@dataclass(frozen=True)
class FormState:
    """One form due at a visit and where it stands."""

    key: FormKey
    status: str  # not_started, draft, complete, signed, signature_broken


@dataclass(frozen=True)
class VisitRow:
    """One visit of the timeline: scheduled (with window and state) or unscheduled."""

    event: str
    event_repeat: int
    label: Text
    target: str | None
    earliest: str | None
    latest: str | None
    state: str  # upcoming, open, overdue, done, missed, unscheduled, screening
    done_on: str | None
    forms: tuple[FormState, ...]


@dataclass(frozen=True)
class Timeline:
    subject: dict[str, Any]
    study: Study
    visits: tuple[VisitRow, ...]
    logs: tuple[FormState, ...] = field(default=())


def form_states(session: Session, subject_id: str) -> dict[tuple[str, int, str], str]:
    """The status of every started form of a subject, signatures checked against content."""
    session.require(Permission.VIEW_DATA)
    db = session.db
    grouped: dict[tuple[str, int, str], list[StoredValue]] = {}
    for event, ev_rep, form, group, rep, item, value, unit, rev, _conflict in repo.subject_values(
        db, subject_id
    ):
        grouped.setdefault((event, ev_rep, form), []).append(
            StoredValue(group, rep, item, value, unit, rev)
        )
    states: dict[tuple[str, int, str], str] = {}
    for row in repo.subject_forms(db, subject_id):
        where = (row["event"], row["event_repeat"], row["form"])
        status = row["status"] or "draft"
        signature = repo.latest_signature(db, FormKey(subject_id, where[0], where[2], where[1]))
        if signature is not None:
            valid = signature["content_hash"] == repo.content_hash(grouped.get(where, []))
            status = "signed" if valid else "signature_broken"
        states[where] = status
    return states


def subject_timeline(session: Session, subject_id: str, *, today: date) -> Timeline:
    """Every visit of the subject's schedule with its forms' status, in one read.

    Raises:
        NotFound: no such subject.
    """
    session.require(Permission.VIEW_DATA)
    subject = repo.get_subject(session.db, subject_id)
    if subject is None:
        raise NotFound(f"There is no subject {subject_id}.")
    study = load_study(subject["study_id"], subject["study_version"])
    states = form_states(session, subject_id)

    def forms_of(event: str, oids: tuple[str, ...], repeat: int = 1) -> tuple[FormState, ...]:
        return tuple(
            FormState(
                FormKey(subject_id, event, oid, repeat),
                states.get((event, repeat, oid), "not_started"),
            )
            for oid in oids
        )

    visits: list[VisitRow] = []
    visits_done = visit_dates(session, subject_id).get(subject_id, {})
    done = with_screening_done(subject, visits_done, study)
    anchor = _anchor(subject)
    screening = study.visits[0]
    if anchor is None:
        visits.append(
            VisitRow(
                screening.oid,
                1,
                screening.label,
                None,
                None,
                None,
                "screening",
                None,
                forms_of(screening.oid, screening.forms),
            )
        )
    else:
        for tracked in track_visits(study, anchor, today=today, done=done):
            planned = tracked.planned
            visits.append(
                VisitRow(
                    planned.oid,
                    1,
                    planned.label,
                    planned.target.isoformat(),
                    planned.earliest.isoformat(),
                    planned.latest.isoformat(),
                    str(tracked.state),
                    tracked.done_on.isoformat() if tracked.done_on else None,
                    forms_of(planned.oid, planned.forms),
                )
            )
    repeats = sorted({rep for (ev, rep, _f) in states if ev == UNSCHEDULED_EVENT})
    for rep in repeats:
        visits.append(
            VisitRow(
                UNSCHEDULED_EVENT,
                rep,
                study.unscheduled.label,
                None,
                None,
                None,
                "unscheduled",
                None,
                forms_of(UNSCHEDULED_EVENT, study.unscheduled.forms, rep),
            )
        )
    return Timeline(subject, study, tuple(visits), forms_of(LOG_EVENT, study.log_forms))


def _anchor(subject: dict[str, Any]) -> date | None:
    if subject["status"] != "enrolled" or not subject.get("anchor_date"):
        return None
    try:
        return date.fromisoformat(subject["anchor_date"])
    except (ValueError, KnownError):
        return None
