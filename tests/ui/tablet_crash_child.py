"""Run as a process: hand the tablet to the patient of SUBJECT's week-12 questionnaire, answer
questions 1–17 by tapping, print READY once the store has them, and wait to be killed (the
crash test kills it with SIGKILL, as a tablet whose battery dies)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop_crf.model import FormKey
from desktop_crf.services import kiosk
from desktop_crf.services.session import PATIENT_FORM
from desktop_crf.ui.tablet.controller import KioskController
from desktop_crf.ui.tablet.flow import Screen
from desktop_crf.ui.worker import StoreWorker
from tests.helpers.sites import login


def _until(app: QApplication, done: object) -> None:
    deadline = time.monotonic() + 20
    while not done() and time.monotonic() < deadline:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.005)


def main() -> None:
    root, subject = Path(sys.argv[1]), sys.argv[2]
    app = QApplication([])
    nurse = login(root, "nurse")
    handover = kiosk.hand_over(nurse, FormKey(subject, "SE.W12", PATIENT_FORM))
    ctl = KioskController(StoreWorker(), handover)
    ctl.start()
    _until(app, lambda: bool(ctl.window.welcome.language_buttons))
    QTest.mouseClick(ctl.window.welcome.language_buttons[0], Qt.MouseButton.LeftButton)
    for item in range(1, 18):
        _until(app, lambda i=item: ctl.flow.screen is Screen.QUESTION and ctl.flow.item == i)
        QTest.mouseClick(ctl.window.question.answer_buttons[2], Qt.MouseButton.LeftButton)
    _until(app, lambda: ctl.flow.item == 18)
    ctl.ops.worker.wait_idle()
    print("READY", flush=True)
    time.sleep(60)


if __name__ == "__main__":
    main()
