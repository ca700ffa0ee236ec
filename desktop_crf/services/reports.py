"""The site's study at a glance: the numbers of the dashboard, read and computed in one call.

Public API: :func:`site_summary` ``(session, *, today, now) -> StudySummary``: enrolment per
arm against the study's target, screen failures by criterion, visit compliance and overdue
visits, AEs by term, grade and arm (the study's reporting threshold applied), SAEs on their
clock, open queries by age, Kaplan–Meier curves per arm with the log-rank test, and the
hepatitis B markers over the visits (:func:`forms.summary.summarise`, the same computation
as the sponsor's report on the server).

One read of the values the summary needs (``forms.summary.facts.READS``: the items the
endpoints, markers and AE log read; every form's date; the screening forms of subjects still
screening), one of the subjects and one of the queries, on the one connection of the store
worker (nothing writes between them); the computation is pure and runs where the call runs
(the store worker, never the GUI thread).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import queries as local_queries
from desktop_crf.store import repository as repo
from desktop_crf.studies import bundled_forms, load_study
from forms.endpoint_data import SubjectData, form_records, start_dates
from forms.schema import FormDef
from forms.study import Study
from forms.summary import QueryFacts, StudySummary, SubjectFacts, summarise
from forms.summary.facts import reads

__all__ = ["StudySummary", "site_summary"]


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _moment(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


_STORED = itemgetter(slice(1, None))  # a site row without its subject: forms' StoredRow


def _facts(
    study: Study,
    forms: dict[str, FormDef],
    site: str,
    subject: dict[str, Any],
    rows: Iterable[tuple[Any, ...]],
) -> SubjectFacts:
    records = form_records(map(_STORED, rows), forms)
    anchor = _date(subject.get("anchor_date"))
    starts = start_dates(records, anchor_kind=study.anchor.kind, anchor=anchor)
    return SubjectFacts(
        subject["subject_id"],
        site,
        subject["status"],
        subject.get("arm"),
        _date(subject.get("screened_on")),
        _date(subject.get("enrolled_on")),
        anchor,
        SubjectData.of(study, forms, records, starts=starts),
    )


def _stream(
    study: Study,
    forms: dict[str, FormDef],
    site: str,
    subjects: list[dict[str, Any]],
    rows: Iterator[tuple[Any, ...]],
) -> Iterator[SubjectFacts]:
    """Each subject's facts in turn, from rows ordered by subject like the subjects: only one
    subject's data is held at a time."""
    groups = groupby(rows, key=itemgetter(0))
    current = next(groups, None)
    for subject in subjects:
        subject_id = subject["subject_id"]
        while current is not None and current[0] < subject_id:
            current = next(groups, None)
        mine = current[1] if current is not None and current[0] == subject_id else ()
        yield _facts(study, forms, site, subject, mine)


def site_summary(session: Session, *, today: date, now: datetime) -> StudySummary:
    """The dashboard of this site's study (its latest version) as of ``today`` and ``now``
    (time-zone aware: the site's zone, in which the AE form's times are entered)."""
    session.require(Permission.VIEW_DATA)
    study = load_study(session.site.study_id)
    forms = bundled_forms()
    site = session.site.site_code
    subjects = repo.list_subjects(session.db)
    found = [
        QueryFacts(site, q.subject, q.kind, q.status, _moment(q.opened_at))
        for q in local_queries.list_queries(session.db)
    ]
    rows = repo.site_values(session.db, reads=reads(forms), screening_event=study.visits[0].oid)
    facts = _stream(study, forms, site, subjects, rows)
    return summarise(study, forms, facts, found, today=today, now=now)
