"""Visit schedule: each visit's target date and window from the anchor date, and its state.

Public names:

- :func:`plan_visits` ``(study, anchor) -> list[PlannedVisit]``: target date and window of every
  scheduled visit, in schedule order.
- :func:`track_visits` ``(study, anchor, *, today, done) -> list[TrackedVisit]``: the same with
  each visit's :class:`VisitState`, given the visits done (visit OID → date done);
  :func:`visit_states` gives the (planned visit, state) pairs alone.
- :func:`next_visit` ``(study, anchor, *, today, done) -> TrackedVisit | None``: the first visit
  still to do (upcoming, open or overdue), as ``track_visits`` would give it.
- :meth:`PlannedVisit.contains` ``(day) -> bool``: whether a visit date is inside the window.

States: ``done`` (a date was recorded); ``upcoming`` (today before the window); ``open`` (today
inside the window); ``overdue`` (the window has passed but the visit can still be done late: no
later visit is done and the next visit's window has not opened); ``missed`` (the window has passed
and a later visit is done or the next visit's window has opened). Unscheduled visits are not part
of the plan: a study allows them through ``Study.unscheduled``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from forms.study import Study, VisitDef
from forms.text import Text


class VisitState(StrEnum):
    """Where a scheduled visit stands on a given day."""

    UPCOMING = "upcoming"
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"
    MISSED = "missed"


@dataclass(frozen=True)
class PlannedVisit:
    """A scheduled visit placed in time: target date and inclusive window."""

    oid: str
    label: Text
    day: int
    target: date
    earliest: date
    latest: date
    forms: tuple[str, ...]

    def contains(self, day: date) -> bool:
        """Tell whether ``day`` lies inside the visit window (ends included)."""
        return self.earliest <= day <= self.latest


@dataclass(frozen=True)
class TrackedVisit:
    """A planned visit with its state on a given day and the date it was done, if any."""

    planned: PlannedVisit
    state: VisitState
    done_on: date | None = None


def _place(study: Study, visit: VisitDef, anchor: date) -> PlannedVisit:
    window = study.window_of(visit)
    target = anchor + timedelta(days=visit.day)
    return PlannedVisit(
        oid=visit.oid,
        label=visit.label,
        day=visit.day,
        target=target,
        earliest=target - timedelta(days=window.before),
        latest=target + timedelta(days=window.after),
        forms=visit.forms,
    )


def plan_visits(study: Study, anchor: date) -> list[PlannedVisit]:
    """Place every scheduled visit of ``study`` from ``anchor`` (the study's anchor date).

    Source: the study file's visit list (target day and window, or the default window).
    """
    return list(_plan(study, anchor))


_Offsets = tuple[tuple[str, Text, int, timedelta, timedelta, timedelta, tuple[str, ...]], ...]
_Plans = dict[date, tuple[PlannedVisit, ...]]
_OFFSETS: dict[int, tuple[Study, _Offsets, _Plans]] = {}
_PLANS_KEPT = 4096


def _known(study: Study) -> tuple[Study, _Offsets, _Plans]:
    """Each visit's target and window as offsets from the anchor, worked out once per study,
    and the plans placed from each anchor so far (a dashboard places every visit of a
    thousand subjects, many enrolled on the same day; a plan is immutable)."""
    known = _OFFSETS.get(id(study))
    if known is not None and known[0] is study:
        return known
    found = []
    origin = date(2000, 1, 1)
    for visit in study.visits:
        planned = _place(study, visit, origin)
        found.append(
            (
                visit.oid,
                visit.label,
                visit.day,
                planned.target - origin,
                planned.earliest - origin,
                planned.latest - origin,
                visit.forms,
            )
        )
    if len(_OFFSETS) > 64:
        _OFFSETS.clear()
    known = _OFFSETS[id(study)] = (study, tuple(found), {})
    return known


def _offsets(study: Study) -> _Offsets:
    return _known(study)[1]


def _plan(study: Study, anchor: date) -> tuple[PlannedVisit, ...]:
    _study, offsets, plans = _known(study)
    plan = plans.get(anchor)
    if plan is None:
        if len(plans) >= _PLANS_KEPT:
            plans.clear()
        plan = plans[anchor] = tuple(
            PlannedVisit(
                oid, label, day, anchor + target, anchor + earliest, anchor + latest, forms
            )
            for oid, label, day, target, earliest, latest, forms in offsets
        )
    return plan


def _state(
    plan: Sequence[PlannedVisit],
    index: int,
    today: date,
    done: Mapping[str, date],
    *,
    later_done: bool,
) -> VisitState:
    """``later_done``: a visit after this one is done."""
    visit = plan[index]
    if visit.oid in done:
        return VisitState.DONE
    if today < visit.earliest:
        return VisitState.UPCOMING
    if today <= visit.latest:
        return VisitState.OPEN
    if later_done or (index + 1 < len(plan) and today >= plan[index + 1].earliest):
        return VisitState.MISSED
    return VisitState.OVERDUE


def track_visits(
    study: Study, anchor: date, *, today: date, done: Mapping[str, date]
) -> list[TrackedVisit]:
    """Return each scheduled visit with its state on ``today``.

    Args:
        study: the study version the subject follows.
        anchor: the subject's anchor date (``study.anchor`` says which date that is).
        today: the day to judge on.
        done: visit OID → date the visit was done, for the visits done so far.
    """
    return [
        TrackedVisit(planned=p, state=state, done_on=done.get(p.oid))
        for p, state in visit_states(study, anchor, today=today, done=done)
    ]


def visit_states(
    study: Study, anchor: date, *, today: date, done: Mapping[str, date]
) -> list[tuple[PlannedVisit, VisitState]]:
    """Each scheduled visit and its state on ``today``, as :func:`track_visits` gives them
    (for a tally of a thousand subjects' visits, which has the dates done already)."""
    plan = _plan(study, anchor)
    found = []
    later_done = False  # one pass from the end, not one per visit
    for i in range(len(plan) - 1, -1, -1):
        found.append((plan[i], _state(plan, i, today, done, later_done=later_done)))
        later_done = later_done or plan[i].oid in done
    found.reverse()
    return found


def next_visit(
    study: Study, anchor: date, *, today: date, done: Mapping[str, date]
) -> TrackedVisit | None:
    """Return the first visit still to do (upcoming, open or overdue) on ``today``, as
    :func:`track_visits` gives it, placing no visit but that one (a subject list places the
    next visit of a thousand subjects); ``None`` when every visit is done or missed."""
    offsets = _offsets(study)
    last_done = max((i for i, o in enumerate(offsets) if o[0] in done), default=-1)
    for i, (oid, label, day, target, earliest, latest, forms) in enumerate(offsets):
        if oid in done:
            continue
        first, last = anchor + earliest, anchor + latest
        if today > last and (
            i < last_done or (i + 1 < len(offsets) and today >= anchor + offsets[i + 1][4])
        ):
            continue  # missed
        state = (
            VisitState.UPCOMING
            if today < first
            else VisitState.OPEN
            if today <= last
            else VisitState.OVERDUE
        )
        planned = PlannedVisit(oid, label, day, anchor + target, first, last, forms)
        return TrackedVisit(planned=planned, state=state)
    return None
