"""Migration m002: queries kept as JSON under ``sync_state`` keys move into the ``queries``
table. A site made with the old schema, with queries of every sort, shows the same queries
once migrated, and sync carries on from there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop_crf.services.queries import Query, close_query, server_queries
from desktop_crf.services.sync_overview import subject_sync_counts
from desktop_crf.services.sync_store import SiteSyncStore
from desktop_crf.store import repository as repo
from desktop_crf.store.database import transaction
from desktop_crf.store.schema import schema_version
from tests.helpers.sites import code_of_an_older_version, login, make_site

PLACE = {
    "event": "SE.W0",
    "event_repeat": 1,
    "form": "F.LAB_VIRO",
    "item_group": "IG.V",
    "group_repeat": 1,
    "item": "I.ALT",
}


def _old_records(subject: str, device: str) -> dict[str, dict[str, Any]]:
    """Queries as the old schema kept them, under their keys (as the server sent them: no
    ``closed_*`` fields on a query never closed, none of ``answers`` on a conflict)."""
    answered = {
        "id": 7,
        "site": "NB02",
        "subject": subject,
        **PLACE,
        "kind": "monitor",
        "status": "answered",
        "opened_at": "2026-10-02T08:00:00.000000Z",
        "opened_by": "monitor.li",
        "text": "Please confirm ALT.",
        "values": [],
        "answers": [
            {"text": "Confirmed.", "by": "nurse", "role": "nurse", "at": "t", "device": device}
            | {"seq": 4}
        ],
        "history": [],
    }
    conflict = {
        "id": 9,
        "site": "NB02",
        "subject": subject,
        **PLACE,
        "kind": "conflict",
        "status": "open",
        "opened_at": "2026-10-03T08:00:00.000000Z",
        "opened_by": "server",
        "text": "Two devices changed I.ALT …",
        "values": [{}, {"value": "44", "unit": "U/L", "device": "NB02-TABLET", "seq": 3}],
    }
    pending = {
        "id": None,
        "site": "NB02",
        "subject": subject,
        **dict.fromkeys(PLACE),
        "kind": "monitor",
        "status": "open",
        "opened_at": "2026-10-04T08:00:00.000000Z",
        "opened_by": "monitor",
        "text": "Consent version missing.",
        "values": [],
        "answers": [],
        "history": [],
        "origin": {"device": device, "seq": 12},
    }
    return {"query:7": answered, "query:9": conflict, f"query:local:{device}:12": pending}


@pytest.fixture
def old_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str, dict]:
    """A site made, used and left with the schema before m002."""
    with code_of_an_older_version(monkeypatch, stop_before="m002_queries"):
        root = tmp_path / "site"
        make_site(root)
        nurse = login(root, "nurse")
        try:
            assert schema_version(nurse.db) == ["m001_initial"]
            # the subject as that schema stored it (today's services write later columns too)
            subject_id = f"{nurse.site.device}-0001"
            records = _old_records(subject_id, nurse.site.device)
            with transaction(nurse.db):
                nurse.db.execute(
                    "INSERT INTO subjects (subject_id, study_id, study_version, status, "
                    "screened_on, updated_at) VALUES (?, ?, '1.0', 'screening', ?, ?)",
                    [subject_id, nurse.site.study_id, "2026-10-01", "2026-10-01T08:00:00Z"],
                )
                for key, record in records.items():
                    repo.set_sync_state(nurse.db, key, json.dumps(record))
                repo.set_sync_state(nurse.db, "query:unreadable", "{not json")
                repo.set_sync_state(nurse.db, "quarantine:000000000001", '{"id": "x"}')
                repo.set_sync_state(nurse.db, "acked_seq", "3")
        finally:
            nurse.close()
    return root, subject_id, records


def test_a_site_with_the_old_schema_shows_the_same_queries_once_migrated(old_site) -> None:
    root, subject, records = old_site
    monitor = login(root, "monitor")  # opening the site applies m002
    try:
        assert schema_version(monitor.db)[:2] == ["m001_initial", "m002_queries"]
        expected = [Query.from_record(records[k]) for k in records]
        assert server_queries(monitor) == expected
        assert server_queries(monitor, subject) == expected
        left = monitor.db.execute("SELECT key FROM sync_state ORDER BY key").fetchall()
        # an unreadable record is left where it was; nothing else of sync_state moves
        assert [k for (k,) in left if k.startswith("query")] == ["query:unreadable"]
        assert {"acked_seq", "quarantine:000000000001"} <= {k for (k,) in left}
        # per-subject counts are SQL over the new table: the open conflict and pending query
        assert subject_sync_counts(monitor)[subject].open_queries == 2
        close_query(monitor, 7, "Thank you.")
        assert server_queries(monitor)[0].status == "closed"
    finally:
        monitor.close()


def test_the_servers_copy_replaces_a_migrated_pending_query(old_site) -> None:
    root, _, records = old_site
    nurse = login(root, "nurse")
    try:
        pending = next(r for r in records.values() if r["id"] is None)
        store = SiteSyncStore(nurse)
        store.apply_pulled([{"kind": "query", "query": {**pending, "id": 41}}], 1)
        assert [q.id for q in server_queries(nurse)] == [7, 9, 41]
        assert nurse.db.execute("SELECT count(*) FROM queries WHERE id IS NULL").fetchone() == (0,)
    finally:
        nurse.close()


def test_a_new_site_starts_with_an_empty_queries_table(tmp_path: Path) -> None:
    make_site(tmp_path / "new")
    nurse = login(tmp_path / "new", "nurse")
    try:
        assert schema_version(nurse.db)[:2] == ["m001_initial", "m002_queries"]
        assert server_queries(nurse) == []
    finally:
        nurse.close()
