"""The app's log says what happened and never what was entered."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_crf.errors import InvalidInput
from desktop_crf.logs import setup_logging, stop_logging
from desktop_crf.model import FormKey
from desktop_crf.services.subjects import screen_subject
from desktop_crf.ui.errors import error_display
from desktop_crf.ui.shell.controller import AppController
from tests.helpers.sites import PASSWORDS, login

pytestmark = [pytest.mark.gui, pytest.mark.qt_no_exception_capture]

MARKER = "Zhang-Wei-MARKER-7731"


def test_the_log_holds_events_but_no_entered_value(qtbot, site_dir: Path, tmp_path: Path) -> None:
    nurse = login(site_dir, "nurse")
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-03-01").subject_id
    nurse.close()
    assert subject is not None
    folder = tmp_path / "logs"
    setup_logging(folder)
    ctl = AppController(site_dir, idle_minutes=10)
    ctl.start()
    try:
        ctl.unlock_window.user_edit.setText("nurse")
        with qtbot.waitSignal(ctl.subjects_loaded, timeout=10_000):
            qtbot.keyClicks(ctl.unlock_window.password_edit, PASSWORDS["nurse"])
            qtbot.keyClick(ctl.unlock_window.password_edit, Qt.Key.Key_Return)
        with qtbot.waitSignal(ctl.form_opened, timeout=5000) as opened:
            ctl.open_form(FormKey(subject, "SE.SCREENING", "F.LAB_LIVER"))
        form = opened.args[0]
        qtbot.waitUntil(lambda: form.data is not None, timeout=5000)
        qtbot.keyClicks(form.line_edit("I.LAB_NAME"), MARKER)
        with qtbot.waitSignal(form.saved, timeout=5000):
            form.save()
        ops = ctl.ctx.ops

        def refuse(_session: object) -> None:
            raise InvalidInput(f"'{MARKER}' is not a valid subject id.")

        def bug(_session: object) -> None:
            raise RuntimeError(f"unexpected value {MARKER}")

        seen: list[Exception] = []
        ops.read(refuse, lambda _r: None, on_error=seen.append)
        display = error_display()
        display.crash_box = None
        ops.read(bug, lambda _r: None)
        qtbot.waitUntil(lambda: display.crash_box is not None and bool(seen), timeout=5000)
        assert MARKER in display.crash_box.detailedText()  # the person sees it, to send it
        display.crash_box.close()
    finally:
        ctl.shutdown()
        ctl.deleteLater()
        stop_logging()
    text = "\n".join(p.read_text(encoding="utf-8") for p in folder.iterdir())
    assert "unlocked as nurse" in text
    assert "store call refused: InvalidInput" in text
    assert "RuntimeError (message withheld)" in text
    assert "in bug" in text  # the stack of the bug is there
    assert MARKER not in text
    assert subject not in text
