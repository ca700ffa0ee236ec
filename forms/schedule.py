"""Visit schedule: each visit's target date and window from the anchor date, and its state.

Public names:

- :func:`plan_visits` ``(study, anchor) -> list[PlannedVisit]``: target date and window of every
  scheduled visit, in schedule order.
- :func:`track_visits` ``(study, anchor, *, today, done) -> list[TrackedVisit]``: the same with
  each visit's :class:`VisitState`, given the visits done (visit OID → date done).
- :meth:`PlannedVisit.contains` ``(day) -> bool``: whether a visit date is inside the window.

States: ``done`` (a date was recorded); ``upcoming`` (today before the window); ``open`` (today
inside the window); ``overdue`` (the window has passed but the visit can still be done late: no
later visit is done and the next visit's window has not opened); ``missed`` (the window has passed
and a later visit is done or the next visit's window has opened). Unscheduled visits are not part
of the plan: a study allows them through ``Study.unscheduled``.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    return [
        PlannedVisit(oid, label, day, anchor + target, anchor + earliest, anchor + latest, forms)
        for oid, label, day, target, earliest, latest, forms in _offsets(study)
    ]


_Offsets = tuple[tuple[str, Text, int, timedelta, timedelta, timedelta, tuple[str, ...]], ...]
_OFFSETS: dict[int, tuple[Study, _Offsets]] = {}


def _offsets(study: Study) -> _Offsets:
    """Each visit's target and window as offsets from the anchor, worked out once per study
    (a dashboard places every visit of a thousand subjects)."""
    known = _OFFSETS.get(id(study))
    if known is not None and known[0] is study:
        return known[1]
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
    _OFFSETS[id(study)] = (study, tuple(found))
    return tuple(found)


def _state(
    plan: list[PlannedVisit], index: int, today: date, done: Mapping[str, date]
) -> VisitState:
    visit = plan[index]
    if visit.oid in done:
        return VisitState.DONE
    if today < visit.earliest:
        return VisitState.UPCOMING
    if today <= visit.latest:
        return VisitState.OPEN
    later = plan[index + 1 :]
    if any(v.oid in done for v in later) or (later and today >= later[0].earliest):
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
    plan = plan_visits(study, anchor)
    return [
        TrackedVisit(planned=p, state=_state(plan, i, today, done), done_on=done.get(p.oid))
        for i, p in enumerate(plan)
    ]
