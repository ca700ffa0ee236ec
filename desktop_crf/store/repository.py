"""Reads and writes of clinical data. Every write here runs inside a transaction opened by the
services layer, next to the audit entries that describe it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from desktop_crf.model import FormKey, StoredValue
from sync.canonical import canonical_bytes, sha256_hex
from sync.entries import SUBJECT_FIELDS as ENTRY_SUBJECT_FIELDS

# -- site metadata and users ---------------------------------------------------------------


def get_meta(db: sqlite_utils.Database) -> dict[str, str]:
    return dict(db.execute("SELECT key, value FROM site_meta").fetchall())


def set_meta(db: sqlite_utils.Database, **values: str) -> None:
    for key, value in values.items():
        db.execute(
            "INSERT INTO site_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


@dataclass(frozen=True)
class UserRow:
    name: str
    role: str
    full_name: str
    active: bool


def get_user(db: sqlite_utils.Database, name: str) -> UserRow | None:
    row = db.execute(
        "SELECT name, role, full_name, active FROM users WHERE name = ?", [name]
    ).fetchone()
    return UserRow(row[0], row[1], row[2], bool(row[3])) if row else None


def list_users(db: sqlite_utils.Database) -> list[UserRow]:
    rows = db.execute("SELECT name, role, full_name, active FROM users ORDER BY name").fetchall()
    return [UserRow(r[0], r[1], r[2], bool(r[3])) for r in rows]


def insert_user(db: sqlite_utils.Database, user: UserRow, created_at: str) -> None:
    db.execute(
        "INSERT INTO users (name, role, full_name, active, created_at) VALUES (?, ?, ?, ?, ?)",
        [user.name, user.role, user.full_name, int(user.active), created_at],
    )


def set_user_active(db: sqlite_utils.Database, name: str, active: bool) -> None:
    db.execute("UPDATE users SET active = ? WHERE name = ?", [int(active), name])


# -- device key ----------------------------------------------------------------------------


def store_device_key(
    db: sqlite_utils.Database, device: str, private: bytes, public: bytes, created_at: str
) -> None:
    db.execute(
        "INSERT INTO device_keys (device, private_key, public_key, created_at) VALUES (?, ?, ?, ?)",
        [device, private, public, created_at],
    )


def device_private_key(db: sqlite_utils.Database, device: str) -> bytes:
    row = db.execute("SELECT private_key FROM device_keys WHERE device = ?", [device]).fetchone()
    if row is None:
        raise LookupError(f"no signing key for device {device}")
    return bytes(row[0])


# -- subjects ------------------------------------------------------------------------------

#: A subject's columns: the fields its entries carry (``sync.entry_schema``) and when it last
#: changed here. The subject id comes first (the key the upsert keeps).
SUBJECT_FIELDS = (
    "subject_id",
    *sorted(ENTRY_SUBJECT_FIELDS - {"subject_id"}),
    "updated_at",
)


def get_subject(db: sqlite_utils.Database, subject_id: str) -> dict[str, Any] | None:
    row = db.execute(
        f"SELECT {', '.join(SUBJECT_FIELDS)} FROM subjects WHERE subject_id = ?", [subject_id]
    ).fetchone()
    return dict(zip(SUBJECT_FIELDS, row, strict=True)) if row else None


def list_subjects(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    rows = db.execute(
        f"SELECT {', '.join(SUBJECT_FIELDS)} FROM subjects ORDER BY subject_id"
    ).fetchall()
    return [dict(zip(SUBJECT_FIELDS, r, strict=True)) for r in rows]


def upsert_subject(db: sqlite_utils.Database, subject: dict[str, Any]) -> None:
    values = [subject.get(f) for f in SUBJECT_FIELDS]
    updates = ", ".join(f"{f} = excluded.{f}" for f in SUBJECT_FIELDS[1:])
    db.execute(
        f"INSERT INTO subjects ({', '.join(SUBJECT_FIELDS)}) "
        f"VALUES ({', '.join('?' for _ in SUBJECT_FIELDS)}) "
        f"ON CONFLICT (subject_id) DO UPDATE SET {updates}",
        values,
    )


# -- form instances and item values --------------------------------------------------------


_VALUE_COLUMNS = "item_group, group_repeat, item, value, unit, rev, conflict"


def form_values(db: sqlite_utils.Database, key: FormKey) -> dict[tuple[str, int, str], StoredValue]:
    rows = db.execute(
        f"SELECT {_VALUE_COLUMNS} FROM item_values "
        "WHERE subject_id = ? AND event = ? AND event_repeat = ? AND form = ?",
        [key.subject_id, key.event, key.event_repeat, key.form],
    ).fetchall()
    values = (StoredValue(*r) for r in rows)
    return {v.path: v for v in values}


def subject_values(db: sqlite_utils.Database, subject_id: str) -> list[tuple[Any, ...]]:
    """Every item value of a subject: (event, event_repeat, form, group, repeat, item, value,
    unit, rev, conflict)."""
    return db.execute(
        "SELECT event, event_repeat, form, item_group, group_repeat, item, value, unit, rev, "
        "conflict FROM item_values WHERE subject_id = ?",
        [subject_id],
    ).fetchall()


def subject_versions(db: sqlite_utils.Database) -> dict[str, int]:
    """Each subject's version: raised by every write of its row or its values (schema m010)."""
    return dict(db.execute("SELECT subject_id, version FROM subject_versions").fetchall())


def site_values(
    db: sqlite_utils.Database,
    *,
    reads: Mapping[str, Iterable[str]],
    screening_event: str,
    subjects: Sequence[str] | None = None,
) -> Iterator[tuple[Any, ...]]:
    """The entered values a study summary reads, of every subject (or of ``subjects``) in one
    pass: the values of ``reads`` (form OID → item OIDs), and the ``screening_event`` values
    of subjects still screening. Rows: (subject_id, event, event_repeat, form, group, repeat,
    item, value, unit), by subject, read as they are consumed (a reader can let each
    subject's rows go)."""
    pairs = [(form, item) for form, items in reads.items() for item in items]
    marks = ", ".join("(?, ?)" for _ in pairs)
    params: list[Any] = [*(part for pair in pairs for part in pair), screening_event]
    which = ""
    if subjects is not None:
        which = f"subject_id IN ({', '.join('?' * len(subjects))}) AND "
        params = [*subjects, *params]
    # NOT INDEXED: the table in its key order (by subject), not a search of the (form, item)
    # index sorted afterwards
    cursor = db.execute(
        "SELECT subject_id, event, event_repeat, form, item_group, group_repeat, item, value, "
        f"unit FROM item_values NOT INDEXED WHERE {which}value IS NOT NULL AND ((form, item) "
        f"IN (VALUES {marks}) OR (event = ? AND subject_id IN "
        "(SELECT subject_id FROM subjects WHERE status = 'screening'))) ORDER BY subject_id",
        params,
    )
    return iter(cursor)


def write_value(
    db: sqlite_utils.Database,
    key: FormKey,
    value: StoredValue,
    *,
    updated_at: str,
    updated_by: str,
) -> None:
    db.execute(
        "INSERT INTO item_values (subject_id, event, event_repeat, form, item_group, "
        "group_repeat, item, value, unit, rev, conflict, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (subject_id, event, event_repeat, form, item_group, group_repeat, item) "
        "DO UPDATE SET value = excluded.value, unit = excluded.unit, rev = excluded.rev, "
        "conflict = excluded.conflict, updated_at = excluded.updated_at, "
        "updated_by = excluded.updated_by",
        [
            key.subject_id,
            key.event,
            key.event_repeat,
            key.form,
            value.item_group,
            value.group_repeat,
            value.item,
            value.value,
            value.unit,
            value.rev,
            value.conflict,
            updated_at,
            updated_by,
        ],
    )


def get_form_status(db: sqlite_utils.Database, key: FormKey) -> str | None:
    row = db.execute(
        "SELECT status FROM form_instances WHERE subject_id = ? AND event = ? "
        "AND event_repeat = ? AND form = ?",
        [key.subject_id, key.event, key.event_repeat, key.form],
    ).fetchone()
    return row[0] if row else None


def set_form_status(
    db: sqlite_utils.Database, key: FormKey, status: str, *, updated_at: str, updated_by: str
) -> None:
    db.execute(
        "INSERT INTO form_instances (subject_id, event, event_repeat, form, status, updated_at, "
        "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (subject_id, event, event_repeat, form) DO UPDATE SET "
        "status = excluded.status, updated_at = excluded.updated_at, "
        "updated_by = excluded.updated_by",
        [key.subject_id, key.event, key.event_repeat, key.form, status, updated_at, updated_by],
    )


def subject_forms(db: sqlite_utils.Database, subject_id: str) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT event, event_repeat, form, status, updated_at FROM form_instances "
        "WHERE subject_id = ? ORDER BY event, event_repeat, form",
        [subject_id],
    ).fetchall()
    names = ("event", "event_repeat", "form", "status", "updated_at")
    return [dict(zip(names, r, strict=True)) for r in rows]


def content_hash(values: Iterable[StoredValue]) -> str:
    """The hash a signature is linked to: every item path with its value and unit."""
    doc = {
        f"{v.item_group}[{v.group_repeat}].{v.item}": [v.value, v.unit]
        for v in sorted(values, key=lambda v: v.path)
        if v.value not in (None, "")
    }
    return sha256_hex(canonical_bytes(doc))


# -- signatures ----------------------------------------------------------------------------


def insert_signature(db: sqlite_utils.Database, key: FormKey, sig: dict[str, str]) -> None:
    db.execute(
        "INSERT INTO signatures (subject_id, event, event_repeat, form, signer, signer_name, "
        "meaning, signed_at, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            key.subject_id,
            key.event,
            key.event_repeat,
            key.form,
            sig["signer"],
            sig["signer_name"],
            sig["meaning"],
            sig["signed_at"],
            sig["content_hash"],
        ],
    )


def latest_signature(db: sqlite_utils.Database, key: FormKey) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT signer, signer_name, meaning, signed_at, content_hash FROM signatures "
        "WHERE subject_id = ? AND event = ? AND event_repeat = ? AND form = ? "
        "ORDER BY id DESC LIMIT 1",
        [key.subject_id, key.event, key.event_repeat, key.form],
    ).fetchone()
    names = ("signer", "signer_name", "meaning", "signed_at", "content_hash")
    return dict(zip(names, row, strict=True)) if row else None


# -- autosave (drafts of what is being typed, not yet saved) -------------------------------


def put_autosave(
    db: sqlite_utils.Database, user: str, key: FormKey, fields: dict[str, Any], saved_at: str
) -> None:
    db.execute(
        "INSERT INTO autosave (user, subject_id, event, event_repeat, form, fields, saved_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user, subject_id, event, event_repeat, form) "
        "DO UPDATE SET fields = excluded.fields, saved_at = excluded.saved_at",
        [user, key.subject_id, key.event, key.event_repeat, key.form, json.dumps(fields), saved_at],
    )


def get_autosave(db: sqlite_utils.Database, user: str, key: FormKey) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT fields FROM autosave WHERE user = ? AND subject_id = ? AND event = ? "
        "AND event_repeat = ? AND form = ?",
        [user, key.subject_id, key.event, key.event_repeat, key.form],
    ).fetchone()
    return json.loads(row[0]) if row else None


def autosaved_forms(db: sqlite_utils.Database, user: str, subject_id: str) -> list[FormKey]:
    """The forms of a subject holding typing of ``user`` not saved yet."""
    rows = db.execute(
        "SELECT subject_id, event, form, event_repeat FROM autosave WHERE user = ? "
        "AND subject_id = ?",
        [user, subject_id],
    ).fetchall()
    return [FormKey(r[0], r[1], r[2], int(r[3])) for r in rows]


def clear_autosave(db: sqlite_utils.Database, user: str, key: FormKey) -> None:
    db.execute(
        "DELETE FROM autosave WHERE user = ? AND subject_id = ? AND event = ? "
        "AND event_repeat = ? AND form = ?",
        [user, key.subject_id, key.event, key.event_repeat, key.form],
    )


# -- sync state ----------------------------------------------------------------------------


def get_sync_state(db: sqlite_utils.Database, key: str, default: str = "") -> str:
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else default


def set_sync_state(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
