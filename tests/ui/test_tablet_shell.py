"""The tablet in the whole app: staff hand it over from the subject's view, the main window
goes, nothing else can be reached, staff take it back; a lock or a crash leaves the hand-over
open and the next unlock goes back to it, at the question after the last one answered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop_crf.model import FormKey
from desktop_crf.services import kiosk
from desktop_crf.services.data_entry import load_form
from desktop_crf.ui.shell.controller import AppController
from desktop_crf.ui.subjects.view import SubjectView
from desktop_crf.ui.tablet.controller import KioskController
from desktop_crf.ui.tablet.flow import Screen
from tests.helpers.sites import PASSWORDS, login
from tests.ui.tablet import TIMEOUT, answer, choose, tablet_site, tap

pytestmark = pytest.mark.gui


@pytest.fixture
def site(recurrence_site_template: Path, tmp_path: Path) -> tuple[Path, list[FormKey]]:
    return tablet_site(recurrence_site_template, tmp_path / "tablet-site", subjects=2)


@pytest.fixture
def app(qtbot, site) -> Iterator[AppController]:
    ctl = AppController(site[0], idle_minutes=10)
    ctl.start()
    yield ctl
    ctl.shutdown()
    ctl.deleteLater()


def _unlock(qtbot, ctl: AppController, user: str = "nurse") -> None:
    window = ctl.unlock_window
    assert window is not None
    window.user_edit.setText(user)
    window.password_edit.setText(PASSWORDS[user])
    window.unlock_button.click()


def _hand_over_from_the_subject(qtbot, ctl: AppController, key: FormKey) -> KioskController:
    with qtbot.waitSignal(ctl.subjects_loaded, timeout=TIMEOUT):
        _unlock(qtbot, ctl)
    with qtbot.waitSignal(ctl.subject_opened, timeout=TIMEOUT) as opened:
        ctl.open_subject(key.subject_id)
    view: SubjectView = opened.args[0]
    qtbot.waitUntil(lambda: view.questionnaires.due_keys == [key], timeout=TIMEOUT)
    panel = view.questionnaires
    assert panel.selected_key() == key
    qtbot.mouseClick(panel.hand_button, Qt.MouseButton.LeftButton)
    dialog = panel.hand_over_dialog
    assert dialog is not None
    assert dialog.initials_box.isChecked()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Hand to patient"
    with qtbot.waitSignal(ctl.tablet.entered, timeout=TIMEOUT) as entered:
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    kiosk_ctl: KioskController = entered.args[0]
    qtbot.waitUntil(lambda: kiosk_ctl.state is not None, timeout=TIMEOUT)
    assert kiosk_ctl.flow.screen is Screen.WELCOME
    assert kiosk_ctl.window.welcome.for_label.text().endswith("P0")
    return kiosk_ctl


def _take_back(qtbot, ctl: KioskController, user: str, secret: str, method: str) -> None:
    tap(qtbot, ctl, ctl.window.staff_button, Screen.STAFF)
    staff = ctl.window.staff
    staff.user_edit.setText(user)
    staff.use("pin" if method == "pin" else "password")
    qtbot.keyClicks(staff.secret_edit, secret)
    with qtbot.waitSignal(ctl.ended, timeout=TIMEOUT):
        qtbot.mouseClick(staff.take_button, Qt.MouseButton.LeftButton)


def test_hand_over_from_the_subject_then_back_with_a_pin(qtbot, app, site) -> None:
    root, keys = site
    nurse = login(root, "nurse")
    kiosk.set_kiosk_pin(nurse, PASSWORDS["nurse"], "482913")
    nurse.close()
    tablet = _hand_over_from_the_subject(qtbot, app, keys[0])
    assert app.main_window is None  # nothing of the app behind the kiosk
    assert tablet.window.isFullScreen()
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [tablet.window]
    app.hand_to_patient(keys[1], False)  # a second hand-over while one is open: nothing
    qtbot.wait(200)
    assert app.tablet.kiosk is tablet
    choose(qtbot, tablet, "en")
    answer(qtbot, tablet, 2)
    with qtbot.waitSignal(app.subject_opened, timeout=TIMEOUT) as opened:
        _take_back(qtbot, tablet, "nurse", "482913", "pin")
    assert app.main_window is not None
    assert app.tablet.kiosk is None
    view: SubjectView = opened.args[0]
    qtbot.waitUntil(lambda: view.questionnaires.tree.topLevelItemCount() > 0, timeout=TIMEOUT)
    rows = [
        view.questionnaires.tree.topLevelItem(i)
        for i in range(view.questionnaires.tree.topLevelItemCount())
    ]
    week12 = next(r for r in rows if r.data(0, Qt.ItemDataRole.UserRole) == keys[0])
    assert week12.text(2).startswith("1 of 30")
    assert "by the patient" in week12.text(2)


def test_another_staff_member_takes_it_back_and_signs_in(qtbot, app, site) -> None:
    _root, keys = site
    tablet = _hand_over_from_the_subject(qtbot, app, keys[0])
    with qtbot.waitSignal(app.locked, timeout=TIMEOUT):
        _take_back(qtbot, tablet, "investigator", PASSWORDS["investigator"], "password")
    assert app.unlock_window is not None
    assert app.unlock_window.user_edit.text() == "investigator"
    assert app.session is None


def test_a_lock_closes_the_kiosk_and_the_unlock_goes_back_to_it(qtbot, app, site) -> None:
    _root, keys = site
    tablet = _hand_over_from_the_subject(qtbot, app, keys[0])
    choose(qtbot, tablet, "en")
    for code in (1, 2, 3):
        answer(qtbot, tablet, code)
    with qtbot.waitSignal(app.locked, timeout=TIMEOUT):
        app.idle.idle.emit()
    assert tablet.closed
    assert not tablet.lockdown.active
    with qtbot.waitSignal(app.tablet.entered, timeout=TIMEOUT) as entered:
        _unlock(qtbot, app)
    again: KioskController = entered.args[0]
    qtbot.waitUntil(lambda: again.flow.screen is Screen.QUESTION, timeout=TIMEOUT)
    assert again.flow.item == 4
    assert app.main_window is None


def test_killed_at_question_17_resumes_at_18_with_17_answers(qtbot, site) -> None:
    root, keys = site
    repo_root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(repo_root)}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.tablet_crash_child", str(root), keys[0].subject_id],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=repo_root,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "READY"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    ctl = AppController(root)
    ctl.start()
    try:
        with qtbot.waitSignal(ctl.tablet.entered, timeout=TIMEOUT) as entered:
            _unlock(qtbot, ctl)
        tablet: KioskController = entered.args[0]
        qtbot.waitUntil(lambda: tablet.flow.screen is Screen.QUESTION, timeout=TIMEOUT)
        assert tablet.flow.item == 18
        assert tablet.window.question.question.text().startswith("18. ")
        assert ctl.main_window is None
        nurse = login(root, "nurse")
        try:
            form = load_form(nurse, keys[0])
        finally:
            nurse.close()
        answers = {i for g, _r, i in form.values if g == "IG.QLQ_ITEMS"}
        assert answers == {f"I.QLQ{n:02d}" for n in range(1, 18)}
        answer(qtbot, tablet, 1)
        assert tablet.flow.item == 19
    finally:
        ctl.shutdown()
        ctl.deleteLater()


def test_the_unlock_window_offers_the_sites_the_app_was_opened_with(
    qtbot, site_dir: Path, site
) -> None:
    """``make run`` opens both demo sites: the recurrence study's is where the tablet is."""
    recurrence, keys = site
    ctl = AppController(site_dir, sites=[site_dir, recurrence])
    ctl.start()
    try:
        box = ctl.unlock_window.site_box
        assert box.isVisibleTo(ctl.unlock_window)
        assert [box.itemText(i) for i in range(box.count())] == [
            "NB02 · NCT07553767",
            "NB02 · PEG-HCC-RECUR-3Y",
        ]
        box.setCurrentIndex(1)
        assert ctl.root == recurrence
        assert ctl.unlock_window.site_box.currentIndex() == 1
        with qtbot.waitSignal(ctl.subjects_loaded, timeout=TIMEOUT) as loaded:
            _unlock(qtbot, ctl)
        assert loaded.args == [len(keys)]
        assert ctl.session.site.study_id == "PEG-HCC-RECUR-3Y"
    finally:
        ctl.shutdown()
        ctl.deleteLater()
