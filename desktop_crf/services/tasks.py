"""What waits for the user signed in, by role, each with its age and where a click goes.

- nurse: monitors' queries to answer, forms holding typing not saved yet (restored when
  opened), visits overdue, SAEs not reported yet (their 24-hour clock);
- investigator: complete forms to sign (grouped by visit) and signatures broken by a later
  change, to sign again;
- monitor: critical data never verified (per form), values changed since verified, and
  answered queries to close.

One read (``tasks``) on the store worker, a few site-wide queries: no per-subject loop but
the SAE clocks' (subjects with an AE log only) and the visit schedule's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from desktop_crf.model import FormKey
from desktop_crf.services.adverse_events import ae_summaries
from desktop_crf.services.permissions import Permission
from desktop_crf.services.queries import Query, server_queries
from desktop_crf.services.sdv import changed_since_verified, critical_due
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import subject_rows
from desktop_crf.services.visits import LOG_EVENT
from desktop_crf.store import repository as repo
from desktop_crf.store import tasks as store

__all__ = ["KINDS", "Task", "tasks"]

#: The kinds of task each role is given, in the order they are listed.
KINDS: dict[str, tuple[str, ...]] = {
    "nurse": ("answer_query", "restored_typing", "overdue_visit", "sae_clock"),
    "investigator": ("sign_visit", "resign_form"),
    "monitor": ("sdv_critical", "changed_since_verified", "close_query"),
}


@dataclass(frozen=True)
class Task:
    """One thing waiting: its kind, the subject, where a click goes (a form, else the subject),
    what it is about (``what``: a query's text, an item, a visit, a count) and since when
    (``since``: an ISO date or UTC time; the age is counted from it)."""

    kind: str
    subject: str
    key: FormKey | None
    what: str
    since: str | None
    query: Query | None = None
    count: int = 1


def tasks(session: Session, *, today: date, now: datetime) -> list[Task]:
    """The tasks of the signed-in user's role, oldest first within each kind.

    Raises:
        PermissionDenied: a role that sees no clinical data (an admin, a patient).
    """
    session.require(Permission.VIEW_DATA)
    found: list[Task] = []
    for kind in KINDS.get(session.role, ()):
        found.extend(_READERS[kind](session, today, now))
    return found


def _answer(session: Session, _today: date, _now: datetime) -> list[Task]:
    return [
        Task("answer_query", str(q.subject), _query_key(q), q.text or "", q.opened_at, q)
        for q in server_queries(session)
        if q.kind == "monitor" and q.status == "open" and q.subject
    ]


def _close(session: Session, _today: date, _now: datetime) -> list[Task]:
    found = []
    for q in server_queries(session):
        if q.kind == "monitor" and q.status == "answered" and q.subject:
            since = q.answers[-1].at if q.answers else q.opened_at
            found.append(Task("close_query", str(q.subject), _query_key(q), q.text or "", since, q))
    return sorted(found, key=lambda t: t.since or "")


def _restored(session: Session, _today: date, _now: datetime) -> list[Task]:
    return [
        Task("restored_typing", key.subject_id, key, key.form, since)
        for key, since in store.autosaves_of(session.db, session.user)
    ]


def _overdue(session: Session, today: date, _now: datetime) -> list[Task]:
    rows = subject_rows(session, today=today)
    found = [
        Task(
            "overdue_visit",
            r.subject_id,
            None,
            r.next_visit or "",
            r.window[1] if r.window else None,
        )
        for r in rows
        if r.next_visit_state == "overdue"
    ]
    return sorted(found, key=lambda t: t.since or "")


def _sae(session: Session, _today: date, now: datetime) -> list[Task]:
    found = []
    summaries = {}
    for subject in store.subjects_with_serious_ae(session.db):  # the few with an SAE
        summaries.update(ae_summaries(session, now=now, subject_id=subject))
    for subject, summary in summaries.items():
        clock = summary.sae_clock
        if clock is not None and clock.reported_at is None:
            key = FormKey(subject, LOG_EVENT, "F.AE")
            found.append(
                Task(
                    "sae_clock",
                    subject,
                    key,
                    clock.deadline.isoformat(),
                    clock.aware_at.isoformat(),
                )
            )
    return sorted(found, key=lambda t: t.what)


def _sign(session: Session, _today: date, _now: datetime) -> list[Task]:
    visits: dict[tuple[str, str, int], list[tuple[FormKey, str]]] = {}
    for key, since in store.unsigned_complete_forms(session.db):
        visits.setdefault((key.subject_id, key.event, key.event_repeat), []).append((key, since))
    found = []
    for (subject, event, _repeat), forms in visits.items():
        one: FormKey | None = forms[0][0] if len(forms) == 1 else None
        found.append(
            Task("sign_visit", subject, one, event, min(s for _, s in forms), count=len(forms))
        )
    return sorted(found, key=lambda t: t.since or "")


def _resign(session: Session, _today: date, _now: datetime) -> list[Task]:
    found = []
    for key, signature in store.latest_signatures(session.db):
        current = repo.content_hash(repo.form_values(session.db, key).values())
        if current != signature["content_hash"]:
            found.append(Task("resign_form", key.subject_id, key, key.form, signature["signed_at"]))
    return sorted(found, key=lambda t: t.since or "")


def _sdv_critical(session: Session, _today: date, _now: datetime) -> list[Task]:
    return [
        Task(
            "sdv_critical",
            due.key.subject_id,
            due.key,
            due.key.form,
            due.since,
            count=due.to_verify,
        )
        for due in critical_due(session)
    ]


def _changed(session: Session, _today: date, _now: datetime) -> list[Task]:
    return [
        Task("changed_since_verified", c.key.subject_id, c.key, c.item, c.changed_at)
        for c in changed_since_verified(session)
    ]


def _query_key(query: Query) -> FormKey | None:
    if query.subject and query.event and query.form:
        return FormKey(str(query.subject), query.event, query.form, query.event_repeat or 1)
    return None


_READERS = {
    "answer_query": _answer,
    "restored_typing": _restored,
    "overdue_visit": _overdue,
    "sae_clock": _sae,
    "sign_visit": _sign,
    "resign_form": _resign,
    "sdv_critical": _sdv_critical,
    "changed_since_verified": _changed,
    "close_query": _close,
}
