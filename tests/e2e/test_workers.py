"""``crf-server serve --workers N``: several processes over PostgreSQL serve devices at once
and the ledger verifies, every worker with the app versions it was given; SQLite stays one
process and says so."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from contextlib import suppress
from pathlib import Path

import httpx
import pytest

from sync.client import DeviceIdentity, SyncClient
from sync.server.db import open_database
from sync.server.feed import verify_ledger
from tests.sync.servers import ROOT, ProcessServer, free_port, fresh_postgres_database
from tests.sync.sync_support import MemoryStore, legacy_enrol, new_key

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


@pytest.mark.postgres
def test_two_workers_serve_devices_at_once_over_postgresql(tmp_path, postgres_url) -> None:
    url = fresh_postgres_database(postgres_url)
    data = tmp_path / "server"
    db = open_database(url, data, pool_size=2)
    versions = ("--min-app-version", "0.1", "--recommended-app-version", "0.2")
    server = ProcessServer(data, database=url, extra=("--workers", "2", *versions)).start()
    try:
        assert server.proc is not None
        workers = [p for p in _children(server.proc.pid) if "spawn_main" in _cmdline(p)]
        assert len(workers) == 2, [_cmdline(p) for p in _children(server.proc.pid)]
        for _ in range(8):  # whichever worker answers names the versions it was given
            health = httpx.get(f"{server.url}/v1/health", timeout=10).json()
            assert (health["min_app_version"], health["recommended_app_version"]) == ("0.1", "0.2")
        stores, errors = [], []

        def device(n: int) -> None:
            key = new_key()
            legacy_enrol(server.url, db, f"pc-{n}", key)
            store = MemoryStore(f"pc-{n}")
            stores.append(store)
            with SyncClient(server.url, DeviceIdentity(f"pc-{n}", "PEG-HCC", "101", key)) as c:
                for _ in range(3):
                    store.add(40)
                    try:
                        c.sync_round(store)
                    except Exception as exc:
                        errors.append(exc)
                        return

        threads = [threading.Thread(target=device, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        server.stop()
    check = verify_ledger(db)
    db.close()
    assert errors == []
    assert check.problem is None
    assert sorted(d.entries for d in check.devices) == [120] * 6
    assert all(store.ack == 120 for store in stores)


def _cmdline(pid: int) -> str:
    with suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


def test_sqlite_stays_one_process_and_says_so(tmp_path: Path) -> None:
    port = free_port()
    cmd = [sys.executable, "-m", "sync.server.cli", "serve", "--data", str(tmp_path)]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port), "--workers", "3"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).is_success:
                    break
            time.sleep(0.05)
        else:
            pytest.fail("crf-server did not answer")
        assert _children(proc.pid) == []
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=20)
    assert "SQLite is served by one process" in err
    assert "--workers 3 ignored" in err
    assert "--database postgresql://" in err
