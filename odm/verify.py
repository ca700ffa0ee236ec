"""Verifying a Transactional file from the file alone: every AuditRecord is turned back into
its audit entry (:mod:`odm.entries`), each entry's hash is recomputed, each device's chain is
followed in document order, and the file's end is compared with each device's chain head.

What it proves: no value, reason, user, time or other field of a record was changed, and no
record was removed, inserted or moved, unless the person who did it also recomputed every
later hash and the chain heads; those heads are also in the site's own audit entry of the
export (and the server holds the chain), which a forger cannot change.

Read streaming with the schema checked as it goes: memory does not grow with the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from odm.entries import ATTRIBUTE_FIELDS, LEVELS, SIGN_ACTION, typed
from odm.names import CRF_NS, odm
from odm.schema import InvalidOdm, iter_validated
from sync.entries import ENTRY_FIELDS, GENESIS_HASH, entry_hash


class _Tags(dict[str, str]):
    """Qualified ODM tags, made once each."""

    def __missing__(self, name: str) -> str:
        self[name] = tag = odm(name)
        return tag


_TAG = _Tags()
_HOLDERS = {odm(tag) for tag, *_ in LEVELS} | {_TAG["ItemData"]}
_LEVEL_OF = {odm(tag): n for n, (tag, *_rest) in enumerate(LEVELS)}


@dataclass(frozen=True)
class Problem:
    """The first record that does not verify: its place in the file and why."""

    record: int  # 1-based, in document order
    line: int
    entry: str  # device#seq as the file says
    reason: str

    def __str__(self) -> str:
        return f"record {self.record} (line {self.line}, entry {self.entry}): {self.reason}"


@dataclass
class VerifyReport:
    records: int = 0
    devices: dict[str, int] = field(default_factory=dict)  # device → last seq seen
    complete: bool = True
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def __str__(self) -> str:
        if self.problem is not None:
            return f"ODM audit chain BROKEN at {self.problem}"
        scope = "every entry of" if self.complete else "the entries (not every one) of"
        return f"ODM audit chain OK: {self.records} records, {scope} {len(self.devices)} device(s)"


class _Stop(Exception):
    pass


@dataclass
class _Chain:
    seq: int = 0
    hash: str = GENESIS_HASH


class _Reader:
    """What a pass over the file has read so far. ``keep``: the entries rebuilt and verified
    are also kept in ``entries`` until the caller takes them (:mod:`odm.reading`)."""

    def __init__(self, *, keep: bool = False) -> None:
        self.keep = keep
        self.entries: list[dict[str, Any]] = []
        self.users: dict[str, str] = {}
        self.units: dict[str, str] = {}
        self.meanings: dict[str, str] = {}
        self.chains: dict[str, _Chain] = {}
        self.heads: dict[str, tuple[int, str]] = {}
        self.report = VerifyReport()

    def fail(self, line: int, entry: str, reason: str) -> None:
        self.report.problem = Problem(self.report.records, line, entry, reason)
        raise _Stop()


def verify_file(path: Path | str) -> VerifyReport:
    """Recompute the audit chain of the Transactional file at ``path``.

    A file that is not well-formed or breaks the schema is reported as a problem with its
    line (record 0 when no record was read yet).
    """
    reader = _Reader()
    try:
        for event, element in iter_validated(path):
            if event == "end":
                _read(reader, element)
            elif element.tag == _TAG["ClinicalData"]:
                complete = element.get(f"{{{CRF_NS}}}Complete") == "Yes"
                reader.report.complete = reader.report.complete and complete
        _check_heads(reader)
    except _Stop:
        pass
    except InvalidOdm as exc:
        reader.report.problem = Problem(
            reader.report.records, exc.line, "-", f"not valid ODM: {exc.message}"
        )
    return reader.report


def _read(reader: _Reader, element: etree._Element) -> None:
    tag = element.tag
    if tag == _TAG["User"]:
        login = element.findtext(_TAG["LoginName"])
        reader.users[element.get("OID", "")] = login if login is not None else ""
    elif tag == _TAG["MeasurementUnit"]:
        reader.units[element.get("OID", "")] = (
            element.findtext(f"{odm('Symbol')}/{odm('TranslatedText')}") or ""
        )
    elif tag == _TAG["SignatureDef"]:
        reader.meanings[element.get("OID", "")] = element.findtext(_TAG["Meaning"]) or ""
    elif tag == _TAG["ClinicalData"]:
        element.clear()
    elif tag == f"{{{CRF_NS}}}ChainHead":
        reader.heads[element.get("Device", "")] = (
            int(element.get("Seq", "0")),
            element.get("Hash", ""),
        )
    elif (
        tag == _TAG["AuditRecord"]
        and element.getparent() is not None
        and (element.getparent().tag == _TAG["AuditRecords"])
    ):
        _record(reader, element, None)
        element.clear()
    elif tag in _HOLDERS:
        record = element.find(_TAG["AuditRecord"])
        if record is not None:
            _record(reader, record, element)
        _release(element)


def _release(element: etree._Element) -> None:
    """Free what was read: the element and its earlier siblings."""
    element.clear()
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def _record(reader: _Reader, record: etree._Element, holder: etree._Element | None) -> None:
    reader.report.records += 1
    line = record.sourceline or 0
    source = record.findtext(_TAG["SourceID"]) or ""
    device, _, seq_text = source.rpartition(":")
    if not device or not seq_text.isdigit():
        reader.fail(line, source or "-", "its SourceID is not device:seq")
    entry = _entry(reader, record, holder, device, int(seq_text), line, source)
    _check_signature(reader, record, holder, entry, line, source)
    _follow(reader, entry, line, source)
    if reader.keep:
        reader.entries.append(entry)


def _entry(
    reader: _Reader,
    record: etree._Element,
    holder: etree._Element | None,
    device: str,
    seq: int,
    line: int,
    source: str,
) -> dict[str, Any]:
    entry: dict[str, Any] = dict.fromkeys(ENTRY_FIELDS)
    entry.update(device=device, seq=seq, ts=record.findtext(_TAG["DateTimeStamp"]))
    user_oid = record.find(_TAG["UserRef"]).get("UserOID", "")
    if user_oid not in reader.users:
        reader.fail(line, source, f"its user {user_oid} is not defined in the file")
    entry["user"] = reader.users[user_oid]
    entry["reason"] = record.findtext(_TAG["ReasonForChange"])
    for name, value in record.attrib.items():
        if name.startswith(f"{{{CRF_NS}}}"):
            local = name.split("}", 1)[1]
            if local in ATTRIBUTE_FIELDS:
                entry[ATTRIBUTE_FIELDS[local]] = typed(ATTRIBUTE_FIELDS[local], value)
    if holder is not None:
        _path(reader, entry, holder, line, source)
    return entry


def _path(
    reader: _Reader, entry: dict[str, Any], holder: etree._Element, line: int, source: str
) -> None:
    """The entry's subject, visit, form, group and item from the elements around it."""
    node: etree._Element | None = holder
    if holder.tag == _TAG["ItemData"]:
        entry["item"] = holder.get("ItemOID")
        entry["new"] = holder.get("Value")
        unit = holder.find(_TAG["MeasurementUnitRef"])
        entry["unit"] = None
        if unit is not None:
            oid = unit.get("MeasurementUnitOID", "")
            if oid not in reader.units:
                reader.fail(line, source, f"its unit {oid} is not defined in the file")
            entry["unit"] = reader.units[oid]
        _check_transaction(reader, holder, entry, line, source)
        node = holder.getparent()
    while node is not None and node.tag in _LEVEL_OF:
        _tag, fld, attr, repeat, repeat_attr = LEVELS[_LEVEL_OF[node.tag]]
        entry[fld] = node.get(attr)
        if repeat is not None and repeat_attr is not None:
            value = node.get(repeat_attr)
            entry[repeat] = None if value is None else typed(repeat, value)
        node = node.getparent()


def _check_transaction(
    reader: _Reader, item: etree._Element, entry: dict[str, Any], line: int, source: str
) -> None:
    old, new = entry.get("old"), entry.get("new")
    expected = "Insert" if old is None else ("Remove" if new is None else "Update")
    if item.get("TransactionType") != expected:
        reader.fail(line, source, f"its TransactionType is not {expected}, as its change says")


def _check_signature(
    reader: _Reader,
    record: etree._Element,
    holder: etree._Element | None,
    entry: dict[str, Any],
    line: int,
    source: str,
) -> None:
    """A Signature must say what its (hashed) entry says: signer, time, meaning, hash."""
    signature = None if holder is None else holder.find(_TAG["Signature"])
    if signature is None:
        return
    if entry.get("action") != SIGN_ACTION:
        reader.fail(line, source, "it carries a Signature but records no signing")
    try:
        detail = json.loads(str(entry.get("detail")))
    except ValueError:
        detail = {}
    shown = {
        "signer": reader.users.get(signature.find(_TAG["UserRef"]).get("UserOID", "")),
        "signed_at": signature.findtext(_TAG["DateTimeStamp"]),
        "meaning": reader.meanings.get(
            signature.find(_TAG["SignatureRef"]).get("SignatureOID", "")
        ),
        "content_hash": signature.findtext(_TAG["CryptoBindingManifest"]),
    }
    for name, value in shown.items():
        if not isinstance(detail, dict) or detail.get(name) != value:
            reader.fail(line, source, f"its Signature's {name} is not the one that was signed")


def _follow(reader: _Reader, entry: dict[str, Any], line: int, source: str) -> None:
    device, seq = str(entry["device"]), int(entry["seq"])
    chain = reader.chains.get(device)
    complete = reader.report.complete
    if chain is None:
        chain = reader.chains[device] = _Chain(seq=0 if complete else seq - 1)
        if not complete:
            chain.hash = str(entry.get("prev_hash"))
    if seq <= chain.seq:
        reader.fail(line, source, f"out of order: it comes after entry {device}#{chain.seq}")
    if seq != chain.seq + 1 and complete:
        reader.fail(
            line, source, f"records are missing before it (expected {device}#{chain.seq + 1})"
        )
    linked = seq == chain.seq + 1
    if linked and entry.get("prev_hash") != chain.hash:
        reader.fail(line, source, "it does not link to the record before it")
    actual = entry_hash(entry)
    if entry.get("hash") != actual:
        reader.fail(line, source, "its content does not match its hash (a field was changed)")
    chain.seq, chain.hash = seq, actual
    reader.report.devices[device] = seq


def _check_heads(reader: _Reader) -> None:
    if not reader.report.complete:
        return
    for device, (seq, head_hash) in sorted(reader.heads.items()):
        chain = reader.chains.get(device, _Chain())
        if chain.seq != seq or chain.hash != head_hash:
            reader.report.problem = Problem(
                reader.report.records,
                0,
                f"{device}#{seq}",
                f"the file ends at {device}#{chain.seq} but the chain head written with it is "
                f"{device}#{seq}: records were removed from the end or the head was changed",
            )
            return
