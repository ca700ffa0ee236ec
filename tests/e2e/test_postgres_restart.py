"""PostgreSQL restarted under load: no request fails (the pool replaces the cut connections,
the server replays what the restart interrupted), nothing is lost or stored twice."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from sync.client import RetryPolicy, SyncClient
from sync.server.app import create_app
from sync.server.db import PostgresDatabase
from sync.server.feed import verify_ledger
from sync.server.settings import ServerSettings
from tests.sync.servers import (
    ThreadServer,
    fresh_postgres_database,
    postgres_server,
    restart_postgres,
)
from tests.sync.sync_support import MemoryStore, enrol_device

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.slow]

#: One try per request: any refusal or error the device sees is a failed request.
NO_RETRY = RetryPolicy(attempts=1)
DEVICES = 4


def test_postgresql_restarted_under_load_fails_no_request(tmp_path: Path) -> None:
    folder = tmp_path / "pg"
    try:
        server = postgres_server(folder)
        base_url = server.__enter__()
    except RuntimeError as exc:
        pytest.skip(str(exc))
    try:
        _load_across_a_restart(tmp_path, folder, fresh_postgres_database(base_url))
    finally:
        server.__exit__(None, None, None)


def _load_across_a_restart(tmp_path: Path, folder: Path, url: str) -> None:
    db = PostgresDatabase(url, pool_size=4)
    settings = ServerSettings(data_dir=tmp_path, admin_token="admin-secret")
    failures: list[str] = []
    rounds: dict[str, list[float]] = {}
    stop = threading.Event()
    try:
        with (
            ThreadServer(create_app(settings, db=db)) as live,
            httpx.Client(base_url=live.url, timeout=30) as http,
        ):
            devices = [enrol_device(http, db, f"pc-{n}") for n in range(DEVICES)]

            def load(identity, store: MemoryStore) -> None:
                ended = rounds.setdefault(store.device, [])
                with SyncClient(live.url, identity, retry=NO_RETRY, timeout=30) as client:
                    while not stop.is_set():
                        store.add(25)
                        try:
                            client.sync_round(store)
                        except Exception as exc:
                            failures.append(f"{store.device}: {type(exc).__name__}: {exc}")
                            return
                        ended.append(time.monotonic())

            threads = [threading.Thread(target=load, args=device) for device in devices]
            for thread in threads:
                thread.start()
            time.sleep(1.5)
            restarted = time.monotonic()
            restart_postgres(folder)
            back = time.monotonic()
            time.sleep(2.0)
            stop.set()
            for thread in threads:
                thread.join(60)
            assert not any(thread.is_alive() for thread in threads)
        assert failures == []
        for device, ends in rounds.items():
            assert any(t < restarted for t in ends), device
            assert any(t > back for t in ends), device
        check = verify_ledger(db)
        assert check.problem is None
        stored = {d.device: d.entries for d in check.devices}
        assert stored == {store.device: len(store.entries) for _identity, store in devices}
    finally:
        stop.set()
        db.close()
