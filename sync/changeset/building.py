"""Building change sets on the device: cut the outbox into runs within the limits, sign each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.canonical import canonical_bytes
from sync.changeset.model import (
    MAX_BYTES,
    MAX_ENTRIES,
    ChangeSet,
    SchemaError,
    SignedChangeSet,
    key_id,
    signing_message,
)
from sync.entries import ENTRY_FIELDS, GENESIS_HASH, entry_hash

# Header overhead of a set in canonical bytes, generous, used when splitting a run by size.
_HEADER_BUDGET = 1024


def sign_changeset(changeset: ChangeSet, private_key: Ed25519PrivateKey) -> SignedChangeSet:
    """Sign ``changeset`` with the device key and return it with its bytes and signature."""
    body = changeset.canonical()
    return SignedChangeSet(changeset, body, private_key.sign(signing_message(body)))


def build_changesets(
    entries: Sequence[Mapping[str, Any]],
    *,
    study: str,
    site: str,
    private_key: Ed25519PrivateKey,
    created_at: str,
    max_entries: int = MAX_ENTRIES,
    max_bytes: int = MAX_BYTES,
) -> list[SignedChangeSet]:
    """Split a contiguous run of one device's entries into signed sets within the limits.

    Entries must carry their ``hash``; the last entry of a signed group carries its author's
    signature record (``signature``, see ``sync.authorship``), and a group is never cut: it
    travels in one set with its signature. Each set starts where the previous one ended, so the
    sets can be uploaded one at a time in order.

    Raises:
        SchemaError: if the run is empty of a device, mixes devices or an entry alone is too big.
    """
    kid = key_id(private_key.public_key())
    sets: list[SignedChangeSet] = []
    for run in _wire_runs(entries, max_entries=max_entries, max_bytes=max_bytes):
        first, last = run[0][1], run[-1][1]
        changeset = ChangeSet(
            study=study,
            site=site,
            device=str(first["device"]),
            key_id=kid,
            seq_from=int(first["seq"]),
            seq_to=int(last["seq"]),
            prev_hash=str(first.get("prev_hash") or GENESIS_HASH),
            entries=tuple(wire for _, wire, _ in run),
            created_at=created_at,
            signatures=tuple(e["signature"] for e, _, _ in run if e.get("signature")),
        )
        # The entries' bytes were made to measure the run: the set's bytes reuse them.
        changeset.keep_entry_bytes(tuple(encoded for _, _, encoded in run))
        sets.append(sign_changeset(changeset, private_key))
    return sets


def split_run(
    entries: Sequence[Mapping[str, Any]], *, max_entries: int, max_bytes: int
) -> list[list[Mapping[str, Any]]]:
    """Cut ``entries`` into runs of at most ``max_entries`` whose sets fit ``max_bytes``,
    never inside a signed group (an entry without a signature record whose group is still
    open is kept with the entries after it, up to the one that carries the signature)."""
    return [
        [entry for entry, _, _ in run]
        for run in _wire_runs(entries, max_entries=max_entries, max_bytes=max_bytes)
    ]


#: An entry as the outbox gave it, as sent, and its canonical bytes as sent.
_Wire = tuple[Mapping[str, Any], dict[str, Any], bytes]


def _wire_runs(
    entries: Sequence[Mapping[str, Any]], *, max_entries: int, max_bytes: int
) -> list[list[_Wire]]:
    """``split_run`` over the entries with each one's form as sent and its canonical bytes,
    made once: the set's bytes are glued from them."""
    runs: list[list[_Wire]] = []
    current: list[_Wire] = []
    size = _HEADER_BUDGET
    for unit in _units(entries):
        wires: list[_Wire] = []
        cost = 0
        for entry in unit:
            wire = _wire_entry(entry)
            encoded = canonical_bytes(wire)
            wires.append((entry, wire, encoded))
            cost += len(encoded) + 1
            if entry.get("signature"):
                cost += _SIGNATURE_BUDGET
        if cost + _HEADER_BUDGET > max_bytes or len(unit) > max_entries:
            first = unit[0]
            raise SchemaError(f"entry {first.get('device')}#{first.get('seq')} alone is too big")
        if current and (len(current) + len(unit) > max_entries or size + cost > max_bytes):
            runs.append(current)
            current, size = [], _HEADER_BUDGET
        current.extend(wires)
        size += cost
    if current:
        runs.append(current)
    return runs


#: Canonical bytes of one signature record, generously.
_SIGNATURE_BUDGET = 400


def _units(entries: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """The entries as units that travel whole: each signed group, each unsigned entry."""
    starts = {int(e["signature"]["seq_from"]) for e in entries if e.get("signature")}
    units: list[list[Mapping[str, Any]]] = []
    group: list[Mapping[str, Any]] | None = None
    for entry in entries:
        if group is None and int(entry["seq"]) in starts:
            group = []
        if group is None:
            units.append([entry])
            continue
        group.append(entry)
        if entry.get("signature"):
            units.append(group)
            group = None
    if group:
        units.append(group)
    return units


#: An entry's fields as sent, in canonical order: its bytes are written without sorting them.
_WIRE_FIELDS = tuple(sorted((*ENTRY_FIELDS, "hash")))


def _wire_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    wire = {name: entry.get(name) for name in _WIRE_FIELDS}
    if not wire["hash"]:
        wire["hash"] = entry_hash(wire)
    return wire
