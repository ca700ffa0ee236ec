"""A Hypothesis state machine over one server and several devices: offline edits, uploads cut
before the server answers or after it stored the set, server restarts, a revoked device, and
sync rounds in any order. After every step: every entry on the server exactly once and its
chains verify there and on every device, every conflict has its query; at the end, once the
network is good again, every outbox drains and every device holds every entry."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from starlette.testclient import TestClient

from sync.client import (
    DeviceIdentity,
    DeviceRevoked,
    RetryPolicy,
    ServerUnreachable,
    SyncClient,
)
from sync.entries import find_chain_break
from sync.server.app import create_app
from sync.server.db import SqliteDatabase
from sync.server.feed import verify_ledger
from sync.server.registry import revoke
from sync.server.settings import ServerSettings
from tests.sync.sync_support import ADMIN, MemoryStore, legacy_enrol, new_key

DEVICES = ("pc-a", "pc-b", "tablet")
ITEMS = ("I.ALT", "I.AST", "I.PLT")
NO_WAIT = RetryPolicy(attempts=2, base=0.0, cap=0.0, sleep=lambda _: None)


class Network(httpx.BaseTransport):
    """The in-process server, with cuts: ``before`` drops uploads before the server sees
    them, ``after`` drops the answer once the server stored the set."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.cut: str | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.cut == "before" and request.method == "PUT":
            raise httpx.ConnectError("connection refused")
        response = self.inner.handle_request(request)
        if self.cut == "after" and request.method == "PUT":
            response.read()
            raise httpx.RemoteProtocolError("peer closed connection")
        return response


class SiteSync(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder: Path = FOLDER.pop()
        self.db: SqliteDatabase | None = None
        self.client: TestClient | None = None
        self.network: Network | None = None
        self.devices: dict[str, tuple[DeviceIdentity, MemoryStore]] = {}
        self.revoked: set[str] = set()

    # -- the server --------------------------------------------------------------------

    def _start(self) -> None:
        self.db = SqliteDatabase(self.folder / "server.sqlite3")
        settings_ = ServerSettings(data_dir=self.folder, admin_token="admin-secret")
        self.client = TestClient(create_app(settings_, db=self.db), base_url="http://testserver")
        self.network = Network(self.client._transport)

    def _stop(self) -> None:
        assert self.client is not None
        assert self.db is not None
        self.client.close()
        self.db.close()

    def _http(self) -> httpx.Client:
        assert self.network is not None
        return httpx.Client(
            base_url="http://testserver", transport=self.network, headers={"X-CRF-Protocol": "2"}
        )

    @initialize()
    def enrol_devices(self) -> None:
        self._start()
        assert self.db is not None
        for name in DEVICES:
            key = new_key()
            with self._http() as http:
                legacy_enrol("http://testserver", self.db, name, key, site="101", http=http)
            self.devices[name] = (DeviceIdentity(name, "PEG-HCC", "101", key), MemoryStore(name))

    def teardown(self) -> None:
        if self.client is not None:
            self._stop()

    # -- what happens --------------------------------------------------------------------

    @rule(device=st.sampled_from(DEVICES), item=st.sampled_from(ITEMS), count=st.integers(1, 30))
    def edit_offline(self, device: str, item: str, count: int) -> None:
        self.devices[device][1].add(count, item=item)

    @rule(device=st.sampled_from(DEVICES))
    def sync_round(self, device: str) -> None:
        self._round(device)

    @rule(device=st.sampled_from(DEVICES), cut=st.sampled_from(["before", "after"]))
    def cut_mid_upload(self, device: str, cut: str) -> None:
        assert self.network is not None
        self.network.cut = cut
        try:
            self._round(device)
        finally:
            self.network.cut = None

    @rule()
    def restart_server(self) -> None:
        self._stop()
        self._start()

    @precondition(lambda self: not self.revoked)
    @rule(device=st.sampled_from(DEVICES))
    def revoke_device(self, device: str) -> None:
        assert self.db is not None
        revoke(self.db, device)
        self.revoked.add(device)

    def _round(self, device: str) -> None:
        identity, store = self.devices[device]
        with (
            self._http() as http,
            SyncClient("http://testserver", identity, http=http, retry=NO_WAIT) as client,
        ):
            try:
                client.sync_round(store)
            except ServerUnreachable:
                pass  # a cut: nothing is lost, the next round goes on
            except DeviceRevoked:
                assert device in self.revoked
        assert store.quarantined == []  # a cut or a restart never gets a sound set refused

    # -- what always holds ----------------------------------------------------------------

    def _server_entries(self) -> dict[str, list[dict[str, Any]]]:
        assert self.client is not None
        text = self.client.get("/v1/sites/101/audit", headers=ADMIN).text
        by_device: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for line in text.splitlines():
            entry = json.loads(line)
            by_device[entry["device"]].append(entry)
        return by_device

    @invariant()
    def every_entry_is_on_the_server_once_and_every_chain_verifies(self) -> None:
        if self.client is None:
            return
        for device, entries in self._server_entries().items():
            seqs = [e["seq"] for e in entries]
            assert seqs == list(range(1, len(seqs) + 1)), device  # each once, none missing
            assert find_chain_break(sorted(entries, key=lambda e: e["seq"]))[1] is None
            assert entries == self.devices[device][1].entries[: len(entries)]
        assert self.db is not None
        assert verify_ledger(self.db, site="101").problem is None
        for name, (_, store) in self.devices.items():
            pulled: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for record in store.pulled:
                pulled[record["entry"]["device"]].append(record["entry"])
            for device, entries in pulled.items():
                assert device != name
                assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
                assert find_chain_break(entries)[1] is None

    @invariant()
    def every_conflict_has_its_query(self) -> None:
        for _, store in self.devices.values():
            for record in store.pulled:
                if record.get("outcome") == "conflict":
                    query = store.queries.get(record["query_id"])
                    assert query is not None
                    assert query["kind"] == "conflict"

    def check_outboxes_drain(self) -> None:
        """The network is good again: two rounds each and nothing waits anywhere."""
        active = [d for d in DEVICES if d not in self.revoked]
        for _ in range(2):
            for device in active:
                self._round(device)
        held = self._server_entries()
        for device in active:
            store = self.devices[device][1]
            assert store.ack == len(store.entries), device
            others = {d: len(entries) for d, entries in held.items() if d != device}
            got: dict[str, int] = defaultdict(int)
            for record in store.pulled:
                got[record["entry"]["device"]] += 1
            assert dict(got) == {d: n for d, n in others.items() if n}


FOLDER: list[Path] = []


@pytest.mark.slow
def test_a_site_syncing_through_faults_keeps_every_entry_once_and_drains(tmp_path) -> None:
    runs = iter(range(10_000))

    class Checked(SiteSync):
        def __init__(self) -> None:
            folder = tmp_path / f"run{next(runs)}"
            folder.mkdir()
            FOLDER.append(folder)
            super().__init__()

        def teardown(self) -> None:
            if self.client is not None:
                self.check_outboxes_drain()
            super().teardown()

    run_state_machine_as_test(
        Checked,
        settings=settings(
            max_examples=12,
            stateful_step_count=12,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
