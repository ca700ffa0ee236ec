"""The client's retry policy against a real server behind a flaky link (429, 503, resets)."""

from __future__ import annotations

import random

import httpx
import pytest

from sync.client import RetryPolicy, ServerUnreachable, SyncClient
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
