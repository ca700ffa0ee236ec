"""The server through HTTP on a real uvicorn, on SQLite and on PostgreSQL, with the real client."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest

from sync.authorship import UserSigner
from sync.changeset import build_changesets, parse_envelope
from sync.client import ChangeSetRefused, DeviceRevoked, SyncClient, SyncRefused, enrol
from sync.server.feed import verify_ledger
from sync.server.registry import issue_token, revoke
from tests.sync.sync_support import ADMIN, FAST, enrol_device, make_entries, new_key, rechain

ADMIN_KEY = UserSigner.generate("admin")


def _client(http, identity) -> SyncClient:
    return SyncClient("http://unused", identity, http=http, retry=FAST)


def drop_append_only_guards(tx) -> None:
    if tx.dialect == "sqlite":
        for name in ("changesets_no_update", "changesets_no_delete", "feed_no_update"):
            tx.execute(f"DROP TRIGGER {name}")
    else:
        tx.execute("DROP TRIGGER changesets_append_only ON changesets")
        tx.execute("DROP TRIGGER feed_append_only ON feed")


def _count_entries(database) -> int:
    with database.transaction() as tx:
        row = tx.one("SELECT COUNT(*) FROM feed WHERE kind = 'entry'")
    return int(row[0])


def _put(http, signed, body=None):
    return http.put(f"/v1/changesets/{signed.id}", content=body or signed.envelope())


def _assert_error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]


def test_upload_in_sets_of_2000_and_pull_by_cursor(http, database) -> None:
    ident_a, store_a = enrol_device(http, database, "nurse-pc")
    ident_b, store_b = enrol_device(http, database, "tablet")
    store_a.add(4203)
    with _client(http, ident_a) as client:
        result = client.sync_round(store_a)
    assert (result.uploaded_entries, result.uploaded_sets) == (4203, 3)
    assert store_a.ack == 4203
    assert len(store_a.receipts) == 3
    with _client(http, ident_b) as client:
        result = client.sync_round(store_b)
    assert result.pulled_entries == 4203
    assert [r["entry"]["seq"] for r in store_b.pulled] == list(range(1, 4204))
    assert all(r["outcome"] == "applied" for r in store_b.pulled)
    with _client(http, ident_a) as client:  # its own entries never come back
        assert client.sync_round(store_a).pulled_entries == 0
    with _client(http, ident_b) as client:  # a second pull brings nothing again
        assert client.sync_round(store_b).pulled_entries == 0
    assert store_b.cursor > 0
    assert _count_entries(database) == 4203


def test_same_set_twice_is_stored_once_with_the_same_receipt(http, database) -> None:
    ident, _ = enrol_device(http, database, "nurse-pc")
    (signed,) = build_changesets(
        make_entries("nurse-pc", 5),
        study="PEG-HCC",
        site="101",
        private_key=ident.private_key,
        created_at="t",
    )
    first, second = _put(http, signed), _put(http, signed)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["receipt"] == second.json()["receipt"]
    assert _count_entries(database) == 5


def test_gap_and_overlap_answer_with_the_servers_last_sequence(http, database) -> None:
    ident, _ = enrol_device(http, database, "nurse-pc")
    entries = make_entries("nurse-pc", 30)
    sets = build_changesets(
        entries,
        study="PEG-HCC",
        site="101",
        private_key=ident.private_key,
        created_at="t",
        max_entries=10,
    )
    _assert_error(_put(http, sets[1]), 409, "sequence_gap")
    assert _put(http, sets[1]).json()["error"]["details"]["last_seq"] == 0
    assert _put(http, sets[0]).status_code == 201
    (again,) = build_changesets(
        entries[:10],
        study="PEG-HCC",
        site="101",
        private_key=ident.private_key,
        created_at="other time",
    )
    response = _put(http, again)
    _assert_error(response, 409, "sequence_overlap")
    assert response.json()["error"]["details"]["last_seq"] == 10


def _tamper_value(obj, sig):
    obj["changeset"]["entries"][2]["new"] = "999"


def _tamper_seq(obj, sig):
    obj["changeset"]["seq_from"] += 1
    obj["changeset"]["seq_to"] += 1


def _tamper_signature(obj, sig):
    raw = bytearray(base64.b64decode(obj["signature"]))
    raw[5] ^= 0xFF
    obj["signature"] = base64.b64encode(bytes(raw)).decode()


def _tamper_device(obj, sig):
    obj["changeset"]["device"] = "tablet"
    for entry in obj["changeset"]["entries"]:
        entry["device"] = "tablet"


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        (_tamper_value, "bad_signature"),
        (_tamper_seq, "bad_signature"),
        (_tamper_signature, "bad_signature"),
        (_tamper_device, "bad_signature"),
    ],
)
def test_altered_sets_are_refused_and_nothing_is_stored(http, database, tamper, code) -> None:
    ident, _ = enrol_device(http, database, "nurse-pc")
    enrol_device(http, database, "tablet")
    (signed,) = build_changesets(
        make_entries("nurse-pc", 5),
        study="PEG-HCC",
        site="101",
        private_key=ident.private_key,
        created_at="t",
    )
    envelope = json.loads(signed.envelope())
    tamper(envelope, None)
    body = json.dumps(envelope).encode()
    obj, _ = parse_envelope(body)
    import rfc8785

    from sync.canonical import sha256_hex

    new_id = sha256_hex(rfc8785.dumps(obj))
    _assert_error(http.put(f"/v1/changesets/{new_id}", content=body), 422, code)
    # the altered body under the original id is refused too
    expected = code if new_id == signed.id else "id_mismatch"
    _assert_error(http.put(f"/v1/changesets/{signed.id}", content=body), 422, expected)
    assert _count_entries(database) == 0


def test_a_chain_that_does_not_continue_the_stored_one_is_refused(http, database) -> None:
    ident, _ = enrol_device(http, database, "nurse-pc")
    entries = make_entries("nurse-pc", 10)
    key = ident.private_key
    (head,) = build_changesets(
        entries[:5], study="PEG-HCC", site="101", private_key=key, created_at="t"
    )
    assert _put(http, head).status_code == 201
    forged = rechain(entries[5:], prev_hash="ab" * 32)
    (tail,) = build_changesets(forged, study="PEG-HCC", site="101", private_key=key, created_at="t")
    _assert_error(_put(http, tail), 422, "chain_break")
    assert _count_entries(database) == 5


def test_revoked_device_is_refused_uploads_and_reads(http, database) -> None:
    ident, store = enrol_device(http, database, "nurse-pc")
    store.add(3)
    (signed,) = build_changesets(
        store.entries, study="PEG-HCC", site="101", private_key=ident.private_key, created_at="t"
    )
    assert _put(http, signed).status_code == 201
    revoke(database, "nurse-pc")
    _assert_error(_put(http, signed), 403, "device_revoked")  # replay
    store.add(2)
    with _client(http, ident) as client, pytest.raises(DeviceRevoked):
        client.sync_round(store)
    assert _count_entries(database) == 3


def _enrol_pc1(http, token, key) -> None:
    enrol("http://x", token=token, device="pc-1", study="PEG-HCC", private_key=key,
          admin=ADMIN_KEY, http=http)  # fmt: skip


def test_enrolment_token_single_use_and_expiring(http, database) -> None:
    token = issue_token(database, "101", ttl=timedelta(hours=1))
    key = new_key()
    enrol(
        "http://x",
        token=token,
        device="pc-1",
        study="PEG-HCC",
        private_key=key,
        admin=ADMIN_KEY,
        http=http,
    )
    # the same enrolment again (a lost answer) is answered the same
    enrol(
        "http://x",
        token=token,
        device="pc-1",
        study="PEG-HCC",
        private_key=key,
        admin=ADMIN_KEY,
        http=http,
    )
    with pytest.raises(SyncRefused) as used:
        enrol(
            "http://x",
            token=token,
            device="pc-2",
            study="PEG-HCC",
            private_key=new_key(),
            admin=ADMIN_KEY,
            http=http,
        )
    assert used.value.code == "token_used"
    expired = issue_token(database, "101", ttl=timedelta(seconds=-1))
    with pytest.raises(SyncRefused) as late:
        enrol(
            "http://x",
            token=expired,
            device="pc-3",
            study="PEG-HCC",
            private_key=new_key(),
            admin=ADMIN_KEY,
            http=http,
        )
    assert late.value.code == "token_expired"
    with pytest.raises(SyncRefused) as unknown:
        enrol(
            "http://x",
            token="crf1-nope",
            device="pc-4",
            study="PEG-HCC",
            private_key=new_key(),
            admin=ADMIN_KEY,
            http=http,
        )
    assert unknown.value.code == "token_invalid"


def test_same_item_from_the_same_base_is_a_conflict_with_both_values(http, database) -> None:
    ident_a, store_a = enrol_device(http, database, "nurse-pc")
    ident_b, store_b = enrol_device(http, database, "tablet")
    shared = {"item": "ALT", "base_rev": 0}
    store_a.add(1, new="40", **shared)
    store_a.add(1, item="AST", new="33", base_rev=0)
    store_b.add(1, new="45", **shared)
    store_b.add(1, item="ALB", new="38", base_rev=0)
    with _client(http, ident_a) as a, _client(http, ident_b) as b:
        a.sync_round(store_a)
        result = b.sync_round(store_b)
        assert result.conflicts == 1
        a.sync_round(store_a)
    for store in (store_a, store_b):
        (query,) = store.queries.values()
        assert query["kind"] == "conflict"
        assert query["status"] == "open"
        assert query["item"] == "ALT"
        assert {v["value"] for v in query["values"]} == {"40", "45"}
    outcomes = {r["entry"]["item"]: r["outcome"] for r in store_a.pulled}
    assert outcomes == {"ALT": "conflict", "ALB": "applied"}
    on_server = http.get("/v1/sites/101/queries?status=open", headers=ADMIN).json()["queries"]
    assert [q["item"] for q in on_server] == ["ALT"]
    # resolution: a new change with a reason closes the conflict
    store_a.add(1, action="conflict.resolve", item="ALT", new="45", reason="source document")
    with _client(http, ident_a) as a, _client(http, ident_b) as b:
        a.sync_round(store_a)
        b.sync_round(store_b)
    (query,) = store_b.queries.values()
    assert query["status"] == "closed"
    assert query["resolution"]["value"] == "45"
    assert http.get("/v1/sites/101/queries?status=open", headers=ADMIN).json()["queries"] == []
    with database.transaction() as tx:
        rows = dict(tx.all("SELECT path, value FROM items WHERE path LIKE '%ALT%'"))
    assert list(rows.values()) == ["45"]


def test_same_value_from_two_devices_is_a_duplicate_not_a_conflict(http, database) -> None:
    ident_a, store_a = enrol_device(http, database, "nurse-pc")
    ident_b, store_b = enrol_device(http, database, "tablet")
    store_a.add(1, item="WT", new="61.5", base_rev=0)
    store_b.add(1, item="WT", new="61.5", base_rev=0)
    with _client(http, ident_a) as a, _client(http, ident_b) as b:
        a.sync_round(store_a)
        assert b.sync_round(store_b).conflicts == 0
        a.sync_round(store_a)
    assert store_a.pulled[0]["outcome"] == "duplicate"
    assert not store_a.queries


def test_monitor_query_reaches_the_sites_devices(http, database) -> None:
    ident, store = enrol_device(http, database, "nurse-pc")
    response = http.post(
        "/v1/sites/101/queries",
        headers=ADMIN,
        json={
            "subject": "S-001",
            "event": "V1",
            "form": "LAB",
            "item_group": "HEM",
            "item": "ALT",
            "text": "Please confirm ALT",
            "opened_by": "monitor1",
        },
    )
    assert response.status_code == 201
    _assert_error(http.post("/v1/sites/101/queries", json={}), 401, "unauthorized")
    with _client(http, ident) as client:
        assert client.sync_round(store).pulled_queries == 1
    (query,) = store.queries.values()
    assert (query["text"], query["kind"]) == ("Please confirm ALT", "monitor")


def test_export_and_verify(http, database) -> None:
    ident, store = enrol_device(http, database, "nurse-pc")
    store.add(12)
    with _client(http, ident) as client:
        client.upload(store)
    lines = http.get("/v1/sites/101/audit", headers=ADMIN).text.splitlines()
    assert [json.loads(line)["seq"] for line in lines] == list(range(1, 13))
    assert json.loads(lines[0])["hash"] == store.entries[0]["hash"]
    report = http.get("/v1/sites/101/verify", headers=ADMIN).json()
    assert report["ok"]
    assert report["devices"][0]["entries"] == 12
    tamper = 'UPDATE feed SET body = replace(body, \'"new":"3"\', \'"new":"4"\')'
    with pytest.raises(Exception, match="append-only"), database.transaction() as tx:
        tx.execute(tamper)
    with database.transaction() as tx:  # someone with database access drops the guard
        drop_append_only_guards(tx)
        tx.execute(tamper)
    problem = verify_ledger(database).problem
    assert problem is not None
    assert "nurse-pc" in problem


def test_reads_need_a_valid_device_signature(http, database) -> None:
    ident, _ = enrol_device(http, database, "nurse-pc")
    _assert_error(http.get("/v1/devices/nurse-pc"), 401, "unauthorized")
    other, _ = enrol_device(http, database, "tablet", site="202")
    with _client(http, other) as client, pytest.raises(SyncRefused) as refused:
        client._get("/v1/sites/101/feed?after=0")
    assert refused.value.code == "forbidden"
    with _client(http, ident) as client:
        assert client.device_state()["last_seq"] == 0


def test_quarantine_keeps_a_refused_set(http, database) -> None:
    ident, store = enrol_device(http, database, "nurse-pc")
    store.add(3)
    store.entries[1]["new"] = "edited behind the chain's back"  # hash no longer matches
    with _client(http, ident) as client, pytest.raises(ChangeSetRefused) as refused:
        client.upload(store)
    assert refused.value.code == "chain_break"
    assert store.quarantined
    assert store.quarantined[0][1] == "chain_break"
    assert store.ack == 0
    assert _count_entries(database) == 0


def test_lost_receipts_are_fetched_and_recorded(http, database) -> None:
    ident, store = enrol_device(http, database, "nurse-pc")
    store.add(25)
    sets = build_changesets(
        store.entries[:20],
        study="PEG-HCC",
        site="101",
        private_key=ident.private_key,
        created_at="t",
        max_entries=10,
    )
    for signed in sets:  # uploaded, but the device never saw the answers
        assert _put(http, signed).status_code == 201
    with _client(http, ident) as client:
        result = client.upload(store)
    assert result.uploaded_entries == 5
    assert {s.id for s in sets} <= set(store.receipts)
    assert store.ack == 25
    assert _count_entries(database) == 25


def test_every_error_has_the_one_shape(http) -> None:
    _assert_error(http.get("/v1/nothing"), 404, "not_found")
    _assert_error(http.post("/v1/health"), 405, "method_not_allowed")
    _assert_error(http.put("/v1/changesets/xyz", content=b"{}"), 422, "schema")
    _assert_error(http.put("/v1/changesets/" + "0" * 64, content=b"{not json"), 422, "schema")
    _assert_error(http.post("/v1/enrolments", content=b"[]"), 422, "schema")
    _assert_error(http.get("/v1/sites/101/audit"), 401, "unauthorized")


def test_the_pull_cursor_moves_past_the_devices_own_entries(http, database) -> None:
    ident_a, store_a = enrol_device(http, database, "nurse-pc")
    ident_b, store_b = enrol_device(http, database, "tablet")
    store_a.add(30)
    with _client(http, ident_a) as client:
        client.sync_round(store_a)
    assert store_a.pulled == []
    assert store_a.cursor >= 30  # nothing to apply, but the next pull starts after them
    store_b.add(2)
    with _client(http, ident_b) as b, _client(http, ident_a) as a:
        b.sync_round(store_b)
        assert a.sync_round(store_a).pulled_entries == 2
    assert [r["entry"]["device"] for r in store_a.pulled] == ["tablet", "tablet"]
