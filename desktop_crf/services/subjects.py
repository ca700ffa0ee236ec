"""Screening and enrolment of subjects."""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop_crf.errors import InvalidInput, KnownError, NotFound
from desktop_crf.model import Changes
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import AuditWriter, utc_now
from desktop_crf.studies import load_study
from forms.schedule import TrackedVisit, next_visit
from forms.study import Study
from forms.text import Text

_SUBJECT_ID_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Enrolment:
    arm: str
    anchor_date: str
    na_drug: str | None = None
    consent_date: str | None = None
    consent_version: str | None = None
    enrolled_on: str | None = None


def next_subject_id(session: Session) -> str:
    """An id no other device can produce: this device's id (site code + device tag) and a
    sequence of this device's own subjects."""
    session.require(Permission.ENROLL)
    prefix = session.site.device
    rows = session.db.execute(
        "SELECT subject_id FROM subjects WHERE subject_id LIKE ?", [prefix + "-%"]
    ).fetchall()
    numbers = [int(r[0].rsplit("-", 1)[1]) for r in rows if r[0].rsplit("-", 1)[1].isdigit()]
    return f"{prefix}-{max(numbers, default=0) + 1:04d}"


def screen_subject(
    session: Session,
    *,
    study_version: str,
    screened_on: str,
    initials: str | None = None,
    subject_id: str | None = None,
) -> Changes:
    """Open a screening record; the subject id is assigned offline without collisions."""
    session.require(Permission.ENROLL)
    _check_date(screened_on, "screening date")
    subject_id = subject_id or next_subject_id(session)
    if not _SUBJECT_ID_RE.match(subject_id):
        raise InvalidInput(f"'{subject_id}' is not a valid subject id.")
    if repo.get_subject(session.db, subject_id) is not None:
        raise InvalidInput(f"Subject {subject_id} already exists.")
    subject = {
        "subject_id": subject_id,
        "study_id": session.site.study_id,
        "study_version": study_version,
        "status": "screening",
        "initials": initials,
        "screened_on": screened_on,
        "updated_at": utc_now(),
    }
    with session.write() as audit:
        repo.upsert_subject(session.db, subject)
        _audit_subject(audit, "subject.create", subject_id, {}, subject)
    return Changes(subject_id=subject_id, kind="subject")


def enroll_subject(session: Session, subject_id: str, enrolment: Enrolment) -> Changes:
    """Record the arm, NA drug and consent; the caller has checked eligibility."""
    session.require(Permission.ENROLL)
    _check_date(enrolment.anchor_date, "anchor date")
    old = repo.get_subject(session.db, subject_id)
    if old is None:
        raise NotFound(f"There is no subject {subject_id}.")
    if old["status"] != "screening":
        raise InvalidInput(f"Subject {subject_id} is already {old['status']}.")
    new = {
        **old,
        "status": "enrolled",
        "arm": enrolment.arm,
        "anchor_date": enrolment.anchor_date,
        "na_drug": enrolment.na_drug,
        "consent_date": enrolment.consent_date,
        "consent_version": enrolment.consent_version,
        "enrolled_on": enrolment.enrolled_on or enrolment.anchor_date,
        "updated_at": utc_now(),
    }
    with session.write() as audit:
        repo.upsert_subject(session.db, new)
        _audit_subject(audit, "subject.update", subject_id, old, new)
    return Changes(subject_id=subject_id, kind="subject")


#: Where informed consent is recorded at screening.
CONSENT_FORM, CONSENT_DATE_ITEM, CONSENT_VERSION_ITEM = (
    "F.CONSENT",
    "I.CONSENT_DATE",
    "I.CONSENT_VERSION",
)


def consent_on_file(session: Session, subject_id: str) -> tuple[str | None, str | None]:
    """The informed consent's date and version as the consent form recorded them (None when
    not recorded), so enrolment does not ask for them again."""
    session.require(Permission.VIEW_DATA)
    rows = session.db.execute(
        "SELECT item, value FROM item_values WHERE subject_id = ? AND form = ? "
        "AND item IN (?, ?) AND event_repeat = 1 AND value IS NOT NULL",
        [subject_id, CONSENT_FORM, CONSENT_DATE_ITEM, CONSENT_VERSION_ITEM],
    ).fetchall()
    found = {str(item): str(value) for item, value in rows}
    return found.get(CONSENT_DATE_ITEM), found.get(CONSENT_VERSION_ITEM)


class SubjectStatusRefused(InvalidInput):
    """A status change the subject's current status does not allow."""


class StatusReasonRequired(InvalidInput):
    def __init__(self) -> None:
        super().__init__("Say why; the reason is kept in the audit trail.")


def screen_fail(
    session: Session, subject_id: str, *, reason: str, criterion: str | None = None
) -> Changes:
    """Record that a screened subject will not be enrolled: the reason, and the eligibility
    criterion that failed when there is one (e.g. ``EX03``). Audited; the subject stays in the
    list under "screen failure".

    Raises:
        NotFound, StatusReasonRequired, SubjectStatusRefused (not in screening).
    """
    session.require(Permission.ENROLL)
    why = f"{criterion}: {reason.strip()}" if criterion and reason.strip() else reason.strip()
    return _change_status(
        session, subject_id, "screen_failed", from_status="screening", reason=why, day=None
    )


def withdraw_subject(session: Session, subject_id: str, *, reason: str, day: str) -> Changes:
    """Record an enrolled subject's withdrawal from the study (reason and date). Audited;
    what was recorded stays.

    Raises:
        NotFound, StatusReasonRequired, InvalidInput (date), SubjectStatusRefused (not
        enrolled).
    """
    session.require(Permission.ENROLL)
    _check_date(day, "withdrawal date")
    return _change_status(
        session, subject_id, "withdrawn", from_status="enrolled", reason=reason.strip(), day=day
    )


def discard_screening(session: Session, subject_id: str, *, reason: str) -> Changes:
    """Discard a screening opened by mistake: only while nothing has been recorded for the
    subject. Audited; the subject is listed under "discarded", never deleted.

    Raises:
        NotFound, StatusReasonRequired, SubjectStatusRefused (not in screening, or data
        recorded).
    """
    session.require(Permission.ENROLL)
    recorded = session.db.execute(
        "SELECT count(*) FROM form_instances WHERE subject_id = ?", [subject_id]
    ).fetchone()[0]
    if recorded:
        raise SubjectStatusRefused(
            f"Subject {subject_id} has data recorded, so the screening cannot be discarded. "
            "Record a screen failure with its reason instead."
        )
    return _change_status(
        session, subject_id, "discarded", from_status="screening", reason=reason.strip(), day=None
    )


def _change_status(
    session: Session,
    subject_id: str,
    status: str,
    *,
    from_status: str,
    reason: str,
    day: str | None,
) -> Changes:
    if not reason:
        raise StatusReasonRequired()
    old = repo.get_subject(session.db, subject_id)
    if old is None:
        raise NotFound(f"There is no subject {subject_id}.")
    if old["status"] != from_status:
        raise SubjectStatusRefused(
            f"Subject {subject_id} is {old['status']}, not {from_status}: this status change "
            "does not apply."
        )
    new = {
        **old,
        "status": status,
        "status_reason": reason,
        "status_date": day or date.today().isoformat(),
        "updated_at": utc_now(),
    }
    with session.write() as audit:
        repo.upsert_subject(session.db, new)
        _audit_subject(audit, "subject.update", subject_id, old, new)
    return Changes(subject_id=subject_id, kind="subject")


def list_subjects(session: Session) -> list[dict[str, Any]]:
    session.require(Permission.VIEW_DATA)
    return repo.list_subjects(session.db)


def _audit_subject(
    audit: AuditWriter, action: str, subject_id: str, old: dict[str, Any], new: dict[str, Any]
) -> None:
    changed = sorted(k for k in new if k != "updated_at" and new.get(k) != old.get(k))
    audit.append(
        action,
        subject=subject_id,
        old=json.dumps({k: old.get(k) for k in changed}, sort_keys=True) if old else None,
        new=json.dumps({k: new.get(k) for k in changed}, sort_keys=True),
    )


def _check_date(value: str, what: str) -> None:
    if not _DATE_RE.match(value):
        raise InvalidInput(f"The {what} must be a date written YYYY-MM-DD, not '{value}'.")


# -- the subject list ----------------------------------------------------------------------

#: Where a visit's date is recorded: the visit form every scheduled visit carries.
VISIT_FORM, VISIT_DATE_ITEM = "F.VISIT", "I.VISIT_DATE"


@dataclass(frozen=True)
class SubjectRow:
    """One line of the subject list."""

    subject_id: str
    initials: str | None
    arm: str | None
    status: str
    enrolled_on: str | None
    next_visit: str | None  # visit OID
    next_visit_label: Text | None
    window: tuple[str, str] | None  # earliest, latest (ISO dates)
    next_visit_state: str | None  # open, overdue, upcoming


def subject_rows(
    session: Session, *, today: date, subject_id: str | None = None
) -> list[SubjectRow]:
    """The subject list with each subject's next visit due and its window (or the row of one
    subject, to refresh it after a save without recomputing the whole list)."""
    session.require(Permission.VIEW_DATA)
    done = visit_dates(session, subject_id)
    if subject_id is None:
        subjects = repo.list_subjects(session.db)
    else:
        one = repo.get_subject(session.db, subject_id)
        subjects = [one] if one is not None else []
    rows = []
    for subject in subjects:
        nxt = _next_visit(subject, done.get(subject["subject_id"], {}), today)
        rows.append(
            SubjectRow(
                subject_id=subject["subject_id"],
                initials=subject["initials"],
                arm=subject["arm"],
                status=subject["status"],
                enrolled_on=subject["enrolled_on"],
                next_visit=nxt.planned.oid if nxt else None,
                next_visit_label=nxt.planned.label if nxt else None,
                window=(nxt.planned.earliest.isoformat(), nxt.planned.latest.isoformat())
                if nxt
                else None,
                next_visit_state=str(nxt.state) if nxt else None,
            )
        )
    return rows


def visit_dates(session: Session, subject_id: str | None = None) -> dict[str, dict[str, date]]:
    """Subject → visit OID → date the visit was done, from the visit form's date item (first
    occurrence of each visit; unscheduled repeats are not scheduled visits)."""
    session.require(Permission.VIEW_DATA)
    sql = (
        "SELECT subject_id, event, value FROM item_values WHERE form = ? AND item = ? "
        "AND value IS NOT NULL AND event_repeat = 1"
    )
    params: list[str] = [VISIT_FORM, VISIT_DATE_ITEM]
    if subject_id is not None:
        sql += " AND subject_id = ?"
        params.append(subject_id)
    found: dict[str, dict[str, date]] = {}
    for subject, event, value in session.db.execute(sql, params):
        with contextlib.suppress(ValueError):
            found.setdefault(subject, {})[event] = date.fromisoformat(value)
    return found


def with_screening_done(
    subject: dict[str, Any], done: dict[str, date], study: Study
) -> dict[str, date]:
    """The visits done, counting the study's first visit as done on the screening date when
    that visit has no visit form (its date is the subject's, e.g. NCT07553767's screening);
    a first visit with a visit form (the recurrence study's baseline) is done as it says."""
    first = study.visits[0]
    screened = subject.get("screened_on")
    if not screened or VISIT_FORM in first.forms:
        return done
    with contextlib.suppress(ValueError):
        return {first.oid: date.fromisoformat(screened), **done}
    return done


def _next_visit(subject: dict[str, Any], done: dict[str, date], today: date) -> TrackedVisit | None:
    if subject["status"] != "enrolled" or not subject["anchor_date"]:
        return None
    try:
        study = load_study(subject["study_id"], subject["study_version"])
        anchor = date.fromisoformat(subject["anchor_date"])
    except (KnownError, ValueError):
        return None
    return next_visit(study, anchor, today=today, done=with_screening_done(subject, done, study))
