"""Tablet benchmark: what a patient waits for on the kiosk (run by ``bench.ui``).

Builds a recurrence-study site with production key derivation and REPEATS subjects whose
week-12 QLQ-C30 is due, then for each: the nurse hands the tablet over from the subject's view
(the confirmation's button clicked) and the patient taps a language and answers all 30
questions, then the nurse takes the tablet back with her password. Times:

- hand-over to welcome: from the click until the kiosk's welcome screen is on screen;
- language to first question: from the patient's tap until question 1 is on screen;
- hand-over to first question: the two together (the patient's reading time left out);
- tap to next question: from an answer's tap until the next question is on screen, the
  answer saved (the next question shows only once the store has it);
- GUI stall while answering.

Targets: tap to next question p95 ≤ 50 ms; hand-over to first question ≤ 500 ms.
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PASSWORD = "bench-password"


def build_tablet_site(root: Path, subjects: int) -> list[str]:
    from desktop_crf.services import site
    from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject

    site.init_site(
        root, study_id="PEG-HCC-RECUR-3Y", site_code="BT01", admin="admin", admin_password=PASSWORD
    )
    admin = site.unlock(root, "admin", PASSWORD)
    site.add_user(admin, "nurse", role="nurse", password=PASSWORD, admin_password=PASSWORD)
    site.logout(admin)
    nurse = site.unlock(root, "nurse", PASSWORD)
    anchor = date.today() - timedelta(days=84)
    ids = []
    for n in range(subjects):
        sid = screen_subject(
            nurse, study_version="1.0", screened_on="2025-01-02", initials=f"T{n}"
        ).subject_id
        assert sid is not None
        enroll_subject(
            nurse, sid, Enrolment(arm="NA", anchor_date=anchor.isoformat(), na_drug="ETV")
        )
        ids.append(sid)
    site.logout(nurse)
    return ids


def run_tablet(
    gui: Any, subjects: list[str], root: Path
) -> tuple[dict[str, Any], dict[str, list[float]]]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop_crf.ui.shell.controller import AppController
    from desktop_crf.ui.tablet.flow import Screen

    ctl = AppController(root)
    ctl.start()
    window = ctl.unlock_window
    assert window is not None
    window.user_edit.setText("nurse")
    window.password_edit.setText(PASSWORD)
    window._submit()
    gui.wait_for(lambda: ctl.main_window is not None and ctl.worker.pending == 0)
    figures: dict[str, Any] = {}
    samples: dict[str, list[float]] = {}
    entered: list[Any] = []
    ctl.tablet.entered.connect(lambda k: entered.append(k))
    opened: list[Any] = []
    ctl.subject_opened.connect(lambda v: opened.append(v))

    def settle() -> None:
        gui.on_screen(lambda: ctl.worker.pending == 0)

    for subject in subjects:
        ctl.open_subject(subject)
        gui.wait_for(lambda: bool(opened) and bool(opened[-1].questionnaires.due_keys))
        settle()
        panel = opened[-1].questionnaires
        QTest.mouseClick(panel.hand_button, Qt.MouseButton.LeftButton)
        dialog = panel.hand_over_dialog
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        count = len(entered)
        gui.phase("hand-over")
        t0 = time.perf_counter()
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
        kiosk = None

        def welcome(n: int = count) -> bool:
            return len(entered) > n and entered[-1].state is not None

        shown = gui.on_screen(welcome)
        kiosk = entered[-1]
        samples.setdefault("hand-over to welcome (ms)", []).append((shown - t0) * 1000)
        settle()
        t1 = time.perf_counter()
        QTest.mouseClick(kiosk.window.welcome.language_buttons[0], Qt.MouseButton.LeftButton)
        first = gui.on_screen(lambda k=kiosk: k.flow.screen is Screen.QUESTION)
        samples.setdefault("language to first question (ms)", []).append((first - t1) * 1000)
        samples.setdefault("hand-over to first question (ms)", []).append(
            (shown - t0 + first - t1) * 1000
        )
        gui.phase("answering")
        for item in range(1, 31):
            settle()
            page = kiosk.window.question
            t2 = time.perf_counter()
            QTest.mouseClick(page.answer_buttons[2], Qt.MouseButton.LeftButton)
            nxt = gui.on_screen(
                lambda k=kiosk, i=item: k.flow.screen is not Screen.QUESTION or k.flow.item > i
            )
            samples.setdefault("tap to next question, saved (ms)", []).append((nxt - t2) * 1000)
        gui.phase("after")
        settle()
        kiosk.window.staff.use("password")
        kiosk._move(kiosk.flow.open_staff)
        kiosk.window.staff.secret_edit.setText(PASSWORD)
        kiosk.window.staff.take_button.click()
        gui.wait_for(lambda: ctl.tablet.kiosk is None and ctl.main_window is not None)
        settle()
    figures["longest GUI stall: answering (ms)"] = gui.phase_stall.get("answering", 0.0)
    figures["longest GUI stall: hand-over (ms)"] = gui.phase_stall.get("hand-over", 0.0)
    ctl.shutdown()
    return figures, samples


if __name__ == "__main__":
    sys.exit("run: python -m bench.ui --tablet")
