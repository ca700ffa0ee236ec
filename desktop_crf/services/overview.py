"""What a screen shows, read in one call: the subject list, and one subject's overview.

A screen that needs several reads asks for them together, so it gets them from one state of
the database and the UI makes one trip to the store worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from desktop_crf.model import FormKey
from desktop_crf.services.adverse_events import (
    AdverseEvent,
    AeSummary,
    adverse_events,
    ae_summaries,
)
from desktop_crf.services.eligibility import screening_eligibility
from desktop_crf.services.permissions import Permission, allowed
from desktop_crf.services.queries import Query, server_queries
from desktop_crf.services.questionnaire import QuestionnaireSummary, questionnaire_summaries
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import SubjectRow, subject_rows
from desktop_crf.services.sync import SetAside, quarantined_sets, set_aside_records
from desktop_crf.services.sync_overview import SubjectSyncCounts, subject_sync_counts
from desktop_crf.services.visits import Timeline, subject_timeline
from desktop_crf.store import repository as repo
from forms.eligibility import Eligibility


@dataclass(frozen=True)
class SubjectList:
    """The subject list: a row per subject, their open AEs and SAE clocks, and per subject
    the open queries and the changes not yet sent."""

    rows: list[SubjectRow]
    aes: dict[str, AeSummary]
    counts: dict[str, SubjectSyncCounts]


def subject_list(
    session: Session, *, today: date, now: datetime, subject_id: str | None = None
) -> SubjectList:
    """Every subject's row (or only ``subject_id``'s, to refresh it after a save); the sync
    counts are always the whole site's (they are one small query)."""
    session.require(Permission.VIEW_DATA)
    return SubjectList(
        subject_rows(session, today=today, subject_id=subject_id),
        ae_summaries(session, now=now, subject_id=subject_id),
        subject_sync_counts(session),
    )


@dataclass(frozen=True)
class SubjectOverview:
    """One subject's screen: the visit timeline, eligibility while screening, the AE log,
    the queries on the subject and its QLQ-C30 questionnaires (completeness and scores)."""

    timeline: Timeline
    eligibility: Eligibility | None
    events: list[AdverseEvent]
    queries: list[Query]
    #: forms holding this user's typing not saved yet (kept by autosave, restored when opened)
    unsaved: frozenset[FormKey] = frozenset()
    questionnaires: list[QuestionnaireSummary] = field(default_factory=list)


def subject_overview(
    session: Session, subject_id: str, *, today: date, now: datetime
) -> SubjectOverview:
    """Raises:
    NotFound: no such subject."""
    session.require(Permission.VIEW_DATA)
    timeline = subject_timeline(session, subject_id, today=today)
    eligibility = None
    if timeline.subject["status"] == "screening":
        eligibility = screening_eligibility(session, subject_id)
    events = adverse_events(session, subject_id, now=now)
    unsaved = frozenset(repo.autosaved_forms(session.db, session.actor.user, subject_id))
    return SubjectOverview(
        timeline,
        eligibility,
        events,
        server_queries(session, subject_id),
        unsaved,
        questionnaire_summaries(session, subject_id),
    )


@dataclass(frozen=True)
class SyncTab:
    """The Sync tab: the change sets the server refused, the records from the server set aside,
    and every query of the site."""

    refused: list[dict[str, Any]]
    queries: list[Query]
    set_aside: list[SetAside] = field(default_factory=list)


def sync_tab(session: Session) -> SyncTab:
    """The refused sets for anyone who syncs; the queries (clinical data) only for a role that
    may see clinical data (a site admin syncs but sees none)."""
    session.require(Permission.SYNC)
    may_see = allowed(session.role, Permission.VIEW_DATA)
    return SyncTab(
        quarantined_sets(session),
        server_queries(session) if may_see else [],
        set_aside_records(session),
    )
