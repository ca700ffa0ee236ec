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

Public names: :class:`StudySummary`, :func:`summarise`, and the facts
(:class:`SubjectFacts`, :class:`QueryFacts`, :class:`VisitEntry`, :class:`DeviceFacts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from forms.schema import FormDef
from forms.study import Study
from forms.summary.efficacy import CurvesTally, EndpointCurves, MarkerSeries, MarkersTally
from forms.summary.enrolment import Enrolment, EnrolmentTally, Screening, ScreeningTally
from forms.summary.facts import DeviceFacts, QueryFacts, SubjectFacts, VisitEntry
from forms.summary.queries import QueryAgeing, query_ageing
from forms.summary.safety import Safety, SafetyTally
from forms.summary.visits import Compliance, ComplianceTally

__all__ = [
    "DeviceFacts",
    "QueryFacts",
    "StudySummary",
    "SubjectFacts",
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
    enrolled = EnrolmentTally(study)
    screened = ScreeningTally(study, forms)
    visits = ComplianceTally(study, today=today)
    safe = SafetyTally(study, now=now)
    curves = CurvesTally(study)
    markers = MarkersTally(study, forms)
    tallies = (enrolled, screened, visits, safe, curves, markers)
    count = 0
    for subject in subjects:  # one pass: each subject's data can go once it is counted
        count += 1
        for tally in tallies:
            tally.add(subject)
    return StudySummary(
        study,
        today,
        now,
        count,
        enrolled.result(),
        screened.result(),
        visits.result(),
        safe.result(),
        query_ageing(queries, now=now),
        curves.result(),
        markers.result(),
    )
