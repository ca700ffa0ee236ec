"""Run as a process: open a form, type a value, wait for an autosave tick, then print READY
and wait to be killed (the crash test kills it with SIGKILL)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop_crf.model import FormKey
from desktop_crf.studies import load_form
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.form.view import FormView
from desktop_crf.ui.worker import StoreWorker
from tests.helpers.sites import login


def main() -> None:
    root, subject = Path(sys.argv[1]), sys.argv[2]
    app = QApplication([])
    session = login(root, "nurse")
    ctx = UiContext.open(StoreWorker(), session, autosave_ms=100)
    view = FormView(ctx, FormKey(subject, "SE.W12", "F.VISIT"), load_form("F.VISIT"))
    view.load()
    while view.data is None:
        app.processEvents()
        time.sleep(0.01)  # processEvents in a tight loop leaks references to None (PySide6)
    view.line_edit("I.VISIT_DATE").setText("2026-06-10")
    deadline = time.monotonic() + 1.0  # several autosave ticks
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    ctx.worker.wait_idle()
    print("READY", flush=True)
    view.line_edit("I.VISIT_DATE").setText("typed after the last tick")
    time.sleep(60)


if __name__ == "__main__":
    main()
