"""Reads for the exports: subjects one at a time, the latest signature of each form, every
unit, signature meaning and user the data names, and each device's audit chain in order.

Every read streams (cursors read in batches), so an export of a thousand subjects never holds
the site in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlite_utils

from desktop_crf.store.audit import COLUMNS


def subject_ids(db: sqlite_utils.Database, subject: str | None = None) -> list[str]:
    """Every subject id in order (or ``subject`` alone, if it exists)."""
    if subject is not None:
        rows = db.execute("SELECT subject_id FROM subjects WHERE subject_id = ?", [subject])
    else:
        rows = db.execute("SELECT subject_id FROM subjects ORDER BY subject_id")
    return [str(row[0]) for row in rows.fetchall()]


def latest_signatures(
    db: sqlite_utils.Database, subject_id: str
) -> dict[tuple[str, int, str], dict[str, Any]]:
    """The latest signature of each signed form of a subject, by (event, repeat, form)."""
    rows = db.execute(
        "SELECT event, event_repeat, form, signer, signer_name, meaning, signed_at, "
        "content_hash FROM signatures WHERE subject_id = ? ORDER BY id",
        [subject_id],
    ).fetchall()
    names = ("signer", "signer_name", "meaning", "signed_at", "content_hash")
    return {(r[0], r[1], r[2]): dict(zip(names, r[3:], strict=True)) for r in rows}


def units_used(db: sqlite_utils.Database) -> list[str]:
    """Every unit stored with a value or named by an audit entry."""
    rows = db.execute(
        "SELECT unit FROM item_values WHERE unit IS NOT NULL "
        "UNION SELECT unit FROM audit WHERE unit IS NOT NULL ORDER BY 1"
    ).fetchall()
    return [str(r[0]) for r in rows if r[0]]


def signature_meanings(db: sqlite_utils.Database) -> list[str]:
    """Every meaning a signature was given (stored signatures and signing entries)."""
    rows = db.execute(
        "SELECT meaning FROM signatures UNION "
        "SELECT json_extract(detail, '$.meaning') FROM audit "
        "WHERE action = 'form.sign' AND json_valid(detail) ORDER BY 1"
    ).fetchall()
    return [str(r[0]) for r in rows if r[0]]


def trail_users(db: sqlite_utils.Database) -> list[str]:
    """Every user an audit entry names (this site's staff, other computers', patients)."""
    rows = db.execute("SELECT DISTINCT user FROM audit ORDER BY user").fetchall()
    return [str(r[0]) for r in rows]


def signers(db: sqlite_utils.Database) -> dict[str, str]:
    """Each signer's printed name, as the signature recorded it."""
    rows = db.execute("SELECT signer, signer_name FROM signatures ORDER BY id").fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def chain_heads(db: sqlite_utils.Database) -> list[tuple[str, int, str]]:
    """Each device's last entry: (device, seq, hash)."""
    rows = db.execute(
        "SELECT a.device, a.seq, a.hash FROM audit a JOIN (SELECT device, max(seq) AS seq "
        "FROM audit GROUP BY device) m ON a.device = m.device AND a.seq = m.seq "
        "ORDER BY a.device"
    ).fetchall()
    return [(str(r[0]), int(r[1]), str(r[2])) for r in rows]


def devices(db: sqlite_utils.Database) -> list[str]:
    return [str(r[0]) for r in db.execute("SELECT DISTINCT device FROM audit ORDER BY device")]


def device_entries(
    db: sqlite_utils.Database, device: str, *, subject: str | None = None, batch: int = 2000
) -> Iterator[dict[str, Any]]:
    """One device's entries in sequence order (of one subject, or all), read in batches."""
    if subject is None:
        sql = f"SELECT {', '.join(COLUMNS)} FROM audit WHERE device = ? ORDER BY seq"
        params: list[Any] = [device]
    else:
        # a subject's few hundred entries by the subject index, sorted here; by the primary
        # key the planner would walk the device's whole chain (seconds on a large site)
        sql = (
            f"SELECT {', '.join(COLUMNS)} FROM audit INDEXED BY audit_subject "
            "WHERE subject = ? AND device = ? ORDER BY seq"
        )
        params = [subject, device]
    cursor = db.execute(sql, params)
    while rows := cursor.fetchmany(batch):
        for row in rows:
            yield dict(zip(COLUMNS, row, strict=True))


def entry_count(db: sqlite_utils.Database, subject: str | None = None) -> int:
    if subject is None:
        return int(db.execute("SELECT count(*) FROM audit").fetchone()[0])
    return int(db.execute("SELECT count(*) FROM audit WHERE subject = ?", [subject]).fetchone()[0])
