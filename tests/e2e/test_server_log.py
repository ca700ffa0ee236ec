"""The server's log: what it stored and refused, and never an entry's value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from sync.authorship import UserSigner
from sync.client import DeviceIdentity, SyncClient, enrol
from tests.sync.servers import ROOT, ProcessServer
from tests.sync.sync_support import UNSIGNED_HISTORY, MemoryStore, new_key

pytestmark = pytest.mark.e2e

MARKER = "Li-Na-MARKER-5521"


def test_the_log_file_names_sets_and_refusals_but_no_value(tmp_path: Path) -> None:
    data, log = tmp_path / "server", tmp_path / "logs" / "server.log"
    token = subprocess.run(
        [
            sys.executable,
            "-m",
            "sync.server.cli",
            "token",
            "--data",
            str(data),
            "--site",
            "101",
            "--unsigned-history",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    server = ProcessServer(data, extra=("--log-level", "info", "--log-file", str(log))).start()
    try:
        key = new_key()
        enrol(server.url, token=token, device="nurse-pc", study="PEG-HCC", private_key=key,
              admin=UserSigner.generate("admin"), unsigned_through=UNSIGNED_HISTORY)  # fmt: skip
        store = MemoryStore("nurse-pc")
        store.add(5, new=MARKER)
        with SyncClient(server.url, DeviceIdentity("nurse-pc", "PEG-HCC", "101", key)) as client:
            client.sync_round(store)
        assert store.ack == 5
        refused = httpx.put(f"{server.url}/v1/changesets/{'0' * 64}", content=b"not a set")
        assert refused.status_code >= 400
    finally:
        server.stop()
    text = log.read_text(encoding="utf-8")
    assert "of nurse-pc: entries 1-5 stored" in text
    assert f"PUT /v1/changesets/{'0' * 64} refused: {refused.status_code}" in text
    assert MARKER not in text
