"""The AE log: adverse events of a subject (repeats of ``IG.AE`` in the F.AE log form), CTCAE
suggestions from saved lab values, the SAE 24-hour clock and the WHO-UMC causality suggestion.

Public API:

- :func:`lab_suggestions` ``(session, key) -> list[Suggestion]``: graded lab values of a saved
  lab form, against the lab's own limits on the form and the study's baseline (from
  :mod:`desktop_crf.services.ae_suggestions`).
- :func:`add_adverse_event` ``(session, subject_id, values) -> Changes``: a new AE (next repeat).
- :func:`adverse_events` ``(session, subject_id, *, now) -> list[AdverseEvent]``
- :func:`ae_summaries` ``(session, *, now) -> dict[str, AeSummary]``: open AEs and SAE clocks of
  every subject, for the subject list.
- :func:`causality_suggestion` ``(values, assessment) -> str | None``: WHO-UMC category
  suggested by the guided answers of one drug (the AE form names their items).
- :func:`ae_grade_choices` ``(session, term) -> list[GradeChoice]``: the grades CTCAE v5.0
  defines for a term (the only ones a save accepts).
- From :mod:`desktop_crf.services.ae_suggestions`: :func:`decline_suggestion`,
  :func:`declined_suggestions`, :func:`linked_ae_reviews`, :func:`review_linked_ae` (an AE
  created from a lab value stays linked to it; ``AdverseEvent.review`` flags a changed value).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from desktop_crf.errors import InvalidInput, NotFound
from desktop_crf.instruments import load_ctcae_dictionary
from desktop_crf.model import Changes
from desktop_crf.services.ae_log import AE_FORM, AE_GROUP, ae_key, ae_repeats
from desktop_crf.services.ae_suggestions import (
    DECLINE_ACTION,
    DeclinedSuggestion,
    LinkReview,
    decline_suggestion,
    declined_suggestions,
    lab_suggestions,
    link_reviews,
    linked_ae_reviews,
    linked_sources,
    review_linked_ae,
    suggestion_values,
)
from desktop_crf.services.data_entry import ClinicalContradiction, ItemInput, save_form
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.services.visits import LOG_EVENT
from desktop_crf.store import repository as repo
from desktop_crf.studies import load_study
from forms.instruments.adverse_events import ClockState, is_reportable, moment_of, sae_clock
from forms.instruments.errors import InstrumentError
from forms.instruments.who_umc import (
    AlternativeCause,
    Answers,
    Challenge,
    TimeRelationship,
    suggest,
)
from forms.schema import CausalityItems

__all__ = [
    "AE_FORM",
    "AE_GROUP",
    "DECLINE_ACTION",
    "AdverseEvent",
    "AeSummary",
    "ClinicalContradiction",
    "DeclinedSuggestion",
    "GradeChoice",
    "LinkReview",
    "add_adverse_event",
    "adverse_events",
    "ae_grade_choices",
    "ae_key",
    "ae_summaries",
    "causality_suggestion",
    "decline_suggestion",
    "declined_suggestions",
    "lab_suggestions",
    "linked_ae_reviews",
    "review_linked_ae",
    "suggestion_values",
]


@dataclass(frozen=True)
class AdverseEvent:
    """One AE of the log. ``reportable``: at or above the study's reporting threshold
    (``Study.ae_min_grade``), serious, or not graded yet (see
    :func:`forms.instruments.adverse_events.is_reportable`)."""

    repeat: int
    term: str | None
    grade: str | None
    onset: str | None
    serious: bool
    ongoing: bool
    clock: ClockState | None
    reportable: bool = True
    review: LinkReview | None = None  # its lab value changed: old → new, to review
    local_names: tuple[str, ...] = ()  # the term's Chinese names, shown beside it on screen


@dataclass(frozen=True)
class AeSummary:
    open_count: int  # ongoing AEs the study reports (its threshold applied)
    sae_clock: ClockState | None  # the most urgent unreported SAE
    to_review: int = 0  # AEs whose lab value changed since they were created or reviewed


def _next_repeat(session: Session, subject_id: str) -> int:
    saved = repo.form_values(session.db, ae_key(subject_id))
    return max((rep for (group, rep, _i) in saved if group == AE_GROUP), default=0) + 1


def add_adverse_event(session: Session, subject_id: str, values: Mapping[str, str]) -> Changes:
    """Record a new AE as the next repeat of the subject's AE log (a draft until complete).

    Raises:
        InvalidInput: the values link the AE to a lab value an AE of the log already rests on.
        ClinicalContradiction: the values break a rule of the AE form (see ``save_form``).
    """
    session.require(Permission.ENTER_DATA)
    if repo.get_subject(session.db, subject_id) is None:
        raise NotFound(f"There is no subject {subject_id}.")
    source = values.get("I.AELABSRC")
    linked = linked_sources(session, subject_id).get(source or "")
    if linked is not None:
        raise InvalidInput(
            f"The laboratory value {source} is already in the AE log (AE #{linked}): review "
            "that event rather than adding another."
        )
    repeat = _next_repeat(session, subject_id)
    items = [
        ItemInput(AE_GROUP, item, value, group_repeat=repeat) for item, value in values.items()
    ]
    return save_form(session, ae_key(subject_id), items)


def _clock(v: Mapping[str, str | None], now: datetime) -> ClockState | None:
    if not (v.get("I.AEAWARE_DATE") and v.get("I.AEAWARE_TIME")):
        return None
    zone = now.tzinfo or UTC
    try:
        aware = moment_of(v["I.AEAWARE_DATE"] or "", v["I.AEAWARE_TIME"] or "", zone=zone)
        reported = None
        if v.get("I.AESREP_DATE") and v.get("I.AESREP_TIME"):
            reported = moment_of(v["I.AESREP_DATE"] or "", v["I.AESREP_TIME"] or "", zone=zone)
        return sae_clock(aware, now=now, reported_at=reported)
    except InstrumentError:
        return None


def _grade(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def _min_grade(session: Session, subject_id: str) -> int:
    subject = repo.get_subject(session.db, subject_id)
    if subject is None:
        raise NotFound(f"There is no subject {subject_id}.")
    return load_study(subject["study_id"], subject["study_version"]).ae_min_grade


def _local_names(term: str | None) -> tuple[str, ...]:
    dictionary = load_ctcae_dictionary()
    try:
        return dictionary.local_names(dictionary.get(term)) if term else ()
    except InstrumentError:  # a term CTCAE does not have (a draft): no other name
        return ()


def _events(session: Session, subject_id: str, now: datetime) -> list[AdverseEvent]:
    min_grade = _min_grade(session, subject_id)
    reviews = link_reviews(session, subject_id)
    events = []
    for rep, v in ae_repeats(session, subject_id).items():
        serious = v.get("I.AESER") == "Y"
        events.append(
            AdverseEvent(
                rep,
                v.get("I.AETERM"),
                v.get("I.AEGRADE"),
                v.get("I.AESTDAT"),
                serious,
                v.get("I.AEONGO") != "N",
                _clock(v, now) if serious else None,
                is_reportable(_grade(v.get("I.AEGRADE")), min_grade=min_grade, serious=serious),
                reviews.get(rep),
                _local_names(v.get("I.AETERM")),
            )
        )
    return events


def adverse_events(session: Session, subject_id: str, *, now: datetime) -> list[AdverseEvent]:
    """The subject's AE log, with each SAE's reporting clock at ``now`` (time-zone aware)."""
    session.require(Permission.VIEW_DATA)
    return _events(session, subject_id, now)


def ae_summaries(
    session: Session, *, now: datetime, subject_id: str | None = None
) -> dict[str, AeSummary]:
    """Open AEs (those the study reports: its threshold applied) and the most urgent
    unreported SAE clock of every subject with an AE log (or of one subject)."""
    session.require(Permission.VIEW_DATA)
    sql = "SELECT DISTINCT subject_id FROM item_values WHERE form = ? AND event = ?"
    params = [AE_FORM, LOG_EVENT]
    if subject_id is not None:
        sql += " AND subject_id = ?"
        params.append(subject_id)
    rows = session.db.execute(sql, params).fetchall()
    found = {}
    for (subject_id,) in rows:
        events = _events(session, subject_id, now)
        pending = [e.clock for e in events if e.clock is not None and e.clock.reported_at is None]
        pending.sort(key=lambda c: c.deadline)
        open_count = sum(e.ongoing and e.reportable for e in events)
        to_review = sum(e.review is not None for e in events)
        found[subject_id] = AeSummary(open_count, next(iter(pending), None), to_review)
    return found


@dataclass(frozen=True)
class GradeChoice:
    """A grade CTCAE v5.0 defines for a term, with its CTCAE text."""

    grade: int
    text: str


def ae_grade_choices(session: Session, term: str) -> list[GradeChoice]:
    """The grades that may be chosen for ``term`` (CTCAE v5.0: a "-" is no grade), with their
    texts; empty for a term that is not in CTCAE v5.0. The AE form offers only these, and a
    save with any other grade is refused (:class:`ClinicalContradiction`)."""
    session.require(Permission.VIEW_DATA)
    dictionary = load_ctcae_dictionary()
    if term not in dictionary:
        return []
    entry = dictionary.get(term)
    return [GradeChoice(grade, entry.grades[grade]) for grade in entry.available_grades]


def causality_suggestion(
    values: Mapping[str, str | None], assessment: CausalityItems
) -> str | None:
    """The WHO-UMC category that the guided answers of one drug's ``assessment`` (item OIDs
    from the AE form's definition) suggest, given ``values`` by item OID; None until
    answered."""
    try:
        answers = Answers(
            time_relationship=TimeRelationship(values.get(assessment.time) or ""),
            alternative_causes=AlternativeCause(values.get(assessment.alternative) or ""),
            dechallenge=Challenge(values.get(assessment.dechallenge) or ""),
            rechallenge=Challenge(values.get(assessment.rechallenge) or ""),
            definitive=values.get(assessment.definitive) == "Y",
            information_sufficient=values.get(assessment.information) != "N",
            more_data_pending=values.get(assessment.pending) == "Y",
        )
    except ValueError:
        return None
    return str(suggest(answers))
