"""Reviewing and exporting the audit trail on real encrypted sites."""

from __future__ import annotations

import contextlib
import csv
import json
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_crf.errors import PermissionDenied
from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services.audit_review import (
    EXPORT_ACTION,
    ExportCancelled,
    ExportFailed,
    audit_entries,
    audit_filter_choices,
    entry_key,
    export_audit_csv,
    utc_stamp,
)
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject
from tests.helpers.sites import login

REASON = "复查：标本溶血 (re-tested)"


def fill_trail(site_dir: Path) -> list[str]:
    """Two subjects; the first one's ALT entered, then changed with a Chinese reason."""
    nurse = login(site_dir, "nurse")
    try:
        subjects = [
            str(screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id)
            for _ in range(2)
        ]
        key = FormKey(subjects[0], "SE.W0", "F.LAB_LIVER")
        save_form(nurse, key, [ItemInput("IG.LIVER", "I.ALT", "40", "U/L")])
        save_form(nurse, key, [ItemInput("IG.LIVER", "I.ALT", "41", "U/L")], reason=REASON)
    finally:
        site.logout(nurse)
    return subjects


@pytest.fixture
def subjects(site_dir: Path) -> list[str]:
    return fill_trail(site_dir)


@pytest.fixture
def monitor(site_dir: Path, subjects: list[str]) -> Iterator[Session]:
    session = login(site_dir, "monitor")
    yield session
    session.close()


def _all(session: Session) -> list[tuple]:
    return session.db.execute("SELECT ts, device, seq FROM audit").fetchall()


def test_entries_are_newest_first_with_readable_fields(
    monitor: Session, subjects: list[str]
) -> None:
    entries = audit_entries(monitor)
    assert len(entries) == len(_all(monitor))
    keys = [entry_key(e) for e in entries]
    assert keys == sorted(keys, reverse=True)
    change = next(e for e in entries if e["action"] == "item.set" and e["new"] == "41")
    assert change["change"] == "40 → 41"
    assert change["reason"] == REASON
    assert change["where"] == f"{subjects[0]} / SE.W0 / F.LAB_LIVER / I.ALT"
    assert change["entry"] == f"{change['device']}#{change['seq']}"
    assert (change["user"], change["role"], change["unit"]) == ("nurse", "nurse", "U/L")
    first = next(e for e in entries if e["action"] == "item.set" and e["new"] == "40")
    assert first["change"] == "— → 40"


def test_filters_by_subject_user_action_and_time(monitor: Session, subjects: list[str]) -> None:
    mine = audit_entries(monitor, subject=subjects[1])
    assert mine
    assert {e["subject"] for e in mine} == {subjects[1]}
    by_admin = audit_entries(monitor, user="admin")
    assert {e["user"] for e in by_admin} == {"admin"}
    assert "site.create" in {e["action"] for e in by_admin}
    sets = audit_entries(monitor, action="item.set", subject=subjects[0])
    assert [e["new"] for e in sets] == ["41", "40"]
    assert audit_entries(monitor, subject="  ") == audit_entries(monitor)  # blank = any
    now = datetime.now(UTC)
    assert audit_entries(monitor, since=now + timedelta(minutes=1)) == []
    assert audit_entries(monitor, until=now - timedelta(days=1)) == []
    window = audit_entries(
        monitor, since=now - timedelta(hours=1), until=now + timedelta(minutes=1)
    )
    assert len(window) == len(_all(monitor))


def test_pages_by_key_cover_the_trail_once_even_when_entries_arrive(
    monitor: Session,
) -> None:
    first = audit_entries(monitor, limit=4)
    site.lock(site.unlock(monitor.root, "nurse", "nurse-password"))  # new entries meanwhile
    seen = list(first)
    while page := audit_entries(monitor, before=entry_key(seen[-1]), limit=4):
        seen.extend(page)
    keys = [entry_key(e) for e in seen]
    assert len(set(keys)) == len(keys)
    assert len(keys) == len(_all(monitor)) - 2  # the login and lock came after the first page
    assert audit_entries(monitor, offset=4, limit=4) == audit_entries(monitor)[4:8]


def test_filter_choices_come_from_the_trail(monitor: Session, subjects: list[str]) -> None:
    choices = audit_filter_choices(monitor)
    assert choices["subject"] == sorted(subjects)
    assert {"admin", "nurse", "monitor"} <= set(choices["user"])
    assert {"item.set", "site.create", "session.login"} <= set(choices["action"])


def test_a_patient_session_cannot_read_the_trail(site_dir: Path, subjects: list[str]) -> None:
    nurse = login(site_dir, "nurse")
    try:
        assert audit_entries(nurse, limit=1)  # staff may review the trail
        patient = site.open_patient_session(nurse, subjects[0])
        with pytest.raises(PermissionDenied):
            audit_entries(patient)
        with pytest.raises(PermissionDenied):
            audit_filter_choices(patient)
    finally:
        nurse.close()


def test_export_needs_the_export_permission(site_dir: Path, subjects: list[str]) -> None:
    nurse = login(site_dir, "nurse")
    try:
        with pytest.raises(PermissionDenied):
            export_audit_csv(nurse, site_dir.parent / "trail.csv")
    finally:
        nurse.close()
    assert not (site_dir.parent / "trail.csv").exists()


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_every_entry_with_hashes_reasons_and_chinese_text(
    monitor: Session, tmp_path: Path
) -> None:
    before = len(_all(monitor))
    calls: list[tuple[int, int]] = []
    path = tmp_path / "out" / "审计追踪.csv"
    path.parent.mkdir()
    count = export_audit_csv(monitor, path, progress=lambda d, t: calls.append((d, t)))
    assert count == before
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    rows = _read_csv(path)
    assert len(rows) == count
    assert list(rows[0]) == [
        *("device", "seq", "ts", "user", "role", "action", "subject", "event", "event_repeat"),
        *("form", "item_group", "group_repeat", "item", "old", "new", "unit", "reason"),
        *("base_rev", "detail", "prev_hash", "hash"),
    ]
    change = next(r for r in rows if r["action"] == "item.set" and r["new"] == "41")
    assert (change["old"], change["reason"]) == ("40", REASON)
    stored = monitor.db.execute(
        "SELECT hash, prev_hash FROM audit WHERE device = ? AND seq = ?",
        [change["device"], int(change["seq"])],
    ).fetchone()
    assert (change["hash"], change["prev_hash"]) == tuple(stored)
    assert [r["ts"] for r in rows] == sorted(r["ts"] for r in rows)  # chain order
    assert calls[-1] == (count, count)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left

    exported = monitor.db.execute(
        "SELECT user, detail FROM audit WHERE action = ?", [EXPORT_ACTION]
    ).fetchall()
    assert len(exported) == 1
    assert exported[0][0] == "monitor"
    assert json.loads(exported[0][1]) == {"entries": count, "file": path.name, "filters": {}}
    assert site.verify_audit(monitor).ok


def test_a_filtered_export_holds_only_the_matching_entries(
    monitor: Session, subjects: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "subject.csv"
    count = export_audit_csv(monitor, path, subject=subjects[0], action="item.set")
    rows = _read_csv(path)
    assert count == len(rows) == 2
    assert {r["subject"] for r in rows} == {subjects[0]}
    detail = monitor.db.execute(
        "SELECT detail FROM audit WHERE action = ?", [EXPORT_ACTION]
    ).fetchone()[0]
    assert json.loads(detail)["filters"] == {"subject": subjects[0], "action": "item.set"}


def test_export_into_a_missing_folder_says_so_and_writes_nothing(
    monitor: Session, tmp_path: Path
) -> None:
    entries = len(_all(monitor))
    with pytest.raises(ExportFailed, match="does not exist") as failed:
        export_audit_csv(monitor, tmp_path / "gone" / "trail.csv")
    assert failed.value.kind == "no_folder"
    assert not (tmp_path / "gone").exists()
    assert len(_all(monitor)) == entries  # no export entry for an export that did not happen


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[Path]:
    """A folder nobody can write into: mode 0555, or immutable when the tests run as root."""
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False
    try:
        probe = folder / "probe"
        try:
            probe.touch()
        except PermissionError:
            pass
        else:
            probe.unlink()
            done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
            if done.returncode != 0:
                pytest.skip("cannot make a folder unwritable here")
            immutable = True
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        folder.chmod(0o755)


def test_export_into_an_unwritable_folder_says_so_and_writes_nothing(
    monitor: Session, tmp_path: Path
) -> None:
    with unwritable(tmp_path / "locked") as folder:
        with pytest.raises(ExportFailed, match="cannot be written") as failed:
            export_audit_csv(monitor, folder / "trail.csv")
        assert failed.value.kind == "not_writable"
        assert list(folder.iterdir()) == []


def test_a_cancelled_export_leaves_no_file_and_no_export_entry(
    monitor: Session, tmp_path: Path
) -> None:
    def cancel(done: int, total: int) -> None:
        raise ExportCancelled()  # at the last moment: every row is already in the temp file

    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ExportCancelled):
        export_audit_csv(monitor, folder / "trail.csv", progress=cancel)
    assert list(folder.iterdir()) == []
    assert not monitor.db.execute(
        "SELECT 1 FROM audit WHERE action = ?", [EXPORT_ACTION]
    ).fetchone()


def test_bounds_are_written_as_the_trail_writes_times() -> None:
    moment = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    assert utc_stamp(moment) == "2026-10-01T08:00:00.000000Z"
    shifted = datetime(2026, 10, 1, 16, 0, tzinfo=UTC).astimezone()  # any local zone
    assert utc_stamp(shifted) == "2026-10-01T16:00:00.000000Z"
    assert utc_stamp(None) is None
