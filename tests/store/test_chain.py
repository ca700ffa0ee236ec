"""The audit chain verified with SQLite writing each entry's canonical bytes: the same bytes
as RFC 8785 for any entry, and the same answers as the general verifier for any trail,
tampered or not."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
import rfc8785
import sqlcipher3
import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_crf.store.chain import canonical_sql, verify_device_chain
from desktop_crf.store.schema import migrate
from sync.entries import (
    ENTRY_FIELDS,
    GENESIS_HASH,
    SORTED_FIELDS,
    entry_body,
    entry_hash,
    find_chain_break_rows,
)

_COLUMNS = (*ENTRY_FIELDS, "hash")
_INSERT = f"INSERT INTO audit ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_text = st.text(max_size=40)  # any code point but lone surrogates, control characters too
_safe = st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
_value = st.one_of(st.none(), _text, _safe)


@pytest.fixture(scope="module")
def db() -> Iterator[sqlite_utils.Database]:
    """The store's real schema, in memory (the audit table's column types included)."""
    database = sqlite_utils.Database(sqlcipher3.connect(":memory:", isolation_level=None))
    migrate(database)
    yield database
    database.close()


def _fresh(db: sqlite_utils.Database) -> None:
    db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    db.execute("DELETE FROM audit")


def _chain(rows: list[dict[str, Any]], device: str = "D-1") -> list[dict[str, Any]]:
    prev, out = GENESIS_HASH, []
    for seq, fields in enumerate(rows, start=1):
        entry = {**dict.fromkeys(ENTRY_FIELDS), "role": "nurse", **fields}
        entry.update(device=device, seq=seq)
        entry["prev_hash"] = prev
        entry["hash"] = prev = entry_hash(entry)
        out.append(entry)
    return out


def _store(db: sqlite_utils.Database, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        db.execute(_INSERT, [entry.get(c) for c in _COLUMNS])


def _general(db: sqlite_utils.Database, device: str) -> tuple[int, Any]:
    """The general verifier, as verify_chain ran before: Python builds every entry's bytes."""
    sql = f"SELECT {', '.join(f'{chr(34)}{n}{chr(34)}' for n in SORTED_FIELDS)}, hash "
    rows = db.execute(sql + "FROM audit WHERE device = ? ORDER BY seq", [device]).fetchall()
    return find_chain_break_rows(rows)


#: Columns the audit table requires (device, seq, prev_hash and hash are set by the tests).
_REQUIRED = ("ts", "user", "role", "action")


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries({name: (_text if name in _REQUIRED else _value) for name in ENTRY_FIELDS})
)
def test_sqlite_writes_the_rfc8785_bytes_of_any_entry(db, entry: dict[str, Any]) -> None:
    _fresh(db)
    entry["device"], entry["seq"] = "D-1", 1
    entry["prev_hash"] = GENESIS_HASH
    _store(db, [{**entry, "hash": "0" * 64}])
    columns = ", ".join(f'"{name}"' for name in SORTED_FIELDS)
    written, *stored = db.execute(f"SELECT {canonical_sql()}, {columns} FROM audit").fetchone()
    # The values as the table holds them (a column's type may turn 0 into "0"): what both
    # the SQL bytes and the general encoder see.
    assert written == rfc8785.dumps(entry_body(dict(zip(SORTED_FIELDS, stored, strict=True))))


_fields = st.fixed_dictionaries(
    {"ts": _text, "user": _text, "action": _text, "new": _value, "base_rev": _value}
)


_TAMPERINGS = (
    *("value", "float", "big", "blob", "link", "relinked", "upper", "gap"),
    *("hash", "rechained", "sqlite_float", "sqlite_big", "hash_of_link"),
)


@settings(max_examples=120, deadline=None)
@given(
    rows=st.lists(_fields, min_size=1, max_size=12),
    tamper=st.one_of(
        st.none(),
        st.tuples(st.integers(min_value=0, max_value=11), st.sampled_from(_TAMPERINGS)),
    ),
)
def test_the_same_answer_as_the_general_verifier_for_any_trail(
    db, rows: list[dict[str, Any]], tamper: tuple[int, str] | None
) -> None:
    _fresh(db)
    _store_tampered(db, _chain(rows), tamper)
    assert verify_device_chain(db, "D-1") == _general(db, "D-1")


@pytest.mark.parametrize("how", _TAMPERINGS)
def test_each_tampering_is_found_where_the_general_verifier_finds_it(db, how: str) -> None:
    _fresh(db)
    _store_tampered(db, _chain([{"ts": "t", "user": "u", "action": "a", "new": "1"}] * 5), (2, how))
    answer = verify_device_chain(db, "D-1")
    assert answer == _general(db, "D-1")
    assert (answer[1] is None) == (how == "rechained"), answer


def _store_tampered(
    db: sqlite_utils.Database, entries: list[dict[str, Any]], tamper: tuple[int, str] | None
) -> None:
    if tamper is None:
        _store(db, entries)
        return
    at, how = tamper
    at = min(at, len(entries) - 1)
    victim = entries[at]
    if how == "value":
        victim["new"] = f"{victim['new']}!"
    elif how == "float":
        victim["base_rev"] = 1.5  # a type no device writes: the general encoder decides
    elif how == "big":
        victim["base_rev"] = 2**60
    elif how == "blob":  # SQLite's json_object refuses it: the general verifier runs
        victim["new"] = b"\x00blob"
    elif how == "link":
        victim["prev_hash"] = "f" * 64
    elif how == "gap":
        del entries[at]
    elif how == "relinked":  # hashed over a link that is not the previous entry's hash
        victim["prev_hash"] = "f" * 64
        victim["hash"] = entry_hash(victim)
    elif how == "upper":  # the same bytes in hex, but not the text the device wrote
        victim["hash"] = victim["hash"].upper()
    elif how == "hash":
        victim["hash"] = "e" * 64
    elif how == "hash_of_link":  # a number SQLite leaves to the general verifier, and the
        victim["base_rev"] = 0.5  # hash of the link alone (what no bytes of an entry give)
        victim["hash"] = hashlib.sha256(bytes.fromhex(victim["prev_hash"])).hexdigest()
    elif how == "rechained":  # floats hashed as RFC 8785 writes them: valid for both
        victim["base_rev"] = 1e20  # SQLite would write 1.0e+20
        victim["group_repeat"] = 0.5
        entries = _rehash(entries)
    if how in _FORGED:
        _store_hashed_as_sqlite_writes(db, entries[: at + 1], _FORGED[how])
    else:
        _store(db, entries)


#: Numbers SQLite writes otherwise than RFC 8785 (1.0e-07 for 1e-7; RFC 8785 refuses 2^60).
_FORGED: dict[str, float | int] = {"sqlite_float": 1e-7, "sqlite_big": 2**60}


def _store_hashed_as_sqlite_writes(
    db: sqlite_utils.Database, entries: list[dict[str, Any]], number: float | int
) -> None:
    """The last entry carries a number whose hash was made over the bytes SQLite writes, not
    RFC 8785's: a forgery only the general encoder sees through."""
    *head, last = entries
    _store(db, head)
    last["base_rev"] = number
    _store(db, [{**last, "hash": "0" * 64}])
    sql = f"SELECT {canonical_sql()} FROM audit WHERE seq = ?"
    body = db.execute(sql, [last["seq"]]).fetchone()[0]
    db.execute("DELETE FROM audit WHERE seq = ?", [last["seq"]])
    last["hash"] = hashlib.sha256(bytes.fromhex(last["prev_hash"]) + body).hexdigest()
    _store(db, [last])


def _rehash(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    prev = GENESIS_HASH
    for entry in entries:
        entry["prev_hash"] = prev
        try:
            entry["hash"] = prev = entry_hash(entry)
        except rfc8785.CanonicalizationError:
            entry["hash"] = prev = "0" * 64
    return entries


def test_an_untouched_trail_of_several_devices_verifies(db) -> None:
    _fresh(db)
    for device in ("D-1", "D-2"):
        _store(db, _chain([{"ts": "t", "user": "u", "action": "a", "new": 'ü\n"x"'}] * 50, device))
    assert verify_device_chain(db, "D-1") == (50, None)
    assert verify_device_chain(db, "D-2") == (50, None)
