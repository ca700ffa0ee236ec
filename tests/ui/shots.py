"""What the screenshot scripts share: their arguments (``OUT_DIR [en|zh_CN]``), the app started
in a language and unlocked, letting it run until the store worker is idle, and a window grabbed
at 1280×800."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from desktop_crf.ui.shell.controller import AppController
from desktop_crf.ui.shell.main_window import MainWindow


def arguments() -> tuple[Path, str]:
    """The folder to write into (made if missing) and the language (English unless given)."""
    out = Path(sys.argv[1])
    language = sys.argv[2] if len(sys.argv) > 2 else "en"
    out.mkdir(parents=True, exist_ok=True)
    return out, language


def pump(app: QApplication, ctl: AppController | None, seconds: float = 0.6) -> None:
    """Let the app run for ``seconds``, then (given ``ctl``) until its store worker is idle."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    if ctl is not None:
        ctl.worker.wait_idle()
        app.processEvents()


def grab(widget: QWidget, path: Path) -> None:
    """Save ``widget`` as it looks at 1280×800."""
    widget.resize(1280, 800)
    QApplication.processEvents()
    widget.grab().save(str(path))


def start(root: Path, language: str) -> AppController:
    """The app on ``root`` showing its unlock window in ``language``."""
    ctl = AppController(root, language="en")
    ctl.start()
    if language != "en":
        ctl.set_language(language)
        ctl._show_unlock()
    assert ctl.unlock_window is not None
    return ctl


def unlock(app: QApplication, ctl: AppController, user: str, password: str) -> MainWindow:
    """Unlock as ``user``; the main window once it has read the site."""
    assert ctl.unlock_window is not None
    ctl.unlock_window.user_edit.setText(user)
    ctl.unlock_window.password_edit.setText(password)
    ctl.unlock_window._submit()
    pump(app, ctl, 1.5)
    for _ in range(100):  # the key is derived slowly on a loaded machine
        if ctl.main_window is not None:
            break
        pump(app, ctl, 0.1)
    window = ctl.main_window
    assert window is not None
    return window
