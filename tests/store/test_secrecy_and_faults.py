"""Secrecy at rest, and bad input or a broken environment: a specific error, nothing lost."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from desktop_crf.errors import (
    DatabaseCorrupt,
    DiskFull,
    KeySlotFileCorrupt,
    KeySlotFileMissing,
    ReadOnlyDatabase,
    WrongPassword,
)
from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services.data_entry import ItemInput, load_form, save_form
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject
from tests.helpers.sites import PASSWORDS, login

MARKER = "ZEBRA-MARKER-7781"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _save_marker(nurse: Session) -> FormKey:
    subject = screen_subject(
        nurse, study_version="1.0", screened_on="2026-10-01", initials="QXZ"
    ).subject_id
    key = FormKey(subject, "SE.SCREENING", "F.HCC_HISTORY")
    save_form(nurse, key, [ItemInput("IG.PATHOLOGY", "I.PATHOLOGY_NOTE", MARKER)])
    return key


def test_no_entered_value_is_in_the_raw_files(site_dir: Path, nurse: Session) -> None:
    key = _save_marker(nurse)
    # The initials alone are three bytes, found by chance in a few MB of ciphertext; the
    # subject's audit entry holds them in JSON long enough to mean something.
    created = nurse.db.execute(
        "SELECT new FROM audit WHERE action = 'subject.create' AND subject = ?", [key.subject_id]
    ).fetchone()[0]
    assert "QXZ" in created
    # Read while the connection is open, so the -wal file holds the latest pages too.
    files = [p for p in site_dir.iterdir() if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files)
    for path in files:
        raw = path.read_bytes()
        for secret in (MARKER, key.subject_id, created):
            assert secret.encode() not in raw, f"{secret} found in {path.name}"
            assert secret.encode("utf-16-le") not in raw
    assert not (site_dir / "site.db").read_bytes().startswith(b"SQLite format 3")


def test_wrong_password_writes_nothing(site_dir: Path) -> None:
    before = {p.name: _digest(p) for p in site_dir.iterdir()}
    with pytest.raises(WrongPassword, match="not correct"):
        site.unlock(site_dir, "nurse", "not-the-password")
    after = {p.name: _digest(p) for p in site_dir.iterdir() if p.name in before}
    assert after == before


def test_failed_unlocks_are_delayed_then_audited(site_dir: Path) -> None:
    now = [1000.0]

    def clock() -> float:
        return now[0]

    for _ in range(3):  # three free attempts
        with pytest.raises(WrongPassword):
            site.unlock(site_dir, "nurse", "bad-password", clock=clock)
    with pytest.raises(site.UnlockDelayed) as delayed:  # even the right password waits now
        site.unlock(site_dir, "nurse", PASSWORDS["nurse"], clock=clock)
    assert delayed.value.seconds == pytest.approx(5.0)
    now[0] += 6
    with pytest.raises(WrongPassword):
        site.unlock(site_dir, "nurse", "bad-password", clock=clock)
    with pytest.raises(site.UnlockDelayed) as delayed:  # and the wait doubles
        site.unlock(site_dir, "nurse", PASSWORDS["nurse"], clock=clock)
    assert delayed.value.seconds == pytest.approx(10.0)
    now[0] += 11
    session = site.unlock(site_dir, "nurse", PASSWORDS["nurse"], clock=clock)
    failed = session.db.execute(
        "SELECT count(*) FROM audit WHERE action = 'session.login_failed'"
    ).fetchone()[0]
    session.close()
    assert failed == 4
    assert not (site_dir / "unlock-attempts.json").exists()


def test_missing_or_damaged_key_file(site_dir: Path) -> None:
    slots = site_dir / "keyslots.json"
    saved = slots.read_bytes()
    slots.write_bytes(saved[: len(saved) // 2])
    with pytest.raises(KeySlotFileCorrupt, match="backup"):
        site.unlock(site_dir, "nurse", PASSWORDS["nurse"])
    slots.unlink()
    with pytest.raises(KeySlotFileMissing, match="backup"):
        site.unlock(site_dir, "nurse", PASSWORDS["nurse"])
    slots.write_bytes(saved)
    login(site_dir, "nurse").close()


def test_truncated_database_is_reported_and_the_backup_still_opens(
    site_dir: Path, nurse: Session, tmp_path: Path
) -> None:
    key = _save_marker(nurse)
    nurse.close()
    backup = shutil.copytree(site_dir, tmp_path / "backup")
    db = site_dir / "site.db"
    db.write_bytes(db.read_bytes()[:1000])
    with pytest.raises(DatabaseCorrupt, match="backup"):
        site.unlock(site_dir, "nurse", PASSWORDS["nurse"])
    restored = login(backup, "nurse")
    assert load_form(restored, key).value("IG.PATHOLOGY", "I.PATHOLOGY_NOTE") == MARKER
    restored.close()


def test_full_disk_keeps_what_was_saved(nurse: Session) -> None:
    key = _save_marker(nurse)
    pages = nurse.db.execute("PRAGMA page_count").fetchone()[0]
    nurse.db.execute(f"PRAGMA max_page_count = {pages}")
    big = [ItemInput("IG.AE", "I.AEDESC", "x" * 2000, group_repeat=r) for r in range(1, 61)]
    ae_log = FormKey(key.subject_id, "SE.LOG", "F.AE")
    with pytest.raises(DiskFull, match="Everything saved before is safe"):
        save_form(nurse, ae_log, big)
    assert load_form(nurse, key).value("IG.PATHOLOGY", "I.PATHOLOGY_NOTE") == MARKER
    assert load_form(nurse, ae_log).values == {}
    assert site.verify_audit(nurse).ok


def test_read_only_database(site_dir: Path, nurse: Session) -> None:
    _save_marker(nurse)
    nurse.db.execute("PRAGMA query_only = ON")
    with pytest.raises(ReadOnlyDatabase):
        screen_subject(nurse, study_version="1.0", screened_on="2026-10-02")
