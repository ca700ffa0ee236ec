"""What an ODM writer is given: plain values read by the caller from its own storage.

Strings are exactly as entered; nothing here is parsed or converted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    #: The sites the user works at (empty: the file's site); a study-wide file names each.
    sites: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdminInfo:
    """The users, the site and the signature meanings the clinical data refers to, and the
    units it holds (every unit entered, beyond those the forms define)."""

    site_code: str
    site_name: str
    users: tuple[UserInfo, ...]
    signature_meanings: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    #: The other sites of a study-wide file, (code, name), after the first one above.
    other_sites: tuple[tuple[str, str], ...] = ()

    def locations(self) -> tuple[tuple[str, str], ...]:
        """Every site the file names, (code, name), the first one first."""
        return ((self.site_code, self.site_name), *self.other_sites)


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
    #: The signer's full name, when the file's AdminData gives it (read back from a file).
    signer_name: str = ""


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
    #: The subject's site in a study-wide file (None: the file's one site).
    site: str | None = None


#: One stored value as read: (event, event repeat, form, group, group repeat, item, value, unit).
ValueAt = tuple[str, int, str, str, int, str, str | None, str | None]
#: One form instance as read: (event, event repeat, form, status).
FormAt = tuple[str, int, str, str | None]


def form_records(
    values: Iterable[ValueAt],
    forms: Iterable[FormAt] = (),
    signatures: Mapping[tuple[str, int, str], SignatureInfo] | None = None,
) -> tuple[FormRecord, ...]:
    """A subject's forms from what its storage holds, whatever that storage is (a site's
    tables, the server's ledger): each form instance with its status, the values stored in it
    (a form holding values is listed even with no status) and its latest signature."""
    grouped: dict[tuple[str, int, str], list[ValueRow]] = {}
    for event, event_repeat, form, group, repeat, item, value, unit in values:
        grouped.setdefault((event, event_repeat, form), []).append(
            ValueRow(group, repeat, item, value, unit)
        )
    statuses: dict[tuple[str, int, str], str | None] = {
        (event, event_repeat, form): status for event, event_repeat, form, status in forms
    }
    for key in grouped:
        statuses.setdefault(key, None)
    signed = signatures or {}
    return tuple(
        FormRecord(
            event=key[0],
            event_repeat=key[1],
            form=key[2],
            status=status,
            values=tuple(grouped.get(key, ())),
            signature=signed.get(key),
        )
        for key, status in statuses.items()
    )
