"""Queries on the server through HTTP (real uvicorn, SQLite and PostgreSQL): answers carried by
change sets, the monitor's close and reopen, and what an answer must never do to an upload."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from sync.client import ChangeSetRefused, SyncClient
from sync.server.feed import verify_ledger
from sync.server.registry import issue_token
from tests.sync.sync_support import ADMIN, FAST, enrol_device


def _client(http, identity) -> SyncClient:
    return SyncClient("http://unused", identity, http=http, retry=FAST)


#: Where the queries are: the item the test entries change (``make_entry``'s defaults).
_PLACE = {"event": "V1", "event_repeat": 1, "form": "LAB", "item_group": "HEM", "group_repeat": 1}
_PLACE["item"] = "ALT"


def _open(http, site: str = "101", **target) -> dict:
    body = {"subject": "S-001", **_PLACE, "text": "Confirm ALT", "opened_by": "m1", **target}
    response = http.post(f"/v1/sites/{site}/queries", headers=ADMIN, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _answer(store, query_id, text: str = "confirmed", *, detail: str | None = None) -> None:
    store.add(
        1,
        action="query.answer",
        item="ALT",
        new=text,
        base_rev=None,
        detail=json.dumps({"query_id": query_id}) if detail is None else detail,
    )


def _queries(http, status: str | None = None) -> list[dict]:
    suffix = f"?status={status}" if status else ""
    return http.get(f"/v1/sites/101/queries{suffix}", headers=ADMIN).json()["queries"]


def _move(http, query_id, verb: str, site: str = "101", **body):
    payload = {"text": "ok", "by": "m1", **body}
    return http.post(f"/v1/sites/{site}/queries/{query_id}/{verb}", headers=ADMIN, json=payload)


def _error_code(response) -> str:
    assert set(response.json()) == {"error"}
    return str(response.json()["error"]["code"])


def test_an_answer_in_a_change_set_marks_the_query_answered_on_every_device(http, database) -> None:
    ident_a, store_a = enrol_device(http, database, "nurse-pc")
    ident_b, store_b = enrol_device(http, database, "tablet")
    query = _open(http)
    _answer(store_a, query["id"], "ALT 410 confirmed")
    with _client(http, ident_a) as a, _client(http, ident_b) as b:
        assert a.sync_round(store_a).uploaded_entries == 1
        b.sync_round(store_b)
    (on_server,) = _queries(http, "answered")
    assert on_server["answers"] == [
        {
            "text": "ALT 410 confirmed",
            "by": "nurse1",
            "role": "nurse",
            "at": store_a.entries[0]["ts"],
            "device": "nurse-pc",
            "seq": 1,
        }
    ]
    assert _queries(http, "open") == []
    assert store_b.queries[query["id"]] == on_server
    assert store_a.queries[query["id"]] == on_server  # the answering device gets it back too
    assert [r["entry"]["action"] for r in store_b.pulled] == ["query.answer"]


def test_close_and_reopen_reach_the_devices_and_are_kept_in_history(http, database) -> None:
    ident, store = enrol_device(http, database, "nurse-pc")
    query = _open(http)
    closed = _move(http, query["id"], "close", text="resolved at visit", by="monitor.li")
    assert closed.status_code == 200, closed.text
    assert _error_code(_move(http, query["id"], "close")) == "query_state"
    with _client(http, ident) as client:
        client.sync_round(store)
    held = store.queries[query["id"]]
    assert (held["status"], held["close_text"], held["closed_by"]) == (
        "closed",
        "resolved at visit",
        "monitor.li",
    )
    assert _queries(http, "closed")[0]["closed_at"]
    reopened = _move(http, query["id"], "reopen", text="one more question")
    assert reopened.json()["status"] == "open"
    assert reopened.json()["closed_at"] is None
    assert _error_code(_move(http, query["id"], "reopen")) == "query_state"
    with _client(http, ident) as client:
        assert client.sync_round(store).pulled_queries == 1
    held = store.queries[query["id"]]
    assert held["status"] == "open"
    assert [(h["status"], h["text"]) for h in held["history"]] == [
        ("closed", "resolved at visit"),
        ("open", "one more question"),
    ]


def test_answers_to_unknown_or_closed_queries_never_break_the_upload(http, database) -> None:
    ident, store = enrol_device(http, database, "nurse-pc")
    issue_token(database, "202", ttl=timedelta(hours=1))
    other_sites = _open(http, site="202")
    query = _open(http)
    _move(http, query["id"], "close")
    _answer(store, query["id"], "late answer")
    _answer(store, 999_999)
    _answer(store, other_sites["id"])  # a query of another site is not this device's
    with _client(http, ident) as client:
        result = client.sync_round(store)
    assert (result.uploaded_entries, store.ack) == (3, 3)
    (closed,) = _queries(http)
    assert closed["status"] == "closed"
    assert [a["text"] for a in closed["answers"]] == ["late answer"]
    other = http.get("/v1/sites/202/queries", headers=ADMIN).json()["queries"]
    assert (other[0]["status"], other[0]["answers"]) == ("open", [])
    assert verify_ledger(database).problem is None
    lines = http.get("/v1/sites/101/audit", headers=ADMIN).text.splitlines()
    assert len(lines) == 3  # every answer entry is stored


def test_answers_that_name_no_query_are_refused_by_the_entry_schema(http, database) -> None:
    """An answer must name its query: the shared entry schema refuses one whose detail does not
    (a device could not tell which query it answers either), and nothing of the set is kept."""
    issue_token(database, "101", ttl=timedelta(hours=1))
    query = _open(http)
    for detail in ("not json", json.dumps({"query_id": 10**30}), json.dumps({"query_id": True})):
        ident, store = enrol_device(http, database, f"pc-{len(detail)}")
        _answer(store, query["id"], detail=detail)
        with _client(http, ident) as client, pytest.raises(ChangeSetRefused) as refused:
            client.sync_round(store)
        assert refused.value.code == "schema"
        assert "query_id" in str(refused.value)
        assert store.ack == 0
    (still,) = _queries(http)
    assert still["answers"] == []


def test_conflict_queries_are_closed_by_resolution_not_by_the_monitor(http, database) -> None:
    ident_a, store_a = enrol_device(http, database, "nurse-pc")
    ident_b, store_b = enrol_device(http, database, "tablet")
    store_a.add(1, item="ALT", new="40", base_rev=0)
    store_b.add(1, item="ALT", new="45", base_rev=0)
    with _client(http, ident_a) as a, _client(http, ident_b) as b:
        a.sync_round(store_a)
        b.sync_round(store_b)
    (conflict,) = _queries(http, "open")
    refused = _move(http, conflict["id"], "close")
    assert (refused.status_code, _error_code(refused)) == (409, "conflict_query")
    _answer(store_b, conflict["id"], "the lab report says 45")
    with _client(http, ident_b) as b:
        b.sync_round(store_b)
    (still,) = _queries(http, "open")  # an answer is kept but settles nothing
    assert [a["text"] for a in still["answers"]] == ["the lab report says 45"]
    assert store_b.queries[conflict["id"]]["status"] == "open"


def test_monitor_query_endpoints_refuse_what_they_should(http, database) -> None:
    issue_token(database, "101", ttl=timedelta(hours=1))
    query = _open(http)
    missing = _move(http, query["id"] + 50, "close")
    assert (missing.status_code, _error_code(missing)) == (404, "query_not_found")
    wrong_site = _move(http, query["id"], "close", site="202")
    assert (wrong_site.status_code, _error_code(wrong_site)) == (404, "query_not_found")
    path = f"/v1/sites/101/queries/{query['id']}/close"
    unsigned = http.post(path, json={"text": "x", "by": "m"})
    assert (unsigned.status_code, _error_code(unsigned)) == (401, "unauthorized")
    for body in ({"text": "", "by": "m"}, {"text": "x"}, {"text": "x", "by": "m", "extra": 1}):
        response = http.post(path, headers=ADMIN, json=body)
        assert (response.status_code, _error_code(response)) == (422, "schema")
    huge = http.post("/v1/sites/101/queries/99999999999999999999/close", headers=ADMIN, json={})
    assert huge.status_code == 422
    assert _queries(http)[0]["status"] == "open"
    assert http.get("/v1/sites/101/queries?status=pending", headers=ADMIN).status_code == 422
