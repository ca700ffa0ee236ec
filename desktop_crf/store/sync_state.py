"""What this device keeps about sync, besides the queries (``store.queries``).

- the outbox: this device's audit entries above the acknowledged sequence; a receipt is kept
  and the sequence moved together (``store_receipt``);
- change sets the server refused, with the reason and their bytes, never dropped;
- the pull cursor, the server this device is enrolled with, the last success and error.

Rows of the key-value table ``sync_state``: ``acked_seq``, ``pull_cursor``, ``server_url``,
``enrolled``, ``last_success``, ``last_error``, ``receipt:<id>``, ``quarantine:<seq_from>``.
Writes run inside the caller's transaction.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from desktop_crf.store.repository import get_sync_state, set_sync_state
from sync.changeset import SignedChangeSet

ACKED_SEQ = "acked_seq"
PULL_CURSOR = "pull_cursor"
SERVER_URL = "server_url"
ENROLLED = "enrolled"
LAST_SUCCESS = "last_success"
LAST_ERROR = "last_error"
RECEIPT_PREFIX = "receipt:"
QUARANTINE_PREFIX = "quarantine:"

# -- the outbox ---------------------------------------------------------------------------


def acknowledged_seq(db: sqlite_utils.Database) -> int:
    """The last of this device's sequences the server acknowledged (0 if none)."""
    return int(get_sync_state(db, ACKED_SEQ, "0"))


def set_acknowledged_seq(db: sqlite_utils.Database, seq: int) -> None:
    set_sync_state(db, ACKED_SEQ, str(seq))


def store_receipt(db: sqlite_utils.Database, receipt: Mapping[str, Any]) -> None:
    """Keep the server's receipt and move the acknowledged sequence to its ``seq_to``."""
    set_sync_state(db, RECEIPT_PREFIX + str(receipt["id"]), json.dumps(receipt))
    set_acknowledged_seq(db, max(acknowledged_seq(db), int(receipt["seq_to"])))


def entry_hash(db: sqlite_utils.Database, device: str, seq: int) -> str | None:
    """The hash of ``device``'s entry ``seq``, or None if there is none."""
    row = db.execute("SELECT hash FROM audit WHERE device = ? AND seq = ?", [device, seq])
    found = row.fetchone()
    return str(found[0]) if found else None


def pending_count(db: sqlite_utils.Database, device: str) -> int:
    """How many of ``device``'s entries wait to be sent."""
    row = db.execute(
        "SELECT count(*) FROM audit WHERE device = ? AND seq > ?", [device, acknowledged_seq(db)]
    ).fetchone()
    return int(row[0])


def pending_by_subject(db: sqlite_utils.Database, device: str) -> dict[str, int]:
    """Per subject, how many of ``device``'s entries about it wait to be sent."""
    rows = db.execute(
        "SELECT subject, count(*) FROM audit WHERE device = ? AND seq > ? "
        "AND subject IS NOT NULL GROUP BY subject",
        [device, acknowledged_seq(db)],
    ).fetchall()
    return {str(subject): int(count) for subject, count in rows}


# -- change sets the server refused ---------------------------------------------------------


def quarantine(
    db: sqlite_utils.Database, changeset: SignedChangeSet, *, code: str, reason: str, at: str
) -> None:
    """Keep a refused set with the server's reason and its bytes."""
    record = {
        "id": changeset.id,
        "code": code,
        "reason": reason,
        "seq_from": changeset.changeset.seq_from,
        "seq_to": changeset.changeset.seq_to,
        "at": at,
        "envelope": base64.b64encode(changeset.envelope()).decode("ascii"),
    }
    # Keyed by the first sequence: the same run refused again (rebuilt with a new time, so a
    # new id) replaces its record instead of piling up copies.
    key = f"{QUARANTINE_PREFIX}{changeset.changeset.seq_from:012d}"
    set_sync_state(db, key, json.dumps(record))


def quarantined(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The refused sets, in sequence order, each with its reason and bytes (``envelope``)."""
    rows = db.execute(
        "SELECT value FROM sync_state WHERE key >= ? AND key < ? ORDER BY key",
        [QUARANTINE_PREFIX, QUARANTINE_PREFIX + "\uffff"],
    ).fetchall()
    return [json.loads(row[0]) for row in rows]


def quarantined_count(db: sqlite_utils.Database) -> int:
    row = db.execute(
        "SELECT count(*) FROM sync_state WHERE key >= ? AND key < ?",
        [QUARANTINE_PREFIX, QUARANTINE_PREFIX + "\uffff"],
    ).fetchone()
    return int(row[0])


# -- pull, server, last outcome -----------------------------------------------------------


def pull_cursor(db: sqlite_utils.Database) -> int:
    """The server cursor up to which pulled records were applied."""
    return int(get_sync_state(db, PULL_CURSOR, "0"))


def set_pull_cursor(db: sqlite_utils.Database, cursor: int) -> None:
    set_sync_state(db, PULL_CURSOR, str(cursor))


def server_url(db: sqlite_utils.Database) -> str | None:
    """The server this device syncs with, or None."""
    return get_sync_state(db, SERVER_URL) or None


def set_server_url(db: sqlite_utils.Database, url: str) -> None:
    set_sync_state(db, SERVER_URL, url.rstrip("/"))


def enrolment(db: sqlite_utils.Database) -> dict[str, Any] | None:
    """The server's answer when this device enrolled, or None if it never did."""
    raw = get_sync_state(db, ENROLLED)
    return dict(json.loads(raw)) if raw else None


def set_enrolment(db: sqlite_utils.Database, *, url: str, answer: Mapping[str, Any]) -> None:
    """Remember the server and its enrolment answer."""
    set_server_url(db, url)
    set_sync_state(db, ENROLLED, json.dumps(dict(answer)))


def last_success(db: sqlite_utils.Database) -> str | None:
    return get_sync_state(db, LAST_SUCCESS) or None


def last_error(db: sqlite_utils.Database) -> str | None:
    """``"<UTC time> <message>"`` of the last round that failed, or None."""
    return get_sync_state(db, LAST_ERROR) or None


def record_success(db: sqlite_utils.Database, *, at: str) -> None:
    set_sync_state(db, LAST_SUCCESS, at)


def record_error(db: sqlite_utils.Database, message: str, *, at: str) -> None:
    set_sync_state(db, LAST_ERROR, f"{at} {message}")


UPDATE_REQUIRED = "update_required"
UPDATE_RECOMMENDED = "update_recommended"
UPDATE_NOTICED = "update_noticed"


def update_required(db: sqlite_utils.Database) -> str | None:
    """Who must be updated before this computer syncs again, as the last round found:
    ``"app"`` (this app: another protocol, or below the server's minimum), ``"server"`` (the
    server speaks an older protocol), or None."""
    value = get_sync_state(db, UPDATE_REQUIRED)
    return value if value in ("app", "server") else None


def set_update_required(db: sqlite_utils.Database, who: str | None) -> None:
    set_sync_state(db, UPDATE_REQUIRED, who or "")


def update_recommended(db: sqlite_utils.Database) -> str | None:
    """The newer app version the server recommended at the last round, if the user has not
    been told of it yet."""
    version = get_sync_state(db, UPDATE_RECOMMENDED)
    if not version or version == get_sync_state(db, UPDATE_NOTICED):
        return None
    return version


def set_update_recommended(db: sqlite_utils.Database, version: str | None) -> None:
    set_sync_state(db, UPDATE_RECOMMENDED, version or "")


def update_noticed(db: sqlite_utils.Database, version: str) -> None:
    """The user was told that ``version`` is recommended: do not tell them again."""
    set_sync_state(db, UPDATE_NOTICED, version)


def conflict_count(db: sqlite_utils.Database) -> int:
    """Items marked in conflict (two devices changed them from the same revision)."""
    row = db.execute("SELECT count(*) FROM item_values WHERE conflict IS NOT NULL").fetchone()
    return int(row[0])
