"""Faults against a real uvicorn on 127.0.0.1: cuts, stalls, restarts, concurrent resends."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from sync.authorship import UserSigner
from sync.changeset import build_changesets
from sync.client import RetryPolicy, SyncClient, enrol
from sync.server.app import create_app
from sync.server.settings import ServerSettings
from tests.sync.servers import ROOT, CutProxy, ProcessServer, ThreadServer, fresh_postgres_database
from tests.sync.sync_support import UNSIGNED_HISTORY, MemoryStore, enrol_device, new_key

pytestmark = pytest.mark.e2e


@pytest.fixture
def live(database, tmp_path):
    settings = ServerSettings(data_dir=tmp_path, admin_token="admin-secret")
    with ThreadServer(create_app(settings, db=database)) as server:
        yield server, database


def _count(db, sql="SELECT COUNT(*), COUNT(DISTINCT seq) FROM feed WHERE kind = 'entry'"):
    with db.transaction() as tx:
        return tuple(tx.one(sql))


def _no_keepalive(url: str, timeout: float) -> httpx.Client:
    # A new connection per request, so that the proxy's plan hits the request we chose.
    return httpx.Client(
        base_url=url, timeout=timeout, limits=httpx.Limits(max_keepalive_connections=0)
    )


def test_cuts_and_stalls_mid_upload_and_mid_pull_lose_and_duplicate_nothing(live) -> None:
    server, db = live
    rng = random.Random(20260101)
    plans: list[tuple[str, int, str] | None] = []
    proxy = CutProxy(server.port, lambda: plans.pop(0) if plans else None)
    direct = httpx.Client(headers={"X-CRF-Protocol": "2"}, base_url=server.url)
    ident_a, store_a = enrol_device(direct, db, "nurse-pc")
    ident_b, store_b = enrol_device(direct, db, "tablet")
    retry = RetryPolicy(attempts=10, base=0.002, cap=0.02, rng=rng)
    cut_points = 0
    try:
        with (
            SyncClient(proxy.url, ident_a, http=_no_keepalive(proxy.url, 0.5), retry=retry) as a,
            SyncClient(proxy.url, ident_b, http=_no_keepalive(proxy.url, 0.5), retry=retry) as b,
        ):
            for round_no in range(60):
                store_a.add(rng.randint(1, 40), item=f"I{round_no}")
                direction = rng.choice(["up", "down"])
                mode = "stall" if round_no % 12 == 5 else "drop"
                # connection 0: device state; 1: the upload; 2: the pull
                plans[:] = [None] * rng.randint(0, 2) + [(direction, rng.randint(1, 700), mode)]
                before = proxy.cuts
                a.sync_round(store_a)
                plans[:] = [None] * rng.randint(0, 2) + [("down", rng.randint(1, 1500), "drop")]
                b.sync_round(store_b)
                cut_points += proxy.cuts - before
                assert store_a.ack == len(store_a.entries)
                assert _count(db) == (len(store_a.entries), len(store_a.entries))
    finally:
        proxy.close()
        direct.close()
    assert cut_points >= 50
    pulled = [r["entry"]["seq"] for r in store_b.pulled]
    assert pulled == list(range(1, len(store_a.entries) + 1))


@pytest.mark.parametrize("copies", [2, 20])
def test_the_same_set_sent_concurrently_is_stored_once_with_one_receipt(live, copies) -> None:
    server, db = live
    with httpx.Client(headers={"X-CRF-Protocol": "2"}, base_url=server.url) as direct:
        ident, store = enrol_device(direct, db, "nurse-pc")
    store.add(200)
    (signed,) = build_changesets(
        store.entries, study="PEG-HCC", site="101", private_key=ident.private_key, created_at="t"
    )

    def send(_: int) -> httpx.Response:
        with httpx.Client(headers={"X-CRF-Protocol": "2"}, base_url=server.url, timeout=30) as http:
            return http.put(f"/v1/changesets/{signed.id}", content=signed.envelope())

    with ThreadPoolExecutor(copies) as pool:
        responses = list(pool.map(send, range(copies)))
    assert sorted(r.status_code for r in responses) == [200] * (copies - 1) + [201]
    assert len({r.content.replace(b'"created":true', b'"created":false') for r in responses}) == 1
    assert _count(db) == (200, 200)
    with _count_sets(db) as sets:
        assert sets == 1


class _count_sets:
    def __init__(self, db) -> None:
        self.db = db

    def __enter__(self) -> int:
        with self.db.transaction() as tx:
            return int(tx.one("SELECT COUNT(*) FROM changesets")[0])

    def __exit__(self, *exc: object) -> None:
        return None


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.slow
def test_server_killed_and_restarted_during_a_sync_loses_and_duplicates_nothing(tmp_path) -> None:
    from sync.client import DeviceIdentity

    data = tmp_path / "server"
    token = _cli("token", "--data", str(data), "--site", "101", "--unsigned-history").stdout.strip()
    server = ProcessServer(data).start()
    try:
        key = new_key()
        enrol(server.url, token=token, device="nurse-pc", study="PEG-HCC", private_key=key,
              admin=UserSigner.generate("admin"), unsigned_through=UNSIGNED_HISTORY)  # fmt: skip
        identity = DeviceIdentity("nurse-pc", "PEG-HCC", "101", key)
        store = MemoryStore("nurse-pc")
        store.add(30000)
        retry = RetryPolicy(attempts=40, base=0.05, cap=0.4)
        killer_done = threading.Event()

        def kill_and_restart() -> None:
            for _ in range(2):
                time.sleep(0.4)
                server.kill()
                time.sleep(0.3)
                server.start()
            killer_done.set()

        killer = threading.Thread(target=kill_and_restart)
        with SyncClient(server.url, identity, retry=retry, timeout=5) as client:
            killer.start()
            client.sync_round(store)
            killer.join()
            while store.ack < len(store.entries):  # a kill after the last set: run again
                client.sync_round(store)
        assert killer_done.is_set()
        assert store.ack == 30000
    finally:
        server.stop()
    verify = _cli("verify", "--data", str(data))
    assert verify.returncode == 0, verify.stderr
    assert "30000 entries: ok" in verify.stdout


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_cli_serve_token_revoke_verify(tmp_path, backend, request) -> None:
    from sync.client import DeviceIdentity, DeviceRevoked

    data = tmp_path / "server"
    url = None
    if backend == "postgresql":
        url = fresh_postgres_database(request.getfixturevalue("postgres_url"))
    where = ["--data", str(data), *(["--database", url] if url else [])]
    token = _cli("token", *where, "--site", "101", "--unsigned-history").stdout.strip()
    assert token.startswith("crf1-")
    server = ProcessServer(data, database=url).start()
    try:
        assert httpx.get(f"{server.url}/v1/health").json()["database"] == backend
        key = new_key()
        enrol(server.url, token=token, device="nurse-pc", study="PEG-HCC", private_key=key,
              admin=UserSigner.generate("admin"), unsigned_through=UNSIGNED_HISTORY)  # fmt: skip
        identity = DeviceIdentity("nurse-pc", "PEG-HCC", "101", key)
        store = MemoryStore("nurse-pc")
        store.add(20)
        with SyncClient(server.url, identity) as client:
            client.sync_round(store)
            revoked = _cli("revoke", *where, "nurse-pc")
            assert revoked.returncode == 0
            store.add(1)
            with pytest.raises(DeviceRevoked):
                client.sync_round(store)
    finally:
        server.stop()
    assert _cli("verify", *where).returncode == 0
    _zero_signatures(data, url)
    verify = _cli("verify", *where)
    assert verify.returncode == 1
    assert "nurse-pc" in verify.stderr
    assert "signature" in verify.stderr


def _zero_signatures(data, url) -> None:
    if url is None:
        import sqlite3

        with sqlite3.connect(data / "server.sqlite3") as conn:
            conn.execute("DROP TRIGGER changesets_no_update")
            conn.execute("UPDATE changesets SET signature = zeroblob(64)")
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TRIGGER changesets_append_only ON changesets")
        conn.execute("UPDATE changesets SET signature = %s", (bytes(64),))


def test_a_busy_server_answers_429_and_devices_back_off_until_all_is_stored(tmp_path) -> None:
    from sync.server.db import SqliteDatabase

    db = SqliteDatabase(tmp_path / "server.sqlite3")
    settings = ServerSettings(data_dir=tmp_path, max_concurrent_uploads=1)
    busy: list[int] = []

    def count(response: httpx.Response) -> None:
        if response.status_code == 429:
            assert response.headers["Retry-After"] == "1"
            busy.append(1)

    with ThreadServer(create_app(settings, db=db)) as server:
        with httpx.Client(headers={"X-CRF-Protocol": "2"}, base_url=server.url) as direct:
            devices = [enrol_device(direct, db, f"dev-{i}") for i in range(8)]
        for _, store in devices:
            store.add(300)

        def run(device) -> int:
            identity, store = device
            http = httpx.Client(
                headers={"X-CRF-Protocol": "2"},
                base_url=server.url,
                event_hooks={"response": [count]},
            )
            retry = RetryPolicy(attempts=30, base=0.01, cap=1.0)
            with SyncClient(server.url, identity, http=http, retry=retry) as client:
                client.upload(store)
            http.close()
            return store.ack

        with ThreadPoolExecutor(len(devices)) as pool:
            acked = list(pool.map(run, devices))
    stored = _count(db, "SELECT COUNT(*) FROM feed WHERE kind = 'entry'")
    db.close()
    assert stored == (2400,)
    assert acked == [300] * 8
    assert busy  # the limit was hit, and everyone got through anyway
