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
from functools import cache
from itertools import islice
from typing import IO, Any, cast

from odm.document import UnwritableValue, odm_document
from odm.entries import (
    LEVELS,
    ROW_FIELDS,
    SIGN_ACTION,
    VALUE_ACTIONS,
    depth,
    is_value_change,
    level_attributes,
    unplaced_attributes,
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
#: An entry as the store reads it: a tuple of ``ROW_FIELDS``.
Row = tuple[Any, ...]

_FIELD = {name: n for n, name in enumerate(ROW_FIELDS)}
_DEVICE, _SEQ, _TS, _USER, _ROLE, _ACTION = (
    _FIELD[name] for name in ("device", "seq", "ts", "user", "role", "action")
)
_ITEM, _OLD, _NEW, _UNIT, _REASON = (
    _FIELD[name] for name in ("item", "old", "new", "unit", "reason")
)
_BASE_REV, _DETAIL, _PREV_HASH, _HASH = (
    _FIELD[name] for name in ("base_rev", "detail", "prev_hash", "hash")
)
_ITEM_GROUP, _GROUP_REPEAT = _FIELD["item_group"], _FIELD["group_repeat"]
#: A row's place down to its item group (the fields stand together, subject first), and
#: where its form's part of it ends.
_PATH = slice(_FIELD["subject"], _GROUP_REPEAT + 1)
_FORM_END = _ITEM_GROUP - _FIELD["subject"]


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
    chains: Sequence[Iterable[Entry]] | Sequence[Iterable[Row]],
    *,
    heads: Sequence[ChainHead] = (),
    complete: bool = True,
    rows: bool = False,
    progress: Callable[[int], None] | None = None,
    locations: Mapping[str, str] | None = None,
) -> int:
    """Write a Transactional file from each device's entries (each chain in sequence order);
    return the number of entries written.

    ``rows``: each entry is a tuple of ``ROW_FIELDS`` as the store reads it, not a mapping
    (a mapping per entry of a whole site costs as much as writing it).

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
    # one device's chain is already in order: merging it by time would only cost
    found: Sequence[Iterable[Row]] = (
        cast("Sequence[Iterable[Row]]", chains)
        if rows
        else [map(_as_row, cast("Iterable[Entry]", chain)) for chain in chains]
    )
    entries = found[0] if len(found) == 1 else heapq.merge(*found, key=_time)
    with odm_document(out, info, "Transactional", definitions, admin) as xf:
        xf.flush()  # the clinical data goes straight to ``out``, after what xmlfile wrote
        placer = _Placer(out, clinical, admin, locations or {})
        while batch := list(islice(entries, PROGRESS_EVERY)):
            placer.place(batch)
            count += len(batch)
            placer.flush()  # memory holds at most this many records
            if progress is not None and len(batch) == PROGRESS_EVERY:
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


def _as_row(entry: Entry) -> Row:
    return tuple(map(entry.get, ROW_FIELDS))


def _time(row: Row) -> str:
    return str(row[_TS])


def _attr(value: str) -> str:
    if "&" in value or "<" in value or ">" in value or '"' in value or not value.isprintable():
        return value.translate(_ATTRIBUTE)
    return value


def _text(value: str) -> str:
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        return value.translate(_TEXT)
    return value


#: How a record's values are written: escaped for an attribute, escaped for text.
_Escapes = tuple[Callable[[str], str], Callable[[str], str]]
#: Values that need no escaping are written as they are (``str`` of a text is the text).
_AS_THEY_ARE: _Escapes = (str, str)
_ESCAPED: _Escapes = (_attr, _text)


#: What a plain ASCII text has none of: control characters and what XML escapes.
_NOT_PLAIN = bytes([*range(0x20), 0x7F]) + b'&<>"'


def _plain(text: str) -> bool:
    """``text`` is printable and holds nothing XML escapes (so it is written as it is)."""
    if text.isascii():  # known without reading it; then its bytes are its characters
        data = text.encode()
        return len(data.translate(None, _NOT_PLAIN)) == len(data)
    return text.isprintable() and not ("&" in text or "<" in text or ">" in text or '"' in text)


def _escapes(row: Row) -> _Escapes:
    """How an entry's values are written: as they are when every one is printable and holds
    nothing XML escapes (one test of all of them, the common case), else each escaped.

    Raises:
        UnwritableValue: a value holds a character XML 1.0 cannot carry.
    """
    if _plain("|".join(map(str, row))):
        return _AS_THEY_ARE
    for value in row:
        if type(value) is str and not value.isprintable() and _ILLEGAL.search(value):
            raise UnwritableValue(f"entry {row[_DEVICE]}#{row[_SEQ]}")
    return _ESCAPED


def _location_ref(site_code: str) -> str:
    return f'<LocationRef LocationOID="{_attr(location_oid(site_code))}"/>'


def _attrs(attrs: Mapping[str, str]) -> str:
    return "".join(f' {name}="{_attr(value)}"' for name, value in attrs.items())


@cache
def _extension_prefixes(
    levels: int, value_change: bool, blank_unit: bool
) -> tuple[tuple[str, str], ...]:
    """Each extension attribute's entry field and how its attribute starts (made once)."""
    return tuple(
        (field, f' crf:{name}="')
        for field, name in unplaced_attributes(levels, value_change, blank_unit)
    )


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
        #: the LocationRef of each device's entries (its site's), and of any other device's
        self.location = _location_ref(admin.site_code)
        self.locations = {device: _location_ref(code) for device, code in locations.items()}
        self.signatures = signature_oids(admin)
        self.stack: list[_Open] = []
        self.records_opened = False  # ClinicalData/AuditRecords written: no SubjectData after
        self.buffer: list[str] = []
        #: the place of the last value change while its ItemGroupData is still open: the next
        #: change to the same item group goes straight in (most entries)
        self.group: tuple[Any, ...] | None = None

    def write(self, text: str) -> None:
        self.buffer.append(text)

    def flush(self) -> None:
        if self.buffer:
            self.out.write("".join(self.buffer).encode("utf-8"))
            self.buffer.clear()

    def place(self, rows: Iterable[Row]) -> None:
        """Write each of ``rows``, in order."""
        append, item_data = self.buffer.append, self._item_data
        for row in rows:
            group = self.group
            if group is not None and row[_ACTION] in VALUE_ACTIONS and row[_ITEM]:
                path = row[_PATH]
                if path == group:
                    # the enclosing elements are open, down to this item group (whose place
                    # was checked when it was opened)
                    append(item_data(row))
                    continue
                if path[:_FORM_END] == group[:_FORM_END]:
                    self._next_group(row)
                    continue
            self._place(row)

    def _next_group(self, row: Row) -> None:
        """A value change in another item group of the form whose group is open."""
        group, repeat = row[_ITEM_GROUP], row[_GROUP_REPEAT]
        if group is None or group == "":
            self._place(row)
            return
        _escapes(row)  # its place is checked, as every place is when it is opened
        attrs = level_attributes({"item_group": group, "group_repeat": repeat}, len(LEVELS) - 1)
        key = tuple(attrs.items())
        if self.stack[-1].key != key:
            self._close_to(len(LEVELS))
            start = f'<{LEVELS[-1][0]}{_attrs(attrs)} TransactionType="Upsert">'
            self._enter(LEVELS[-1][0], start, key)
        self.write(self._item_data(row))
        self.group = row[_PATH]

    def _place(self, row: Row) -> None:
        path = row[_PATH]
        self.group = None
        escapes = _escapes(row)
        entry = dict(zip(ROW_FIELDS, row, strict=True))  # read by name from here on
        levels = depth(entry)
        value_change = levels == len(LEVELS) and is_value_change(entry)
        if levels == 0:
            self._site_record(entry, escapes)
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
            self.write(self._item_data(row))
            self.group = path
        else:
            self.write(self._holder(entry, levels, escapes))

    def close(self) -> None:
        self._close_to(0)

    def _site_record(self, entry: Entry, escapes: _Escapes) -> None:
        if len(self.stack) >= 2 and self.stack[1].tag == "AuditRecords":
            self._close_to(2)
        else:
            if not self.stack:
                self._enter("ClinicalData", self.clinical, ())
            self._close_to(1)
            self._enter("AuditRecords", "<AuditRecords>", ())
            self.records_opened = True
        self.write(self.audit_record(entry, _extension_prefixes(0, False, False), escapes))

    def _enter(self, tag: str, start: str, key: tuple[tuple[str, str], ...]) -> None:
        self.write(start + "\n")
        self.stack.append(_Open(tag, key))

    def _close_to(self, size: int) -> None:
        while len(self.stack) > size:
            closed = self.stack.pop()
            self.write(f"</{closed.tag}>\n")
            if closed.tag == "ClinicalData":
                self.records_opened = False

    def _item_data(self, row: Row) -> str:
        """A value change: its ItemData (Insert, Update or Remove) with its AuditRecord."""
        old, new, unit, role = row[_OLD], row[_NEW], row[_UNIT], row[_ROLE]
        action, prev_hash, hash_ = row[_ACTION], row[_PREV_HASH], row[_HASH]
        if (
            unit == ""
            or role is None
            or role in _MONITOR_ROLES
            or action is None
            or prev_hash is None
            or hash_ is None
        ):
            return self._any_item_data(row)
        base_rev, detail, reason = row[_BASE_REV], row[_DETAIL], row[_REASON]
        item, user, ts, device, seq = row[_ITEM], row[_USER], row[_TS], row[_DEVICE], row[_SEQ]
        # The record of almost every entry is written in one go: its values (the place above
        # was checked with its item group) as they are, when none needs escaping.
        values = (
            f"{item}|{old}|{new}|{unit}|{role}|{action}|{base_rev}|{detail}|{reason}|"
            f"{prev_hash}|{hash_}|{user}|{ts}|{device}|{seq}"
        )
        if not _plain(values):
            return self._any_item_data(row)
        # the attributes of ``audit_record``, in its order (a test holds the two alike)
        kind = "Insert" if old is None else ("Remove" if new is None else "Update")
        value = "" if new is None else f' Value="{new}"'
        own = (
            ("" if old is None else f' crf:OldValue="{old}"')
            + ("" if base_rev is None else f' crf:BaseRev="{base_rev}"')
            + ("" if detail is None else f' crf:Detail="{detail}"')
        )
        why = "" if reason is None else f"<ReasonForChange>{reason}</ReasonForChange>"
        unit_ref = "" if unit is None else f'<MeasurementUnitRef MeasurementUnitOID="MU.{unit}"/>'
        return (
            f'<ItemData ItemOID="{item}" TransactionType="{kind}"{value}>'
            f'<AuditRecord crf:Role="{role}" crf:Action="{action}"{own} '
            f'crf:PrevHash="{prev_hash}" crf:Hash="{hash_}">'
            f'<UserRef UserOID="USR.{user}"/>{self.locations.get(device, self.location)}'
            f"<DateTimeStamp>{ts}</DateTimeStamp>{why}"
            f"<SourceID>{device}:{seq}</SourceID>"
            f"</AuditRecord>{unit_ref}</ItemData>\n"
        )

    def _any_item_data(self, row: Row) -> str:
        """A value change's ItemData, whatever its values (each escaped as need be).

        Raises:
            UnwritableValue: a value holds a character XML 1.0 cannot carry.
        """
        escapes = _escapes(row)
        attr = escapes[0]
        entry = dict(zip(ROW_FIELDS, row, strict=True))
        old, new, unit = entry["old"], entry["new"], entry["unit"]
        kind = "Insert" if old is None else ("Remove" if new is None else "Update")
        value = "" if new is None else f' Value="{attr(str(new))}"'
        unit_ref = (
            ""
            if unit is None
            else f'<MeasurementUnitRef MeasurementUnitOID="{unit_oid(attr(str(unit)))}"/>'
        )
        prefixes = _extension_prefixes(len(LEVELS), True, unit == "")
        record = self.audit_record(entry, prefixes, escapes)
        return (
            f'<ItemData ItemOID="{attr(str(entry["item"]))}" TransactionType="{kind}"{value}>'
            f"{record}{unit_ref}</ItemData>\n"
        )

    def _holder(self, entry: Entry, levels: int, escapes: _Escapes) -> str:
        """The data element holding the entry's AuditRecord (and Signature)."""
        tag = LEVELS[levels - 1][0]
        attrs = _attrs(level_attributes(entry, levels - 1))
        inner = self.audit_record(entry, _extension_prefixes(levels, False, False), escapes)
        if tag == "FormData" and entry.get("action") == SIGN_ACTION:
            inner += self._signature(entry)
        return f'<{tag}{attrs} TransactionType="Upsert">{inner}</{tag}>\n'

    def audit_record(
        self, entry: Entry, prefixes: tuple[tuple[str, str], ...], escapes: _Escapes
    ) -> str:
        """The entry's AuditRecord; ``prefixes``: its extension attributes, as placed."""
        attr, text = escapes
        get = entry.get
        attrs = "".join(
            [
                f'{start}{attr(str(value))}"'
                for field, start in prefixes
                if (value := get(field)) is not None
            ]
        )
        edit_point = _MONITOR_ROLES.get(str(get("role")))
        if edit_point is not None:
            attrs = f' EditPoint="{edit_point}"' + attrs
        reason = get("reason")
        why = "" if reason is None else f"<ReasonForChange>{text(str(reason))}</ReasonForChange>"
        return (
            f"<AuditRecord{attrs}>"
            f'<UserRef UserOID="{user_oid(attr(str(entry["user"])))}"/>'
            f"{self._location(entry)}"
            f"<DateTimeStamp>{text(str(entry['ts']))}</DateTimeStamp>{why}"
            f"<SourceID>{text(str(entry['device']))}:{entry['seq']}</SourceID>"
            "</AuditRecord>"
        )

    def _location(self, entry: Entry) -> str:
        return self.locations.get(str(entry["device"]), self.location)

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
            f"{self._location(entry)}"
            f'<SignatureRef SignatureOID="{_attr(self.signatures[meaning])}"/>'
            f"<DateTimeStamp>{_text(signed_at)}</DateTimeStamp>"
            f"<CryptoBindingManifest>{_text(content_hash)}</CryptoBindingManifest>"
            "</Signature>"
        )
