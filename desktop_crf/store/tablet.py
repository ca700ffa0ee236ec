"""Reads and writes of the patient tablet's tables (migration m003): hand-overs, staff PINs and
questionnaire wordings. Every write runs inside a transaction opened by the services.

A PIN is kept only as an Argon2id hash (``cryptography``) with its own salt and parameters,
inside the encrypted database; :func:`pin_matches` compares in constant time.
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from desktop_crf.model import FormKey
from desktop_crf.store.keyslots import KdfParams

# -- hand-overs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandoverRow:
    """One hand-over of this device to a patient."""

    id: int
    key: FormKey
    opened_by: str
    opened_at: str
    show_initials: bool
    state: str  # open, ended
    failures: int
    last_failure_at: str | None


_HANDOVER_COLUMNS = (
    "id, subject_id, event, event_repeat, form, opened_by, opened_at, show_initials, state, "
    "failures, last_failure_at"
)


def _handover(row: Any) -> HandoverRow:
    return HandoverRow(
        id=int(row[0]),
        key=FormKey(row[1], row[2], row[4], int(row[3])),
        opened_by=row[5],
        opened_at=row[6],
        show_initials=bool(row[7]),
        state=row[8],
        failures=int(row[9]),
        last_failure_at=row[10],
    )


def current_handover(db: sqlite_utils.Database) -> HandoverRow | None:
    """The open hand-over (there is at most one), or None."""
    row = db.execute(f"SELECT {_HANDOVER_COLUMNS} FROM handovers WHERE state = 'open'").fetchone()
    return _handover(row) if row else None


def insert_handover(
    db: sqlite_utils.Database, key: FormKey, *, opened_by: str, opened_at: str, show_initials: bool
) -> int:
    cursor = db.execute(
        "INSERT INTO handovers (subject_id, event, event_repeat, form, opened_by, opened_at, "
        "show_initials, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')",
        [key.subject_id, key.event, key.event_repeat, key.form, opened_by, opened_at,
         int(show_initials)],
    )  # fmt: skip
    return int(cursor.lastrowid or 0)


def update_handover(db: sqlite_utils.Database, handover_id: int, **values: Any) -> None:
    """Set columns of one hand-over (state, failures, last_failure_at, ended_by, ended_at)."""
    allowed = {"state", "failures", "last_failure_at", "ended_by", "ended_at"}
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"not a column of handovers: {sorted(unknown)}")
    assignments = ", ".join(f"{name} = ?" for name in values)
    db.execute(f"UPDATE handovers SET {assignments} WHERE id = ?", [*values.values(), handover_id])


def visits_answered_by(
    db: sqlite_utils.Database, subject_id: str, form: str, user: str
) -> set[tuple[str, int]]:
    """The visits (event, repeat) where ``user`` (e.g. ``patient:<subject>``) set an item of
    ``form``, from the audit trail."""
    rows = db.execute(
        "SELECT DISTINCT event, event_repeat FROM audit WHERE subject = ? AND form = ? "
        "AND user = ? AND action = 'item.set'",
        [subject_id, form, user],
    ).fetchall()
    return {(row[0], int(row[1])) for row in rows}


# -- staff PINs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PinRecord:
    user: str
    kdf: KdfParams
    salt: bytes
    hash: bytes
    set_at: str


def hash_pin(user: str, pin: str, kdf: KdfParams, set_at: str) -> PinRecord:
    """A new record of ``pin``: Argon2id with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    return PinRecord(user, kdf, salt, kdf.derive(pin, salt), set_at)


def pin_matches(record: PinRecord, pin: str) -> bool:
    return hmac.compare_digest(record.kdf.derive(pin, record.salt), record.hash)


def put_pin(db: sqlite_utils.Database, record: PinRecord) -> None:
    kdf = {"t": record.kdf.iterations, "m": record.kdf.memory_kib, "p": record.kdf.lanes}
    db.execute(
        "INSERT INTO staff_pins (user, kdf, salt, hash, set_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (user) DO UPDATE SET kdf = excluded.kdf, salt = excluded.salt, "
        "hash = excluded.hash, set_at = excluded.set_at",
        [record.user, json.dumps(kdf), record.salt, record.hash, record.set_at],
    )


def get_pin(db: sqlite_utils.Database, user: str) -> PinRecord | None:
    row = db.execute(
        "SELECT user, kdf, salt, hash, set_at FROM staff_pins WHERE user = ?", [user]
    ).fetchone()
    if row is None:
        return None
    kdf = json.loads(row[1])
    params = KdfParams(iterations=int(kdf["t"]), memory_kib=int(kdf["m"]), lanes=int(kdf["p"]))
    return PinRecord(row[0], params, bytes(row[2]), bytes(row[3]), row[4])


def delete_pin(db: sqlite_utils.Database, user: str) -> None:
    db.execute("DELETE FROM staff_pins WHERE user = ?", [user])


# -- questionnaire wordings ------------------------------------------------------------------


@dataclass(frozen=True)
class WordingRow:
    fingerprint: str
    instrument: str
    language: str
    official: bool
    content: dict[str, Any]
    imported_at: str
    imported_by: str


def insert_wording(db: sqlite_utils.Database, row: WordingRow) -> None:
    db.execute(
        "INSERT INTO wordings (fingerprint, instrument, language, official, content, "
        "imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (fingerprint) DO UPDATE SET imported_at = excluded.imported_at, "
        "imported_by = excluded.imported_by",
        [row.fingerprint, row.instrument, row.language, int(row.official),
         json.dumps(row.content, ensure_ascii=False), row.imported_at, row.imported_by],
    )  # fmt: skip


def latest_wordings(db: sqlite_utils.Database, instrument: str) -> list[WordingRow]:
    """The last wording imported for each language of ``instrument``, by language."""
    rows = db.execute(
        "SELECT fingerprint, instrument, language, official, content, imported_at, imported_by "
        "FROM wordings AS w WHERE instrument = ? AND imported_at = (SELECT MAX(imported_at) "
        "FROM wordings WHERE instrument = w.instrument AND language = w.language) "
        "ORDER BY language",
        [instrument],
    ).fetchall()
    return [WordingRow(r[0], r[1], r[2], bool(r[3]), json.loads(r[4]), r[5], r[6]) for r in rows]
