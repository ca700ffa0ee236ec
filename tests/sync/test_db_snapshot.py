"""A snapshot read sees the database as it was when it began, however long it lasts, and holds
no writer back: the server's exports read through one while the sites go on syncing."""

from __future__ import annotations

import pytest

from sync.server.db import Database

SITE = "SN01"


def _meta(database: Database, key: str, value: str) -> None:
    with database.transaction() as tx:
        tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))


def _keys(rows: list[tuple[object, ...]]) -> list[str]:
    return sorted(str(r[0]) for r in rows if str(r[0]).startswith("snapshot-"))


def test_a_snapshot_keeps_its_view_while_a_writer_goes_on(database: Database) -> None:
    _meta(database, "snapshot-1", "before")
    with database.snapshot() as tx:
        first = _keys(tx.all("SELECT key FROM meta"))
        _meta(database, "snapshot-2", "during")  # a writer is not held back
        assert _keys(tx.all("SELECT key FROM meta")) == first == ["snapshot-1"]
        streamed = _keys(list(tx.rows("SELECT key FROM meta ORDER BY key")))
        assert streamed == ["snapshot-1"]
    with database.snapshot() as tx:
        assert _keys(tx.all("SELECT key FROM meta")) == ["snapshot-1", "snapshot-2"]


def test_a_snapshot_writes_nothing(database: Database) -> None:
    with pytest.raises(Exception, match=r"(?i)read.only|readonly"), database.snapshot() as tx:
        tx.execute("INSERT INTO meta (key, value) VALUES ('snapshot-x', 'no')")
    with database.snapshot() as tx:
        assert _keys(tx.all("SELECT key FROM meta")) == []


def test_rows_are_read_a_page_at_a_time_in_order(database: Database) -> None:
    with database.transaction() as tx:
        tx.many(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [(f"snapshot-{n:05d}", str(n)) for n in range(5000)],
        )
    with database.snapshot() as tx:
        rows = tx.rows("SELECT key FROM meta WHERE key LIKE 'snapshot-%' ORDER BY key")
        first = next(rows)
        assert first[0] == "snapshot-00000"
        rest = [r[0] for r in rows]
    assert rest == [f"snapshot-{n:05d}" for n in range(1, 5000)]
