"""What an ODM writer is given: plain values read by the caller from its own storage.

Strings are exactly as entered; nothing here is parsed or converted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.schema import FormDef
from forms.study import Study


@dataclass(frozen=True)
class FileInfo:
    """The ODM root's attributes: a unique file OID, when and by what it was written."""

    file_oid: str
    created: str  # UTC, ISO 8601
    source_system: str = "desktop-crf"
    source_version: str = ""
    description: str | None = None
    granularity: str | None = None  # "All", "SingleSite", "SingleSubject"…


@dataclass(frozen=True)
class Definitions:
    """The study protocol version and every form it uses, by OID."""

    study: Study
    forms: Mapping[str, FormDef]


@dataclass(frozen=True)
class UserInfo:
    """A person (or patient session) named in the data: the login as the trail records it."""

    login: str
    full_name: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class AdminInfo:
    """The users, the site and the signature meanings the clinical data refers to, and the
    units it holds (every unit entered, beyond those the forms define)."""

    site_code: str
    site_name: str
    users: tuple[UserInfo, ...]
    signature_meanings: tuple[str, ...] = ()
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValueRow:
    """One stored item value: its group, group repeat, item, value and unit as entered."""

    item_group: str
    group_repeat: int
    item: str
    value: str | None
    unit: str | None


@dataclass(frozen=True)
class SignatureInfo:
    """A form's latest signature: who, when, what it means and the content hash it binds."""

    signer: str
    signed_at: str
    meaning: str
    content_hash: str


@dataclass(frozen=True)
class FormRecord:
    """One form of one visit with its status, values and latest signature."""

    event: str
    event_repeat: int
    form: str
    status: str | None
    values: tuple[ValueRow, ...]
    signature: SignatureInfo | None = None


@dataclass(frozen=True)
class SubjectRecord:
    """One subject with what is recorded about it (subject fields by name, as stored)."""

    subject_id: str
    fields: Mapping[str, Any]
    forms: tuple[FormRecord, ...] = field(default_factory=tuple)
