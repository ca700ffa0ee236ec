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
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from lxml import etree

from odm.document import XmlFile, odm_document, write_element
from odm.entries import (
    LEVELS,
    SIGN_ACTION,
    depth,
    extension_attributes,
    is_value_change,
    level_attributes,
)
from odm.metadata import signature_oids, sub
from odm.model import AdminInfo, Definitions, FileInfo
from odm.names import NSMAP, crf, location_oid, mdv_oid, odm, study_oid, unit_oid, user_oid

PROGRESS_EVERY = 1000
_MONITOR_ROLES = {"monitor": "Monitoring"}

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
) -> int:
    """Write a Transactional file from each device's entries (each chain in sequence order);
    return the number of entries written.

    ``complete``: the chains hold every entry of each device (not one subject's), so a reader
    may require them gap-free. ``progress(n)`` is called every ``PROGRESS_EVERY`` entries and
    at the end; it may raise to stop.

    Raises:
        UnwritableValue: a value holds a character XML cannot carry.
    """
    study = definitions.study
    attrs = {
        "StudyOID": study_oid(study.id),
        "MetaDataVersionOID": mdv_oid(study.version),
        crf("Complete"): "Yes" if complete else "No",
    }
    count = 0
    with odm_document(out, info, "Transactional", definitions, admin) as xf:
        placer = _Placer(xf, attrs, admin)
        for entry in heapq.merge(*chains, key=lambda e: str(e["ts"])):
            placer.place(entry)
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
        placer.close()
        for head in heads:
            head_attrs = {"Device": head.device, "Seq": str(head.seq), "Hash": head.hash}
            xf.write(etree.Element(crf("ChainHead"), head_attrs, nsmap=NSMAP), pretty_print=True)
    if progress is not None:
        progress(count)
    return count


def _naming(entry: Entry) -> Callable[[], str]:
    return lambda: f"entry {entry['device']}#{entry['seq']}"


@dataclass
class _Open:
    tag: str
    key: tuple[tuple[str, str], ...]
    context: Any


class _Placer:
    """Writes entries in order, keeping the ODM elements that enclose the last one open for
    as long as the next entry belongs inside them."""

    def __init__(self, xf: XmlFile, clinical: dict[str, str], admin: AdminInfo) -> None:
        self.xf, self.clinical = xf, clinical
        self.location = location_oid(admin.site_code)
        self.signatures = signature_oids(admin)
        self.stack: list[_Open] = []
        self.records_opened = False  # ClinicalData/AuditRecords written: no SubjectData after

    def place(self, entry: Entry) -> None:
        levels = depth(entry)
        if levels == 0:
            self._site_record(entry)
            return
        if self.stack and self.records_opened:
            self._close_to(0)
        if not self.stack:
            self._enter("ClinicalData", self.clinical)
        value_change = is_value_change(entry)
        wrappers = [
            (LEVELS[n][0], level_attributes(entry, n))
            for n in range(levels if value_change else levels - 1)
        ]
        kept = 0
        while (
            kept < len(wrappers)
            and len(self.stack) > kept + 1
            and self.stack[kept + 1].key == tuple(sorted(wrappers[kept][1].items()))
        ):
            kept += 1
        self._close_to(kept + 1)
        for tag, attrs in wrappers[kept:]:
            self._enter(tag, {**attrs, "TransactionType": "Upsert"})
        if value_change:
            write_element(self.xf, lambda: self._item_data(entry), _naming(entry))
        else:
            write_element(self.xf, lambda: self._holder(entry, levels - 1), _naming(entry))

    def close(self) -> None:
        self._close_to(0)

    def _site_record(self, entry: Entry) -> None:
        if len(self.stack) >= 2 and self.stack[1].tag == "AuditRecords":
            self._close_to(2)
        else:
            if not self.stack:
                self._enter("ClinicalData", self.clinical)
            self._close_to(1)
            self._enter("AuditRecords", {})
            self.records_opened = True
        write_element(self.xf, lambda: self.audit_record(entry), _naming(entry))

    def _enter(self, tag: str, attrs: dict[str, str]) -> None:
        context = self.xf.element(odm(tag), attrs)
        context.__enter__()
        key = tuple(sorted((k, v) for k, v in attrs.items() if k != "TransactionType"))
        self.stack.append(_Open(tag, key, context))
        self.xf.write("\n")

    def _close_to(self, size: int) -> None:
        while len(self.stack) > size:
            closed = self.stack.pop()
            closed.context.__exit__(None, None, None)
            self.xf.write("\n")
            if closed.tag == "ClinicalData":
                self.records_opened = False

    def _item_data(self, entry: Entry) -> etree._Element:
        old, new = entry.get("old"), entry.get("new")
        kind = "Insert" if old is None else ("Remove" if new is None else "Update")
        attrs = {"ItemOID": str(entry["item"]), "TransactionType": kind}
        if new is not None:
            attrs["Value"] = str(new)
        element = etree.Element(odm("ItemData"), attrs, nsmap=NSMAP)
        element.append(self.audit_record(entry))
        if entry.get("unit") is not None:
            sub(element, "MeasurementUnitRef", MeasurementUnitOID=unit_oid(str(entry["unit"])))
        return element

    def _holder(self, entry: Entry, level: int) -> etree._Element:
        """The data element at ``level`` holding the entry's AuditRecord (and Signature)."""
        tag = LEVELS[level][0]
        element = etree.Element(
            odm(tag), {**level_attributes(entry, level), "TransactionType": "Upsert"}, nsmap=NSMAP
        )
        element.append(self.audit_record(entry))
        if tag == "FormData" and entry.get("action") == SIGN_ACTION:
            signature = self._signature(entry)
            if signature is not None:
                element.append(signature)
        return element

    def audit_record(self, entry: Entry) -> etree._Element:
        attrs = {crf(name): value for name, value in extension_attributes(entry).items()}
        edit_point = _MONITOR_ROLES.get(str(entry.get("role")))
        if edit_point is not None:
            attrs["EditPoint"] = edit_point
        record = etree.Element(odm("AuditRecord"), attrs, nsmap=NSMAP)
        sub(record, "UserRef", UserOID=user_oid(str(entry["user"])))
        sub(record, "LocationRef", LocationOID=self.location)
        sub(record, "DateTimeStamp", str(entry["ts"]))
        if entry.get("reason") is not None:
            sub(record, "ReasonForChange", str(entry["reason"]))
        sub(record, "SourceID", f"{entry['device']}:{entry['seq']}")
        return record

    def _signature(self, entry: Entry) -> etree._Element | None:
        """The ODM Signature a ``form.sign`` entry records (None if its detail is unreadable:
        the entry is still there, in its AuditRecord)."""
        try:
            detail = json.loads(str(entry.get("detail")))
            signer, meaning = str(detail["signer"]), str(detail["meaning"])
            signed_at, content_hash = str(detail["signed_at"]), str(detail["content_hash"])
        except (ValueError, KeyError, TypeError):
            return None
        if meaning not in self.signatures:
            return None
        signature = etree.Element(odm("Signature"), nsmap=NSMAP)
        sub(signature, "UserRef", UserOID=user_oid(signer))
        sub(signature, "LocationRef", LocationOID=self.location)
        sub(signature, "SignatureRef", SignatureOID=self.signatures[meaning])
        sub(signature, "DateTimeStamp", signed_at)
        sub(signature, "CryptoBindingManifest", content_hash)
        return signature
