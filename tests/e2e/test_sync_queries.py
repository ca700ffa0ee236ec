"""A monitor's query on real encrypted sites through a real server, on SQLite and PostgreSQL:
opened on the server, pulled, answered at the site, synced, closed by the monitor, pulled."""

from __future__ import annotations

import json

import httpx
import pytest

from desktop_crf.errors import PermissionDenied
from desktop_crf.services import site
from desktop_crf.services import sync as sync_service
from desktop_crf.services.queries import (
    AnswerRequired,
    Query,
    QueryClosed,
    QueryNotFound,
    answer_query,
    server_queries,
)
from desktop_crf.services.subjects import screen_subject
from desktop_crf.services.sync_store import SiteSyncStore
from sync.client import SyncClient
from sync.server.app import create_app
from sync.server.settings import ServerSettings
from tests.helpers.enrolled import FAST, enrolled_devices
from tests.helpers.sites import login
from tests.sync.servers import ThreadServer
from tests.sync.sync_support import ADMIN

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(database, tmp_path):
    settings = ServerSettings(data_dir=tmp_path / "server", admin_token="admin-secret")
    with (
        ThreadServer(create_app(settings, db=database)) as live,
        httpx.Client(base_url=live.url, headers=ADMIN, timeout=30) as monitor,
    ):
        yield live, database, monitor


@pytest.fixture
def devices(server, tmp_path):
    live, db, _ = server
    with enrolled_devices(tmp_path, live.url, db) as sessions:
        yield sessions


def _sync(session):
    return sync_service.sync_now(session, retry=FAST)


def _open_query(monitor: httpx.Client, subject: str) -> dict:
    response = monitor.post(
        "/v1/sites/NB02/queries",
        json={
            "subject": subject,
            "event": "SE.W0",
            "event_repeat": 1,
            "form": "F.LAB_VIRO",
            "item_group": "IG.V",
            "group_repeat": 1,
            "item": "I.ALT",
            "text": "ALT 410 U/L: please confirm against the lab report.",
            "opened_by": "monitor.li",
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def _on_server(monitor: httpx.Client, query_id: int) -> dict:
    (query,) = monitor.get("/v1/sites/NB02/queries").json()["queries"]
    assert query["id"] == query_id
    return query


def _local(session, query_id: int) -> Query:
    (query,) = [q for q in server_queries(session) if q.id == query_id]
    return query


def test_monitor_query_answered_at_the_site_and_closed_by_the_monitor(devices, server) -> None:
    pc, tablet = devices
    _, _, monitor = server
    subject = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
    query_id = _open_query(monitor, subject)["id"]
    assert _sync(pc).pulled_queries == 1
    assert _local(pc, query_id).status == "open"
    assert sync_service.sync_status(pc).open_queries == 1

    changes = answer_query(pc, query_id, "  Confirmed: the lab report says 410 U/L.  ")
    assert (changes.subject_id, changes.items, changes.kind) == (subject, ("I.ALT",), "query")
    mine = _local(pc, query_id)
    assert mine.status == "answered"
    assert [a.text for a in mine.answers] == ["Confirmed: the lab report says 410 U/L."]
    assert sync_service.sync_status(pc).open_queries == 0
    entry = pc.db.execute(
        "SELECT subject, event, form, item, new, detail FROM audit WHERE action = 'query.answer'"
    ).fetchone()
    assert entry[:5] == (subject, "SE.W0", "F.LAB_VIRO", "I.ALT", mine.answers[0].text)
    assert json.loads(entry[5]) == {"query_id": query_id}

    assert _sync(pc).uploaded_entries == 1  # the answer goes up like any other change
    on_server = _on_server(monitor, query_id)
    assert on_server["status"] == "answered"
    (answer,) = on_server["answers"]
    assert answer["text"] == "Confirmed: the lab report says 410 U/L."
    assert (answer["by"], answer["device"]) == ("nurse", pc.site.device)
    answered = monitor.get("/v1/sites/NB02/queries?status=answered").json()["queries"]
    assert [q["id"] for q in answered] == [query_id]
    _sync(tablet)  # the other device of the site sees the answer too
    assert _local(tablet, query_id).status == "answered"
    assert _local(tablet, query_id).answers[0].text == answer["text"]
    # the device now holds the server's copy
    assert _local(pc, query_id) == Query.from_record(on_server)

    closed = monitor.post(
        f"/v1/sites/NB02/queries/{query_id}/close",
        json={"text": "Thank you, resolved.", "by": "monitor.li"},
    )
    assert closed.status_code == 200, closed.text
    assert (closed.json()["status"], closed.json()["closed_by"]) == ("closed", "monitor.li")
    for session in (pc, tablet):
        _sync(session)
        query = _local(session, query_id)
        assert (query.status, query.close_text) == ("closed", "Thank you, resolved.")
    with pytest.raises(QueryClosed):
        answer_query(tablet, query_id, "one more thing")

    reopened = monitor.post(
        f"/v1/sites/NB02/queries/{query_id}/reopen",
        json={"text": "Please also attach the report date.", "by": "monitor.li"},
    )
    assert reopened.json()["status"] == "open"
    _sync(tablet)
    answer_query(tablet, query_id, "Report dated 2026-10-02.")
    _sync(tablet)
    final = _on_server(monitor, query_id)
    assert final["status"] == "answered"
    assert [a["device"] for a in final["answers"]] == [pc.site.device, tablet.site.device]
    assert [h["status"] for h in final["history"]] == ["closed", "open"]


def test_an_answer_made_offline_survives_the_monitor_closing_meanwhile(devices, server) -> None:
    pc, _ = devices
    _, _, monitor = server
    subject = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
    query_id = _open_query(monitor, subject)["id"]
    _sync(pc)
    answer_query(pc, query_id, "Checked, value is right.")
    monitor.post(
        f"/v1/sites/NB02/queries/{query_id}/close", json={"text": "Not needed.", "by": "m"}
    )
    # a pull alone (no upload) brings the closed query without this device's pending answer
    plan = sync_service.plan_round(pc)
    with SyncClient(plan.server_url, plan.identity, retry=FAST) as client:
        client.pull(SiteSyncStore(pc))
    held = _local(pc, query_id)
    assert held.status == "closed"
    assert [a.text for a in held.answers] == ["Checked, value is right."]
    # the late answer is stored and kept on the closed query; the upload is not refused
    assert _sync(pc).uploaded_entries == 1
    on_server = _on_server(monitor, query_id)
    assert on_server["status"] == "closed"
    assert [a["text"] for a in on_server["answers"]] == ["Checked, value is right."]
    assert _local(pc, query_id) == Query.from_record(on_server)


def test_who_may_answer_and_what_an_answer_needs(devices, server, tmp_path) -> None:
    pc, _ = devices
    _, _, monitor = server
    subject = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
    query_id = _open_query(monitor, subject)["id"]
    _sync(pc)
    for text in ("", "   \n"):
        with pytest.raises(AnswerRequired):
            answer_query(pc, query_id, text)
    with pytest.raises(QueryNotFound):
        answer_query(pc, query_id + 1000, "an answer")
    patient = site.open_patient_session(pc, subject)
    with pytest.raises(PermissionDenied):
        answer_query(patient, query_id, "an answer")
    answers = "SELECT count(*) FROM audit WHERE action = 'query.answer'"
    assert pc.db.execute(answers).fetchone()[0] == 0
    assert _local(pc, query_id).status == "open"
    pc.close()
    for role in ("monitor", "admin"):
        session = login(tmp_path / "pc", role)
        try:
            with pytest.raises(PermissionDenied):
                answer_query(session, query_id, "an answer")
        finally:
            session.close()
    investigator = login(tmp_path / "pc", "investigator")
    try:
        answer_query(investigator, query_id, "Confirmed by the investigator.")
        assert _local(investigator, query_id).answers[0].by == "investigator"
    finally:
        investigator.close()
