"""Take the README screenshots of the patient tablet at 1280×800 on the recurrence demo site.

``QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshots_tablet OUT_DIR [en|zh_CN]``

Writes ``tablet-welcome-L.png``, ``tablet-question-L.png``, ``tablet-scale-L.png``,
``tablet-handback-L.png`` and ``tablet-subject-L.png`` (the staff's view of the questionnaires).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from desktop_crf.i18n import use_language
from desktop_crf.services.demo import DEMO_PASSWORD, RECURRENCE_STUDY, create_demo_site
from desktop_crf.ui.shell.controller import AppController
from desktop_crf.ui.tablet.controller import KioskController
from desktop_crf.ui.tablet.flow import Screen


def _pump(app: QApplication, ctl: AppController, seconds: float = 0.5) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    ctl.worker.wait_idle()
    app.processEvents()


def _grab(widget: QWidget, path: Path) -> None:
    widget.resize(1280, 800)
    QApplication.processEvents()
    widget.grab().save(str(path))


def _tap(app: QApplication, ctl: AppController, widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    _pump(app, ctl, 0.2)


def main() -> None:
    out = Path(sys.argv[1])
    language = sys.argv[2] if len(sys.argv) > 2 else "en"
    out.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp()) / "site"
    create_demo_site(root, subjects=3, progress=lambda _m: None, study=RECURRENCE_STUDY)
    app = QApplication([])
    use_language(app, language)
    ctl = AppController(root, language=language)
    ctl.start()
    assert ctl.unlock_window is not None
    ctl.unlock_window.user_edit.setText("nurse")
    ctl.unlock_window.password_edit.setText(DEMO_PASSWORD)
    ctl.unlock_window._submit()
    _pump(app, ctl, 1.5)
    window = ctl.main_window
    assert window is not None
    entered: list[KioskController] = []
    ctl.tablet.entered.connect(entered.append)
    ctl.open_subject("DEMO-R-002")
    _pump(app, ctl)
    view = window.tabs.currentWidget()
    panel = view.questionnaires  # type: ignore[attr-defined]
    for index in range(panel.tree.topLevelItemCount()):
        item = panel.tree.topLevelItem(index)
        if item is not None and item.text(5):  # a questionnaire with its scores below
            panel.tree.setCurrentItem(item)
    _grab(window, out / f"tablet-subject-{language}.png")
    ctl.open_subject("DEMO-R-001")
    _pump(app, ctl)
    panel = window.tabs.currentWidget().questionnaires  # type: ignore[attr-defined]
    ctl.hand_to_patient(panel.due_keys[0], True)
    _pump(app, ctl, 1.0)
    kiosk = entered[0]
    kiosk.window.showNormal()
    _grab(kiosk.window, out / f"tablet-welcome-{language}.png")
    wording = "zh-CN" if language.startswith("zh") else "en"
    button = next(
        b for b in kiosk.window.welcome.language_buttons if b.property("language") == wording
    )
    _tap(app, ctl, button)
    for code in (2, 1, 1, 1, 2, 3, 2, 1, 2, 3, 3):
        _tap(app, ctl, kiosk.window.question.answer_buttons[code])
    _grab(kiosk.window, out / f"tablet-question-{language}.png")
    while kiosk.flow.item < 29:
        _tap(app, ctl, kiosk.window.question.next_button)
    _tap(app, ctl, kiosk.window.question.answer_buttons[5])
    _tap(app, ctl, kiosk.window.question.back_button)
    _grab(kiosk.window, out / f"tablet-scale-{language}.png")
    _tap(app, ctl, kiosk.window.question.next_button)
    _tap(app, ctl, kiosk.window.question.answer_buttons[5])
    _tap(app, ctl, kiosk.window.review.finish_button)
    assert kiosk.window.thanks.button is not None
    _tap(app, ctl, kiosk.window.thanks.button)
    assert kiosk.flow.screen is Screen.HAND_BACK
    _grab(kiosk.window, out / f"tablet-handback-{language}.png")
    ctl.shutdown()
    app.shutdown()


if __name__ == "__main__":
    main()
