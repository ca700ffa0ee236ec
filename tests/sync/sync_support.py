"""Factories for sync tests: audit entries with real hash chains and device keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.entries import ENTRY_FIELDS, GENESIS_HASH, entry_hash


def make_entry(device: str, seq: int, prev_hash: str, **fields: Any) -> dict[str, Any]:
    """Return one chained entry; unspecified fields are an item change of subject S-001."""
    entry: dict[str, Any] = dict.fromkeys(ENTRY_FIELDS)
    entry.update(
        device=device,
        seq=seq,
        ts=f"2026-01-01T00:00:{seq % 60:02d}Z",
        user="nurse1",
        role="nurse",
        action="item.set",
        subject="S-001",
        event="V1",
        event_repeat=1,
        form="LAB",
        item_group="HEM",
        group_repeat=1,
        item=f"IT{seq}",
        old=None,
        new=str(seq),
        unit=None,
        reason=None,
        base_rev=0,
        detail=None,
    )
    entry.update(fields)
    entry["prev_hash"] = prev_hash
    entry["hash"] = entry_hash(entry)
    return entry


def make_entries(
    device: str, count: int, *, start_seq: int = 1, prev_hash: str = GENESIS_HASH, **fields: Any
) -> list[dict[str, Any]]:
    """Return ``count`` chained entries of ``device`` starting at ``start_seq``."""
    out: list[dict[str, Any]] = []
    for seq in range(start_seq, start_seq + count):
        entry = make_entry(device, seq, prev_hash, **fields)
        prev_hash = entry["hash"]
        out.append(entry)
    return out


def rechain(
    entries: list[Mapping[str, Any]], prev_hash: str = GENESIS_HASH
) -> list[dict[str, Any]]:
    """Recompute the hashes of ``entries`` after a test changed one of them."""
    out = []
    for entry in entries:
        fixed = dict(entry)
        fixed["prev_hash"] = prev_hash
        fixed["hash"] = entry_hash(fixed)
        prev_hash = fixed["hash"]
        out.append(fixed)
    return out


def new_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()
