"""A long audit chain checked in parts at once, each part but the first in a process of its own
handed the data key through a pipe: the same answers as the check in one piece, whatever was
tampered with and wherever (inside a part or where two parts meet)."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from desktop_crf.store import chain
from desktop_crf.store.chain import DatabaseSource, verify_device_chain
from desktop_crf.store.database import close_database, open_database
from desktop_crf.store.schema import migrate
from sync.entries import entry_hash
from tests.store.test_chain import _chain, _store

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = 40  # two parts of 20 on a machine of two processors or more


@pytest.fixture(autouse=True)
def _short_chains_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chain, "SPLIT_FROM", 10)
    monkeypatch.setattr(chain, "_processors", lambda: 2)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[sqlite_utils.Database, DatabaseSource]]:
    """A real SQLCipher file with the store's schema, and how another process opens it."""
    key, path = secrets.token_bytes(32), tmp_path / "site.db"
    db = open_database(path, key, create=True)
    migrate(db)
    db.execute("DROP TRIGGER audit_no_update")  # the tests tamper with the trail
    yield db, DatabaseSource(path, key)
    close_database(db)


def _entries(device: str = "D-1", count: int = ENTRIES) -> list[dict[str, Any]]:
    rows = [
        {"ts": "2026-11-30T10:00:00Z", "user": "nurse", "action": "item.set", "item": f"I.{n}",
         "new": f"ü {n}\n", "base_rev": 0}
        for n in range(1, count + 1)
    ]  # fmt: skip
    return _chain(rows, device)


def test_a_long_chain_that_holds_is_checked_in_parts(site) -> None:
    db, source = site
    _store(db, _entries())
    _store(db, _entries("D-2", 5))
    # the parts answered, each on the fast path, and joined: no check in one piece was needed
    assert chain._verify_in_parts(db, "D-1", source) == ENTRIES
    assert verify_device_chain(db, "D-1", source=source) == (ENTRIES, None)
    assert verify_device_chain(db, "D-2", source=source) == (5, None)  # short: one piece


#: Where the tampered entry is: inside the second part, or its first entry (where parts meet).
_PLACES = {"inside": 30, "where_parts_meet": 21}


@pytest.mark.parametrize("place", _PLACES)
@pytest.mark.parametrize("how", ["value", "link", "gap", "hash_of_link", "float"])
def test_a_tampered_chain_gets_the_answer_of_the_check_in_one_piece(site, how, place) -> None:
    db, source = site
    entries = _entries()
    victim = entries[_PLACES[place] - 1]
    if how == "value":
        victim["new"] = "changed"
    elif how == "link":
        victim["prev_hash"] = "f" * 64
        victim["hash"] = entry_hash(victim)
    elif how == "gap":
        entries.remove(victim)
    elif how == "hash_of_link":  # left to the general verifier, hashed over the link alone
        victim["base_rev"] = 0.5
        victim["hash"] = chain.hashlib.sha256(bytes.fromhex(victim["prev_hash"])).hexdigest()
    elif how == "float":  # a number SQLite does not write as RFC 8785 does: in one piece
        victim["base_rev"] = 1.5
    _store(db, entries)
    in_one_piece = verify_device_chain(db, "D-1")
    found_at = _PLACES[place] + (1 if how == "gap" else 0)  # a gap shows at the entry after
    assert in_one_piece[1] is not None
    assert in_one_piece[1].seq == found_at
    assert chain._verify_in_parts(db, "D-1", source) is None
    assert verify_device_chain(db, "D-1", source=source) == in_one_piece


@pytest.mark.parametrize("seq", [0, -1, 0.5, 20.5])
def test_an_entry_numbered_where_no_part_looks_gets_the_answer_of_the_check_in_one_piece(
    site, seq
) -> None:
    """An entry added below the first number, or between two parts' numbers (20.5: after the
    first part's last, before the second's first), is in no part's range: the chain in one
    piece names it all the same. (The append-only triggers allow an insert.)"""
    db, source = site
    entries = _entries()
    _store(db, entries)
    _store(db, [{**entries[0], "seq": seq, "new": "forged"}])
    in_one_piece = verify_device_chain(db, "D-1")
    assert in_one_piece[1] is not None
    assert chain._verify_in_parts(db, "D-1", source) is None
    assert verify_device_chain(db, "D-1", source=source) == in_one_piece


def test_a_part_that_cannot_open_the_database_sends_the_check_to_one_piece(site) -> None:
    db, source = site
    _store(db, _entries())
    wrong = DatabaseSource(source.path, secrets.token_bytes(32))
    assert chain._verify_in_parts(db, "D-1", wrong) is None
    assert verify_device_chain(db, "D-1", source=wrong) == (ENTRIES, None)


@pytest.mark.parametrize("script", ["entry_crf.py", "entry_desktop_crf.py"])
def test_the_bundles_executables_check_a_part(site, script) -> None:
    """An installed app has no ``python -m``: its executables take ``--verify-chain-part``."""
    db, source = site
    _store(db, _entries())
    assert source.key is not None
    request = {"path": str(source.path), "key": source.key.hex(), "sql": chain._PART}
    request.update(device="D-1", first=21, last=ENTRIES)
    done = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / script), "--verify-chain-part"],
        input=json.dumps(request) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer = json.loads(done.stdout)
    assert answer == {
        "fast": True,
        "first_link": _entries()[19]["hash"],
        "last_hash": _entries()[-1]["hash"],
    }


def test_an_installed_app_runs_its_command_line_executable_for_a_part(
    monkeypatch, tmp_path: Path
) -> None:
    """The windowed app has no console to answer on: its command-line sibling answers."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    app = tmp_path / "desktop-crf"
    monkeypatch.setattr(sys, "executable", str(app))
    assert chain.part_command() == [str(app), "--verify-chain-part"]  # no sibling: itself
    (tmp_path / "crf").write_text("")
    assert chain.part_command() == [str(tmp_path / "crf"), "--verify-chain-part"]


def test_a_part_that_does_not_answer_in_time_sends_the_check_to_one_piece(
    site, monkeypatch
) -> None:
    db, source = site
    _store(db, _entries())
    silent = [sys.executable, "-c", "import time; time.sleep(60)"]
    monkeypatch.setattr(chain, "part_command", lambda: silent)
    monkeypatch.setattr(chain, "PART_GRACE", 0.5)
    started = time.monotonic()
    assert chain._verify_in_parts(db, "D-1", source) is None
    assert verify_device_chain(db, "D-1", source=source) == (ENTRIES, None)
    assert time.monotonic() - started < 20  # the silent parts were not waited for
