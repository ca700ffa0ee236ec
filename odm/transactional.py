"""ODM 1.3.2 Transactional: every audit entry, in each device's order, as standard ODM.

- A value change (``item.set``, ``conflict.resolve``) is one ``ItemData`` (TransactionType
  Insert, Update or Remove) with its ``AuditRecord``.
- Any other entry about a subject is the ``AuditRecord`` of the deepest data element it
  concerns (a form's status: its ``FormData``); a signature's ``FormData`` also carries the
  ODM ``Signature`` (CryptoBindingManifest: the SHA-256 of the signed content).
- An entry about no subject (a sign-in, a user added) is an ``AuditRecord`` of
  ``ClinicalData/AuditRecords``.

Each AuditRecord carries the entry's fields ODM has no place for and its chain hashes as
extension attributes (:mod:`odm.entries`), so the chain can be recomputed from the file alone
(:mod:`odm.verify`). Document order is each device's chain order: entries of several devices
are merged by time, never reordered within a device, and a new ``ClinicalData`` (or
``SubjectData`` …) is opened whenever ODM's element order would otherwise put an entry before
one written earlier. The file ends with each device's chain head at the time of writing
(``crf:ChainHead``), so a record removed from the end is found too.

The root, Study and AdminData are written by ``lxml.etree.xmlfile``; the clinical data, one
record per entry and hundreds of thousands of them, is serialised here directly (the same
elements, escaped as XML 1.0 requires): building an lxml element per record was ten times
slower. Tests validate the result against the schema like any other file.
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from odm.document import UnwritableValue, odm_document
from odm.entries import (
    LEVELS,
    SIGN_ACTION,
    depth,
    extension_attributes,
    is_value_change,
    level_attributes,
)
from odm.metadata import signature_oids
from odm.model import AdminInfo, Definitions, FileInfo
from odm.names import location_oid, mdv_oid, study_oid, unit_oid, user_oid

PROGRESS_EVERY = 1000
_MONITOR_ROLES = {"monitor": "Monitoring"}
#: Characters XML 1.0 cannot carry at all.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTRIBUTE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})

Entry = Mapping[str, Any]


@dataclass(frozen=True)
class ChainHead:
    """A device's last entry when the file was written."""

    device: str
    seq: int
    hash: str


def write_transactional(
    out: IO[bytes],
    info: FileInfo,
    definitions: Definitions,
    admin: AdminInfo,
    chains: Sequence[Iterable[Entry]],
    *,
    heads: Sequence[ChainHead] = (),
    complete: bool = True,
    progress: Callable[[int], None] | None = None,
    locations: Mapping[str, str] | None = None,
) -> int:
    """Write a Transactional file from each device's entries (each chain in sequence order);
    return the number of entries written.

    ``locations``: each device's site code, for a file of several sites (the server's); an
    entry's AuditRecord and Signature name its device's site (default: the file's one site).

    ``complete``: the chains hold every entry of each device (not one subject's), so a reader
    may require them gap-free. ``progress(n)`` is called every ``PROGRESS_EVERY`` entries and
    at the end; it may raise to stop.

    Raises:
        UnwritableValue: a value holds a character XML cannot carry.
    """
    study = definitions.study
    clinical = (
        f'<ClinicalData StudyOID="{_attr(study_oid(study.id))}" '
        f'MetaDataVersionOID="{_attr(mdv_oid(study.version))}" '
        f'crf:Complete="{"Yes" if complete else "No"}">'
    )
    count = 0
    with odm_document(out, info, "Transactional", definitions, admin) as xf:
        xf.flush()  # the clinical data goes straight to ``out``, after what xmlfile wrote
        placer = _Placer(out, clinical, admin, locations or {})
        for entry in heapq.merge(*chains, key=lambda e: str(e["ts"])):
            placer.place(entry)
            count += 1
            if count % PROGRESS_EVERY == 0:
                placer.flush()  # memory holds at most this many records
                if progress is not None:
                    progress(count)
        placer.close()
        for head in heads:
            placer.write(
                f'<crf:ChainHead Device="{_attr(head.device)}" Seq="{head.seq}" '
                f'Hash="{_attr(head.hash)}"/>\n'
            )
        placer.flush()
    if progress is not None:
        progress(count)
    return count


def _attr(value: str) -> str:
    if "&" in value or "<" in value or ">" in value or '"' in value or not value.isprintable():
        return value.translate(_ATTRIBUTE)
    return value


def _text(value: str) -> str:
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        return value.translate(_TEXT)
    return value


def _check(entry: Entry) -> None:
    """Refuse an entry with a character XML 1.0 cannot carry (printable text never has one)."""
    for value in entry.values():
        if type(value) is str and not value.isprintable() and _ILLEGAL.search(value):
            raise UnwritableValue(f"entry {entry['device']}#{entry['seq']}")


def _attrs(attrs: Mapping[str, str]) -> str:
    return "".join(f' {name}="{_attr(value)}"' for name, value in attrs.items())


@dataclass
class _Open:
    tag: str
    key: tuple[tuple[str, str], ...]


class _Placer:
    """Writes entries in order, keeping the ODM elements that enclose the last one open for
    as long as the next entry belongs inside them."""

    def __init__(
        self, out: IO[bytes], clinical: str, admin: AdminInfo, locations: Mapping[str, str]
    ) -> None:
        self.out, self.clinical = out, clinical
        self.location = _attr(location_oid(admin.site_code))
        self.locations = {d: _attr(location_oid(code)) for d, code in locations.items()}
        self.signatures = signature_oids(admin)
        self.stack: list[_Open] = []
        self.records_opened = False  # ClinicalData/AuditRecords written: no SubjectData after
        self.buffer: list[str] = []

    def write(self, text: str) -> None:
        self.buffer.append(text)

    def flush(self) -> None:
        if self.buffer:
            self.out.write("".join(self.buffer).encode("utf-8"))
            self.buffer.clear()

    def place(self, entry: Entry) -> None:
        _check(entry)
        levels = depth(entry)
        value_change = levels == len(LEVELS) and is_value_change(entry)
        if levels == 0:
            self._site_record(entry, levels)
            return
        if self.stack and self.records_opened:
            self._close_to(0)
        if not self.stack:
            self._enter("ClinicalData", self.clinical, ())
        count = levels if value_change else levels - 1
        wrappers = [(LEVELS[n][0], level_attributes(entry, n)) for n in range(count)]
        kept = 0
        while (
            kept < len(wrappers)
            and len(self.stack) > kept + 1
            and self.stack[kept + 1].key == tuple(wrappers[kept][1].items())
        ):
            kept += 1
        self._close_to(kept + 1)
        for tag, attrs in wrappers[kept:]:
            start = f'<{tag}{_attrs(attrs)} TransactionType="Upsert">'
            self._enter(tag, start, tuple(attrs.items()))
        if value_change:
            self.write(self._item_data(entry, levels))
        else:
            self.write(self._holder(entry, levels))

    def close(self) -> None:
        self._close_to(0)

    def _site_record(self, entry: Entry, levels: int) -> None:
        if len(self.stack) >= 2 and self.stack[1].tag == "AuditRecords":
            self._close_to(2)
        else:
            if not self.stack:
                self._enter("ClinicalData", self.clinical, ())
            self._close_to(1)
            self._enter("AuditRecords", "<AuditRecords>", ())
            self.records_opened = True
        self.write(self.audit_record(entry, levels, False))

    def _enter(self, tag: str, start: str, key: tuple[tuple[str, str], ...]) -> None:
        self.write(start + "\n")
        self.stack.append(_Open(tag, key))

    def _close_to(self, size: int) -> None:
        while len(self.stack) > size:
            closed = self.stack.pop()
            self.write(f"</{closed.tag}>\n")
            if closed.tag == "ClinicalData":
                self.records_opened = False

    def _item_data(self, entry: Entry, levels: int) -> str:
        old, new, unit = entry.get("old"), entry.get("new"), entry.get("unit")
        kind = "Insert" if old is None else ("Remove" if new is None else "Update")
        value = "" if new is None else f' Value="{_attr(str(new))}"'
        item = _attr(str(entry["item"]))
        unit_ref = (
            ""
            if unit is None
            else f'<MeasurementUnitRef MeasurementUnitOID="{_attr(unit_oid(str(unit)))}"/>'
        )
        record = self.audit_record(entry, levels, True)
        start = f'<ItemData ItemOID="{item}" TransactionType="{kind}"{value}>'
        return f"{start}{record}{unit_ref}</ItemData>\n"

    def _holder(self, entry: Entry, levels: int) -> str:
        """The data element holding the entry's AuditRecord (and Signature)."""
        tag = LEVELS[levels - 1][0]
        attrs = _attrs(level_attributes(entry, levels - 1))
        inner = self.audit_record(entry, levels, False)
        if tag == "FormData" and entry.get("action") == SIGN_ACTION:
            inner += self._signature(entry)
        return f'<{tag}{attrs} TransactionType="Upsert">{inner}</{tag}>\n'

    def audit_record(self, entry: Entry, levels: int, value_change: bool) -> str:
        extension = extension_attributes(entry, levels, value_change)
        attrs = "".join(f' crf:{name}="{_attr(value)}"' for name, value in extension.items())
        edit_point = _MONITOR_ROLES.get(str(entry.get("role")))
        if edit_point is not None:
            attrs = f' EditPoint="{edit_point}"' + attrs
        reason = entry.get("reason")
        why = "" if reason is None else f"<ReasonForChange>{_text(str(reason))}</ReasonForChange>"
        return (
            f"<AuditRecord{attrs}>"
            f'<UserRef UserOID="{_attr(user_oid(str(entry["user"])))}"/>'
            f'<LocationRef LocationOID="{self._location(entry)}"/>'
            f"<DateTimeStamp>{_text(str(entry['ts']))}</DateTimeStamp>{why}"
            f"<SourceID>{_text(str(entry['device']))}:{entry['seq']}</SourceID>"
            "</AuditRecord>"
        )

    def _location(self, entry: Entry) -> str:
        return (
            self.locations.get(str(entry["device"]), self.location)
            if self.locations
            else self.location
        )

    def _signature(self, entry: Entry) -> str:
        """The ODM Signature a ``form.sign`` entry records (nothing if its detail is
        unreadable: the entry is still there, in its AuditRecord)."""
        try:
            detail = json.loads(str(entry.get("detail")))
            signer, meaning = str(detail["signer"]), str(detail["meaning"])
            signed_at, content_hash = str(detail["signed_at"]), str(detail["content_hash"])
        except (ValueError, KeyError, TypeError):
            return ""
        if meaning not in self.signatures:
            return ""
        return (
            "<Signature>"
            f'<UserRef UserOID="{_attr(user_oid(signer))}"/>'
            f'<LocationRef LocationOID="{self._location(entry)}"/>'
            f'<SignatureRef SignatureOID="{_attr(self.signatures[meaning])}"/>'
            f"<DateTimeStamp>{_text(signed_at)}</DateTimeStamp>"
            f"<CryptoBindingManifest>{_text(content_hash)}</CryptoBindingManifest>"
            "</Signature>"
        )
