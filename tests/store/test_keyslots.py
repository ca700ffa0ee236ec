"""Key slots: wrapping, wrong passwords, tampered headers, atomic rewrite."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from desktop_crf.errors import KeySlotFileCorrupt, KeySlotFileMissing, WrongPassword
from desktop_crf.store.keyslots import KeySlotFile, new_data_key, new_recovery_key
from sync.canonical import canonical_bytes
from tests.helpers.sites import CHEAP_KDF


@pytest.fixture
def slots(tmp_path: Path) -> tuple[KeySlotFile, bytes, str]:
    data_key, recovery = new_data_key(), new_recovery_key()
    file = KeySlotFile(path=tmp_path / "keyslots.json", site_uuid="site-1")
    file.set_user_slot("nurse", "correct horse", data_key, CHEAP_KDF)
    file.set_recovery_slot(recovery, data_key, CHEAP_KDF)
    file.save()
    return KeySlotFile.load(file.path), data_key, recovery


def test_user_and_recovery_slots_unwrap_the_same_data_key(slots) -> None:
    file, data_key, recovery = slots
    assert file.unlock("nurse", "correct horse") == data_key
    assert file.unlock_recovery(recovery.lower().replace("-", " ")) == data_key


def test_wrong_password_and_unknown_user_look_the_same(slots) -> None:
    file, _, _ = slots
    with pytest.raises(WrongPassword) as wrong:
        file.unlock("nurse", "Correct horse")
    with pytest.raises(WrongPassword) as unknown:
        file.unlock("mallory", "correct horse")
    assert "not correct" in str(wrong.value)
    assert "not correct" in str(unknown.value)


def test_a_slot_renamed_by_hand_does_not_open(slots) -> None:
    file, _, _ = slots
    doc = json.loads(file.path.read_text())
    doc["slots"][0]["name"] = "investigator"
    file.path.write_text(json.dumps(doc))
    with pytest.raises(KeySlotFileCorrupt):  # it no longer matches its checksum
        KeySlotFile.load(file.path).unlock("investigator", "correct horse")
    slot = {k: v for k, v in doc["slots"][0].items() if k != "check"}
    doc["slots"][0]["check"] = hashlib.sha256(canonical_bytes(slot)).hexdigest()
    file.path.write_text(json.dumps(doc))  # renamed with care: the header is the AEAD's data
    with pytest.raises(WrongPassword):
        KeySlotFile.load(file.path).unlock("investigator", "correct horse")


def test_the_file_holds_no_key_or_password_in_clear(slots) -> None:
    file, data_key, recovery = slots
    raw = file.path.read_bytes()
    assert data_key not in raw
    assert data_key.hex().encode() not in raw
    assert b"correct horse" not in raw
    assert recovery.encode() not in raw


def test_missing_and_damaged_files_have_their_own_errors(tmp_path: Path) -> None:
    with pytest.raises(KeySlotFileMissing):
        KeySlotFile.load(tmp_path / "nope.json")
    bad = tmp_path / "keyslots.json"
    bad.write_text('{"format": "desktop-crf-keyslots", "version": 1, "slots": [')
    with pytest.raises(KeySlotFileCorrupt):
        KeySlotFile.load(bad)


def test_recovery_keys_are_random_and_readable() -> None:
    keys = {new_recovery_key() for _ in range(20)}
    assert len(keys) == 20
    assert all(len(k) == 47 and k.count("-") == 7 for k in keys)
