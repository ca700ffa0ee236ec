"""Take the screenshots of the laboratory at 1280×800: the lab results import preview (a nurse
has chosen a laboratory's export holding good rows and the bad rows such files really hold),
and a liver panel beside the laboratory's reference ranges, one result typed above its range.

``QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshots_labs OUT_DIR [en|zh_CN]``
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop_crf.model import FormKey
from desktop_crf.ui.form.view import FormView
from desktop_crf.ui.labs.results import LabImportView
from desktop_crf.ui.shell.controller import AppController
from tests.helpers.lab_files import lab_site, lis_export
from tests.helpers.sites import PASSWORDS, make_site


def _pump(app: QApplication, ctl: AppController, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    ctl.worker.wait_idle()
    app.processEvents()


def main() -> None:
    out = Path(sys.argv[1])
    language = sys.argv[2] if len(sys.argv) > 2 else "en"
    out.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp())
    root = base / "site"
    make_site(root)
    site = lab_site(root)
    export = base / "lis-export-2026-04.csv"
    export.write_text(lis_export(site), encoding="utf-8")

    app = QApplication([])
    ctl = AppController(root, language="en")
    ctl.start()
    if language != "en":
        ctl.set_language(language)
        ctl._show_unlock()
    assert ctl.unlock_window is not None
    ctl.unlock_window.user_edit.setText("nurse")
    ctl.unlock_window.password_edit.setText(PASSWORDS["nurse"])
    ctl.unlock_window._submit()
    _pump(app, ctl, 1.5)
    window = ctl.main_window
    assert window is not None
    ctl.open_lab_import()
    view = window.tabs.currentWidget()
    assert isinstance(view, LabImportView)
    view.today = date(2026, 6, 1)
    view.preview_file(export)
    _pump(app, ctl, 1.0)
    window.resize(1280, 800)
    _pump(app, ctl, 0.3)
    window.grab().save(str(out / f"lab-import-{language}.png"))

    ctl.open_form(FormKey(site.b, "SE.W12", "F.LAB_LIVER"))
    _pump(app, ctl, 1.5)
    form = window.tabs.currentWidget()
    assert isinstance(form, FormView)
    ast = next(f for f in form.fields.values() if f.item.oid == "I.AST")
    QTest.keyClicks(form.line_edit(ast.path), "52")  # typed: the flag follows
    _pump(app, ctl, 0.6)
    window.grab().save(str(out / f"lab-form-{language}.png"))
    ctl.shutdown()
    app.shutdown()


if __name__ == "__main__":
    main()
