"""The client against a real server: its retry policy behind a flaky link (429, 503, resets),
the size of its change sets, and the receipts it records."""

from __future__ import annotations

import json
import random

import httpx
import pytest

from sync.changeset import MAX_ENTRIES, SchemaError
from sync.client import ChangeSetRefused, RetryPolicy, ServerUnreachable, SyncClient, set_size
from sync.server.app import create_app
from sync.server.settings import ServerSettings
from tests.sync.servers import ThreadServer
from tests.sync.sync_support import enrol_device


class Flaky(httpx.BaseTransport):
    """Answers the first requests with the given failures, then passes to the real app."""

    def __init__(self, inner: httpx.BaseTransport, failures: list[object]) -> None:
        self.inner = inner
        self.failures = failures
        self.seen: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(f"{request.method} {request.url.path}")
        if self.failures:
            failure = self.failures.pop(0)
            if isinstance(failure, Exception):
                raise failure
            assert isinstance(failure, httpx.Response)
            return failure
        return self.inner.handle_request(request)


@pytest.fixture
def app_client(database, tmp_path):
    """A real server on 127.0.0.1 and a plain client of it."""
    with (
        ThreadServer(create_app(ServerSettings(data_dir=tmp_path), db=database)) as live,
        httpx.Client(headers={"X-CRF-Protocol": "2"}, base_url=live.url) as client,
    ):
        yield client


def _flaky_http(app_client: httpx.Client, failures: list[object]) -> tuple[httpx.Client, Flaky]:
    flaky = Flaky(httpx.HTTPTransport(), failures)
    return httpx.Client(
        headers={"X-CRF-Protocol": "2"}, base_url=app_client.base_url, transport=flaky
    ), flaky


def test_retries_5xx_429_and_resets_honouring_retry_after(app_client, database) -> None:
    ident, store = enrol_device(app_client, database, "nurse-pc")
    store.add(700)
    failures: list[object] = [
        httpx.Response(503),
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
    ]
    http, _flaky = _flaky_http(app_client, failures)
    sleeps: list[float] = []
    policy = RetryPolicy(attempts=6, base=0.5, cap=30, sleep=sleeps.append, rng=random.Random(1))
    with SyncClient(str(http.base_url), ident, http=http, retry=policy) as client:
        result = client.sync_round(store)
    assert result.uploaded_entries == 700
    assert store.ack == 700
    assert len(sleeps) == 4
    assert sleeps[1] == 7  # Retry-After honoured
    assert 0 <= sleeps[0] <= 0.5  # full jitter: U(0, base)
    assert 0 <= sleeps[2] <= 2.0
    assert 0 <= sleeps[3] <= 4.0


def test_a_cut_after_the_server_stored_the_set_gets_the_same_receipt(app_client, database):
    ident, store = enrol_device(app_client, database, "nurse-pc")
    store.add(10)

    class LoseFirstAnswer(Flaky):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = self.inner.handle_request(request)
            if request.method == "PUT" and not self.seen:
                self.seen.append("lost")
                response.read()
                raise httpx.RemoteProtocolError("peer closed connection")
            return response

    lossy = LoseFirstAnswer(httpx.HTTPTransport(), [])
    http = httpx.Client(
        headers={"X-CRF-Protocol": "2"}, base_url=app_client.base_url, transport=lossy
    )
    policy = RetryPolicy(attempts=3, base=0.0, sleep=lambda _: None)
    with SyncClient(str(http.base_url), ident, http=http, retry=policy) as client:
        result = client.upload(store)
    assert lossy.seen == ["lost"]
    assert result.uploaded_entries == 10
    assert store.ack == 10
    with database.transaction() as tx:
        assert tx.one("SELECT COUNT(*) FROM changesets")[0] == 1


def test_giving_up_says_the_data_is_safe(app_client, database) -> None:
    ident, store = enrol_device(app_client, database, "nurse-pc")
    store.add(1)
    http, _ = _flaky_http(app_client, [httpx.Response(503)] * 10)
    policy = RetryPolicy(attempts=3, base=0.0, sleep=lambda _: None)
    with (
        SyncClient(str(http.base_url), ident, http=http, retry=policy) as client,
        pytest.raises(ServerUnreachable, match="data is safe"),
    ):
        client.sync_round(store)
    assert store.ack == 0


def test_probe_tries_once(app_client) -> None:
    http, flaky = _flaky_http(app_client, [httpx.ConnectError("down")])
    policy = RetryPolicy(sleep=lambda _: None)
    from sync.client import DeviceIdentity
    from tests.sync.sync_support import new_key

    identity = DeviceIdentity("d", "s", "101", new_key())
    with SyncClient(str(http.base_url), identity, http=http, retry=policy) as client:
        with pytest.raises(ServerUnreachable):
            client.probe()
        assert client.probe()["status"] == "ok"
    assert len(flaky.seen) == 2


class OlderServer(Flaky):
    """The real server, but its device state announces no limit on a set's entries (as a
    server from before the limit was announced); it refuses the set numbered ``refuse``."""

    def __init__(self, inner: httpx.BaseTransport, refuse: int | None = None) -> None:
        super().__init__(inner, [])
        self.refuse = refuse

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            self.seen.append("PUT")
            if self.seen.count("PUT") == self.refuse:
                body = {"error": {"code": "forbidden_entry", "message": "refused"}}
                return httpx.Response(422, json=body)
        response = self.inner.handle_request(request)
        if request.method == "GET" and request.url.path.startswith("/v1/devices/"):
            state = json.loads(response.read())
            state.pop("max_entries", None)
            return httpx.Response(response.status_code, json=state)
        return response


def _sets(database) -> list[tuple[int, int]]:
    with database.transaction() as tx:
        rows = tx.all("SELECT seq_from, seq_to FROM changesets ORDER BY seq_from")
    return [(int(r[0]), int(r[1])) for r in rows]


def test_sets_hold_as_many_entries_as_the_server_announces(app_client, database) -> None:
    ident, store = enrol_device(app_client, database, "nurse-pc")
    store.add(2500)
    with SyncClient(str(app_client.base_url), ident) as client:
        assert client.device_state()["max_entries"] == MAX_ENTRIES == 2000
        assert client.upload(store).uploaded_entries == 2500
    assert _sets(database) == [(1, 2000), (2001, 2500)]
    assert store.ack == 2500


def test_a_server_that_announces_no_limit_gets_sets_of_500(app_client, database) -> None:
    ident, store = enrol_device(app_client, database, "nurse-pc")
    store.add(1200)
    http = httpx.Client(
        headers={"X-CRF-Protocol": "2"},
        base_url=app_client.base_url,
        transport=OlderServer(httpx.HTTPTransport()),
    )
    with SyncClient(str(http.base_url), ident, http=http) as client:
        assert client.upload(store).uploaded_entries == 1200
    assert _sets(database) == [(1, 500), (501, 1000), (1001, 1200)]


def test_what_the_server_stored_is_recorded_when_a_later_set_is_refused(
    app_client, database
) -> None:
    """A set goes before the receipt of the one before is recorded; a refusal of that next set
    still leaves every receipt the server sent recorded."""
    ident, store = enrol_device(app_client, database, "nurse-pc")
    store.add(1200)
    http = httpx.Client(
        headers={"X-CRF-Protocol": "2"},
        base_url=app_client.base_url,
        transport=OlderServer(httpx.HTTPTransport(), refuse=3),
    )
    with (
        SyncClient(str(http.base_url), ident, http=http) as client,
        pytest.raises(ChangeSetRefused),
    ):
        client.upload(store)
    assert _sets(database) == [(1, 500), (501, 1000)]
    assert store.ack == 1000
    assert len(store.receipts) == 2
    assert [q[1] for q in store.quarantined] == ["forbidden_entry"]


@pytest.mark.parametrize(
    ("state", "size"),
    [({}, 500), ({"max_entries": 1200}, 1200), ({"max_entries": 10**6}, 2000)]
    + [({"max_entries": bad}, 500) for bad in (0, -3, "2000", 12.5, None, True)],
)
def test_a_set_holds_what_the_server_takes_within_the_apps_own_limit(state, size) -> None:
    assert set_size(state) == size


def test_the_last_receipt_is_recorded_when_the_next_run_cannot_be_signed(
    app_client, database
) -> None:
    """The receipt of a run's last set waits to be recorded while the next run is signed: an
    error there (an entry too big for any set) still leaves it recorded."""
    ident, store = enrol_device(app_client, database, "nurse-pc")
    store.add(1000)  # the first run: two sets of 500
    store.add(1, detail="x" * (2 * 1024 * 1024))  # the next run cannot be made into a set
    http = httpx.Client(
        headers={"X-CRF-Protocol": "2"},
        base_url=app_client.base_url,
        transport=OlderServer(httpx.HTTPTransport()),
    )
    with SyncClient(str(http.base_url), ident, http=http) as client, pytest.raises(SchemaError):
        client.upload(store)
    assert _sets(database) == [(1, 500), (501, 1000)]
    assert store.ack == 1000
    assert len(store.receipts) == 2
