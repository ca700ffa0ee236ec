"""Visit compliance: each scheduled visit done in its window, early, late or missed, and the
visits overdue today.

Source: the study file's schedule and windows (:mod:`forms.schedule`; the recurrence study's
MRI every 12 weeks ± 7 days). A visit is done on the date of its visit form (``F.VISIT``);
a visit without one on the date its forms carry (a survival contact's date), the first visit
(screening) on the screening date, as the subject's timeline shows it. States on ``today``
are those of :func:`forms.schedule.track_visits`: overdue (the window has passed, the visit
can still be done) or missed (a later visit is done, or the next window has opened). Only
visits whose window has passed count as due; upcoming and open visits are not judged yet.

Public names: :class:`VisitCompliance`, :class:`OverdueVisit`, :class:`Compliance`,
:func:`compliance`, :func:`done_dates`, :class:`ComplianceTally`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from forms.endpoint_data import VISIT_DATE, VISIT_FORM, FormRecord
from forms.schedule import VisitState, visit_states
from forms.study import Study
from forms.summary.facts import SubjectDigest, SubjectFacts, digest_of
from forms.text import Text


@dataclass(frozen=True)
class VisitCompliance:
    """One scheduled visit across subjects: done in window, early or late; missed; overdue."""

    oid: str
    label: Text
    in_window: int
    early: int
    late: int
    missed: int
    overdue: int

    @property
    def due(self) -> int:
        """Visits whose window has passed or that were done."""
        return self.in_window + self.early + self.late + self.missed + self.overdue


@dataclass(frozen=True)
class OverdueVisit:
    """A visit whose window has passed today and that can still be done late."""

    subject_id: str
    site: str
    arm: str | None
    visit: str
    label: Text
    latest: date
    days_overdue: int


@dataclass(frozen=True)
class Compliance:
    """Every scheduled visit's compliance, in schedule order, and the visits overdue today
    (most overdue first)."""

    visits: tuple[VisitCompliance, ...]
    overdue: tuple[OverdueVisit, ...]

    def total(self, what: str) -> int:
        """The sum of one count (``in_window``, ``early``, ``late``, ``missed``, ``overdue``)."""
        return sum(int(getattr(v, what)) for v in self.visits)

    @property
    def rate(self) -> float | None:
        """Visits done in window among those done or missed (None while none is)."""
        judged = sum(v.in_window + v.early + v.late + v.missed for v in self.visits)
        return None if judged == 0 else self.total("in_window") / judged


def done_dates(study: Study, subject: SubjectFacts) -> dict[str, date]:
    """Visit OID → the date the visit was done (see the module docstring)."""
    data = subject.data
    by_event: dict[str, list[FormRecord]] = {}
    for record in data.records:
        if record.event_repeat == 1:
            by_event.setdefault(record.event, []).append(record)
    found: dict[str, date] = {}
    for visit in study.visits:
        records = by_event.get(visit.oid, [])
        if VISIT_FORM in visit.forms:
            dates = [d for r in records if r.form == VISIT_FORM and (d := r.date(VISIT_DATE))]
        else:
            dates = [d for r in records if (d := data.date_of(r)) is not None]
        if dates:
            found[visit.oid] = min(dates)
    first = study.visits[0]
    if subject.screened_on is not None and VISIT_FORM not in first.forms:
        found[first.oid] = subject.screened_on
    return found


_COUNTS = ("in_window", "early", "late", "missed", "overdue")


class ComplianceTally:
    """Visits judged one subject at a time (``read`` the dates done, ``add`` the digest: its
    visits judged on ``today``), then summed up (``result``)."""

    def __init__(self, study: Study, *, today: date) -> None:
        self.study, self.today = study, today
        self.counts = {v.oid: dict.fromkeys(_COUNTS, 0) for v in study.visits}
        self.overdue: list[OverdueVisit] = []

    def read(self, subject: SubjectFacts) -> dict[str, date]:
        """The visits done by an enrolled subject with an anchor date (none for another)."""
        if not subject.enrolled or subject.anchor is None:
            return {}
        return done_dates(self.study, subject)

    def add(self, subject: SubjectDigest) -> None:
        if not subject.enrolled or subject.anchor is None:
            return
        done, today = subject.done, self.today
        for planned, state in visit_states(self.study, subject.anchor, today=today, done=done):
            tally = self.counts[planned.oid]
            done_on = done.get(planned.oid)
            if state is VisitState.DONE and done_on is not None:
                if done_on < planned.earliest:
                    tally["early"] += 1
                elif done_on > planned.latest:
                    tally["late"] += 1
                else:
                    tally["in_window"] += 1
            elif state is VisitState.MISSED:
                tally["missed"] += 1
            elif state is VisitState.OVERDUE:
                tally["overdue"] += 1
                self.overdue.append(
                    OverdueVisit(
                        subject.subject_id,
                        subject.site,
                        subject.arm,
                        planned.oid,
                        planned.label,
                        planned.latest,
                        (today - planned.latest).days,
                    )
                )

    def result(self) -> Compliance:
        visits = tuple(
            VisitCompliance(v.oid, v.label, **self.counts[v.oid]) for v in self.study.visits
        )
        overdue = sorted(self.overdue, key=lambda o: (-o.days_overdue, o.subject_id))
        return Compliance(visits, tuple(overdue))


def compliance(study: Study, subjects: Iterable[SubjectFacts], *, today: date) -> Compliance:
    """Judge every scheduled visit of every enrolled subject with an anchor date on ``today``."""
    tally = ComplianceTally(study, today=today)
    for subject in subjects:
        tally.add(digest_of(subject, done=tally.read(subject)))
    return tally.result()
