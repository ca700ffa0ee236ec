"""scripts/backup-check.sh: a server database with a ledger in it is backed up, restored into a
fresh database, and the restored one passes crf-server verify, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from sync.client import SyncClient
from sync.server.app import create_app
from sync.server.db import open_database
from sync.server.settings import ServerSettings
from tests.sync.servers import ROOT, ThreadServer, fresh_postgres_database
from tests.sync.sync_support import FAST, enrol_device

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_a_backup_restores_into_a_fresh_database_that_verifies(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    data = tmp_path / "server"
    if backend == "sqlite":
        url = f"sqlite:///{data / 'server.sqlite3'}"
    else:
        url = fresh_postgres_database(request.getfixturevalue("postgres_url"))
    db = open_database(url, data)
    try:
        settings = ServerSettings(data_dir=data, admin_token="admin-secret")
        with (
            ThreadServer(create_app(settings, db=db)) as live,
            httpx.Client(base_url=live.url, timeout=30) as http,
        ):
            for device in ("pc-1", "pc-2"):
                identity, store = enrol_device(http, db, device)
                store.add(70)
                with SyncClient(live.url, identity, retry=FAST) as client:
                    client.sync_round(store)
    finally:
        db.close()

    backup = tmp_path / "backup.dump"
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "backup-check.sh"), url, str(backup)],
        capture_output=True,
        text=True,
        timeout=180,
        env={"CRF_SERVER": f"{sys.executable} -m sync.server.cli", "PATH": "/usr/bin:/bin"},
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert backup.stat().st_size > 0
    assert "pc-1: 1 change sets, 70 entries: ok" in done.stdout
    assert "verified 2 devices" in done.stdout
    assert "OK: the backup restores into a fresh database that verifies" in done.stdout


def test_a_restored_copy_that_does_not_verify_fails_the_check(tmp_path: Path) -> None:
    """The check is real: a ledger whose signatures were zeroed is backed up faithfully, and
    its restored copy fails verification (exit 1)."""
    import sqlite3

    data = tmp_path / "server"
    db = open_database(None, data)
    try:
        settings = ServerSettings(data_dir=data, admin_token="admin-secret")
        with (
            ThreadServer(create_app(settings, db=db)) as live,
            httpx.Client(base_url=live.url, timeout=30) as http,
        ):
            identity, store = enrol_device(http, db, "pc-1")
            store.add(10)
            with SyncClient(live.url, identity, retry=FAST) as client:
                client.sync_round(store)
    finally:
        db.close()
    with sqlite3.connect(data / "server.sqlite3") as conn:
        conn.execute("DROP TRIGGER changesets_no_update")
        conn.execute("UPDATE changesets SET signature = zeroblob(64)")
    done = subprocess.run(
        [
            "bash",
            str(ROOT / "scripts" / "backup-check.sh"),
            f"sqlite:///{data / 'server.sqlite3'}",
            str(tmp_path / "b.db"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={"CRF_SERVER": f"{sys.executable} -m sync.server.cli", "PATH": "/usr/bin:/bin"},
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 1
    assert "signature" in done.stderr
