"""Safety: adverse events by CTCAE term, grade and arm with the study's reporting threshold,
the subjects with an AE per arm, and each serious AE on its 24-hour reporting clock.

Sources: CTCAE v5.0 (terms, grades 1–5); the study file's ``ae_min_grade`` (the recurrence
study reports from grade 2: "Reporting Threshold: All events ≥Grade 2"), applied by
:func:`forms.instruments.adverse_events.is_reportable` (a serious or not yet graded event
always counts); ICH E2A and the protocols' 24-hour SAE clock
(:func:`forms.instruments.adverse_events.sae_clock`). The AE log is the running form
``F.AE``, one event per repeat of ``IG.AE``; times on it are the site's local time.

Public names: :class:`AeArmCell`, :class:`AeTermRow`, :class:`SaeRow`, :class:`Safety`,
:func:`safety`, :class:`SafetyTally`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from forms.errors import DefinitionError
from forms.instruments.adverse_events import is_reportable, moment_of, sae_clock
from forms.instruments.errors import InstrumentError
from forms.proportions import Proportion, wilson
from forms.schema import split_item_path
from forms.study import Study
from forms.summary.facts import SubjectDigest, SubjectFacts, digest_of
from forms.values import Entry, entry_text

AE_FORM, AE_GROUP = "F.AE", "IG.AE"
SaeState = Literal["pending", "overdue", "on_time", "late", "no_clock"]


@dataclass(frozen=True)
class AeArmCell:
    """One term in one arm: subjects with it, events, and events by grade 1–5 (and ungraded)."""

    arm: str
    subjects: int
    events: int
    by_grade: tuple[int, int, int, int, int]
    ungraded: int


@dataclass(frozen=True)
class AeTermRow:
    """One CTCAE term with a cell per arm (in the study's arm order)."""

    term: str
    arms: tuple[AeArmCell, ...]

    @property
    def events(self) -> int:
        """Events of this term in every arm."""
        return sum(c.events for c in self.arms)


@dataclass(frozen=True)
class SaeRow:
    """A serious AE and its reporting clock at ``now``.

    ``state``: ``pending`` (not reported, deadline ahead), ``overdue`` (not reported, deadline
    passed), ``on_time``, ``late`` (reported after the deadline), ``no_clock`` (the time of
    awareness is not entered)."""

    subject_id: str
    site: str
    arm: str | None
    term: str | None
    grade: int | None
    aware_at: datetime | None
    deadline: datetime | None
    reported_at: datetime | None
    state: SaeState
    remaining: timedelta | None


@dataclass(frozen=True)
class Safety:
    """AEs at or above the reporting threshold by term (most frequent first), the subjects
    with one per arm (Wilson interval over the arm's enrolled subjects), how many recorded AEs
    fall below the threshold, and the SAEs (most urgent first)."""

    min_grade: int
    rows: tuple[AeTermRow, ...]
    subjects_with_ae: tuple[tuple[str, Proportion], ...]
    below_threshold: int
    saes: tuple[SaeRow, ...]


def _text(values: Mapping[str, Entry], path: str) -> str | None:
    return entry_text(values.get(path))


def _events(subject: SubjectFacts) -> list[dict[str, str | None]]:
    """Each AE of the subject's log: item OID → text, by repeat of ``IG.AE``."""
    prefix = f"{AE_GROUP}["
    found: dict[tuple[int, int], dict[str, str | None]] = {}
    for index, record in enumerate(subject.data.of_form(AE_FORM)):
        for path in record.values:
            if not path.startswith(prefix):
                continue
            try:
                _group, repeat, item = split_item_path(path)
            except DefinitionError:
                continue
            found.setdefault((index, repeat or 0), {})[item] = _text(record.values, path)
    return [found[key] for key in sorted(found)]


def _grade(text: str | None) -> int | None:
    return int(text) if text is not None and text in {"1", "2", "3", "4", "5"} else None


def _sae(subject: SubjectDigest, event: Mapping[str, str | None], now: datetime) -> SaeRow:
    zone = now.tzinfo
    clock = None
    try:
        if zone is not None and event.get("I.AEAWARE_DATE") and event.get("I.AEAWARE_TIME"):
            aware = moment_of(
                event["I.AEAWARE_DATE"] or "", event["I.AEAWARE_TIME"] or "", zone=zone
            )
            reported = None
            if event.get("I.AESREP_DATE") and event.get("I.AESREP_TIME"):
                reported = moment_of(
                    event["I.AESREP_DATE"] or "", event["I.AESREP_TIME"] or "", zone=zone
                )
            clock = sae_clock(aware, now=now, reported_at=reported)
    except InstrumentError:
        clock = None
    term, grade = event.get("I.AETERM"), _grade(event.get("I.AEGRADE"))
    if clock is None:
        return SaeRow(
            subject.subject_id,
            subject.site,
            subject.arm,
            term,
            grade,
            None,
            None,
            None,
            "no_clock",
            None,
        )
    if clock.reported_at is None:
        state: SaeState = "overdue" if clock.overdue else "pending"
    else:
        state = "late" if clock.overdue else "on_time"
    return SaeRow(
        subject.subject_id,
        subject.site,
        subject.arm,
        term,
        grade,
        clock.aware_at,
        clock.deadline,
        clock.reported_at,
        state,
        clock.remaining,
    )


_URGENCY = {"overdue": 0, "pending": 1, "no_clock": 2, "late": 3, "on_time": 4}


class SafetyTally:
    """AE logs tabulated one subject at a time (``read`` the log, ``add`` the digest: its
    SAEs on the clock at ``now``), then summed up (``result``)."""

    def __init__(self, study: Study, *, now: datetime) -> None:
        self.study, self.now = study, now
        self.grades: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * 6)
        self.who: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        self.with_ae: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.enrolled: dict[str, int] = defaultdict(int)
        self.below = 0
        self.saes: list[SaeRow] = []

    def read(self, subject: SubjectFacts) -> tuple[dict[str, str | None], ...]:
        """An enrolled subject's AEs (none for another)."""
        if not subject.enrolled or subject.arm is None:
            return ()
        return tuple(_events(subject))

    def add(self, subject: SubjectDigest) -> None:
        if not subject.enrolled or subject.arm is None:
            return
        self.enrolled[subject.arm] += 1
        key = (subject.site, subject.subject_id)
        for event in subject.events:
            grade, serious = _grade(event.get("I.AEGRADE")), event.get("I.AESER") == "Y"
            if serious:
                self.saes.append(_sae(subject, event, self.now))
            if not is_reportable(grade, min_grade=self.study.ae_min_grade, serious=serious):
                self.below += 1
                continue
            term = event.get("I.AETERM") or "—"
            self.grades[(term, subject.arm)][grade or 0] += 1
            self.who[(term, subject.arm)].add(key)
            self.with_ae[subject.arm].add(key)

    def result(self) -> Safety:
        arms = [a.code for a in self.study.arms]
        rows = []
        for term in sorted({t for t, _a in self.grades}):
            cells = []
            for arm in arms:
                counts = self.grades.get((term, arm), [0] * 6)
                cells.append(
                    AeArmCell(
                        arm,
                        len(self.who.get((term, arm), ())),
                        sum(counts),
                        (counts[1], counts[2], counts[3], counts[4], counts[5]),
                        counts[0],
                    )
                )
            rows.append(AeTermRow(term, tuple(cells)))
        rows.sort(key=lambda r: (-r.events, r.term))
        incidence = tuple(
            (arm, wilson(len(self.with_ae.get(arm, ())), self.enrolled.get(arm, 0))) for arm in arms
        )
        now = self.now
        saes = sorted(self.saes, key=lambda s: (_URGENCY[s.state], s.deadline or now, s.subject_id))
        return Safety(self.study.ae_min_grade, tuple(rows), incidence, self.below, tuple(saes))


def safety(study: Study, subjects: Iterable[SubjectFacts], *, now: datetime) -> Safety:
    """Tabulate the enrolled subjects' AE logs (``now``: time-zone aware, the site's zone)."""
    tally = SafetyTally(study, now=now)
    for subject in subjects:
        tally.add(digest_of(subject, events=tally.read(subject)))
    return tally.result()
