"""Queries a monitor raises, closes and reopens from the site's app: audit entries in change sets,
projected by the server (real uvicorn, SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from sync.changeset import build_changesets
from sync.client import ChangeSetRefused, SyncClient
from sync.server.feed import verify_ledger
from sync.server.queries import project_queries
from sync.server.registry import issue_token
from tests.sync.sync_support import ADMIN, FAST, enrol_device

MONITOR = {"role": "monitor", "user": "monitor.li"}


def _client(http, identity) -> SyncClient:
    return SyncClient("http://unused", identity, http=http, retry=FAST)


def _raise(store, text: str = "ALT 410 U/L: confirm", **fields) -> dict:
    (entry,) = store.add(
        1,
        action="query.raise",
        item="ALT",
        new=text,
        base_rev=None,
        **{**MONITOR, **fields},
    )
    return entry


def _step(store, action: str, query_id, text: str | None = "ok", **fields) -> dict:
    detail = json.dumps({"query_id": query_id})
    values = {"item": "ALT", "new": text, "base_rev": None, "detail": detail, **MONITOR}
    (entry,) = store.add(1, action=action, **{**values, **fields})
    return entry


def _queries(http, site: str = "101") -> list[dict]:
    return http.get(f"/v1/sites/{site}/queries", headers=ADMIN).json()["queries"]


#: Where the queries are: the item the test entries change (``make_entry``'s defaults).
_PLACE = {"event": "V1", "event_repeat": 1, "form": "LAB", "item_group": "HEM", "group_repeat": 1}
_PLACE["item"] = "ALT"


def _open(http, site: str = "101") -> dict:
    body = {"subject": "S-001", **_PLACE, "text": "Confirm ALT", "opened_by": "m1"}
    response = http.post(f"/v1/sites/{site}/queries", headers=ADMIN, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _feed_queries(database) -> int:
    with database.transaction() as tx:
        row = tx.one("SELECT count(*) FROM feed WHERE kind = 'query'")
    assert row is not None
    return int(row[0])


def test_a_monitors_raise_entry_opens_a_query_that_every_device_pulls(http, database) -> None:
    ident_a, store_a = enrol_device(http, database, "site-pc")
    ident_b, store_b = enrol_device(http, database, "tablet")
    entry = _raise(store_a, event="V1", form="LAB", item_group="HEM")
    with _client(http, ident_a) as a, _client(http, ident_b) as b:
        assert a.sync_round(store_a).uploaded_entries == 1
        b.sync_round(store_b)
    (query,) = _queries(http)
    assert query == {
        "id": query["id"],
        "site": "101",
        "subject": "S-001",
        "event": "V1",
        "event_repeat": 1,
        "form": "LAB",
        "item_group": "HEM",
        "group_repeat": 1,
        "item": "ALT",
        "kind": "monitor",
        "status": "open",
        "opened_at": entry["ts"],
        "opened_by": "monitor.li",
        "text": "ALT 410 U/L: confirm",
        "values": [],
        "answers": [],
        "history": [],
        "closed_at": None,
        "closed_by": None,
        "close_text": None,
        "origin": {"device": "site-pc", "seq": 1},
    }
    assert store_a.queries[query["id"]] == query  # the raising device gets the server's copy
    assert store_b.queries[query["id"]] == query
    assert [r["entry"]["action"] for r in store_b.pulled] == ["query.raise"]


@pytest.mark.parametrize("action", ["query.raise", "query.close", "query.reopen"])
def test_raise_close_and_reopen_from_another_role_are_refused_and_change_nothing(
    http, database, action
) -> None:
    ident, store = enrol_device(http, database, "site-pc")
    query = _open(http)
    nurse = {"role": "nurse", "user": "nurse1"}
    if action == "query.raise":
        _raise(store, **nurse)
    else:
        _step(store, action, query["id"], **nurse)
    with _client(http, ident) as client, pytest.raises(ChangeSetRefused) as refused:
        client.sync_round(store)
    assert refused.value.code == "forbidden_entry"
    assert "a nurse may not raise or close queries" in str(refused.value)
    assert _queries(http) == [query]
    assert http.get("/v1/sites/101/audit", headers=ADMIN).text == ""


def test_close_and_reopen_entries_move_the_query_with_the_entries_time(http, database) -> None:
    ident, store = enrol_device(http, database, "site-pc")
    query = _open(http)
    closing = _step(store, "query.close", query["id"], "Resolved at the visit.")
    with _client(http, ident) as client:
        client.sync_round(store)
    (closed,) = _queries(http)
    assert (closed["status"], closed["closed_at"], closed["closed_by"], closed["close_text"]) == (
        "closed",
        closing["ts"],
        "monitor.li",
        "Resolved at the visit.",
    )
    assert store.queries[query["id"]] == closed
    reopening = _step(store, "query.reopen", query["id"], "Also give the report date.")
    with _client(http, ident) as client:
        client.sync_round(store)
    (reopened,) = _queries(http)
    assert (reopened["status"], reopened["closed_at"], reopened["close_text"]) == (
        "open",
        None,
        None,
    )
    assert reopened["history"] == [
        {
            "status": "closed",
            "by": "monitor.li",
            "at": closing["ts"],
            "text": "Resolved at the visit.",
            "device": "site-pc",
            "seq": 1,
        },
        {
            "status": "open",
            "by": "monitor.li",
            "at": reopening["ts"],
            "text": "Also give the report date.",
            "device": "site-pc",
            "seq": 2,
        },
    ]
    # the admin endpoint and the site's entries move the same query the same way
    response = http.post(
        f"/v1/sites/101/queries/{query['id']}/close", headers=ADMIN, json={"text": "x", "by": "m1"}
    )
    assert response.json()["status"] == "closed"
    assert len(response.json()["history"]) == 3


def test_invalid_moves_never_break_the_upload_and_change_nothing(http, database) -> None:
    ident_a, store_a = enrol_device(http, database, "site-pc")
    ident_b, store_b = enrol_device(http, database, "tablet")
    store_a.add(1, item="ALT", new="40", base_rev=0)
    store_b.add(1, item="ALT", new="45", base_rev=0)
    with _client(http, ident_a) as a, _client(http, ident_b) as b:
        a.sync_round(store_a)
        b.sync_round(store_b)
    (conflict,) = _queries(http)
    issue_token(database, "202", ttl=timedelta(hours=1))
    other_site = _open(http, site="202")
    query = _open(http)
    before = {q["id"]: q for q in _queries(http)}
    _step(store_a, "query.reopen", query["id"])  # open already
    _step(store_a, "query.close", conflict["id"])  # closed only by resolving the value
    _step(store_a, "query.close", other_site["id"])  # not this device's site
    _step(store_a, "query.close", 999_999)
    feed_before = _feed_queries(database)
    with _client(http, ident_a) as a:
        result = a.sync_round(store_a)
    assert (result.uploaded_entries, store_a.ack) == (4, 5)
    assert {q["id"]: q for q in _queries(http)} == before
    assert _queries(http, "202") == [other_site]
    assert _feed_queries(database) == feed_before
    assert verify_ledger(database).problem is None


def test_malformed_query_entries_are_refused_by_the_entry_schema(http, database) -> None:
    """A close without text or without the query it names, or a raise without a subject, does
    not fit the shared entry schema: the set is refused whole and nothing of it is kept."""
    issue_token(database, "101", ttl=timedelta(hours=1))
    query = _open(http)
    malformed = [
        ("query.close", {"detail": "not json"}),
        ("query.close", {"text": None}),
        ("query.close", {"detail": json.dumps({"query_id": 10**30})}),
        ("query.raise", {"subject": None}),
    ]
    for n, (action, fields) in enumerate(malformed):
        ident, store = enrol_device(http, database, f"pc-{n}")
        if action == "query.raise":
            _raise(store, **fields)
        else:
            _step(store, action, query["id"], **fields)
        with _client(http, ident) as client, pytest.raises(ChangeSetRefused) as refused:
            client.sync_round(store)
        assert (refused.value.code, store.ack) == ("schema", 0)
    assert [q["status"] for q in _queries(http)] == ["open"]
    assert verify_ledger(database).problem is None


def test_a_close_in_a_set_that_also_answers_goes_on_the_feed_once_in_its_final_state(
    http, database
) -> None:
    ident, store = enrol_device(http, database, "site-pc")
    ident_b, store_b = enrol_device(http, database, "tablet")
    query = _open(http)
    _step(store, "query.answer", query["id"], "Confirmed.", role="nurse", user="nurse1")
    _step(store, "query.close", query["id"], "Thank you.")
    _step(store, "query.close", query["id"], "Twice.")  # closed already: changes nothing
    _step(store, "query.reopen", query["id"], "One more thing.")
    feed_before = _feed_queries(database)
    with _client(http, ident) as client, _client(http, ident_b) as b:
        client.sync_round(store)
        b.sync_round(store_b)
    assert _feed_queries(database) == feed_before + 1
    (final,) = _queries(http)
    assert final["status"] == "open"
    assert [a["text"] for a in final["answers"]] == ["Confirmed."]
    assert [(h["status"], h["text"]) for h in final["history"]] == [
        ("closed", "Thank you."),
        ("open", "One more thing."),
    ]
    assert store_b.queries[query["id"]] == final


def test_a_resent_set_and_a_second_projection_open_the_query_once(http, database) -> None:
    identity, store = enrol_device(http, database, "site-pc")
    _raise(store)
    (signed,) = build_changesets(
        store.entries,
        study=identity.study,
        site=identity.site,
        private_key=identity.private_key,
        created_at="2026-01-01T00:01:00.000000Z",
    )
    first = http.put(f"/v1/changesets/{signed.id}", content=signed.envelope())
    again = http.put(f"/v1/changesets/{signed.id}", content=signed.envelope())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["receipt"] == first.json()["receipt"]
    (query,) = _queries(http)
    assert query["origin"] == {"device": "site-pc", "seq": 1}
    # the projection itself also refuses to open the same entry's query twice
    with database.transaction() as tx:
        assert project_queries(tx, "101", store.entries, []) == []
    assert _queries(http) == [query]
