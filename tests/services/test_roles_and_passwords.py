"""Permissions are enforced by the services, whatever the UI offers."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_crf.errors import InvalidInput, PermissionDenied, WrongPassword
from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services.data_entry import ItemInput, load_form, save_form
from desktop_crf.services.session import Session
from desktop_crf.services.signatures import sign_form
from desktop_crf.services.subjects import screen_subject
from tests.helpers.sites import PASSWORDS, login


def _subject(nurse: Session) -> str:
    return screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id


def test_a_monitor_cannot_change_clinical_data(site_dir: Path, nurse: Session) -> None:
    subject = _subject(nurse)
    monitor = login(site_dir, "monitor")
    with pytest.raises(PermissionDenied, match="monitor may not enter"):
        save_form(monitor, FormKey(subject, "SE.W0", "F.LAB"), [ItemInput("G", "I", "1")])
    with pytest.raises(PermissionDenied):
        screen_subject(monitor, study_version="1.0", screened_on="2026-10-01")
    monitor.close()


def test_only_an_admin_manages_users(nurse: Session) -> None:
    with pytest.raises(PermissionDenied, match="manage users"):
        site.add_user(
            nurse, "eve", role="nurse", password="x" * 10, admin_password=PASSWORDS["nurse"]
        )


def test_a_patient_session_writes_only_its_own_questionnaire(nurse: Session) -> None:
    mine, other = _subject(nurse), _subject(nurse)
    patient = site.open_patient_session(nurse, mine)
    answers = [ItemInput("IG.QLQ_ITEMS", "I.QLQ01", "2")]
    save_form(patient, FormKey(mine, "SE.W0", "F.QLQC30"), answers)
    with pytest.raises(PermissionDenied):
        save_form(patient, FormKey(other, "SE.W0", "F.QLQC30"), answers)
    with pytest.raises(PermissionDenied):
        save_form(patient, FormKey(mine, "SE.W0", "F.LAB"), answers)
    with pytest.raises(PermissionDenied):
        load_form(patient, FormKey(other, "SE.W0", "F.QLQC30"))
    entry = nurse.db.execute("SELECT user, role FROM audit WHERE item = 'I.QLQ01'").fetchone()
    assert tuple(entry) == (f"patient:{mine}", "patient")


def test_a_nurse_cannot_sign_and_an_investigator_must_reenter_the_password(
    nurse: Session, investigator: Session
) -> None:
    key = FormKey(_subject(nurse), "SE.W0", "F.LAB_LIVER")
    sample = [
        ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-10-02"),
        ItemInput("IG.SAMPLE", "I.LAB_NAME", "Central lab"),
    ]
    save_form(nurse, key, [*sample, ItemInput("IG.LIVER", "I.ALT", "52", "U/L")], complete=True)
    with pytest.raises(PermissionDenied, match="sign"):
        sign_form(nurse, key, PASSWORDS["nurse"])
    with pytest.raises(WrongPassword):
        sign_form(investigator, key, "wrong-password")
    sign_form(investigator, key, PASSWORDS["investigator"])
    signature = load_form(investigator, key).signature
    assert signature["state"] == "valid"
    assert signature["signer_name"] == "Dr Liyun Fu"
    assert signature["meaning"] == "I approve this form"
    save_form(nurse, key, [ItemInput("IG.LIVER", "I.ALT", "53", "U/L", reason="lab re-run")])
    assert load_form(investigator, key).signature["state"] == "broken"


def test_change_own_password_rewraps_only_that_slot(site_dir: Path, nurse: Session) -> None:
    before = (site_dir / "keyslots.json").read_text()
    site.change_password(nurse, PASSWORDS["nurse"], "a-new-password")
    nurse.close()
    with pytest.raises(WrongPassword):
        site.unlock(site_dir, "nurse", PASSWORDS["nurse"])
    site.unlock(site_dir, "nurse", "a-new-password").close()
    login(site_dir, "investigator").close()  # the other slots still open
    assert before != (site_dir / "keyslots.json").read_text()


def test_recovery_key_resets_a_forgotten_password(site_dir: Path, recovery_key: str) -> None:
    with pytest.raises(WrongPassword):
        site.reset_password(site_dir, "AAAAA-" * 7 + "AAAAA", "nurse", "brand-new-pass")
    site.reset_password(site_dir, recovery_key, "nurse", "brand-new-pass")
    session = site.unlock(site_dir, "nurse", "brand-new-pass")
    actions = [r[0] for r in session.db.execute("SELECT action FROM audit")]
    session.close()
    assert "user.password_reset" in actions


def test_bad_user_names_and_short_passwords_are_refused(site_dir: Path) -> None:
    admin = login(site_dir, "admin")
    with pytest.raises(InvalidInput, match="user name"):
        site.add_user(
            admin,
            "Bad Name",
            role="nurse",
            password="long-enough",
            admin_password=PASSWORDS["admin"],
        )
    with pytest.raises(InvalidInput, match="at least"):
        site.add_user(
            admin, "carol", role="nurse", password="short", admin_password=PASSWORDS["admin"]
        )
    with pytest.raises(InvalidInput, match="Patient sessions"):
        site.add_user(
            admin,
            "carol",
            role="patient",
            password="long-enough",
            admin_password=PASSWORDS["admin"],
        )
    admin.close()


def test_lock_closes_the_session_and_is_audited(site_dir: Path, nurse: Session) -> None:
    assert nurse.data_key is not None
    assert nurse.signer is not None
    site.lock(nurse)
    assert not nurse.is_open
    assert nurse.data_key is None
    assert nurse.signer is None
    with pytest.raises(Exception, match="locked"):
        _subject(nurse)
    again = site.unlock(site_dir, "nurse", PASSWORDS["nurse"], resume=True)
    actions = [r[0] for r in again.db.execute("SELECT action FROM audit ORDER BY seq")]
    again.close()
    assert actions[-2:] == ["session.lock", "session.unlock"]
