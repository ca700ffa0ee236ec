"""One part of a device's audit chain (a range of its sequence numbers), checked on SQLite's
fast path, here or in a process of its own.

A long chain is checked in parts at once, one per processor (``desktop_crf.store.chain``): this
process checks the first part on its own connection, and each other part is checked by
``python -m desktop_crf.store.chain_part`` (or the bundle's executable with
``--verify-chain-part``), which reads one request from its standard input, a JSON line with the
database's path, its data key (hex), the query and the range, and writes the part's answer as
one JSON line. The key travels only through that pipe: never on a command line, in the
environment or on disk. This module imports nothing but SQLCipher and the standard library, so
that such a process starts in a few tens of milliseconds.

A part's answer says only whether every entry of the range took the fast path, numbered in
order from the range's first number to its last, and how the part starts and ends (its first
entry's link, its last entry's hash). The caller joins the parts; anything else (a gap, an
entry the fast path leaves to the general verifier, an error) makes it check the whole chain
in one piece, which alone names a break.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import sqlcipher3

#: What a part that did not take the fast path throughout answers.
NOT_FAST: dict[str, Any] = {"fast": False}


def check_part(conn: Any, sql: str, device: str, first: int, last: int) -> dict[str, Any]:
    """Check the entries ``first``..``last`` of ``device`` with ``sql`` (which yields, per
    entry in sequence order, its number, its link, its stored hash and the bytes that hash
    covers, or NULL where the general verifier must decide)."""
    sha256 = hashlib.sha256
    expected, prev, first_link = first, None, None
    cursor = conn.execute(sql, (device, first, last))
    while rows := cursor.fetchmany(5000):
        for seq, link, stored, hashed in rows:
            if (
                seq != expected
                or hashed is None
                or (prev is not None and link != prev)
                or sha256(hashed).hexdigest() != stored
            ):
                return NOT_FAST
            if prev is None:
                first_link = link
            prev, expected = stored, expected + 1
    if expected != last + 1:
        return NOT_FAST
    return {"fast": True, "first_link": first_link, "last_hash": prev}


def apply_key(conn: Any, data_key: bytes | None) -> None:
    """Key a new SQLCipher connection with the site's data key (None: a plain file); the site's
    own connections are keyed here too, so that the key's form is written once."""
    conn.execute("PRAGMA cipher_log_level = NONE")
    if data_key is not None:
        conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")


def _serve(request: dict[str, Any]) -> dict[str, Any]:
    # read only: a wrong path never makes an empty file
    uri = Path(request["path"]).resolve().as_uri() + "?mode=ro"
    conn = sqlcipher3.connect(uri, uri=True, isolation_level=None)
    try:
        apply_key(conn, bytes.fromhex(request["key"]) if request["key"] else None)
        conn.execute("PRAGMA query_only = 1")
        return check_part(
            conn, request["sql"], request["device"], request["first"], request["last"]
        )
    finally:
        conn.close()


def main() -> int:
    """Answer one request read from standard input (see the module's text)."""
    try:
        answer = _serve(json.loads(sys.stdin.readline()))
    except Exception:  # any failure sends the caller to the one-piece check
        answer = NOT_FAST
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
