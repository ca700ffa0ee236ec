"""Damaged files say so: a damaged site database is "damaged" (never a traceback, never the
read-only advice), a damaged key file is "damaged" (never a wrong password, never counted
towards the unlock delay)."""

from __future__ import annotations

import base64
import io
import json
import os
import sys
from pathlib import Path

import pytest

from desktop_crf.cli import main as crf_main
from desktop_crf.errors import KeySlotFileCorrupt, WrongPassword
from desktop_crf.services import site
from desktop_crf.store.site import UnlockJournal
from desktop_crf.store.site_paths import SitePaths
from tests.helpers.sites import PASSWORDS


def _crf(args: list[str], password: str, capsys) -> tuple[int, str]:
    old = sys.stdin
    sys.stdin = io.StringIO(password + "\n")
    try:
        code = crf_main([*args, "--password-stdin"])
    finally:
        sys.stdin = old
    return code, capsys.readouterr().err


@pytest.mark.parametrize("page", [1, 2, 5, 20])
def test_a_damaged_database_page_is_reported_as_damage(site_dir: Path, page: int, capsys) -> None:
    database = site_dir / "site.db"
    data = bytearray(database.read_bytes())
    if len(data) <= 4096 * page + 300:
        pytest.skip("the template database is smaller")
    data[4096 * page + 100 : 4096 * page + 300] = os.urandom(200)
    database.write_bytes(bytes(data))
    code, err = _crf(["verify-audit", str(site_dir), "--user", "nurse"], PASSWORDS["nurse"], capsys)
    assert code == 2
    assert "damaged" in err
    assert "Traceback" not in err
    assert "read-only" not in err
    assert "write access" not in err


def _damage(path: Path, field: str) -> None:
    doc = json.loads(path.read_text())
    slot = next(s for s in doc["slots"] if s["name"] == "nurse")
    if field == "site":
        doc["site"] = doc["site"][:-1] + ("0" if doc["site"][-1] != "0" else "1")
    elif field == "kdf":
        slot["kdf"]["m"] += 1
    else:
        raw = bytearray(base64.b64decode(slot[field]))
        raw[0] ^= 0x01
        slot[field] = base64.b64encode(bytes(raw)).decode()
    path.write_text(json.dumps(doc))


@pytest.mark.parametrize("field", ["wrapped", "salt", "nonce", "kdf", "site"])
def test_a_damaged_key_file_is_not_a_wrong_password_and_not_counted(
    site_dir: Path, field: str
) -> None:
    paths = SitePaths(site_dir)
    _damage(paths.keyslots, field)
    for _ in range(5):
        with pytest.raises(KeySlotFileCorrupt) as damaged:
            site.unlock(site_dir, "nurse", PASSWORDS["nurse"])
        assert not isinstance(damaged.value, WrongPassword)
        assert "damaged" in str(damaged.value)
    assert UnlockJournal(paths.attempts).failures() == []
    assert UnlockJournal(paths.attempts).seconds_to_wait() == 0


def test_a_wrong_password_is_still_a_wrong_password(site_dir: Path) -> None:
    with pytest.raises(WrongPassword):
        site.unlock(site_dir, "nurse", "not the password")
    assert len(UnlockJournal(SitePaths(site_dir).attempts).failures()) == 1
