"""The database schema, as explicit numbered migrations recorded in the database.

``sqlite_utils.migrations`` records each applied migration in ``_sqlite_migrations``. Tables are
written as plain SQL rather than through sqlite-utils' ``alter=True``/``ignore=True`` shortcuts,
which catch only the standard library's ``sqlite3`` errors and so misbehave on sqlcipher3.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from sync.entries import ENTRY_FIELDS

migrations = Migrations("desktop_crf")

ROLES = ("admin", "nurse", "investigator", "monitor", "patient")

_AUDIT_COLUMNS = {
    "device": "TEXT NOT NULL",
    "seq": "INTEGER NOT NULL",
    "ts": "TEXT NOT NULL",
    "user": "TEXT NOT NULL",
    "role": "TEXT NOT NULL",
    "action": "TEXT NOT NULL",
    "event_repeat": "INTEGER",
    "group_repeat": "INTEGER",
    "base_rev": "INTEGER",
    "prev_hash": "TEXT NOT NULL",
}


def _audit_table_sql() -> str:
    cols = [f"{name} {_AUDIT_COLUMNS.get(name, 'TEXT')}" for name in ENTRY_FIELDS]
    cols += ["hash TEXT NOT NULL", "PRIMARY KEY (device, seq)"]
    return "CREATE TABLE audit (\n  " + ",\n  ".join(cols) + "\n)"


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    roles = ", ".join(f"'{r}'" for r in ROLES)
    db.executescript(
        f"""
        CREATE TABLE site_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ({roles})),
            full_name TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        CREATE TABLE device_keys (
            device TEXT PRIMARY KEY,
            private_key BLOB NOT NULL,
            public_key BLOB NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE subjects (
            subject_id TEXT PRIMARY KEY,
            study_id TEXT NOT NULL,
            study_version TEXT NOT NULL,
            arm TEXT,
            status TEXT NOT NULL,
            initials TEXT,
            screened_on TEXT,
            enrolled_on TEXT,
            anchor_date TEXT,
            na_drug TEXT,
            consent_date TEXT,
            consent_version TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE form_instances (
            subject_id TEXT NOT NULL REFERENCES subjects(subject_id),
            event TEXT NOT NULL,
            event_repeat INTEGER NOT NULL,
            form TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'complete')),
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            PRIMARY KEY (subject_id, event, event_repeat, form)
        );
        CREATE TABLE item_values (
            subject_id TEXT NOT NULL,
            event TEXT NOT NULL,
            event_repeat INTEGER NOT NULL,
            form TEXT NOT NULL,
            item_group TEXT NOT NULL,
            group_repeat INTEGER NOT NULL,
            item TEXT NOT NULL,
            value TEXT,
            unit TEXT,
            rev INTEGER NOT NULL,
            conflict TEXT,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            PRIMARY KEY (subject_id, event, event_repeat, form, item_group, group_repeat, item)
        ) WITHOUT ROWID;
        CREATE TABLE signatures (
            id INTEGER PRIMARY KEY,
            subject_id TEXT NOT NULL,
            event TEXT NOT NULL,
            event_repeat INTEGER NOT NULL,
            form TEXT NOT NULL,
            signer TEXT NOT NULL,
            signer_name TEXT NOT NULL,
            meaning TEXT NOT NULL,
            signed_at TEXT NOT NULL,
            content_hash TEXT NOT NULL
        );
        CREATE INDEX signatures_form ON signatures (subject_id, event, event_repeat, form);
        CREATE TABLE autosave (
            user TEXT NOT NULL,
            subject_id TEXT NOT NULL,
            event TEXT NOT NULL,
            event_repeat INTEGER NOT NULL,
            form TEXT NOT NULL,
            fields TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            PRIMARY KEY (user, subject_id, event, event_repeat, form)
        );
        CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        {_audit_table_sql()};
        CREATE INDEX audit_subject ON audit (subject, event, form, item);
        CREATE INDEX audit_ts ON audit (ts);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        """
    )


def migrate(db: sqlite_utils.Database) -> None:
    """Apply every pending migration."""
    migrations.apply(db)


def schema_version(db: sqlite_utils.Database) -> list[str]:
    return [m.name for m in migrations.applied(db)]
