"""Verifying a device's audit chain at the speed of SQLite.

Each entry's RFC 8785 bytes are written by SQLite itself, in C, as the rows are read:
``json_object('action', action, 'base_rev', base_rev, …)`` with the fields in canonical
(sorted) order. Entries are flat objects of strings, safe integers and nulls, for which SQLite
writes exactly what RFC 8785 (and ``sync.entries``' own encoder) writes: no whitespace, the same
string escapes (``\\b \\t \\n \\f \\r``, ``\\u00xx`` in lowercase for the other control
characters, nothing else escaped) and integers in decimal. SQLite also turns the link into
bytes, so Python is left with one SHA-256 and three comparisons per entry. (A second thread
reading ahead was slower: the two threads convoy on the GIL, which the reader gives up and
takes back at every row.)

The SQL bytes are only a fast path, taken when the entry's sequence number, its link (as text)
and its hash (as text, from those bytes) are exactly what the general verifier expects; any other
entry is handed to the general verifier (``find_chain_break_rows``), which alone decides and
names the break. A number SQLite would write otherwise than RFC 8785 (a float, an integer beyond
2^53) never takes the fast path, and a BLOB (which ``json_object`` refuses) sends the device's
whole chain to the general verifier: such rows cost time, never a different answer. Property
tests keep the SQL bytes identical to RFC 8785's and the answers identical to the general
verifier's, tampered trails included.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import sqlite_utils

from desktop_crf.store.database import DatabaseError
from sync.entries import GENESIS_HASH, SORTED_FIELDS, ChainBreak, find_chain_break_rows


def _column(name: str) -> str:
    return f'"{name}"'


#: Columns of INTEGER affinity other than ``seq`` (which is compared with the expected number):
#: they could hold a float or a huge integer that SQLite would write otherwise than RFC 8785.
_NUMERIC = ("base_rev", "event_repeat", "group_repeat")
_SAFE = 2**53 - 1


def canonical_sql() -> str:
    """The SQL expression of an audit row's canonical bytes (a BLOB of UTF-8)."""
    pairs = ", ".join(f"'{name}', {_column(name)}" for name in SORTED_FIELDS)
    return f"CAST(json_object({pairs}) AS BLOB)"


def _fast_body_sql() -> str:
    """The canonical bytes where SQLite writes them exactly, else an empty BLOB (which no hash
    matches, so the general verifier decides that entry)."""
    exact = " AND ".join(
        f"({c} IS NULL OR (typeof({c}) = 'integer' AND {c} BETWEEN -{_SAFE} AND {_SAFE}))"
        for c in _NUMERIC
    )
    return f"CASE WHEN {exact} THEN {canonical_sql()} ELSE x'' END"


#: Per row: the sequence number, the stored link and hash (text, compared exactly as the general
#: verifier compares them), and the bytes the hash is taken of: the link's bytes followed by the
#: canonical bytes, joined by SQLite (``||`` keeps every byte; read back as a BLOB), which spares
#: Python a concatenation per entry. A link that is not hex never gets this far: it differs from
#: the previous entry's hash, which is checked first.
_SELECT = (
    f"SELECT seq, prev_hash, hash, CAST(unhex(prev_hash) || {_fast_body_sql()} AS BLOB) "
    "FROM audit WHERE device = ? ORDER BY seq"
)
_ROWS = f"SELECT {', '.join(map(_column, SORTED_FIELDS))}, hash FROM audit WHERE device = ?"
_ROW = _ROWS + " AND seq = ?"
_ROWS += " ORDER BY seq"


def verify_device_chain(db: sqlite_utils.Database, device: str) -> tuple[int, ChainBreak | None]:
    """Recompute one device's chain: the number of entries verified, and the first break.

    The same answers as ``sync.entries.find_chain_break_rows`` over the device's rows.
    """
    try:
        return _verify_fast(db, device)
    except DatabaseError:
        # json_object refuses a BLOB, which only a tampered file holds: walk the device's
        # rows with the general verifier, which names the entry.
        return find_chain_break_rows(_device_rows(db, device))


def _device_rows(db: sqlite_utils.Database, device: str) -> Iterator[tuple[Any, ...]]:
    cursor = db.execute(_ROWS, [device])
    while rows := cursor.fetchmany(5000):
        yield from rows


def _verify_fast(db: sqlite_utils.Database, device: str) -> tuple[int, ChainBreak | None]:
    sha256 = hashlib.sha256
    expected_seq, prev = 1, GENESIS_HASH
    cursor = db.execute(_SELECT, [device])
    while rows := cursor.fetchmany(5000):
        for seq, link, stored, hashed in rows:
            if seq == expected_seq and link == prev and sha256(hashed).hexdigest() == stored:
                prev, expected_seq = stored, expected_seq + 1
                continue
            # The general verifier decides about this entry, from the previous one's hash.
            count, broken = find_chain_break_rows(
                [_row(db, device, seq)], start_seq=expected_seq, start_hash=prev
            )
            if broken is not None:
                return expected_seq - 1, broken
            prev, expected_seq = stored, expected_seq + count
    return expected_seq - 1, None


def _row(db: sqlite_utils.Database, device: str, seq: Any) -> tuple[Any, ...]:
    """An entry's values in ``SORTED_FIELDS`` order and its stored hash, as stored."""
    return tuple(db.execute(_ROW, [device, seq]).fetchone())
