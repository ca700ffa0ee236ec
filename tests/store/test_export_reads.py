"""The export reads of the store: each device and its chain head found by the (device, seq)
key, as many devices as a site holds, in any order their entries arrived."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlcipher3
import sqlite_utils

from desktop_crf.store import exports as store
from desktop_crf.store.audit import COLUMNS
from desktop_crf.store.schema import migrate

_INSERT = f"INSERT INTO audit ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


@pytest.fixture
def db() -> Iterator[sqlite_utils.Database]:
    """The store's real schema, in memory."""
    database = sqlite_utils.Database(sqlcipher3.connect(":memory:", isolation_level=None))
    migrate(database)
    yield database
    database.close()


def _append(db: sqlite_utils.Database, device: str, seq: int) -> None:
    entry = dict.fromkeys(COLUMNS)
    entry.update(device=device, seq=seq, ts=f"2026-10-01T08:00:{seq:02d}.000000Z", user="nurse")
    entry.update(role="nurse", action="session.login", prev_hash="0" * 64, hash=f"{device}#{seq}")
    db.execute(_INSERT, [entry[c] for c in COLUMNS])


def test_no_entries_no_devices(db: sqlite_utils.Database) -> None:
    assert store.devices(db) == []
    assert store.chain_heads(db) == []


def test_every_device_and_its_last_entry(db: sqlite_utils.Database) -> None:
    # entries pulled from other computers arrive between this one's, in any order
    for device, seq in [("NB02-B", 1), ("NB02-A", 1), ("NB02-B", 2), ("Z9", 1), ("NB02-A", 2)]:
        _append(db, device, seq)
    for seq in range(3, 40):
        _append(db, "NB02-A", seq)

    assert store.devices(db) == ["NB02-A", "NB02-B", "Z9"]
    assert store.chain_heads(db) == [
        ("NB02-A", 39, "NB02-A#39"),
        ("NB02-B", 2, "NB02-B#2"),
        ("Z9", 1, "Z9#1"),
    ]
