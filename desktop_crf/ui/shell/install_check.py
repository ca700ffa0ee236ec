"""``desktop-crf --check-install``: open a site as a person would, then quit.

Site IT runs it after installing (and CI runs it on the built bundle): the real unlock window
gets the user name and password, the unlock runs on the store worker, the main window lists
the subjects, and the app quits with 0 saying how many it listed. Anything else (a missing Qt
plugin, a wrong password, a damaged site) exits 1 with the reason.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop_crf.ui.shell.controller import AppController

log = logging.getLogger(__name__)


def check_install(
    app: QApplication, root: Path, user: str, password: str, *, timeout_s: float = 120.0
) -> int:
    """Unlock ``root`` as ``user`` through the unlock window and wait for the subject list.

    Returns:
        0 once the subject list is shown, 1 if it is not within ``timeout_s``.
    """
    controller = AppController(root, idle_minutes=60)
    app.aboutToQuit.connect(controller.shutdown)
    outcome: dict[str, int] = {}

    def listed(count: int) -> None:
        print(f"desktop-crf: {root.name}: unlocked as {user}, {count} subjects listed", flush=True)
        outcome["code"] = 0
        app.exit(0)

    def refused() -> None:
        window = controller.unlock_window
        if "code" in outcome or window is None or not window.error_label.isVisible():
            return
        print(f"desktop-crf: {root} was not unlocked: {window.error_label.text()}", flush=True)
        outcome["code"] = 1
        app.exit(1)

    def too_late() -> None:
        window = controller.unlock_window
        reason = window.error_label.text() if window is not None else ""
        print(
            f"desktop-crf: the subject list of {root} did not appear within {timeout_s:.0f} s"
            + (f": {reason}" if reason else ""),
            flush=True,
        )
        app.exit(1)

    controller.subjects_loaded.connect(listed)
    controller.start()
    window = controller.unlock_window
    assert window is not None
    window.user_edit.setText(user)
    window.password_edit.setText(password)
    QTimer.singleShot(0, window.unlock_button.click)
    QTimer.singleShot(int(timeout_s * 1000), too_late)
    watch = QTimer(app)
    watch.timeout.connect(refused)
    watch.start(100)
    code = app.exec()
    log.info("installation check ended with %s", code)
    return outcome.get("code", 1) if code == 0 else int(code)
