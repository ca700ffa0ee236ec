"""What waits for someone, read across the whole site in a few queries (``services.tasks``)."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from desktop_crf.model import FormKey


def autosaves_of(db: sqlite_utils.Database, user: str) -> list[tuple[FormKey, str]]:
    """The forms holding ``user``'s typing not saved yet (restored when opened), and since when."""
    rows = db.execute(
        "SELECT subject_id, event, form, event_repeat, saved_at FROM autosave WHERE user = ? "
        "ORDER BY saved_at",
        [user],
    ).fetchall()
    return [(FormKey(r[0], r[1], r[2], int(r[3])), str(r[4])) for r in rows]


def unsigned_complete_forms(db: sqlite_utils.Database) -> list[tuple[FormKey, str]]:
    """Complete forms that no signature covers yet, and since when complete."""
    rows = db.execute(
        "SELECT f.subject_id, f.event, f.form, f.event_repeat, f.updated_at "
        "FROM form_instances f WHERE f.status = 'complete' AND NOT EXISTS ("
        "SELECT 1 FROM signatures s WHERE s.subject_id = f.subject_id AND s.event = f.event "
        "AND s.event_repeat = f.event_repeat AND s.form = f.form) ORDER BY f.updated_at"
    ).fetchall()
    return [(FormKey(r[0], r[1], r[2], int(r[3])), str(r[4])) for r in rows]


def latest_signatures(db: sqlite_utils.Database) -> list[tuple[FormKey, dict[str, Any]]]:
    """Every signed form with its latest signature."""
    rows = db.execute(
        "SELECT subject_id, event, form, event_repeat, signed_at, content_hash FROM signatures "
        "WHERE id IN (SELECT max(id) FROM signatures "
        "GROUP BY subject_id, event, event_repeat, form)"
    ).fetchall()
    return [
        (FormKey(r[0], r[1], r[2], int(r[3])), {"signed_at": r[4], "content_hash": r[5]})
        for r in rows
    ]


def subjects_with_serious_ae(db: sqlite_utils.Database) -> list[str]:
    """The subjects whose AE log holds a serious event (by the ``item_values_form`` index)."""
    rows = db.execute(
        "SELECT DISTINCT subject_id FROM item_values WHERE form = 'F.AE' AND item = 'I.AESER' "
        "AND value = 'Y' AND value IS NOT NULL ORDER BY subject_id"
    ).fetchall()
    return [str(r[0]) for r in rows]
