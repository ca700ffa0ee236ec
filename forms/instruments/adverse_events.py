"""Adverse-event rules: seriousness, reporting threshold, and the 24-hour SAE reporting clock.

Sources: ICH E2A, *Clinical Safety Data Management: Definitions and Standards for Expedited
Reporting* (1994), section II.B (the six seriousness criteria); ICH E6(R3) and the two protocols
(an investigator reports a serious adverse event to the sponsor within 24 hours of becoming aware
of it); the recurrence study (PEG-HCC-RECUR-3Y) records adverse events from CTCAE grade 2, which
its study file states as ``ae_min_grade``; CTCAE v5.0 for terms and grades.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Final

from forms.instruments.ctcae_dictionary import Dictionary
from forms.instruments.errors import InstrumentError, NaiveTime, UnknownChoice

REPORTING_WINDOW: Final = timedelta(hours=24)
"""An SAE is reported to the sponsor within 24 hours of the site becoming aware of it."""


class Seriousness(StrEnum):
    """The ICH E2A seriousness criteria; any one makes the event serious."""

    DEATH = "death"
    LIFE_THREATENING = "life_threatening"
    HOSPITALISATION = "hospitalisation"  # inpatient hospitalisation or its prolongation
    DISABILITY = "disability"  # persistent or significant disability or incapacity
    CONGENITAL_ANOMALY = "congenital_anomaly"
    IMPORTANT_MEDICAL_EVENT = "important_medical_event"


SERIOUSNESS_LABELS: Final[dict[Seriousness, dict[str, str]]] = {
    Seriousness.DEATH: {"en": "Results in death", "zh": "导致死亡"},
    Seriousness.LIFE_THREATENING: {"en": "Life-threatening", "zh": "危及生命"},
    Seriousness.HOSPITALISATION: {
        "en": "Requires hospitalisation or prolongs it",
        "zh": "导致住院或住院时间延长",
    },
    Seriousness.DISABILITY: {
        "en": "Persistent or significant disability or incapacity",
        "zh": "导致永久或严重的残疾或功能丧失",
    },
    Seriousness.CONGENITAL_ANOMALY: {
        "en": "Congenital anomaly or birth defect",
        "zh": "导致先天性异常或出生缺陷",
    },
    Seriousness.IMPORTANT_MEDICAL_EVENT: {
        "en": "Important medical event",
        "zh": "其他重要医学事件",
    },
}


class DrugAction(StrEnum):
    """Action taken with one study drug because of the event."""

    NONE = "none"  # dose not changed
    DOSE_REDUCED = "dose_reduced"
    INTERRUPTED = "interrupted"
    WITHDRAWN = "withdrawn"
    NOT_APPLICABLE = "not_applicable"  # the patient does not receive this drug


class Outcome(StrEnum):
    """Outcome of the event (the CDISC AEOUT codelist)."""

    RECOVERED = "recovered"
    RECOVERING = "recovering"
    NOT_RECOVERED = "not_recovered"
    RECOVERED_WITH_SEQUELAE = "recovered_with_sequelae"
    FATAL = "fatal"
    UNKNOWN = "unknown"


STUDY_DRUGS: Final[dict[str, dict[str, str]]] = {
    "PEG": {"en": "Peg-IFN-α-2b", "zh": "聚乙二醇干扰素α-2b"},
    "NA": {"en": "Nucleos(t)ide analogue", "zh": "核苷（酸）类似物"},
}
"""The study drugs whose action and causality are recorded for every event, by code."""


def seriousness_of(criteria: Iterable[str]) -> frozenset[Seriousness]:
    """Read seriousness codes (e.g. from the AE form) into the criteria they name.

    Raises:
        UnknownChoice: a code that is not one of :class:`Seriousness`.
    """
    chosen: set[Seriousness] = set()
    for code in criteria:
        try:
            chosen.add(Seriousness(code))
        except ValueError:
            raise UnknownChoice(
                "seriousness", code, tuple(member.value for member in Seriousness)
            ) from None
    return frozenset(chosen)


def is_serious(criteria: Iterable[str]) -> bool:
    """Tell whether an event is serious: any ICH E2A criterion met makes it so."""
    return bool(seriousness_of(criteria))


def is_reportable(grade: int | None, *, min_grade: int, serious: bool = False) -> bool:
    """Tell whether an event belongs in the study's AE log.

    Events from ``min_grade`` up are recorded (the recurrence study: grade 2, its study file's
    ``ae_min_grade``); a serious event is always recorded, whatever its grade. An event without
    a grade yet is recorded, so that it is graded rather than lost.
    """
    return serious or grade is None or grade >= min_grade


@dataclass(frozen=True, slots=True)
class ClockState:
    """Where an SAE stands on its 24-hour reporting clock.

    Attributes:
        aware_at: when the site became aware of the serious event.
        deadline: ``aware_at`` + 24 hours.
        reported_at: when it was reported to the sponsor, or ``None``.
        remaining: time left until the deadline at ``now`` (negative once passed); ``None`` once
            reported.
        overdue: not reported and the deadline has passed, or reported after it.
    """

    aware_at: datetime
    deadline: datetime
    reported_at: datetime | None
    remaining: timedelta | None
    overdue: bool

    def describe(self, language: str = "en") -> str:
        """Say the clock's state for the AE screen, in "en" or "zh"."""
        zh = language == "zh"
        when = self.deadline.strftime("%Y-%m-%d %H:%M")  # the site's time, as a person reads it
        if self.reported_at is not None:
            if self.overdue:
                return f"已于截止时间 {when} 之后报告" if zh else f"Reported late (due {when})"
            return f"已按时报告（截止 {when}）" if zh else f"Reported on time (due {when})"
        assert self.remaining is not None
        span = _span(abs(self.remaining), zh=zh)
        if self.overdue:
            return f"已超期 {span}（截止 {when}）" if zh else f"Overdue by {span} (due {when})"
        return f"剩余 {span}（截止 {when}）" if zh else f"Report by {when} ({span} left)"

    def summary(self, language: str = "en") -> str:
        """The clock in a few words, for a column of the subject list (``describe`` in full)."""
        zh = language == "zh"
        if self.reported_at is not None:
            if self.overdue:
                return "已逾期报告" if zh else "Reported late"
            return "已按时报告" if zh else "Reported on time"
        assert self.remaining is not None
        span = _span(abs(self.remaining), zh=zh)
        if self.overdue:
            return f"已超期 {span}" if zh else f"Overdue {span}"
        return f"剩余 {span}" if zh else f"{span} left"


def _span(delta: timedelta, *, zh: bool) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} 小时 {minutes} 分钟" if zh else f"{hours} h {minutes} min"


def _aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveTime(what)
    return moment


class TimeNotUnderstood(InstrumentError):
    """A date or clock time on the AE form that cannot be read."""

    def __init__(self, text: str) -> None:
        super().__init__(
            f"{text!r} cannot be read as a date and time: enter the date as YYYY-MM-DD and the "
            "time as HH:MM (24-hour clock)."
        )


def moment_of(date_text: str, time_text: str, *, zone: tzinfo) -> datetime:
    """Combine the AE form's date and HH:MM time items into a time-zone-aware moment.

    Args:
        date_text: e.g. "2026-03-02" (``I.AEAWARE_DATE``).
        time_text: e.g. "09:30" (``I.AEAWARE_TIME``), the site's local time.
        zone: the site's time zone.

    Raises:
        TimeNotUnderstood: the date or the time cannot be read.
    """
    try:
        day = date.fromisoformat(date_text.strip())
        hours, minutes = time_text.strip().split(":")
        if len(minutes) != 2 or not (hours.isdigit() and minutes.isdigit()):
            raise ValueError(time_text)
        clock = time(int(hours), int(minutes))
    except ValueError:
        raise TimeNotUnderstood(f"{date_text} {time_text}") from None
    return datetime.combine(day, clock, tzinfo=zone)


def sae_clock(
    aware_at: datetime, *, now: datetime, reported_at: datetime | None = None
) -> ClockState:
    """Place a serious adverse event on its 24-hour reporting clock.

    Args:
        aware_at: when the site became aware of the event (time-zone aware).
        now: the current time (time-zone aware); passed in so that the rule stays pure.
        reported_at: when the report reached the sponsor, if it has.

    Raises:
        NaiveTime: a time without a time zone.
    """
    deadline = _aware(aware_at, "The time of awareness") + REPORTING_WINDOW
    _aware(now, "The current time")
    if reported_at is not None:
        _aware(reported_at, "The time of reporting")
        return ClockState(aware_at, deadline, reported_at, None, reported_at > deadline)
    return ClockState(aware_at, deadline, None, deadline - now, now > deadline)


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem with an AE entry: the item it concerns and a message in English and Chinese."""

    item: str
    en: str
    zh: str


def check_term_and_grade(
    dictionary: Dictionary, term: str, grade: int | None, meddra_code: int | None = None
) -> list[Finding]:
    """Check that the term is a CTCAE v5.0 term, the grade exists for it, and the code matches.

    Returns:
        Findings for the AE term, grade and MedDRA code items; empty when all is well.
    """
    if term not in dictionary:
        return [
            Finding(
                "I.AETERM",
                f"{term!r} is not a CTCAE v5.0 term: search the dictionary and choose a term.",
                f"“{term}”不是CTCAE v5.0术语：请在词典中搜索并选择术语。",
            )
        ]
    entry = dictionary.get(term)
    findings: list[Finding] = []
    if grade is not None and grade not in entry.grades:
        shown = ", ".join(str(g) for g in entry.available_grades)
        findings.append(
            Finding(
                "I.AEGRADE",
                f"CTCAE v5.0 has no grade {grade} for {entry.name}; choose one of {shown}.",
                f"CTCAE v5.0中“{entry.name}”无{grade}级；请选择 {shown} 级之一。",
            )
        )
    if meddra_code is not None and meddra_code != entry.meddra_code:
        findings.append(
            Finding(
                "I.AEMEDDRA",
                f"MedDRA code {meddra_code} is not the code of {entry.name} ({entry.meddra_code}).",
                f"MedDRA编码 {meddra_code} 与“{entry.name}”的编码（{entry.meddra_code}）不符。",
            )
        )
    return findings
