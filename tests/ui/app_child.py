"""Run as a process: the app's own ``main`` on a site, quit by Qt as a person would close it
once the unlock window shows (the quit comes from the event loop, as a closed window's does)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop_crf import app
from desktop_crf.ui.shell import controller

_start = controller.AppController.start


def _start_then_quit(self: controller.AppController) -> None:
    _start(self)
    assert self.unlock_window is not None
    assert self.unlock_window.isVisible()
    QTimer.singleShot(200, QApplication.quit)


if __name__ == "__main__":
    controller.AppController.start = _start_then_quit  # type: ignore[method-assign]
    raise SystemExit(app.main(sys.argv[1:]))
