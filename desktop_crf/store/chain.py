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

A long chain is checked in parts at once, one per processor, each part on this fast path
(``desktop_crf.store.chain_part``), when the caller can open the database again
(``DatabaseSource``). The parts are joined (each starts where the one before ends, with its
link); a part that leaves anything to the general verifier, or that does not join, makes the
chain be checked in one piece as above: the parts can only make the check faster, never answer
otherwise.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from desktop_crf.store.chain_part import check_part
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
    """The canonical bytes where SQLite writes them exactly, else NULL (the general verifier
    decides that entry: no stored hash can be matched by bytes that are not the entry's)."""
    exact = " AND ".join(
        f"({c} IS NULL OR (typeof({c}) = 'integer' AND {c} BETWEEN -{_SAFE} AND {_SAFE}))"
        for c in _NUMERIC
    )
    return f"CASE WHEN {exact} THEN {canonical_sql()} END"


#: Per row: the sequence number, the stored link and hash (text, compared exactly as the general
#: verifier compares them), and the bytes the hash is taken of: the link's bytes followed by the
#: canonical bytes, joined by SQLite (``||`` keeps every byte; read back as a BLOB), which spares
#: Python a concatenation per entry. A link that is not hex never gets this far: it differs from
#: the previous entry's hash, which is checked first.
_SELECT = (
    f"SELECT seq, prev_hash, hash, CAST(unhex(prev_hash) || {_fast_body_sql()} AS BLOB) "
    "FROM audit WHERE device = ? ORDER BY seq"
)
#: The same for one part of the chain (``chain_part``): its first and last sequence numbers.
_PART = _SELECT.replace("ORDER BY seq", "AND seq BETWEEN ? AND ? ORDER BY seq")
_ROWS = f"SELECT {', '.join(map(_column, SORTED_FIELDS))}, hash FROM audit WHERE device = ?"
_ROW = _ROWS + " AND seq = ?"
_ROWS += " ORDER BY seq"


@dataclass(frozen=True)
class DatabaseSource:
    """How another process opens the database again: its file and data key (None: a plain
    SQLite file, the benchmark's baseline)."""

    path: Path
    key: bytes | None = field(repr=False)


#: A chain is checked in parts from this many entries (a part's process takes some tens of
#: milliseconds to start), in at most this many parts.
SPLIT_FROM = 100_000
MAX_PARTS = 4
#: A part's process has at least this long (seconds) to answer after this process's own part.
PART_GRACE = 30.0


def verify_device_chain(
    db: sqlite_utils.Database, device: str, *, source: DatabaseSource | None = None
) -> tuple[int, ChainBreak | None]:
    """Recompute one device's chain: the number of entries verified, and the first break.

    The same answers as ``sync.entries.find_chain_break_rows`` over the device's rows. With
    ``source``, a long chain is checked in parts at once (one per processor).
    """
    try:
        if source is not None and (count := _verify_in_parts(db, device, source)) is not None:
            return count, None
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
            if (
                seq == expected_seq
                and link == prev
                and hashed is not None
                and sha256(hashed).hexdigest() == stored
            ):
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


#: On Windows, a part's process opens no console window over the app.
_NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)


def _processors() -> int:
    """The processors this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _unread_rows(db: sqlite_utils.Database, device: str, ranges: list[tuple[int, int]]) -> bool:
    """Whether the device holds a row no part reads: a number of no range (0, a negative one,
    20.5 between two ranges; a text sorts above every number, so ``max(seq)`` is no integer
    then) or none at all. Each look is a search of the index, not a count of the rows; the
    parts then find the numbers of their ranges whole and in order."""
    looks = ["seq IS NULL", "seq < 1"]
    params: list[Any] = [device, device]
    for (_, end), (first, _) in itertools.pairwise(ranges):
        looks.append("seq > ? AND seq < ?")
        params += [device, end, first]
    sql = " OR ".join(f"EXISTS (SELECT 1 FROM audit WHERE device = ? AND {look})" for look in looks)
    return bool(db.execute(f"SELECT {sql}", params).fetchone()[0])


def part_command() -> list[str]:
    """The command that checks one part of a chain in a process of its own."""
    if getattr(sys, "frozen", False):  # the installed bundle: its executables know the option
        # the command-line one, beside the app's (which has no console to write its answer to)
        here = Path(sys.executable)
        crf = here.with_name("crf" + here.suffix)
        return [str(crf if crf.is_file() else here), "--verify-chain-part"]
    # -P: the working directory is not put on the module path (the process is handed the data
    # key, so it must not import a module that merely lies in the directory the app ran from).
    return [sys.executable, "-P", "-m", "desktop_crf.store.chain_part"]


def _verify_in_parts(db: sqlite_utils.Database, device: str, source: DatabaseSource) -> int | None:
    """The number of entries of a long chain that holds throughout, checked in parts at once;
    None when it is short, when there is one processor, or when the parts do not show the
    whole chain holding on the fast path (the caller then checks it in one piece)."""
    last = db.execute("SELECT max(seq) FROM audit WHERE device = ?", [device]).fetchone()[0]
    parts = min(_processors(), MAX_PARTS)
    if type(last) is not int or last < SPLIT_FROM or parts < 2:
        return None
    size = -(-last // parts)
    ranges = [(first, min(first + size - 1, last)) for first in range(1, last + 1, size)]
    if _unread_rows(db, device, ranges):
        return None
    request = {"path": str(source.path), "key": source.key.hex() if source.key else None}
    workers: list[subprocess.Popen[str]] = []
    try:
        for first, end in ranges[1:]:
            worker = subprocess.Popen(
                part_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                creationflags=_NO_WINDOW,
            )
            workers.append(worker)
            assert worker.stdin is not None
            line = {**request, "sql": _PART, "device": device, "first": first, "last": end}
            worker.stdin.write(json.dumps(line) + "\n")
            worker.stdin.flush()
        started = time.monotonic()
        answers = [check_part(db.conn, _PART, device, *ranges[0])]
        # A part as long as this one, on a processor of its own, takes about as long: one that
        # has not answered well after is stuck (or starved), and the chain is checked here.
        deadline = time.monotonic() + max(PART_GRACE, 4 * (time.monotonic() - started))
        for worker in workers:
            out, _ = worker.communicate(timeout=max(deadline - time.monotonic(), 0.0))
            answers.append(json.loads(out) if worker.returncode == 0 and out else {})
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    link: object = GENESIS_HASH
    for answer in answers:
        if (
            not isinstance(answer, dict)
            or answer.get("fast") is not True
            or answer.get("first_link") != link
        ):
            return None
        link = answer.get("last_hash")
    return last
