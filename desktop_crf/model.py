"""The values the layers pass to each other: where a form is, what a stored value is, what a
call changed, which site is open and what verifying its trail found.

Plain frozen dataclasses with no behaviour that needs the database, Qt or the network, so the
store, the services and the UI may all import them (the UI imports nothing else of the store).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sync.entries import ChainBreak

__all__ = [
    "ChainBreak",
    "ChainReport",
    "Changes",
    "FormKey",
    "SiteInfo",
    "SiteLabel",
    "StoredValue",
]


@dataclass(frozen=True)
class FormKey:
    """One form of one visit of one subject (ODM: SubjectData/StudyEventData/FormData)."""

    subject_id: str
    event: str
    form: str
    event_repeat: int = 1

    def audit_place(self) -> dict[str, Any]:
        """The place fields of an audit entry about this form."""
        return {
            "subject": self.subject_id,
            "event": self.event,
            "event_repeat": self.event_repeat,
            "form": self.form,
        }


@dataclass(frozen=True)
class StoredValue:
    """One item value as stored: exactly as entered, with its unit and revision, and the
    conflict marker while two computers disagree about it."""

    item_group: str
    group_repeat: int
    item: str
    value: str | None
    unit: str | None
    rev: int
    conflict: str | None = None

    @property
    def path(self) -> tuple[str, int, str]:
        return (self.item_group, self.group_repeat, self.item)


@dataclass(frozen=True)
class Changes:
    """What one service call changed, so views refresh only what concerns them.

    ``kind`` says what sort of thing changed: ``data`` (item values or a form's status),
    ``subject`` (screened or enrolled), ``query``, ``signature``, ``users``, ``lab_ranges``
    (a laboratory's reference ranges: any lab form may show other limits), or ``sync`` (a
    sync round brought other computers' changes; ``subject_id`` None: any subject may have
    changed).
    """

    subject_id: str | None = None
    event: str | None = None
    form: str | None = None
    items: tuple[str, ...] = ()
    kind: str = "data"
    event_repeat: int | None = None

    @property
    def from_sync(self) -> bool:
        return self.kind == "sync"

    def concerns_subject(self, subject_id: str) -> bool:
        """Whether a view of ``subject_id`` may have to show something new."""
        return self.subject_id is None or self.subject_id == subject_id

    def concerns_form(self, key: FormKey) -> bool:
        """Whether a view of the form ``key`` may have to show something new."""
        if self.subject_id is None:
            return True
        if self.subject_id != key.subject_id or self.form not in (None, key.form):
            return False
        if self.event not in (None, key.event):
            return False
        return self.event_repeat in (None, key.event_repeat)


@dataclass(frozen=True)
class SiteInfo:
    study_id: str
    site_code: str
    device: str
    demo: bool

    @property
    def display_name(self) -> str:
        """The site's name as shown anywhere: a demo site always says so."""
        name = f"{self.site_code} · {self.study_id}"
        return f"DEMO — {name} (demonstration data, never synced)" if self.demo else name


@dataclass(frozen=True)
class SiteLabel:
    """What the unlock window may show before the site is unlocked."""

    study_id: str
    site_code: str
    demo: bool


@dataclass(frozen=True)
class ChainReport:
    """The result of verifying every device's chain and its authors' signatures."""

    count: int
    first_break: ChainBreak | None
    #: Entries covered by a valid signature of an entitled author.
    signed: int = 0
    #: Entries written before user signatures existed (covered by the chain only).
    unsigned: int = 0

    @property
    def ok(self) -> bool:
        return self.first_break is None

    def __str__(self) -> str:
        if self.first_break is None:
            text = f"audit chain OK: {self.count} entries, {self.signed} signed by their authors"
            if self.unsigned:
                text += (
                    f"; {self.unsigned} written before user signatures (covered by the hash "
                    "chain and the device's change-set signatures only)"
                )
            return text
        return f"audit chain BROKEN at {self.first_break} ({self.count} entries verified before it)"
