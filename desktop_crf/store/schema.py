"""The database schema, as explicit numbered migrations recorded in the database.

``sqlite_utils.migrations`` records each applied migration in ``_sqlite_migrations`` and runs
each one in a transaction with that record. Tables are written as plain SQL rather than through
sqlite-utils' ``alter=True``/``ignore=True`` shortcuts, which catch only the standard library's
``sqlite3`` errors and so misbehave on sqlcipher3. A migration runs one statement at a time
(``executescript`` would commit the migration's transaction halfway).
"""

from __future__ import annotations

import json
from typing import Any

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


#: The place of a local query (``sync.entries.PATH_FIELDS`` when m002 was written).
_QUERY_PLACE = ("subject", "event", "event_repeat", "form", "item_group", "group_repeat", "item")
#: Where m002 finds the queries it moves: ``query:<id>`` and ``query:local:<device>:<seq>``.
_OLD_QUERY_KEYS = ("query:", "query;")  # every key from the first to before the second


@migrations()
def m002_queries(db: sqlite_utils.Database) -> None:
    """Queries get a table of their own; they were JSON records under ``sync_state`` keys.

    ``id`` is the server's id, NULL while a query raised here waits for the server; such a
    query is known by its origin (the device and sequence of its ``query.raise`` entry), unique
    among pending queries. The place columns let per-subject counts be SQL; ``body`` is the
    whole query record (``sync.queries.Query``) as JSON. Every readable record is moved (its
    JSON as it was); one that is not a query record stays in ``sync_state``, never dropped.
    """
    db.execute(
        """
        CREATE TABLE queries (
            local_id INTEGER PRIMARY KEY,
            id INTEGER UNIQUE,
            origin_device TEXT,
            origin_seq INTEGER,
            kind TEXT NOT NULL CHECK (kind IN ('monitor', 'conflict')),
            status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
            subject TEXT,
            event TEXT,
            event_repeat INTEGER,
            form TEXT,
            item_group TEXT,
            group_repeat INTEGER,
            item TEXT,
            opened_at TEXT,
            body TEXT NOT NULL,
            CHECK (id IS NOT NULL OR (origin_device IS NOT NULL AND origin_seq IS NOT NULL))
        )
        """
    )
    db.execute(
        "CREATE UNIQUE INDEX queries_pending ON queries (origin_device, origin_seq) "
        "WHERE id IS NULL"
    )
    db.execute("CREATE INDEX queries_subject ON queries (subject, status)")
    rows = db.execute(
        "SELECT key, value FROM sync_state WHERE key >= ? AND key < ? ORDER BY key",
        list(_OLD_QUERY_KEYS),
    ).fetchall()
    columns = ["id", "origin_device", "origin_seq", "kind", "status", *_QUERY_PLACE]
    columns += ["opened_at", "body"]
    insert = (
        f"INSERT INTO queries ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    )
    for key, value in rows:
        row = _old_query_row(value)
        if row is not None:
            db.execute(insert, row)
            db.execute("DELETE FROM sync_state WHERE key = ?", [key])


def _old_query_row(value: str) -> list[Any] | None:
    """The ``queries`` row of a query record kept in ``sync_state``, or None if it is none."""
    try:
        record = json.loads(value)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    found = record.get("origin")
    origin: dict[str, Any] = found if isinstance(found, dict) else {}
    query_id, device, seq = record.get("id"), origin.get("device"), origin.get("seq")
    if query_id is None and not (isinstance(device, str) and isinstance(seq, int)):
        return None
    if query_id is not None and (isinstance(query_id, bool) or not isinstance(query_id, int)):
        return None
    kind, status = record.get("kind") or "monitor", record.get("status") or "open"
    if kind not in ("monitor", "conflict") or status not in ("open", "answered", "closed"):
        return None
    place = [record.get(name) for name in _QUERY_PLACE]
    return [query_id, device, seq, kind, status, *place, record.get("opened_at"), value]


@migrations()
def m003_lab_ranges(db: sqlite_utils.Database) -> None:
    """Each laboratory's reference ranges (``desktop_crf.store.lab_ranges``).

    ``range_key`` identifies a range (laboratory as compared, analyte, sex, age band, valid
    from): recording it again corrects it. A removed range stays as a row with ``removed`` set,
    so an older change arriving later by sync cannot bring it back. ``changed_*`` name the
    audit entry that set the row; of two entries about one range the later (time, device,
    sequence) wins on every computer alike.
    """
    db.execute(
        """
        CREATE TABLE lab_ranges (
            range_key TEXT PRIMARY KEY,
            laboratory TEXT NOT NULL,
            laboratory_key TEXT NOT NULL,
            analyte TEXT NOT NULL,
            unit TEXT,
            sex TEXT CHECK (sex IN ('M', 'F')),
            age_min INTEGER,
            age_max INTEGER,
            lln TEXT,
            uln TEXT,
            valid_from TEXT NOT NULL,
            removed INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
            changed_at TEXT NOT NULL,
            changed_by TEXT NOT NULL,
            changed_device TEXT NOT NULL,
            changed_seq INTEGER NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX lab_ranges_lookup ON lab_ranges (laboratory_key, analyte)")


@migrations()
def m004_subject_status(db: sqlite_utils.Database) -> None:
    """A subject's status has its reason and date (a screen failure with the criterion, a
    withdrawal with its date, a discarded screening)."""
    db.executescript(
        """
        ALTER TABLE subjects ADD COLUMN status_reason TEXT;
        ALTER TABLE subjects ADD COLUMN status_date TEXT;
        """
    )


@migrations()
def m005_set_aside(db: sqlite_utils.Database) -> None:
    """Records pulled from the server that this device could not apply, kept with the reason.

    ``pos`` is the record's place in the server's feed (null if the record did not say);
    ``device``/``seq`` name an entry, ``query_id`` a query; ``stored`` is 1 when the entry itself
    was stored (its chain verifies) and only what it does to the data was not applied;
    ``record`` is the record exactly as it came (JSON); ``reported_at`` is set once the server
    was told.
    """
    db.execute(
        """
        CREATE TABLE set_aside (
            id INTEGER PRIMARY KEY,
            pos INTEGER,
            kind TEXT NOT NULL,
            device TEXT,
            seq INTEGER,
            query_id INTEGER,
            stored INTEGER NOT NULL,
            reason TEXT NOT NULL,
            record TEXT NOT NULL,
            at TEXT NOT NULL,
            reported_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX set_aside_unreported ON set_aside (reported_at, id)")


@migrations()
def m006_tablet(db: sqlite_utils.Database) -> None:
    """The patient tablet: hand-overs, staff PINs and questionnaire wordings.

    ``handovers``: one row per hand-over of this device to a patient (subject, visit, form);
    at most one is open, and a crash or a lock leaves it so, to be resumed. It is the device's
    state, not clinical data: where the patient is (language chosen, answers, finished) is the
    form's own data in ``item_values`` and the audit trail, and only that is synced.
    ``staff_pins``: a staff member's PIN for leaving the kiosk, as an Argon2id hash with its
    salt and parameters; never the PIN. ``wordings``: the questionnaire wordings imported on
    this device, each kept whole (a later import of the same language is a new row), by the
    fingerprint the answers record.
    """
    statements = [
        """
        CREATE TABLE handovers (
            id INTEGER PRIMARY KEY,
            subject_id TEXT NOT NULL,
            event TEXT NOT NULL,
            event_repeat INTEGER NOT NULL,
            form TEXT NOT NULL,
            opened_by TEXT NOT NULL,
            opened_at TEXT NOT NULL,
            show_initials INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('open', 'ended')),
            failures INTEGER NOT NULL DEFAULT 0,
            last_failure_at TEXT,
            ended_by TEXT,
            ended_at TEXT
        )
        """,
        "CREATE UNIQUE INDEX handovers_one_open ON handovers (state) WHERE state = 'open'",
        """
        CREATE TABLE staff_pins (
            user TEXT PRIMARY KEY,
            kdf TEXT NOT NULL,
            salt BLOB NOT NULL,
            hash BLOB NOT NULL,
            set_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE wordings (
            fingerprint TEXT PRIMARY KEY,
            instrument TEXT NOT NULL,
            language TEXT NOT NULL,
            official INTEGER NOT NULL,
            content TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            imported_by TEXT NOT NULL
        )
        """,
        "CREATE INDEX wordings_language ON wordings (instrument, language, imported_at)",
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m007_monitoring(db: sqlite_utils.Database) -> None:
    """Source data verification and monitoring visits (``desktop_crf.store.sdv``,
    ``desktop_crf.store.monitoring``).

    ``sdv``: per item value, the revision a monitor verified against the source, who and when,
    and the ``sdv.verify`` entry that said so. The value is "changed since verified" while its
    revision in ``item_values`` is above the one verified; a later verification of a higher
    revision replaces the row (of two, the higher revision wins on every computer alike).
    ``monitoring_visits``: a monitor's visit to the site, from its start to its signed report;
    the rows are made from the visit's audit entries, here or pulled from another computer.
    """
    statements = [
        """
        CREATE TABLE sdv (
            subject_id TEXT NOT NULL,
            event TEXT NOT NULL,
            event_repeat INTEGER NOT NULL,
            form TEXT NOT NULL,
            item_group TEXT NOT NULL,
            group_repeat INTEGER NOT NULL,
            item TEXT NOT NULL,
            rev INTEGER NOT NULL,
            verified_at TEXT NOT NULL,
            verified_by TEXT NOT NULL,
            device TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (subject_id, event, event_repeat, form, item_group, group_repeat, item)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE monitoring_visits (
            visit TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            started_by TEXT NOT NULL,
            device TEXT NOT NULL,
            purpose TEXT,
            closed_at TEXT,
            remarks TEXT,
            summary TEXT,
            content_hash TEXT,
            signature TEXT
        )
        """,
        "CREATE INDEX monitoring_visits_by ON monitoring_visits (started_by, started_at)",
        # critical data is found by form and item without reading every value
        "CREATE INDEX item_values_form ON item_values (form, item) WHERE value IS NOT NULL",
        """
        CREATE TABLE form_counts (
            subject_id TEXT NOT NULL,
            event TEXT NOT NULL,
            event_repeat INTEGER NOT NULL,
            form TEXT NOT NULL,
            entered INTEGER NOT NULL DEFAULT 0,
            verified INTEGER NOT NULL DEFAULT 0,
            changed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (subject_id, event, event_repeat, form)
        ) WITHOUT ROWID
        """,
        *_form_count_triggers(),
        "INSERT INTO form_counts (subject_id, event, event_repeat, form, entered) "
        "SELECT subject_id, event, event_repeat, form, count(*) FROM item_values "
        "WHERE value IS NOT NULL GROUP BY subject_id, event, event_repeat, form",
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m008_user_signatures(db: sqlite_utils.Database) -> None:
    """Authors' signatures over their entries (``sync.authorship``), append-only like the trail.

    One row per signed group (one transaction, or a part of at most 256 entries): the device,
    the run of its entries ``seq_from``..``seq_to``, the signer's name, the id of their key and
    the Ed25519 signature over the entries' hashes. This device's come with its own writes;
    other devices' come down with their entries. Entries written before this migration have
    none: they stay covered by the hash chain and the change sets' device signatures.
    """
    statements = [
        """
        CREATE TABLE audit_signatures (
            device TEXT NOT NULL,
            seq_from INTEGER NOT NULL,
            seq_to INTEGER NOT NULL,
            signer TEXT NOT NULL,
            key_id TEXT NOT NULL,
            signature BLOB NOT NULL,
            PRIMARY KEY (device, seq_to)
        )
        """,
        "CREATE TRIGGER audit_signatures_no_update BEFORE UPDATE ON audit_signatures "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
        "CREATE TRIGGER audit_signatures_no_delete BEFORE DELETE ON audit_signatures "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    ]
    for statement in statements:
        db.execute(statement)


_ITEM_KEY = ("subject_id", "event", "event_repeat", "form", "item_group", "group_repeat", "item")


def _state(value: str, rev: str, verified: str) -> str:
    """An item's counts as SQL columns ``e, v, c``: entered, verified (the revision verified
    is the value's, or later), changed since verified (the value's revision is later)."""
    entered = f"({value} IS NOT NULL)"
    ok = f"coalesce({verified} IS NOT NULL AND {value} IS NOT NULL AND {verified} >= {rev}, 0)"
    changed = f"coalesce({verified} < {rev}, 0)"
    return f"{entered} AS e, {ok} AS v, {changed} AS c"


def _form_count_triggers() -> list[str]:
    """Triggers that keep ``form_counts`` (per form: values entered, verified, changed since
    verified) in step with ``item_values`` and ``sdv``, so SDV progress reads a row per form
    instead of every value. Whatever writes a value (a save, an import, a pull) counts."""

    def lookup(table: str, row: str, column: str) -> str:
        match = " AND ".join(f"{k} = {row}.{k}" for k in _ITEM_KEY)
        return f"(SELECT {column} FROM {table} WHERE {match})"

    zero = "0 AS e, 0 AS v, 0 AS c"
    s_new, s_old = lookup("sdv", "NEW", "rev"), lookup("sdv", "OLD", "rev")
    v_now, r_now = lookup("item_values", "NEW", "value"), lookup("item_values", "NEW", "rev")
    cases = {
        ("item_values", "INSERT", "NEW"): (_state("NEW.value", "NEW.rev", s_new), zero),
        ("item_values", "UPDATE", "NEW"): (
            _state("NEW.value", "NEW.rev", s_new),
            _state("OLD.value", "OLD.rev", s_new),
        ),
        ("item_values", "DELETE", "OLD"): (zero, _state("OLD.value", "OLD.rev", s_old)),
        ("sdv", "INSERT", "NEW"): (_state(v_now, r_now, "NEW.rev"), _state(v_now, r_now, "NULL")),
        ("sdv", "UPDATE", "NEW"): (
            _state(v_now, r_now, "NEW.rev"),
            _state(v_now, r_now, "OLD.rev"),
        ),
    }
    triggers = []
    for (table, verb, row), (after, before) in cases.items():
        place = ", ".join(f"{row}.{k}" for k in _ITEM_KEY[:4])
        body = (
            "INSERT INTO form_counts (subject_id, event, event_repeat, form, entered, verified, "
            f"changed) SELECT {place}, a.e - b.e, a.v - b.v, a.c - b.c "
            f"FROM (SELECT {after}) AS a, (SELECT {before}) AS b WHERE true "
            "ON CONFLICT (subject_id, event, event_repeat, form) DO UPDATE SET "
            "entered = entered + excluded.entered, verified = verified + excluded.verified, "
            "changed = changed + excluded.changed"
        )
        when = ""
        if verb == "UPDATE":  # a conflict marker or a time stamp changes no count
            when = (
                "WHEN OLD.value IS NOT NEW.value OR OLD.rev IS NOT NEW.rev "
                if table == "item_values"
                else "WHEN OLD.rev IS NOT NEW.rev "
            )
        triggers.append(
            f"CREATE TRIGGER {table}_{verb.lower()}_counts AFTER {verb} ON {table} "
            f"FOR EACH ROW {when}BEGIN {body}; END"
        )
    return triggers


@migrations()
def m009_monitor_read_indexes(db: sqlite_utils.Database) -> None:
    """Indexes the monitor's reads are answered from alone (SDV progress, critical data due,
    the tasks lists), so they touch no row of ``item_values`` or ``form_counts``.

    ``item_values_form`` also holds each value and its revision: a critical item set, a
    serious AE and a visit's date are found and compared with ``sdv`` in the index.
    ``form_counts_form``: the counts of some forms (a critical set of whole forms) by form.
    """
    statements = [
        "DROP INDEX item_values_form",
        "CREATE INDEX item_values_form ON item_values (form, item, value, rev) "
        "WHERE value IS NOT NULL",
        "CREATE INDEX form_counts_form ON form_counts (form, event, entered, verified, changed)",
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m010_subject_versions(db: sqlite_utils.Database) -> None:
    """A version per subject, raised by triggers whenever the subject's row or any of its
    values is written, changed or removed, whoever writes (a save, an import, a pull): what a
    reader derived from a subject (the dashboard's digests) holds while its version does."""
    statements = [
        "CREATE TABLE subject_versions (subject_id TEXT PRIMARY KEY, version INTEGER NOT NULL) "
        "WITHOUT ROWID",
        "INSERT INTO subject_versions (subject_id, version) SELECT subject_id, 1 FROM subjects",
    ]
    for table in ("subjects", "item_values"):
        for verb, row, when in (
            ("insert", "NEW", ""),
            ("update", "NEW", ""),
            ("update_old", "OLD", "WHEN OLD.subject_id IS NOT NEW.subject_id "),
            ("delete", "OLD", ""),
        ):
            statements.append(
                f"CREATE TRIGGER {table}_{verb}_version AFTER {verb.split('_')[0].upper()} "
                f"ON {table} FOR EACH ROW {when}BEGIN INSERT INTO subject_versions "
                f"(subject_id, version) VALUES ({row}.subject_id, 1) ON CONFLICT (subject_id) "
                "DO UPDATE SET version = version + 1; END"
            )
    for statement in statements:
        db.execute(statement)


def migrate(db: sqlite_utils.Database) -> None:
    """Apply every pending migration."""
    migrations.apply(db)


def schema_version(db: sqlite_utils.Database) -> list[str]:
    return [m.name for m in migrations.applied(db)]
