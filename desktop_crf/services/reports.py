"""The site's study at a glance: the numbers of the dashboard, read and computed in one call.

Public API: :func:`site_summary` ``(session, *, today, now) -> StudySummary``: enrolment per
arm against the study's target, screen failures by criterion, visit compliance and overdue
visits, AEs by term, grade and arm (the study's reporting threshold applied), SAEs on their
clock, open queries by age, Kaplan–Meier curves per arm with the log-rank test, and the
hepatitis B markers over the visits (:class:`forms.summary.Summary`, the same computation as
the sponsor's report on the server).

The session keeps each subject's digest (what the summary reads of its data, nothing that
depends on the day) with the subject's version (``subject_versions``, raised by every write
of the subject's row or values): a later call reads and digests again only the subjects
written since, and judges every subject's visits and SAE clocks on its own ``today`` and
``now``. The values are read in one pass (``forms.summary.facts.READS``: the items the
endpoints, markers and AE log read; every form's date; the screening forms of subjects still
screening), with the subjects and the queries, on the one connection of the store worker;
the computation is pure and runs where the call runs (the store worker, never the GUI
thread).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
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
from forms.summary import QueryFacts, StudySummary, SubjectDigest, SubjectFacts, Summary
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
    forms: Mapping[str, FormDef],
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
    forms: Mapping[str, FormDef],
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


@dataclass
class _Digests:
    """The digests kept by a session: subject → (version, digest), of one study version's
    definitions."""

    study: Study
    forms: Mapping[str, FormDef]
    by_subject: dict[str, tuple[int, SubjectDigest]] = field(default_factory=dict)

    def current(self, subject_id: str, versions: Mapping[str, int]) -> SubjectDigest | None:
        """The subject's digest, if one is kept for its current version."""
        known = self.by_subject.get(subject_id)
        version = versions.get(subject_id)
        return known[1] if known is not None and known[0] == version else None

    def keep(self, subject_id: str, versions: Mapping[str, int], digest: SubjectDigest) -> None:
        version = versions.get(subject_id)
        if version is not None:
            self.by_subject[subject_id] = (version, digest)


def _kept(session: Session, study: Study, forms: Mapping[str, FormDef]) -> _Digests:
    kept = session.kept.get(__name__)
    if not isinstance(kept, _Digests) or kept.study is not study or kept.forms is not forms:
        kept = session.kept[__name__] = _Digests(study, forms)
    return kept


def site_summary(session: Session, *, today: date, now: datetime) -> StudySummary:
    """The dashboard of this site's study (its latest version) as of ``today`` and ``now``
    (time-zone aware: the site's zone, in which the AE form's times are entered)."""
    session.require(Permission.VIEW_DATA)
    study = load_study(session.site.study_id)
    forms = bundled_forms()
    site = session.site.site_code
    kept = _kept(session, study, forms)
    # The versions first: a write after them leaves a digest newer than its version (read
    # again next time), never a version newer than its digest.
    versions = repo.subject_versions(session.db)
    subjects = repo.list_subjects(session.db)
    found = [
        QueryFacts(site, q.subject, q.kind, q.status, _moment(q.opened_at))
        for q in local_queries.list_queries(session.db)
    ]
    known = {s["subject_id"]: kept.current(s["subject_id"], versions) for s in subjects}
    stale = [s for s in subjects if known[s["subject_id"]] is None]
    rows = repo.site_values(
        session.db,
        reads=reads(forms),
        screening_event=study.visits[0].oid,
        subjects=None if len(stale) == len(subjects) else [s["subject_id"] for s in stale],
    )
    fresh = _stream(study, forms, site, stale, rows)
    summary = Summary(study, forms, today=today, now=now)
    kept.by_subject = {}
    for subject_id, digest in known.items():  # in the subjects' order, as they are counted
        if digest is None:
            digest = summary.digest(next(fresh))
        kept.keep(subject_id, versions, digest)
        summary.add(digest)
    return summary.result(found)
