"""A study at a glance, computed from its subjects' saved data: the numbers the desktop
dashboard shows for one site and the sponsor's report shows for the whole study.

Pure: the site's services and the server each gather :class:`SubjectFacts` and
:class:`QueryFacts` from what they hold and call :func:`summarise`. The sections and their
rules are documented where they live: :mod:`forms.summary.enrolment` (enrolment against the
target, screen failures by criterion), :mod:`forms.summary.visits` (visit compliance and
overdue visits), :mod:`forms.summary.safety` (AEs by term, grade and arm with the reporting
threshold; SAE clocks), :mod:`forms.summary.queries` (open queries by age) and
:mod:`forms.summary.efficacy` (Kaplan–Meier curves per arm with the log-rank test; HBsAg
loss, seroconversion and HBV DNA over the visits with Wilson intervals). Per-site rows of the
sponsor's report: :mod:`forms.summary.sites`.

Public names: :class:`StudySummary`, :func:`summarise` (one pass over the subjects) and
:class:`Summary` (the same a subject at a time, for a caller that keeps each subject's
:class:`SubjectDigest` between summaries), and the facts (:class:`SubjectFacts`,
:class:`QueryFacts`, :class:`VisitEntry`, :class:`DeviceFacts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from forms.schema import FormDef
from forms.study import Study
from forms.summary.efficacy import CurvesTally, EndpointCurves, MarkerSeries, MarkersTally
from forms.summary.enrolment import Enrolment, EnrolmentTally, Screening, ScreeningTally
from forms.summary.facts import (
    DeviceFacts,
    QueryFacts,
    SubjectDigest,
    SubjectFacts,
    VisitEntry,
    digest_of,
)
from forms.summary.queries import QueryAgeing, query_ageing
from forms.summary.safety import Safety, SafetyTally
from forms.summary.visits import Compliance, ComplianceTally

__all__ = [
    "DeviceFacts",
    "QueryFacts",
    "StudySummary",
    "SubjectDigest",
    "SubjectFacts",
    "Summary",
    "VisitEntry",
    "summarise",
]


@dataclass(frozen=True)
class StudySummary:
    """Every section of the summary of ``subjects`` subjects of one study version, as of
    ``today`` / ``now``."""

    study: Study
    today: date
    now: datetime
    subjects: int
    enrolment: Enrolment
    screening: Screening
    visits: Compliance
    safety: Safety
    queries: QueryAgeing
    curves: tuple[EndpointCurves, ...]
    markers: tuple[MarkerSeries, ...]


class Summary:
    """A summary in the making: each subject's digest (:meth:`digest`: what the tallies read
    of its data), added (:meth:`add`: counted, its visits and SAE clocks judged on ``today``
    and ``now``), then the result (:meth:`result`). A digest depends only on the subject and
    the study's definitions: one kept from an earlier summary of the same definitions can be
    added again while the subject has not changed."""

    def __init__(
        self, study: Study, forms: Mapping[str, FormDef], *, today: date, now: datetime
    ) -> None:
        self.study, self.forms, self.today, self.now = study, forms, today, now
        self.enrolled = EnrolmentTally(study)
        self.screened = ScreeningTally(study, forms)
        self.visits = ComplianceTally(study, today=today)
        self.safe = SafetyTally(study, now=now)
        self.curves = CurvesTally(study)
        self.markers = MarkersTally(study, forms)
        self.count = 0

    def digest(self, subject: SubjectFacts) -> SubjectDigest:
        """What the tallies read of ``subject`` (nothing that depends on today or now)."""
        return digest_of(
            subject,
            screening=self.screened.read(subject),
            done=self.visits.read(subject),
            events=self.safe.read(subject),
            times=self.curves.read(subject),
            markers=self.markers.read(subject),
        )

    def add(self, subject: SubjectDigest) -> None:
        """Count one subject."""
        self.count += 1
        self.enrolled.add(subject)
        self.screened.add(subject)
        self.visits.add(subject)
        self.safe.add(subject)
        self.curves.add(subject)
        self.markers.add(subject)

    def result(self, queries: Sequence[QueryFacts]) -> StudySummary:
        """The summary of the subjects added, with their ``queries``."""
        return StudySummary(
            self.study,
            self.today,
            self.now,
            self.count,
            self.enrolled.result(),
            self.screened.result(),
            self.visits.result(),
            self.safe.result(),
            query_ageing(queries, now=self.now),
            self.curves.result(),
            self.markers.result(),
        )


def summarise(
    study: Study,
    forms: Mapping[str, FormDef],
    subjects: Iterable[SubjectFacts],
    queries: Sequence[QueryFacts],
    *,
    today: date,
    now: datetime,
) -> StudySummary:
    """Summarise ``subjects`` of ``study`` and their ``queries``.

    Args:
        study: the study version whose schedule, criteria, thresholds and endpoints apply.
        forms: the form definitions by OID.
        subjects: the subjects to count (one site's, or every site's), read once: a
            generator lets each subject's data go as soon as it is counted.
        queries: their queries.
        today: the day visits are judged on.
        now: the moment SAE clocks and query ages are read at (time-zone aware: the zone of
            the times entered on the AE form).
    """
    summary = Summary(study, forms, today=today, now=now)
    for subject in subjects:  # one pass: each subject's data can go once it is digested
        summary.add(summary.digest(subject))
    return summary.result(queries)
