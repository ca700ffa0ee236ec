"""Recurrence and time-to-event endpoints of one subject: recurrence, time to recurrence (the
recurrence study's 3-year cumulative recurrence), RFS and OS with their landmark years.

Sources: the recurrence study's primary endpoint (recurrence: LI-RADS 5 or histology; death
without recurrence censored) and NCT07553767's RFS and OS at years 1, 2, 3 and 5; the rules
themselves are in :mod:`forms.survival`. Recurrence is read from the imaging forms and from the
survival follow-up form (a recurrence reported at a contact, with its date); death from the
survival follow-up and end-of-study forms; the last date known alive from every dated record.
Each function is an endpoint method of :data:`forms.endpoints.ENDPOINTS`: its keyword arguments
are the study file's parameters.

Public names: :class:`SurvivalResult`, :func:`recurrence`, :func:`cumulative_recurrence`,
:func:`rfs_endpoint`, :func:`os_endpoint`; the times alone: :data:`SURVIVAL_TIMES`
(:func:`recurrence_time`, :func:`rfs_time`, :func:`os_time`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from forms.endpoint_data import SubjectData
from forms.endpoint_defs import Start
from forms.survival import (
    Landmark,
    Recurrence,
    SurvivalTime,
    find_recurrence,
    landmarks,
    overall_survival,
    recurrence_free_survival,
    reported_recurrence,
    time_to_recurrence,
)

IMAGING, SURVIVAL, END_OF_STUDY = "F.IMAGING", "F.SURVIVAL", "F.END_OF_STUDY"


def _recurrence(data: SubjectData, since: date | None = None) -> Recurrence | None:
    scans = [(on, r.values) for on, r in data.dated(IMAGING) if since is None or on >= since]
    contacts = [r.values for r in data.of_form(SURVIVAL)]
    reported = reported_recurrence(contacts)
    if reported is not None and since is not None and reported.on < since:
        reported = None
    found = [r for r in (find_recurrence(scans), reported) if r is not None]
    return min(found, key=lambda r: r.on, default=None)


def recurrence(data: SubjectData) -> Recurrence | None:
    """The first recurrence: on imaging (LI-RADS 5 or histology) or reported at a survival
    contact (:mod:`forms.survival`)."""
    return _recurrence(data)


def _death(data: SubjectData) -> date | None:
    deaths = [
        on
        for r in data.of_form(SURVIVAL)
        if r.text("I.VITAL_STATUS") == "DEAD" and (on := r.date("I.DEATH_DATE")) is not None
    ]
    deaths += [
        on
        for r in data.of_form(END_OF_STUDY)
        if r.text("I.EOS_STATUS") == "DEATH" and (on := r.date("I.EOS_DEATH_DATE")) is not None
    ]
    return min(deaths, default=None)


def _last_alive(data: SubjectData, start: date) -> date:
    """The last date the subject is known alive: any dated record of a visit, a survival
    contact's last date known alive, the end of study's last contact."""
    seen = [start]
    for record in data.records:
        if record.form in (SURVIVAL, END_OF_STUDY) or record.form not in data.forms:
            continue
        if (on := data.date_of(record)) is not None:
            seen.append(on)
    for record in data.of_form(SURVIVAL):
        seen += [d for d in (record.date("I.LAST_ALIVE_DATE"),) if d is not None]
        if record.text("I.VITAL_STATUS") == "ALIVE" and (on := record.date("I.CONTACT_DATE")):
            seen.append(on)
    for record in data.of_form(END_OF_STUDY):
        if record.text("I.EOS_STATUS") != "DEATH" and (on := record.date("I.EOS_LAST_CONTACT")):
            seen.append(on)
    death = _death(data)
    return max((d for d in seen if death is None or d <= death), default=start)


def _last_recurrence_free(data: SubjectData, start: date, before: date | None) -> date:
    """The last date the subject is known recurrence-free: a scan, or a survival contact
    reporting no recurrence (up to the contact, and not after a death)."""
    seen = [start]
    seen += [on for on, _r in data.dated(IMAGING) if before is None or on < before]
    for record in data.of_form(SURVIVAL):
        if record.text("I.RECURRED") != "N" or (on := record.date("I.CONTACT_DATE")) is None:
            continue
        death = record.date("I.DEATH_DATE")
        seen.append(min(on, death) if death is not None else on)
    return max(seen)


@dataclass(frozen=True)
class SurvivalResult:
    """A time-to-event endpoint of one subject: the start date it counts from (None: not
    known yet, so nothing is computed), the time to the event or censoring, and the status
    at each landmark year."""

    start: date | None
    time: SurvivalTime | None
    landmarks: dict[int, Landmark]


def recurrence_time(data: SubjectData, start: date) -> SurvivalTime:
    """Time to recurrence (the recurrence study's primary endpoint) from ``start``: event =
    recurrence; a death without recurrence is censored
    (:func:`forms.survival.time_to_recurrence`)."""
    found = _recurrence(data, start)
    on = found.on if found else None
    return time_to_recurrence(
        start,
        recurrence=on,
        death=_death(data),
        last_recurrence_free=_last_recurrence_free(data, start, on),
    )


def rfs_time(data: SubjectData, start: date) -> SurvivalTime:
    """Recurrence-free survival from ``start``: recurrence or death, whichever is first
    (:func:`forms.survival.recurrence_free_survival`)."""
    found = _recurrence(data, start)
    on = found.on if found else None
    return recurrence_free_survival(
        start,
        recurrence=on,
        death=_death(data),
        last_assessment=_last_recurrence_free(data, start, on),
    )


def os_time(data: SubjectData, start: date) -> SurvivalTime:
    """Overall survival from ``start``: death from any cause
    (:func:`forms.survival.overall_survival`)."""
    return overall_survival(start, death=_death(data), last_known_alive=_last_alive(data, start))


TimeFrom = Callable[[SubjectData, date], SurvivalTime]

SURVIVAL_TIMES: Mapping[str, TimeFrom] = {
    "cumulative_recurrence": recurrence_time,
    "recurrence_free_survival": rfs_time,
    "overall_survival": os_time,
}
"""Each time-to-event method (``EndpointDef.method``) → the subject's time from a start date:
what the curves need, without the landmarks of the endpoint functions below."""


def _survival(
    data: SubjectData, start: Start, years: tuple[int, ...], compute: TimeFrom
) -> SurvivalResult:
    began = data.starts.get(start)
    if began is None:
        return SurvivalResult(None, None, {})
    time = compute(data, began)
    return SurvivalResult(began, time, landmarks(time, years))


def cumulative_recurrence(
    data: SubjectData, *, start: Start, landmark_years: tuple[int, ...]
) -> SurvivalResult:
    """Time to recurrence (the recurrence study's primary endpoint): event = recurrence; a
    death without recurrence is censored (:func:`forms.survival.time_to_recurrence`)."""
    return _survival(data, start, landmark_years, recurrence_time)


def rfs_endpoint(
    data: SubjectData, *, start: Start, landmark_years: tuple[int, ...]
) -> SurvivalResult:
    """Recurrence-free survival: recurrence or death, whichever is first
    (:func:`forms.survival.recurrence_free_survival`)."""
    return _survival(data, start, landmark_years, rfs_time)


def os_endpoint(
    data: SubjectData, *, start: Start, landmark_years: tuple[int, ...]
) -> SurvivalResult:
    """Overall survival: death from any cause (:func:`forms.survival.overall_survival`)."""
    return _survival(data, start, landmark_years, os_time)
