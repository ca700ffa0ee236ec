"""The audit entry: the unit of change that the audit trail records and sync carries.

An entry is a flat object of strings and integers. Values travel exactly as entered (strings),
never as floats, so that the signed bytes are the same on every machine.

``hash = SHA-256(prev_hash || canonical(entry without hash))``, where ``prev_hash`` is the hex
hash of the same device's previous entry (64 zeros for the first one). The hash covers every
field, including ``prev_hash`` itself, so an entry cannot be moved within or across chains.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import rfc8785

from sync.canonical import canonical_bytes

GENESIS_HASH = "0" * 64

#: Every field of an entry, in storage order. ``hash`` is computed, never supplied.
#: Where an entry (and a query about it) is: subject, visit, form, item and their repeats.
#: The subject fields a ``subject.create`` / ``subject.update`` entry may carry (as text).
SUBJECT_FIELDS: frozenset[str] = frozenset(
    {
        "subject_id",
        "study_id",
        "study_version",
        "arm",
        "status",
        "initials",
        "screened_on",
        "enrolled_on",
        "anchor_date",
        "na_drug",
        "consent_date",
        "consent_version",
        "status_reason",
        "status_date",
    }
)

PATH_FIELDS: tuple[str, ...] = (
    "subject",
    "event",
    "event_repeat",
    "form",
    "item_group",
    "group_repeat",
    "item",
)

ENTRY_FIELDS: tuple[str, ...] = (
    "device",
    "seq",
    "ts",
    "user",
    "role",
    "action",
    *PATH_FIELDS,
    "old",
    "new",
    "unit",
    "reason",
    "base_rev",
    "detail",
    "prev_hash",
)


def entry_body(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Return the hashed part of ``entry``: every field but ``hash``, missing ones as null."""
    return {name: entry.get(name) for name in ENTRY_FIELDS}


# The canonical bytes of an entry, written out field by field. Verifying a chain hashes every
# entry, and this is twice as fast as building the body and encoding it generically. The field
# names are ASCII, so Python's sort is RFC 8785's order; strings use the same escaping as
# ``json`` (which RFC 8785 shares for these characters); anything unusual (a float, a huge
# integer, a lone surrogate) falls back to the general encoder. A property test keeps the two
# byte-identical.
_SORTED_FIELDS = tuple(sorted(ENTRY_FIELDS))
_KEY_PREFIXES = tuple(f'"{name}":' for name in _SORTED_FIELDS)
_encode_str = json.encoder.encode_basestring
_MAX_SAFE_INT = 2**53 - 1


#: The entry's fields in canonical (sorted) order: a row selected in this order can be hashed
#: without building a dict (see ``find_chain_break_rows``).
SORTED_FIELDS = _SORTED_FIELDS
_DEVICE, _SEQ, _PREV = (SORTED_FIELDS.index(n) for n in ("device", "seq", "prev_hash"))


def _sorted_values_bytes(values: Sequence[Any]) -> bytes | None:
    """Canonical bytes from values in ``SORTED_FIELDS`` order, or None for the general path."""
    parts: list[str] = []
    for prefix, value in zip(_KEY_PREFIXES, values, strict=False):
        kind = type(value)
        if kind is str:
            parts.append(prefix + _encode_str(str(value)))
        elif value is None:
            parts.append(prefix + "null")
        elif kind is int and -_MAX_SAFE_INT <= value <= _MAX_SAFE_INT:
            parts.append(prefix + int.__repr__(value))
        else:
            return None
    try:
        return ("{" + ",".join(parts) + "}").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the general encoder names the problem
        return None


def entry_canonical_bytes(entry: Mapping[str, Any]) -> bytes:
    """Return the RFC 8785 bytes of ``entry_body(entry)``."""
    fast = _sorted_values_bytes([entry.get(name) for name in SORTED_FIELDS])
    return fast if fast is not None else canonical_bytes(entry_body(entry))


def _row_hash(row: Sequence[Any]) -> str | None:
    """The hash of a row's entry, or None if no device could have hashed it (a value JSON
    cannot carry: a float such as NaN, an integer beyond 2^53, a lone surrogate)."""
    body = _sorted_values_bytes(row)
    if body is None:
        try:
            body = canonical_bytes(dict(zip(SORTED_FIELDS, row, strict=False)))
        except rfc8785.CanonicalizationError:
            return None
    prev = row[_PREV] or GENESIS_HASH
    return hashlib.sha256(bytes.fromhex(prev) + body).hexdigest()


def entry_hash(entry: Mapping[str, Any]) -> str:
    """Return the chain hash of ``entry`` (its own ``prev_hash`` field is the link)."""
    prev = entry.get("prev_hash") or GENESIS_HASH
    return hashlib.sha256(bytes.fromhex(prev) + entry_canonical_bytes(entry)).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first entry of a chain that does not verify, and why."""

    device: str
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"entry {self.device}#{self.seq}: {self.reason}"


def find_chain_break(
    entries: Iterable[Mapping[str, Any]],
    *,
    start_seq: int = 1,
    start_hash: str = GENESIS_HASH,
) -> tuple[int, ChainBreak | None]:
    """Walk one device's entries in sequence order and return (count, first break or None).

    Checks that sequence numbers are gap-free from ``start_seq``, that each entry links to the
    hash of the one before, and that its stored hash is the hash of its content.
    """
    rows = ((*(e.get(n) for n in SORTED_FIELDS), e.get("hash")) for e in entries)
    return find_chain_break_rows(rows, start_seq=start_seq, start_hash=start_hash)


def find_chain_break_rows(
    rows: Iterable[Sequence[Any]],
    *,
    start_seq: int = 1,
    start_hash: str = GENESIS_HASH,
) -> tuple[int, ChainBreak | None]:
    """``find_chain_break`` over rows of values in ``SORTED_FIELDS`` order followed by the
    stored hash: what a database query returns, hashed without building dicts."""
    walk = ChainWalk(start_seq=start_seq, start_hash=start_hash)
    for row in rows:
        broken = walk.step(row)
        if broken is not None:
            return walk.count, broken
    return walk.count, None


class ChainWalk:
    """Checks one device's rows (``SORTED_FIELDS`` values, then the stored hash) one at a time:
    gap-free sequence numbers, each linking to the hash before, each hash its content's."""

    def __init__(self, *, start_seq: int = 1, start_hash: str = GENESIS_HASH) -> None:
        self.expected_seq, self.prev_hash, self.count = start_seq, start_hash, 0

    def step(self, row: Sequence[Any]) -> ChainBreak | None:
        """Check the next row; the break it shows, or None (then ``count`` went up by one)."""
        device, seq = str(row[_DEVICE]), row[_SEQ]
        if seq != self.expected_seq:
            found = int(seq or 0)
            return ChainBreak(device, found, f"sequence gap: expected {self.expected_seq}")
        if row[_PREV] != self.prev_hash:
            return ChainBreak(device, seq, "does not link to the previous entry's hash")
        actual = _row_hash(row)
        if actual is None or row[-1] != actual:
            return ChainBreak(device, seq, "content does not match its hash")
        self.prev_hash, self.expected_seq, self.count = (
            actual,
            self.expected_seq + 1,
            self.count + 1,
        )
        return None


def timestamp(moment: datetime | None = None) -> str:
    """An entry's time: UTC with microseconds and a Z (now, or ``moment``), so that comparing
    the strings compares the instants."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
