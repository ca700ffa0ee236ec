"""The audit trail: append-only, chained, verifiable, tamper-evident."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3

from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject
from desktop_crf.store.database import DatabaseError
from desktop_crf.store.keyslots import KeySlotFile
from tests.helpers.sites import PASSWORDS


def _fill(nurse: Session, n: int = 3) -> FormKey:
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
    key = FormKey(subject, "SE.W0", "F.LAB_LIVER")
    for i in range(n):
        reason = "re-tested" if i else None
        items = [ItemInput("IG.LIVER", "I.ALT", str(40 + i), "U/L", reason=reason)]
        save_form(nurse, key, items)
    return key


def test_update_and_delete_are_refused_by_triggers(nurse: Session) -> None:
    _fill(nurse)
    with pytest.raises(DatabaseError, match="append-only"):
        nurse.db.execute("UPDATE audit SET new = 'x' WHERE seq = 1")
    with pytest.raises(DatabaseError, match="append-only"):
        nurse.db.execute("DELETE FROM audit")


def test_entries_carry_who_what_when_and_chain(nurse: Session) -> None:
    _fill(nurse)
    rows = list(nurse.db.query("SELECT * FROM audit WHERE action = 'item.set' ORDER BY seq"))
    assert [(r["old"], r["new"]) for r in rows] == [(None, "40"), ("40", "41"), ("41", "42")]
    assert rows[1]["reason"] == "re-tested"
    assert rows[0]["reason"] is None
    assert {r["user"] for r in rows} == {"nurse"}
    assert {r["role"] for r in rows} == {"nurse"}
    assert [r["base_rev"] for r in rows] == [0, 1, 2]
    assert all(r["ts"].endswith("Z") for r in rows)
    seqs = [r["seq"] for r in nurse.db.query("SELECT seq FROM audit ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))
    report = site.verify_audit(nurse)
    assert report.ok
    assert report.count == len(seqs)


def _tamper(site_dir: Path, sql: str) -> None:
    """Change the trail behind the app's back: a raw connection with the triggers dropped."""
    key = KeySlotFile.load(site_dir / "keyslots.json").unlock("nurse", PASSWORDS["nurse"])
    conn = sqlcipher3.connect(str(site_dir / "site.db"))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.executescript(f"DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; {sql}")
    conn.commit()
    conn.close()


def test_a_changed_row_is_named_by_verify_chain_and_the_cli(site_dir: Path, nurse: Session) -> None:
    _fill(nurse)
    target = nurse.db.execute(
        "SELECT device, seq FROM audit WHERE action = 'item.set' AND new = '41'"
    ).fetchone()
    nurse.close()
    _tamper(site_dir, "UPDATE audit SET new = '14' WHERE new = '41' AND action = 'item.set'")
    session = site.unlock(site_dir, "monitor", PASSWORDS["monitor"])
    report = site.verify_audit(session)
    session.close()
    assert not report.ok
    assert (report.first_break.device, report.first_break.seq) == tuple(target)
    assert "content does not match" in report.first_break.reason

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop_crf.cli",
            "verify-audit",
            str(site_dir),
            "--user",
            "monitor",
            "--password-stdin",
        ],
        input=PASSWORDS["monitor"] + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"{target[0]}#{target[1]}" in result.stderr


def test_a_deleted_row_is_a_sequence_gap(site_dir: Path, nurse: Session) -> None:
    _fill(nurse)
    nurse.close()
    _tamper(site_dir, "DELETE FROM audit WHERE seq = 5")
    session = site.unlock(site_dir, "monitor", PASSWORDS["monitor"])
    report = site.verify_audit(session)
    session.close()
    assert not report.ok
    assert report.first_break.seq == 6
    assert "sequence gap" in report.first_break.reason
