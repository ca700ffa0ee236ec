"""What a study summary is computed from, whoever holds the data: the site's database (the
desktop dashboard) or the server's ledger and projection (the sponsor's report).

Public names: :class:`SubjectFacts`, :class:`SubjectDigest`, :class:`QueryFacts`,
:func:`digest_of`, :class:`VisitEntry`, :class:`DeviceFacts`, :func:`screening_records`,
:data:`READS`, :func:`reads`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from forms.endpoint_data import SubjectData
from forms.schema import FormDef
from forms.study import Study
from forms.survival import SurvivalTime
from forms.values import Entry

READS: Mapping[str, tuple[str, ...]] = {
    "F.VISIT": ("I.VISIT_DATE",),
    "F.LAB_VIROLOGY": ("I.HBSAG", "I.ANTI_HBS", "I.HBV_DNA"),
    "F.IMAGING": (
        "I.RECURRENCE_TYPE",
        "I.HISTOLOGY",
        "I.HISTOLOGY_DATE",
        "I.LESION_SEGMENT",
        "I.LIRADS",
        "I.MARGIN_DISTANCE",
    ),
    "F.SURVIVAL": (
        "I.VITAL_STATUS",
        "I.LAST_ALIVE_DATE",
        "I.DEATH_DATE",
        "I.RECURRED",
        "I.RECURRENCE_DATE",
    ),
    "F.END_OF_STUDY": ("I.EOS_STATUS", "I.EOS_DEATH_DATE", "I.EOS_LAST_CONTACT"),
    "F.TREATMENT": ("I.FIRST_DOSE_DATE",),
    "F.HCC_HISTORY": ("I.RADICAL_DATE",),
    "F.AE": (
        "I.AETERM",
        "I.AEGRADE",
        "I.AESER",
        "I.AEAWARE_DATE",
        "I.AEAWARE_TIME",
        "I.AESREP_DATE",
        "I.AESREP_TIME",
    ),
}
"""The items of each form the summary reads (besides every form's own date item and the
screening visit of a subject still screening): the endpoints' items (recurrence, death, the
last dates known alive and recurrence-free, start dates), the markers and the AE log's term,
grade, seriousness and clock. Whoever gathers the facts reads no more; a test checks that the
summary of these is the summary of everything."""


def reads(forms: Mapping[str, FormDef]) -> dict[str, frozenset[str]]:
    """Form OID → the items the summary reads of it: :data:`READS` and every date item."""
    found = {form: set(items) for form, items in READS.items()}
    for oid, form in forms.items():
        if form.date_item:
            found.setdefault(oid, set()).add(form.date_item)
    return {oid: frozenset(items) for oid, items in found.items()}


@dataclass(frozen=True)
class SubjectFacts:
    """One subject: where and how far it is in the study, and its saved forms.

    Attributes:
        status: ``screening`` (not enrolled yet), ``screen_failed``, ``discarded`` (a
            screening opened by mistake), ``enrolled`` or ``withdrawn``.
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
class SubjectDigest:
    """One subject as the summary's tallies count it: the subject's own fields, and what each
    tally reads of its saved data. Nothing in it depends on the day the summary is made (the
    tallies judge visits and SAE clocks when they add it), so a digest holds as long as the
    subject, its data and the study's definitions stay the same.

    Attributes:
        screening: a subject in screening or a screen failure: the criteria its screening
            data definitely fail and those still unknown (every one while nothing is entered;
            none when the data cannot be read); None for any other subject.
        done: an enrolled subject's visits done: visit OID → the date.
        events: an enrolled subject's AEs: each event's items (OID → text) in log order.
        times: an enrolled subject's time to each time-to-event endpoint of the study (in
            the study's order; None while the start date is not known).
        markers: an enrolled subject's scheduled virology: (visit OID, each marker's answer).
    """

    subject_id: str
    site: str
    status: str
    arm: str | None
    enrolled_on: date | None
    anchor: date | None
    screening: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    done: Mapping[str, date] = field(default_factory=dict)
    events: tuple[Mapping[str, str | None], ...] = ()
    times: tuple[SurvivalTime | None, ...] = ()
    markers: tuple[tuple[str, tuple[bool | None, ...]], ...] = ()

    @property
    def enrolled(self) -> bool:
        """As :attr:`SubjectFacts.enrolled`."""
        return self.arm is not None and self.status != "screening"


def digest_of(subject: SubjectFacts, **read: Any) -> SubjectDigest:
    """A subject's digest: its own fields, with what the tallies ``read`` of its data (the
    fields of :class:`SubjectDigest` by name)."""
    return SubjectDigest(
        subject.subject_id,
        subject.site,
        subject.status,
        subject.arm,
        subject.enrolled_on,
        subject.anchor,
        **read,
    )


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
