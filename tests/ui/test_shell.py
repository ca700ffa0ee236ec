"""The GUI shell driven with real widgets: unlock, subject list, idle lock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from desktop_crf.services.subjects import screen_subject
from desktop_crf.ui.shell.controller import AppController
from tests.helpers.sites import PASSWORDS, login

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]

#: What the unlock window does without: the database code, the study models, the main window.
_NOT_BEFORE_UNLOCK_WINDOW = (
    "sqlite_utils",
    "sqlcipher3",
    "pydantic",
    "lxml",
    "desktop_crf.store.database",
    "desktop_crf.services.site",
    "desktop_crf.ui.context",
    "desktop_crf.ui.shell.main_window",
    "desktop_crf.ui.form.view",
    "desktop_crf.ui.tablet.shell",
)


@pytest.fixture
def controller(qtbot, site_dir: Path):
    nurse = login(site_dir, "nurse")
    for initials in ("GH", "KL", "MN"):  # not hex: subject ids carry a hex device tag
        screen_subject(nurse, study_version="1.0", screened_on="2026-10-01", initials=initials)
    nurse.close()
    ctl = AppController(site_dir, idle_minutes=10)
    ctl.start()
    yield ctl
    ctl.shutdown()
    ctl.deleteLater()


def test_the_unlock_window_comes_up_without_the_rest_of_the_app(site_dir: Path) -> None:
    """In a fresh interpreter: what the app imports and runs until the unlock window is shown
    loads none of the rest (it is imported on a thread once the window is up)."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import desktop_crf.app\n"
        "from desktop_crf.services.site_labels import site_exists, site_label\n"
        "from desktop_crf.ui.shell.controller import AppController\n"
        "from desktop_crf.ui.shell.unlock_window import UnlockWindow\n"
        "app = QApplication([])\n"
        "root = __import__('pathlib').Path(sys.argv[1])\n"
        "assert site_exists(root)\n"
        "ctl = AppController(root)\n"
        "window = UnlockWindow(site_label(root))\n"
        "window.show()\n"
        "app.processEvents()\n"
        "print(sorted(m for m in sys.argv[2:] if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(site_dir), *_NOT_BEFORE_UNLOCK_WINDOW],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.stdout.strip() == "[]"


def _type_and_unlock(qtbot, ctl: AppController, user: str, password: str) -> None:
    window = ctl.unlock_window
    window.user_edit.setText(user)
    qtbot.keyClicks(window.password_edit, password)
    qtbot.keyClick(window.password_edit, Qt.Key.Key_Return)


def test_wrong_password_shows_a_clear_error(qtbot, controller: AppController) -> None:
    window = controller.unlock_window
    _type_and_unlock(qtbot, controller, "nurse", "not-my-password")
    qtbot.waitUntil(lambda: window.error_label.isVisible(), timeout=10_000)
    assert "not correct" in window.error_label.text()
    assert window.password_edit.text() == ""
    assert controller.main_window is None


def test_a_window_is_shown_all_through_the_unlock(qtbot, controller: AppController) -> None:
    """With no window between the unlock window and the main window, Qt takes the gap for
    the last window closed and quits the app (``desktop-crf --check-install`` found it)."""
    shown_when_hidden: list[list[QWidget]] = []
    # a window an earlier test left open is not this app's
    earlier = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Hide:
                others = [
                    w
                    for w in QApplication.topLevelWidgets()
                    if w is not watched and id(w) not in earlier
                ]
                shown_when_hidden.append([w for w in others if w.isVisible()])
            return False

    watch = Watch()
    controller.unlock_window.installEventFilter(watch)
    with qtbot.waitSignal(controller.subjects_loaded, timeout=10_000):
        _type_and_unlock(qtbot, controller, "nurse", PASSWORDS["nurse"])
    assert controller.unlock_window is None
    assert shown_when_hidden, "the unlock window was never hidden"
    assert all(shown_when_hidden), "no window was shown when the unlock window went"
    assert shown_when_hidden[0] == [controller.main_window]


def test_unlock_shows_the_subjects_then_idle_lock_hides_them(
    qtbot, controller: AppController
) -> None:
    with qtbot.waitSignal(controller.subjects_loaded, timeout=10_000) as loaded:
        _type_and_unlock(qtbot, controller, "nurse", PASSWORDS["nurse"])
    assert loaded.args == [3]
    window = controller.main_window
    assert window.model.rowCount() == 3
    qtbot.keyClicks(window.search, "KL")
    assert window.proxy.rowCount() == 1

    with qtbot.waitSignal(controller.locked, timeout=5_000):
        controller.idle.idle.emit()
    assert controller.main_window is None
    assert window.model.rowCount() == 0
    assert controller.session is None
    assert controller.unlock_window.user_edit.text() == "nurse"

    with qtbot.waitSignal(controller.subjects_loaded, timeout=10_000):
        _type_and_unlock(qtbot, controller, "nurse", PASSWORDS["nurse"])
    controller.worker.wait_idle()
    actions = [r[0] for r in controller.session.db.execute("SELECT action FROM audit")]
    assert "session.lock" in actions
    assert actions[-1] == "session.unlock"


def test_the_idle_timer_fires_without_input(qtbot, site_dir: Path) -> None:
    ctl = AppController(site_dir, idle_minutes=0.005)  # 300 ms
    ctl.start()
    with qtbot.waitSignal(ctl.subjects_loaded, timeout=10_000):
        _type_and_unlock(qtbot, ctl, "nurse", PASSWORDS["nurse"])
    with qtbot.waitSignal(ctl.locked, timeout=5_000):
        pass
    assert ctl.session is None
    ctl.shutdown()
    ctl.deleteLater()


def test_input_keeps_the_site_unlocked_and_its_absence_locks_it(qtbot, site_dir: Path) -> None:
    ctl = AppController(site_dir, idle_minutes=0.01)  # 600 ms
    ctl.start()
    with qtbot.waitSignal(ctl.subjects_loaded, timeout=10_000):
        _type_and_unlock(qtbot, ctl, "nurse", PASSWORDS["nurse"])
    window = ctl.main_window.windowHandle()
    for _ in range(8):  # 1.2 s of typing, more than the idle time
        QTest.keyClick(window, Qt.Key.Key_Shift)
        qtbot.wait(150)
    assert ctl.session is not None
    with qtbot.waitSignal(ctl.locked, timeout=5_000):
        pass
    assert ctl.session is None
    ctl.shutdown()
    ctl.deleteLater()


def test_a_save_refreshes_only_its_subjects_row(qtbot, controller: AppController) -> None:
    from desktop_crf.model import FormKey
    from desktop_crf.services.data_entry import ItemInput, save_form

    with qtbot.waitSignal(controller.subjects_loaded, timeout=10_000):
        _type_and_unlock(qtbot, controller, "nurse", PASSWORDS["nurse"])
    model = controller.main_window.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).initials == "KL")
    subject = model.row_at(row).subject_id
    before = int(model.index(row, 10).data())
    session = controller.session
    key = FormKey(subject, "SE.W0", "F.LAB_LIVER")
    controller.worker.call_from_thread(
        lambda: save_form(session, key, [ItemInput("IG.LIVER", "I.ALT", "40", "U/L")])
    )
    with qtbot.assertNotEmitted(model.modelReset, wait=300):
        controller.refresh_subject(subject)
        qtbot.waitUntil(lambda: int(model.index(row, 10).data()) > before, timeout=5_000)
    assert model.rowCount() == 3
    assert model.row_at(row).subject_id == subject
