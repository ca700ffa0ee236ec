"""Nothing a nurse was doing disappears unannounced: closing a form with typing not saved
asks first, quitting too; her tabs come back after a lock and a language switch; forms holding
typing kept by autosave are marked on the subject's timeline; Ctrl+W closes a tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_crf.model import FormKey
from desktop_crf.services.data_entry import load_form, pending_autosave
from desktop_crf.services.subjects import screen_subject
from desktop_crf.ui.form.view import FormView
from desktop_crf.ui.shell.controller import AppController
from desktop_crf.ui.subjects.view import SubjectView
from tests.helpers.sites import PASSWORDS, login

pytestmark = pytest.mark.gui


@pytest.fixture
def ctl(qtbot, site_dir: Path):
    nurse = login(site_dir, "nurse")
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    nurse.close()
    controller = AppController(site_dir, idle_minutes=10, autosave_ms=100)
    controller.start()
    controller.unlock_window.user_edit.setText("nurse")
    with qtbot.waitSignal(controller.subjects_loaded, timeout=10_000):
        qtbot.keyClicks(controller.unlock_window.password_edit, PASSWORDS["nurse"])
        qtbot.keyClick(controller.unlock_window.password_edit, Qt.Key.Key_Return)
    controller.subject = subject  # type: ignore[attr-defined]
    yield controller
    controller.shutdown()
    controller.deleteLater()


def _form_with_typing(qtbot, ctl) -> tuple[FormView, FormKey]:
    key = FormKey(ctl.subject, "SE.SCREENING", "F.CONSENT")
    with qtbot.waitSignal(ctl.form_opened, timeout=5000) as opened:
        ctl.open_form(key)
    view = opened.args[0]
    qtbot.waitUntil(lambda: view.data is not None, timeout=5000)
    qtbot.keyClicks(view.fields["I.CONSENT_VERSION"].editor(), "2.1")
    assert view.unsaved()
    return view, key


def _choose(box: QMessageBox, text: str) -> None:
    (button,) = [b for b in box.buttons() if b.text() == text]
    button.click()


def test_closing_a_form_with_typing_asks_and_can_finish_later(qtbot, ctl) -> None:
    view, key = _form_with_typing(qtbot, ctl)
    window = ctl.main_window
    count = window.tabs.count()
    window.tabs.setCurrentWidget(view)
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    editor = view.fields["I.CONSENT_VERSION"].editor()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)  # Ctrl+W
    box = window.unsaved_box
    assert box is not None
    assert box.isVisible()
    assert window.tabs.count() == count  # nothing closed yet
    _choose(box, "Close, finish later")
    assert window.tabs.count() == count - 1
    ctl.worker.wait_idle()
    assert pending_autosave(ctl.session, key)["fields"]["I.CONSENT_VERSION"][0] == "2.1"


def test_closing_a_form_with_typing_can_save_it_first(qtbot, ctl) -> None:
    view, key = _form_with_typing(qtbot, ctl)
    window = ctl.main_window
    count = window.tabs.count()
    window.close_tab(window.tabs.indexOf(view))
    with qtbot.waitSignal(view.saved, timeout=5000):
        _choose(window.unsaved_box, "Save")
        qtbot.waitUntil(lambda: view.saving.confirm_box is not None, timeout=5000)
        view.saving.confirm_box.accept()  # the unusual value asked about, as in any save
    qtbot.waitUntil(lambda: window.tabs.count() == count - 1, timeout=5000)
    assert load_form(ctl.session, key).value("IG.CONSENT", "I.CONSENT_VERSION") == "2.1"


def test_quitting_with_typing_asks(qtbot, ctl) -> None:
    _form_with_typing(qtbot, ctl)
    window = ctl.main_window
    assert not window.close()  # refused for now: the question is asked
    assert window.isVisible()
    assert "not saved yet" in window.unsaved_box.text()


def test_tabs_come_back_after_a_language_switch_and_typing_is_marked(qtbot, ctl) -> None:
    _view, key = _form_with_typing(qtbot, ctl)
    ctl.open_subject(ctl.subject)
    with qtbot.waitSignal(ctl.subjects_loaded, timeout=5000):
        ctl.set_language("zh_CN")
    try:
        window = ctl.main_window
        assert isinstance(window.find_tab(key), FormView)
        subject = window.find_tab(("subject", ctl.subject))
        assert isinstance(subject, SubjectView)
        qtbot.waitUntil(lambda: subject.timeline is not None, timeout=5000)
        screening = subject.tree.topLevelItem(0)
        consent = next(
            screening.child(i)
            for i in range(screening.childCount())
            if screening.child(i).data(0, Qt.ItemDataRole.UserRole) == key
        )
        assert "有未保存的输入" in consent.text(3)
    finally:
        ctl.set_language("en")
