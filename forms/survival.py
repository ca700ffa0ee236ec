"""Recurrence, recurrence-free survival and overall survival, with censoring and landmarks.

Sources: the recurrence study's primary endpoint (LI-RADS v2018 category 5 or histologically
confirmed HCC; local / intrahepatic > 2 cm from the resection margin / extrahepatic with biopsy)
and NCT07553767's RFS and OS at years 1, 2, 3 and 5; clinical.md, "Hepatitis B markers".

- :func:`find_recurrence` reads imaging forms (``F.IMAGING`` values) in date order.
- :func:`reported_recurrence` reads recurrences reported at survival contacts (``F.SURVIVAL``).
- :func:`time_to_recurrence` (event: recurrence only; death censored),
  :func:`recurrence_free_survival` (recurrence or death) and :func:`overall_survival` (death)
  give the time from the start date to the event, or to the censoring date.
- :func:`status_at` tells, at a landmark of N years, whether the event had happened, the
  subject was known event-free, or the subject was censored before the landmark.

Public names: :class:`Recurrence`, :func:`find_recurrence`, :func:`reported_recurrence`,
:class:`SurvivalTime`, :func:`time_to_recurrence`, :func:`recurrence_free_survival`,
:func:`overall_survival`, :class:`Landmark`, :func:`status_at`, :func:`landmarks`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from forms.dates import add_years, parse_date
from forms.errors import FormsError
from forms.quantities import parse_decimal
from forms.schema import repeat_keys
from forms.values import Entry, entry_text

RecurrenceType = Literal["LOCAL", "INTRAHEPATIC", "EXTRAHEPATIC"]
INTRAHEPATIC_MARGIN_CM = Decimal(2)
_TYPES: Mapping[str, RecurrenceType] = {
    "LOCAL": "LOCAL",
    "INTRAHEPATIC": "INTRAHEPATIC",
    "EXTRAHEPATIC": "EXTRAHEPATIC",
}


@dataclass(frozen=True)
class Recurrence:
    """The first recurrence: its date, type (None when the data cannot type it) and basis
    (``FOLLOW_UP``: reported at a survival contact, with its date)."""

    on: date
    kind: RecurrenceType | None
    basis: Literal["LIRADS5", "HISTOLOGY", "FOLLOW_UP"]


def _text(values: Mapping[str, Entry], path: str) -> str | None:
    return entry_text(values.get(path))


def _lesion_type(values: Mapping[str, Entry], repeat: int) -> RecurrenceType | None:
    distance = _text(values, f"IG.LESION[{repeat}]/I.MARGIN_DISTANCE")
    try:
        cm = None if distance is None else parse_decimal(distance)
    except FormsError:
        cm = None
    if cm is None:
        return None
    return "INTRAHEPATIC" if cm > INTRAHEPATIC_MARGIN_CM else "LOCAL"


def _recurrence_in(scan_on: date, values: Mapping[str, Entry]) -> Recurrence | None:
    kind = _TYPES.get(_text(values, "I.RECURRENCE_TYPE") or "")
    if _text(values, "I.HISTOLOGY") == "HCC":
        biopsy = _text(values, "I.HISTOLOGY_DATE")
        try:
            on = parse_date(biopsy) if biopsy else scan_on
        except FormsError:
            on = scan_on
        return Recurrence(min(on, scan_on), kind, "HISTOLOGY")
    for repeat in repeat_keys("IG.LESION", values):
        intrahepatic = _text(values, f"IG.LESION[{repeat}]/I.LESION_SEGMENT") != "EXTRA"
        if intrahepatic and _text(values, f"IG.LESION[{repeat}]/I.LIRADS") == "LR5":
            # Extrahepatic recurrence needs a biopsy; an LR-5 lesion is intrahepatic.
            typed = kind if kind != "EXTRAHEPATIC" else None
            return Recurrence(scan_on, typed or _lesion_type(values, repeat), "LIRADS5")
    return None


def find_recurrence(scans: Sequence[tuple[date, Mapping[str, Entry]]]) -> Recurrence | None:
    """The first recurrence in a subject's imaging forms: a new intrahepatic LI-RADS 5 lesion
    (dated by the scan) or histologically confirmed HCC (dated by the biopsy).

    Args:
        scans: (scan date, ``F.IMAGING`` values by item path) for each scan, any order.

    The type is the one entered on the form; failing that, an LR-5 lesion is typed by its
    distance from the resection margin (> 2 cm intrahepatic, otherwise local).
    """
    found = [_recurrence_in(on, values) for on, values in sorted(scans, key=lambda s: s[0])]
    return min((r for r in found if r is not None), key=lambda r: r.on, default=None)


def reported_recurrence(
    contacts: Sequence[Mapping[str, Entry]],
) -> Recurrence | None:
    """The earliest recurrence reported at a survival contact (``F.SURVIVAL``: recurred "Y"
    with its date), e.g. found at another hospital during years 3–5 of NCT07553767."""
    found = []
    for values in contacts:
        if _text(values, "I.RECURRED") != "Y":
            continue
        try:
            found.append(parse_date(_text(values, "I.RECURRENCE_DATE") or ""))
        except FormsError:
            continue
    return Recurrence(min(found), None, "FOLLOW_UP") if found else None


@dataclass(frozen=True)
class SurvivalTime:
    """Time from ``start`` to ``end``; ``event`` False means censored at ``end``."""

    start: date
    end: date
    event: bool

    @property
    def days(self) -> int:
        """Length of follow-up in days."""
        return (self.end - self.start).days


def recurrence_free_survival(
    start: date, *, recurrence: date | None, death: date | None, last_assessment: date
) -> SurvivalTime:
    """RFS: from ``start`` to recurrence or death from any cause, whichever is first; censored
    at the last disease assessment (the last scan) when neither happened."""
    events = [d for d in (recurrence, death) if d is not None]
    if events:
        return SurvivalTime(start, min(events), True)
    return SurvivalTime(start, last_assessment, False)


def time_to_recurrence(
    start: date, *, recurrence: date | None, death: date | None, last_recurrence_free: date
) -> SurvivalTime:
    """Time to recurrence, the event of the recurrence study's primary endpoint ("3-year
    cumulative recurrence rate", Kaplan–Meier): recurrence only. A death without recurrence is
    not an event: the subject is censored at the last date known recurrence-free, never later
    than the death."""
    if recurrence is not None:
        return SurvivalTime(start, recurrence, True)
    end = last_recurrence_free if death is None else min(last_recurrence_free, death)
    return SurvivalTime(start, end, False)


def overall_survival(start: date, *, death: date | None, last_known_alive: date) -> SurvivalTime:
    """OS: from ``start`` to death from any cause; censored at the last date known alive."""
    if death is not None:
        return SurvivalTime(start, death, True)
    return SurvivalTime(start, last_known_alive, False)


class Landmark(StrEnum):
    """A subject's status at a landmark (e.g. 3 years after the radical treatment)."""

    EVENT = "event"
    EVENT_FREE = "event_free"
    CENSORED = "censored"


def status_at(time: SurvivalTime, years: int) -> Landmark:
    """The status ``years`` calendar years after the start: the event happened on or before
    the landmark; known event-free at the landmark; or censored before it (unknown)."""
    landmark = add_years(time.start, years)
    if time.event and time.end <= landmark:
        return Landmark.EVENT
    return Landmark.EVENT_FREE if time.end >= landmark else Landmark.CENSORED


def landmarks(time: SurvivalTime, years: Sequence[int] = (1, 2, 3, 5)) -> dict[int, Landmark]:
    """The status at each landmark year (NCT07553767: years 1, 2, 3 and 5)."""
    return {n: status_at(time, n) for n in years}
