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

    Entries must carry their ``hash``. Each set starts where the previous one ended, so the
    sets can be uploaded one at a time in order.

    Raises:
        SchemaError: if the run is empty of a device, mixes devices or an entry alone is too big.
    """
    kid = key_id(private_key.public_key())
    sets: list[SignedChangeSet] = []
    for run in _wire_runs(entries, max_entries=max_entries, max_bytes=max_bytes):
        first, last = run[0][0], run[-1][0]
        changeset = ChangeSet(
            study=study,
            site=site,
            device=str(first["device"]),
            key_id=kid,
            seq_from=int(first["seq"]),
            seq_to=int(last["seq"]),
            prev_hash=str(first.get("prev_hash") or GENESIS_HASH),
            entries=tuple(wire for wire, _ in run),
            created_at=created_at,
        )
        # The entries' bytes were made to measure the run: the set's bytes reuse them.
        vars(changeset)["entry_bytes"] = tuple(encoded for _, encoded in run)
        sets.append(sign_changeset(changeset, private_key))
    return sets


def split_run(
    entries: Sequence[Mapping[str, Any]], *, max_entries: int, max_bytes: int
) -> list[list[Mapping[str, Any]]]:
    """Cut ``entries`` into runs of at most ``max_entries`` whose sets fit ``max_bytes``."""
    runs, start = [], 0
    for run in _wire_runs(entries, max_entries=max_entries, max_bytes=max_bytes):
        runs.append(list(entries[start : start + len(run)]))
        start += len(run)
    return runs


def _wire_runs(
    entries: Sequence[Mapping[str, Any]], *, max_entries: int, max_bytes: int
) -> list[list[tuple[dict[str, Any], bytes]]]:
    """``split_run`` over the entries as sent, each with its canonical bytes."""
    runs: list[list[tuple[dict[str, Any], bytes]]] = []
    current: list[tuple[dict[str, Any], bytes]] = []
    size = _HEADER_BUDGET
    for entry in entries:
        wire = _wire_entry(entry)
        encoded = canonical_bytes(wire)
        cost = len(encoded) + 1
        if cost + _HEADER_BUDGET > max_bytes:
            raise SchemaError(f"entry {entry.get('device')}#{entry.get('seq')} alone is too big")
        if current and (len(current) >= max_entries or size + cost > max_bytes):
            runs.append(current)
            current, size = [], _HEADER_BUDGET
        current.append((wire, encoded))
        size += cost
    if current:
        runs.append(current)
    return runs


def _wire_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    wire = {name: entry.get(name) for name in ENTRY_FIELDS}
    wire["hash"] = entry.get("hash") or entry_hash(wire)
    return wire
