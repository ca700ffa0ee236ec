"""Whole workflows through the application's real windows: screening and enrolment, a lab
value that becomes an AE, signatures that break, roles, and autosave across a lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop_crf.errors import PermissionDenied
from desktop_crf.model import FormKey
from desktop_crf.services.data_entry import load_form, pending_autosave
from desktop_crf.services.eligibility import NotEligible, enrol_eligible
from desktop_crf.services.signatures import sign_form
from desktop_crf.services.subjects import Enrolment, screen_subject
from desktop_crf.store import repository as repo
from desktop_crf.ui.form.view import FormView
from desktop_crf.ui.shell.controller import AppController
from desktop_crf.ui.subjects.view import SubjectView
from tests.helpers.sites import PASSWORDS, login
from tests.ui.screening import ELIGIBLE, save_screening, screening_with

pytestmark = pytest.mark.gui


def _screened(site_dir: Path, data: dict) -> str:
    nurse = login(site_dir, "nurse")
    try:
        subject = screen_subject(nurse, study_version="1.0", screened_on="2026-03-20").subject_id
        assert subject is not None
        save_screening(nurse, subject, data)
    finally:
        nurse.close()
    return subject


def _start(qtbot, site_dir: Path, role: str) -> AppController:
    ctl = AppController(site_dir, idle_minutes=10, autosave_ms=100)
    ctl.start()
    window = ctl.unlock_window
    window.user_edit.setText(role)
    with qtbot.waitSignal(ctl.subjects_loaded, timeout=10_000):
        qtbot.keyClicks(window.password_edit, PASSWORDS[role])
        qtbot.keyClick(window.password_edit, Qt.Key.Key_Return)
    return ctl


def _stop(ctl: AppController) -> None:
    ctl.shutdown()
    ctl.deleteLater()


def _open_subject(qtbot, ctl: AppController, subject_id: str) -> SubjectView:
    with qtbot.waitSignal(ctl.subject_opened, timeout=5000) as opened:
        ctl.main_window.subject_activated.emit(subject_id)
    view = opened.args[0]
    qtbot.waitUntil(lambda: view.timeline is not None, timeout=5000)
    return view


def _open_form(qtbot, ctl: AppController, key: FormKey) -> FormView:
    with qtbot.waitSignal(ctl.form_opened, timeout=5000) as opened:
        ctl.open_form(key)
    view = opened.args[0]
    qtbot.waitUntil(lambda: view.data is not None, timeout=5000)
    return view


def test_an_eligible_subject_is_enrolled(qtbot, site_dir: Path) -> None:
    subject = _screened(site_dir, ELIGIBLE)
    ctl = _start(qtbot, site_dir, "nurse")
    try:
        view = _open_subject(qtbot, ctl, subject)
        assert view.eligibility is not None
        assert view.eligibility.enrollable
        assert view.enrol_button.isEnabled()
        view.enrol_button.click()
        dialog = view.enrol_dialog
        dialog.anchor_edit.setText("2026-03-25")
        # the consent form's date is not asked again
        qtbot.waitUntil(lambda: dialog.consent_date_edit.text() == "2026-03-20", timeout=5000)
        dialog.consent_version_edit.setText("2.1")
        with qtbot.waitSignal(dialog.enrolled, timeout=5000):
            dialog.submit()
        qtbot.waitUntil(lambda: view.timeline.subject["status"] == "enrolled", timeout=5000)
        assert view.timeline.subject["consent_version"] == "2.1"
        assert view.timeline.subject["na_drug"]
        assert any(v.state == "open" or v.target for v in view.timeline.visits)
    finally:
        _stop(ctl)


def test_an_ineligible_subject_is_refused(qtbot, site_dir: Path) -> None:
    subject = _screened(site_dir, screening_with(**{"I.ALT": "400"}))  # 10 × ULN: EX04
    ctl = _start(qtbot, site_dir, "nurse")
    try:
        view = _open_subject(qtbot, ctl, subject)
        assert not view.eligibility.enrollable
        assert not view.enrol_button.isEnabled()
        statuses = {
            view.criteria.topLevelItem(i).text(0)[:4]: view.criteria.topLevelItem(i).text(1)
            for i in range(view.criteria.topLevelItemCount())
        }
        assert statuses["EX04"] == "met"
        with pytest.raises(NotEligible):
            enrol_eligible(ctl.session, subject, Enrolment(arm="PEG_NA", anchor_date="2026-03-25"))
    finally:
        _stop(ctl)


def test_a_lab_value_suggests_an_ae_that_enters_the_log(qtbot, site_dir: Path) -> None:
    subject = _screened(site_dir, ELIGIBLE)
    ctl = _start(qtbot, site_dir, "nurse")
    try:
        key = FormKey(subject, "SE.W12", "F.LAB_LIVER")
        view = _open_form(qtbot, ctl, key)
        for item, value in (
            ("I.SAMPLE_DATE", "2026-06-10"),
            ("I.LAB_NAME", "Central lab"),
            ("I.ALT", "152"),
            ("I.ALT_ULN", "40"),
        ):
            qtbot.keyClicks(view.line_edit(item), value)
        view.save()
        qtbot.waitUntil(lambda: view.saving.suggestion_box is not None, timeout=5000)
        assert "Alanine aminotransferase increased" in view.saving.suggestion_box.text()
        assert "grade 2" in view.saving.suggestion_box.text()
        with qtbot.waitSignal(view.saved, timeout=5000):
            view.saving.suggestion_box.accept()
        ae = load_form(ctl.session, FormKey(subject, "SE.LOG", "F.AE"))
        assert ae.value("IG.AE", "I.AETERM") == "Alanine aminotransferase increased"
        assert ae.value("IG.AE", "I.AEGRADE") == "2"
    finally:
        _stop(ctl)


def test_investigator_signs_nurse_changes_signature_breaks(qtbot, site_dir: Path) -> None:
    subject = _screened(site_dir, ELIGIBLE)
    key = FormKey(subject, "SE.SCREENING", "F.LAB_BLOOD")
    ctl = _start(qtbot, site_dir, "investigator")
    try:
        view = _open_form(qtbot, ctl, key)
        assert view.sign_button.isVisible()
        view.request_signature()
        dialog = view.signing.sign_dialog
        qtbot.keyClicks(dialog.password_edit, PASSWORDS["investigator"])
        with qtbot.waitSignal(view.saved, timeout=5000):
            dialog._accept()
        assert "Signed by Dr Liyun Fu" in view.notes.signature_label.text()
    finally:
        _stop(ctl)

    ctl = _start(qtbot, site_dir, "nurse")
    try:
        view = _open_form(qtbot, ctl, key)
        assert not view.sign_button.isVisible()  # a nurse is not offered signing
        assert "Signed by" in view.notes.signature_label.text()
        edit = view.line_edit("I.PLT")
        edit.clear()
        qtbot.keyClicks(edit, "175")
        view.save()
        qtbot.waitUntil(lambda: view.saving.reason_dialog is not None, timeout=5000)
        qtbot.keyClicks(view.saving.reason_dialog.reason_edit, "lab report corrected")
        with qtbot.waitSignal(view.saved, timeout=5000):
            view.saving.reason_dialog._accept()
        assert "Re-sign required" in view.notes.signature_label.text()
        subject_view = _open_subject(qtbot, ctl, subject)
        states = [
            subject_view.tree.topLevelItem(0).child(i).text(3)
            for i in range(subject_view.tree.topLevelItem(0).childCount())
        ]
        assert "signature broken — re-sign required" in states
    finally:
        _stop(ctl)


def test_typing_survives_a_lock_by_autosave(qtbot, site_dir: Path) -> None:
    subject = _screened(site_dir, ELIGIBLE)
    key = FormKey(subject, "SE.W12", "F.VISIT")
    ctl = _start(qtbot, site_dir, "nurse")
    try:
        view = _open_form(qtbot, ctl, key)
        qtbot.keyClicks(view.line_edit("I.VISIT_DATE"), "2026-06-10")
        with qtbot.waitSignal(ctl.locked, timeout=5000):
            ctl.lock()
        assert ctl.main_window is None
        with qtbot.waitSignal(ctl.subjects_loaded, timeout=10_000):
            ctl.unlock_window.user_edit.setText("nurse")
            qtbot.keyClicks(ctl.unlock_window.password_edit, PASSWORDS["nurse"])
            qtbot.keyClick(ctl.unlock_window.password_edit, Qt.Key.Key_Return)
        view = ctl.main_window.find_tab(key)  # the same nurse: her tabs come back
        assert isinstance(view, FormView)
        qtbot.waitUntil(lambda: view.data is not None, timeout=5000)
        assert view.line_edit("I.VISIT_DATE").text() == "2026-06-10"
        assert repo.get_form_status(ctl.session.db, key) is None
        assert pending_autosave(ctl.session, key) is not None
    finally:
        _stop(ctl)


def test_switching_to_chinese_translates_the_ui_and_the_form_labels(qtbot, site_dir: Path) -> None:
    subject = _screened(site_dir, ELIGIBLE)
    ctl = _start(qtbot, site_dir, "nurse")
    try:
        with qtbot.waitSignal(ctl.subjects_loaded, timeout=5000):
            ctl.main_window.language_box.setCurrentIndex(1)
        assert ctl.main_window.tabs.tabText(0) == "受试者"
        view = _open_form(qtbot, ctl, FormKey(subject, "SE.SCREENING", "F.LAB_LIVER"))
        assert view.save_button.text() == "保存草稿（Ctrl+S）"
        labels = [w.text() for w in view.findChildren(QLabel)]
        assert any("丙氨酸氨基转移酶" in text for text in labels)
    finally:
        ctl.set_language("en")
        _stop(ctl)


def test_investigator_signs_a_whole_visit_and_a_nurse_cannot(qtbot, site_dir: Path) -> None:
    subject = _screened(site_dir, ELIGIBLE)
    ctl = _start(qtbot, site_dir, "nurse")
    try:
        view = _open_subject(qtbot, ctl, subject)
        assert not view.sign_visit_button.isVisible()
        with pytest.raises(PermissionDenied):
            sign_form(
                ctl.session, FormKey(subject, "SE.SCREENING", "F.LAB_BLOOD"), PASSWORDS["nurse"]
            )
    finally:
        _stop(ctl)
    ctl = _start(qtbot, site_dir, "investigator")
    try:
        view = _open_subject(qtbot, ctl, subject)
        view.tree.setCurrentItem(view.tree.topLevelItem(0))
        view.sign_visit_button.click()
        qtbot.keyClicks(view.sign_dialog.password_edit, PASSWORDS["investigator"])
        with qtbot.waitSignal(view.loaded, timeout=5000):
            view.sign_dialog._accept()
        screening = view.tree.topLevelItem(0)
        states = {screening.child(i).text(3) for i in range(screening.childCount())}
        assert states == {"signed", "not started"}
    finally:
        _stop(ctl)
