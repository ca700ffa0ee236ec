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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sync.canonical import canonical_bytes

GENESIS_HASH = "0" * 64

#: Every field of an entry, in storage order. ``hash`` is computed, never supplied.
ENTRY_FIELDS: tuple[str, ...] = (
    "device",
    "seq",
    "ts",
    "user",
    "role",
    "action",
    "subject",
    "event",
    "event_repeat",
    "form",
    "item_group",
    "group_repeat",
    "item",
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


def entry_canonical_bytes(entry: Mapping[str, Any]) -> bytes:
    """Return the RFC 8785 bytes of ``entry_body(entry)``."""
    parts: list[str] = []
    for prefix, name in zip(_KEY_PREFIXES, _SORTED_FIELDS, strict=True):
        value = entry.get(name)
        kind = type(value)
        if kind is str:
            parts.append(prefix + _encode_str(str(value)))
        elif value is None:
            parts.append(prefix + "null")
        elif kind is int and -_MAX_SAFE_INT <= value <= _MAX_SAFE_INT:
            parts.append(prefix + int.__repr__(value))
        else:
            return canonical_bytes(entry_body(entry))
    try:
        return ("{" + ",".join(parts) + "}").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the general encoder names the problem
        return canonical_bytes(entry_body(entry))


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
    expected_seq, prev_hash, count = start_seq, start_hash, 0
    for entry in entries:
        device, seq = str(entry.get("device")), entry.get("seq")
        if seq != expected_seq:
            found = int(seq or 0)
            return count, ChainBreak(device, found, f"sequence gap: expected {expected_seq}")
        if entry.get("prev_hash") != prev_hash:
            return count, ChainBreak(device, seq, "does not link to the previous entry's hash")
        actual = entry_hash(entry)
        if entry.get("hash") != actual:
            return count, ChainBreak(device, seq, "content does not match its hash")
        prev_hash, expected_seq, count = actual, expected_seq + 1, count + 1
    return count, None
