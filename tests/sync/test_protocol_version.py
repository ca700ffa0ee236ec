"""Protocol version 2 and app versions: an app of protocol 1, or below the server's minimum,
is told to update on every path, and nothing it sends is stored or set aside; a newer app
stops before sending anything to an older server. A round's first request, the device's state,
names the versions as the health probe does (a server that does not is asked its health). A
real server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync.changeset import build_changesets
from sync.client import DeviceIdentity, ServerUnreachable, SyncClient, UpdateRequired
from sync.entries import timestamp
from sync.protocol import (
    VERSION_FIELDS,
    health_verdict,
    is_older,
    parse_version,
    update_message,
)
from sync.requestauth import sign_request
from sync.server import settings as server_settings
from sync.server.app import create_app
from sync.server.db import SqliteDatabase
from sync.server.settings import ServerSettings
from tests.sync.servers import ThreadServer
from tests.sync.sync_support import ADMIN, FAST, PROTOCOL, enrol_device

#: What an app of protocol 1 sent: no protocol header, its own user agent.
V1 = {"User-Agent": "desktop-crf-sync/1"}


@pytest.fixture
def serve(tmp_path: Path) -> Iterator:
    """Start a real server with the given app versions; return (url, server database)."""
    started: list[tuple[ThreadServer, SqliteDatabase]] = []

    def start(**versions: str) -> tuple[str, SqliteDatabase]:
        folder = tmp_path / f"server{len(started)}"
        db = SqliteDatabase(folder / "server.sqlite3")
        settings = ServerSettings(data_dir=folder, admin_token="admin-secret", **versions)
        live = ThreadServer(create_app(settings, db=db)).__enter__()
        started.append((live, db))
        return live.url, db

    yield start
    for live, db in started:
        live.__exit__(None, None, None)
        db.close()


@pytest.fixture
def enrolled(serve) -> Callable[..., tuple[str, DeviceIdentity, Any]]:
    """A server with the given app versions and a nurse's computer enrolled on it with
    ``changes`` changes waiting; return (url, identity, the computer's outbox)."""

    def make(changes: int = 0, **versions: str) -> tuple[str, DeviceIdentity, Any]:
        url, db = serve(**versions)
        with httpx.Client(base_url=url, headers=PROTOCOL) as http:
            identity, store = enrol_device(http, db, "nurse-pc")
        if changes:
            store.add(changes)
        return url, identity, store

    return make


def _stored(url: str) -> str:
    return httpx.get(f"{url}/v1/sites/101/audit", headers=ADMIN).text


def test_an_app_of_protocol_1_is_told_to_update_everywhere_and_nothing_it_sends_is_kept(
    enrolled,
) -> None:
    url, identity, store = enrolled(5)
    (signed,) = build_changesets(
        store.entries, study="PEG-HCC", site="101", private_key=identity.private_key,
        created_at=timestamp(),
    )  # fmt: skip
    state = f"/v1/devices/{identity.device}"
    with httpx.Client(base_url=url, headers=V1) as old:
        answers = [
            old.get(state, headers=sign_request(identity.private_key, "nurse-pc", "GET", state)),
            old.put(f"/v1/changesets/{signed.id}", content=signed.envelope()),
            old.get("/v1/sites/101/feed?after=0"),
            old.post("/v1/enrolments", json={"token": "crf1-x"}),
            old.get("/v1/sites/101/audit", headers={"Authorization": "Bearer admin-secret"}),
            old.get(state, headers={"X-CRF-Protocol": "1"}),
            old.get(state, headers={"X-CRF-Protocol": "3"}),
        ]
        health = old.get("/v1/health")
    for answer in answers:
        assert answer.status_code == 426, answer.request.url
        error = answer.json()["error"]
        assert error["code"] == "update_required"
        assert "update the app" in error["message"]
        assert "Nothing was lost" in error["message"]
        assert error["details"]["protocol"] == 2
        assert answer.headers["Upgrade"] == "desktop-crf-sync/2"
    assert health.status_code == 200
    assert health.json()["protocol"] == 2
    assert _stored(url) == ""  # the set an old app sent was never stored


def test_health_names_the_protocol_and_the_minimum_and_recommended_app_versions(serve) -> None:
    url, _ = serve(min_app_version="1.2", recommended_app_version="1.4.1")
    health = httpx.get(f"{url}/v1/health").json()
    assert (health["protocol"], health["min_app_version"]) == (2, "1.2")
    assert health["recommended_app_version"] == "1.4.1"
    url, _ = serve()
    health = httpx.get(f"{url}/v1/health").json()
    assert health["min_app_version"] is None
    assert health["recommended_app_version"] is None


def test_a_server_refuses_a_version_that_is_not_one() -> None:
    with pytest.raises(ValueError, match="not a version"):
        ServerSettings(min_app_version="latest")


def test_an_app_below_the_minimum_is_refused_even_past_the_probe_and_keeps_its_changes(
    enrolled,
) -> None:
    url, identity, store = enrolled(7, min_app_version="2.0")
    with SyncClient(url, identity, retry=FAST, app_version="1.9.9") as client:
        with pytest.raises(UpdateRequired, match="update the app") as probed:
            client.probe()
        assert not probed.value.server_outdated
        with pytest.raises(UpdateRequired, match="update the app"):
            client.sync_round(store)  # an app that skipped the probe is refused all the same
    assert (store.ack, store.quarantined) == (0, [])  # nothing set aside: the set is not at fault
    assert _stored(url) == ""
    with SyncClient(url, identity, retry=FAST, app_version="2.0.0") as client:
        client.probe()
        assert client.sync_round(store).uploaded_entries == 7


def test_an_app_below_the_recommended_version_syncs_and_learns_which_version(enrolled) -> None:
    url, identity, store = enrolled(3, min_app_version="1.0", recommended_app_version="1.3")
    with SyncClient(url, identity, retry=FAST, app_version="1.2.7") as client:
        assert client.recommended_update(client.probe()) == "1.3"
        assert client.sync_round(store).uploaded_entries == 3
    with SyncClient(url, identity, retry=FAST, app_version="1.3") as client:
        assert client.recommended_update(client.probe()) is None


@pytest.mark.parametrize(("server", "outdated"), [(1, True), (3, False)])
@pytest.mark.parametrize("asked", ["health", "device's state"])
def test_an_app_and_a_server_of_other_protocols_stop_before_anything_is_sent(
    enrolled, monkeypatch, server, outdated, asked
) -> None:
    """Whether the health or the device's state names the server's protocol."""
    url, identity, _ = enrolled(2)
    monkeypatch.setattr(server_settings, "PROTOCOL_VERSION", server)  # a server of that protocol
    with (
        SyncClient(url, identity, retry=FAST, app_version="0.1.0") as client,
        pytest.raises(UpdateRequired) as refused,
    ):
        client.probe() if asked == "health" else client.start_round()
    assert refused.value.server_outdated is outdated
    assert ("update the server" in str(refused.value)) is outdated
    assert ("update the app" in str(refused.value)) is not outdated
    assert _stored(url) == ""


def test_versions_compare_by_number() -> None:
    assert parse_version("1.10") > parse_version("1.9")
    assert parse_version("2.0.0") == parse_version("2")
    assert is_older("0.9.9", "1.0")
    assert not is_older("1.0", None)
    for text in ("", "v1.2", "1..2", "1.2-beta", "1.2.3.4.5"):
        with pytest.raises(ValueError, match="not a version"):
            parse_version(text)


@pytest.mark.parametrize(
    ("health", "app", "verdict"),
    [
        ({"protocol": 2}, "0.1.0", "current"),
        ({"protocol": 2, "min_app_version": "0.2"}, "0.1.9", "update_required"),
        (
            {"protocol": 2, "min_app_version": "0.1", "recommended_app_version": "0.2"},
            "0.1.5",
            "update_recommended",
        ),
        ({"protocol": 2, "recommended_app_version": "0.2"}, "0.2.0", "current"),
        ({"protocol": 2, "min_app_version": "9.0"}, None, "current"),
        ({"protocol": 1}, "0.1.0", "server_outdated"),
        ({"protocol": 3}, "0.1.0", "update_required"),
        ({}, "0.1.0", "update_required"),
    ],
)
def test_what_the_health_answer_means_for_an_app(health, app, verdict) -> None:
    assert health_verdict(health, app) == verdict


class _Seen(httpx.BaseTransport):
    """The real server, each request noted (method and path); ``strip`` takes those fields
    out of the device's state (a server from before they were there); ``down`` answers the
    first requests with a connection error."""

    def __init__(self, strip: tuple[str, ...] = (), down: int = 0) -> None:
        self.inner = httpx.HTTPTransport()
        self.strip, self.down = strip, down
        self.seen: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(f"{request.method} {request.url.path}")
        if self.down:
            self.down -= 1
            raise httpx.ConnectError("down")
        response = self.inner.handle_request(request)
        if request.url.path.startswith("/v1/devices/") and self.strip:
            state = {k: v for k, v in json.loads(response.read()).items() if k not in self.strip}
            return httpx.Response(response.status_code, json=state)
        return response


def _client(url: str, identity, seen: _Seen, app_version: str) -> SyncClient:
    http = httpx.Client(base_url=url, transport=seen)
    return SyncClient(url, identity, http=http, retry=FAST, app_version=app_version)


def test_a_round_starts_with_the_devices_state_which_names_the_versions(enrolled) -> None:
    url, identity, store = enrolled(3, min_app_version="1.0", recommended_app_version="1.3")
    seen = _Seen()
    with _client(url, identity, seen, "1.2.7") as client:
        state = client.start_round()
        assert (state["protocol"], state["min_app_version"]) == (2, "1.0")
        assert client.recommended_update(state) == "1.3"
        assert client.sync_round(store, state).uploaded_entries == 3
        state = client.start_round()
        assert client.sync_round(store, state).uploaded_entries == 0
    state_path = "GET /v1/devices/nurse-pc"
    assert seen.seen[0] == state_path
    assert seen.seen.count(state_path) == 2  # the upload starts from the state it was given
    assert "GET /v1/health" not in seen.seen
    assert seen.seen[-2:] == [state_path, "GET /v1/sites/101/feed"]  # nothing to send: two


def test_an_app_below_the_minimum_is_stopped_by_the_first_request_with_the_same_message(
    enrolled,
) -> None:
    url, identity, store = enrolled(4, min_app_version="2.0")
    seen = _Seen()
    with _client(url, identity, seen, "1.9.9") as client:
        with pytest.raises(UpdateRequired) as probed:
            client.probe()  # what the app was told when a round began with the probe
        with pytest.raises(UpdateRequired) as started:
            client.start_round()
    assert str(started.value) == str(probed.value) == update_message()
    assert not started.value.server_outdated
    assert seen.seen == ["GET /v1/health", "GET /v1/devices/nurse-pc"]
    assert (store.ack, store.quarantined) == (0, [])
    assert _stored(url) == ""


def test_a_server_whose_state_names_no_versions_is_asked_its_health_as_before(
    enrolled, monkeypatch
) -> None:
    url, identity, store = enrolled(2, recommended_app_version="1.3")
    older = _Seen(strip=VERSION_FIELDS)
    with _client(url, identity, older, "1.2") as client:
        state = client.start_round()
        assert client.recommended_update(state) == "1.3"  # the health said so
        assert client.sync_round(store, state).uploaded_entries == 2
    assert older.seen[:2] == ["GET /v1/devices/nurse-pc", "GET /v1/health"]
    monkeypatch.setattr(server_settings, "PROTOCOL_VERSION", 1)  # and an older protocol
    with (
        _client(url, identity, _Seen(strip=VERSION_FIELDS), "1.2") as client,
        pytest.raises(UpdateRequired, match="update the server") as refused,
    ):
        client.start_round()
    assert refused.value.server_outdated


def test_a_refused_first_request_asks_the_health_which_may_say_why(serve, monkeypatch) -> None:
    from sync.client import DeviceIdentity, SyncRefused
    from tests.sync.sync_support import new_key

    url, _ = serve()
    stranger = DeviceIdentity("nobody", "PEG-HCC", "101", new_key())  # never enrolled
    seen = _Seen()
    with _client(url, stranger, seen, "0.1.0") as client, pytest.raises(SyncRefused) as refused:
        client.start_round()
    assert refused.value.code == "unknown_device"  # the server's reason, as before
    assert seen.seen == ["GET /v1/devices/nobody", "GET /v1/health"]
    monkeypatch.setattr(server_settings, "PROTOCOL_VERSION", 1)
    with (
        _client(url, stranger, _Seen(), "0.1.0") as client,
        pytest.raises(UpdateRequired, match="update the server"),
    ):
        client.start_round()  # an older server: that comes first, as with the probe


def test_the_first_request_is_tried_once(enrolled) -> None:
    url, identity, _ = enrolled()
    seen = _Seen(down=1)
    with _client(url, identity, seen, "0.1.0") as client:
        with pytest.raises(ServerUnreachable):
            client.start_round()
        assert client.start_round()["status"] == "active"
    assert seen.seen == ["GET /v1/devices/nurse-pc"] * 2


def test_a_newer_app_is_told_by_the_first_request_that_the_server_is_the_older_one(
    enrolled, monkeypatch
) -> None:
    """The server answers an app of a later protocol 426 on the device's state: its answer
    names the server's protocol, so the app says to update the server, as the health did."""
    import sync.protocol
    import sync.transport

    url, identity, _ = enrolled(2)
    later = sync.protocol.PROTOCOL_VERSION + 1  # this app, of the next protocol
    monkeypatch.setattr(sync.protocol, "PROTOCOL_VERSION", later)
    monkeypatch.setattr(sync.transport, "PROTOCOL_VERSION", later)
    seen = _Seen()
    with _client(url, identity, seen, "0.1.0") as client:
        with pytest.raises(UpdateRequired) as probed:
            client.probe()
        with pytest.raises(UpdateRequired) as started:
            client.start_round()
    assert probed.value.server_outdated
    assert started.value.server_outdated
    assert str(started.value) == str(probed.value)
    assert seen.seen == ["GET /v1/health", "GET /v1/devices/nurse-pc"]
    assert _stored(url) == ""
