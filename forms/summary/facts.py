"""What a study summary is computed from, whoever holds the data: the site's database (the
desktop dashboard) or the server's ledger and projection (the sponsor's report).

Public names: :class:`SubjectFacts`, :class:`QueryFacts`, :class:`VisitEntry`,
:class:`DeviceFacts`, :func:`screening_records`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from forms.endpoint_data import SubjectData
from forms.study import Study
from forms.values import Entry


@dataclass(frozen=True)
class SubjectFacts:
    """One subject: where and how far it is in the study, and its saved forms.

    Attributes:
        status: ``screening`` (not enrolled yet), ``enrolled`` or ``withdrawn``.
        arm: the arm code once enrolled.
        screened_on: the screening date; enrolled_on: the enrolment date.
        anchor: the date the visit schedule counts from (``Study.anchor``).
        data: every saved form of every visit, as the endpoints read it.
    """

    subject_id: str
    site: str
    status: str
    arm: str | None
    screened_on: date | None
    enrolled_on: date | None
    anchor: date | None
    data: SubjectData

    @property
    def enrolled(self) -> bool:
        """Enrolled in an arm (a subject withdrawn later still counts: intention to treat)."""
        return self.arm is not None and self.status != "screening"


@dataclass(frozen=True)
class QueryFacts:
    """One query: a monitor's or a conflict's, its status and when it was opened (UTC)."""

    site: str
    subject: str | None
    kind: str
    status: str
    opened_at: datetime | None


@dataclass(frozen=True)
class VisitEntry:
    """When a visit's date was first entered (UTC), for the data entry lag."""

    site: str
    subject_id: str
    event: str
    visit_date: date
    entered_at: datetime


@dataclass(frozen=True)
class DeviceFacts:
    """A site's enrolled computer and when the server last received a change set from it."""

    site: str
    device: str
    status: str
    last_seen: datetime | None


def screening_records(study: Study, data: SubjectData) -> dict[str, Mapping[str, Entry]]:
    """The screening visit's forms (the study's first visit, first occurrence) as eligibility
    reads them: form OID → item path → entry."""
    screening = study.visits[0].oid
    return {r.form: r.values for r in data.records if r.event == screening and r.event_repeat == 1}
