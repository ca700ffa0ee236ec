"""Reads for the exports: subjects one at a time, the latest signature of each form, every
unit, signature meaning and user the data names, and each device's audit chain in order.

Every read streams (cursors read in batches), so an export of a thousand subjects never holds
the site in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
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


def _of(subject: str | None, column: str = "subject", index: str = "") -> tuple[str, list[Any]]:
    """The table suffix and condition of a read of the whole site (``subject`` None) or of
    one subject (by its index: a subject's export never scans the site)."""
    if subject is None:
        return "", []
    return f"{index} WHERE {column} = ?", [subject]


@dataclass(frozen=True)
class TrailNames:
    """What the data names, each sorted: every user an audit entry names (this site's staff,
    other computers', patients), every unit stored with a value or named by an entry, every
    meaning a signature was given (stored signatures and signing entries)."""

    users: list[str]
    units: list[str]
    meanings: list[str]


def trail_names(db: sqlite_utils.Database, subject: str | None = None) -> TrailNames:
    """The users, units and signature meanings of the site's data (or one subject's), the
    audit trail read once for all three (it is most of the site)."""
    of_subject, params = _of(subject, "subject_id")  # the same filter on both tables
    entries, more = _of(subject, index=" INDEXED BY audit_subject")
    rows = db.execute(
        "WITH named AS MATERIALIZED (SELECT DISTINCT user, unit, CASE WHEN action = 'form.sign' "
        "AND json_valid(detail) THEN json_extract(detail, '$.meaning') END AS meaning "
        f"FROM audit{entries}) "
        "SELECT 0, user FROM named UNION SELECT 1, unit FROM named "
        f"UNION SELECT 1, unit FROM item_values{of_subject} "
        "UNION SELECT 2, meaning FROM named "
        f"UNION SELECT 2, meaning FROM signatures{of_subject} ORDER BY 1, 2",
        [*more, *params, *params],
    ).fetchall()
    found: tuple[list[str], list[str], list[str]] = ([], [], [])
    for kind, name in rows:
        if kind == 0 or name:  # a user is named even if blank; an empty unit or meaning not
            found[kind].append(str(name))
    return TrailNames(*found)


def signers(db: sqlite_utils.Database, subject: str | None = None) -> dict[str, str]:
    """Each signer's printed name, as the signature recorded it."""
    stored, params = _of(subject, "subject_id")
    rows = db.execute(
        f"SELECT signer, signer_name FROM signatures{stored} ORDER BY id", params
    ).fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def chain_heads(db: sqlite_utils.Database) -> list[tuple[str, int, str]]:
    """Each device's last entry: (device, seq, hash)."""
    heads = []
    for device in devices(db):
        seq, hash_ = db.execute(
            "SELECT seq, hash FROM audit WHERE device = ? ORDER BY seq DESC LIMIT 1", [device]
        ).fetchone()
        heads.append((device, int(seq), str(hash_)))
    return heads


def devices(db: sqlite_utils.Database) -> list[str]:
    """Every device with entries, in order: one step of the (device, seq) key per device,
    never a walk through the whole trail (a site keeps a few devices' long chains)."""
    rows = db.execute(
        "WITH RECURSIVE found(device) AS (SELECT min(device) FROM audit UNION ALL "
        "SELECT (SELECT min(device) FROM audit WHERE device > found.device) FROM found "
        "WHERE found.device IS NOT NULL) SELECT device FROM found WHERE device IS NOT NULL"
    )
    return [str(r[0]) for r in rows]


def device_entries(
    db: sqlite_utils.Database, device: str, *, subject: str | None = None, batch: int = 2000
) -> Iterator[dict[str, Any]]:
    """One device's entries in sequence order (of one subject, or all), read in batches."""
    for row in device_rows(db, device, subject=subject, batch=batch):
        yield dict(zip(COLUMNS, row, strict=True))


def device_rows(
    db: sqlite_utils.Database, device: str, *, subject: str | None = None, batch: int = 2000
) -> Iterator[tuple[Any, ...]]:
    """One device's entries as rows of ``COLUMNS`` (of one subject, or all), in sequence order,
    read in batches."""
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
        yield from rows


def entry_count(db: sqlite_utils.Database, subject: str | None = None) -> int:
    if subject is None:
        return int(db.execute("SELECT count(*) FROM audit").fetchone()[0])
    return int(db.execute("SELECT count(*) FROM audit WHERE subject = ?", [subject]).fetchone()[0])


def visit_dates(db: sqlite_utils.Database) -> list[tuple[str, str, int, str | None]]:
    """Every visit's recorded date: (subject, event, repeat, date as entered)."""
    rows = db.execute(
        "SELECT subject_id, event, event_repeat, value FROM item_values "
        "WHERE form = 'F.VISIT' AND item = 'I.VISIT_DATE'"
    ).fetchall()
    return [(str(r[0]), str(r[1]), int(r[2]), r[3]) for r in rows]
