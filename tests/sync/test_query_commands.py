"""``crf-server query open|list|close|reopen``: a monitor's commands on the server database,
with a real device answering through a real server on the same database."""

from __future__ import annotations

import json

import httpx
import pytest

from sync.client import SyncClient
from sync.server.app import create_app
from sync.server.cli import main
from sync.server.db import SqliteDatabase
from sync.server.settings import ServerSettings
from tests.sync.servers import ThreadServer
from tests.sync.sync_support import FAST, enrol_device


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_open_list_close_and_reopen_from_the_command_line(tmp_path, capsys) -> None:
    data = str(tmp_path)
    where = ("--data", data, "--site", "101")
    code, _, err = _run(capsys, "query", "open", *where, "--subject", "S-001", "--item", "ALT",
                        "--text", "Please confirm ALT", "--by", "monitor.li")  # fmt: skip
    assert code == 2
    assert "item needs item_group" in err
    code, out, _ = _run(capsys, "token", "--data", data, "--site", "101")
    assert code == 0
    code, out, _ = _run(
        capsys,
        *("query", "open", *where, "--subject", "S-001", "--event", "V1", "--form", "LAB"),
        *("--item-group", "HEM", "--item", "ALT"),
        *("--text", "Please confirm ALT", "--by", "monitor.li"),
    )
    assert code == 0
    assert out.startswith("#1 open (monitor) S-001 V1 LAB ALT: Please confirm ALT")
    db = SqliteDatabase(tmp_path / "server.sqlite3")
    settings = ServerSettings(data_dir=tmp_path, admin_token="admin-secret")
    with (
        ThreadServer(create_app(settings, db=db)) as live,
        httpx.Client(headers={"X-CRF-Protocol": "2"}, base_url=live.url, timeout=30) as http,
    ):
        ident, store = enrol_device(http, db, "nurse-pc")
        detail = json.dumps({"query_id": 1})
        store.add(1, action="query.answer", item="ALT", new="ALT is 41", detail=detail)
        with SyncClient("http://unused", ident, http=http, retry=FAST) as client:
            client.sync_round(store)
    db.close()
    code, out, _ = _run(capsys, "query", "list", *where, "--status", "answered")
    assert code == 0
    assert out.splitlines()[0].startswith("#1 answered (monitor)")
    assert "answer by nurse1 at " in out
    assert out.rstrip().endswith(": ALT is 41")
    code, out, _ = _run(capsys, "query", "close", *where, "1", "--text", "thanks", "--by", "m")
    assert (code, out.splitlines()[-1]) == (0, "    closed by m: thanks")
    code, _, err = _run(capsys, "query", "close", *where, "1", "--text", "again", "--by", "m")
    assert (code, err.strip()) == (1, "crf-server: query 1 is closed already")
    code, _, err = _run(capsys, "query", "reopen", *where, "9", "--text", "x", "--by", "m")
    assert (code, err.strip()) == (1, "crf-server: site 101 has no query 9")
    code, out, _ = _run(capsys, "query", "reopen", *where, "1", "--text", "date?", "--by", "m")
    assert (code, out.split(" (")[0]) == (0, "#1 open")
    with pytest.raises(SystemExit):
        main(["query", "close", *where, "1", "--by", "m"])  # the text is required
