"""Take the screenshots of the laboratory at 1280×800: the lab results import preview (a nurse
has chosen a laboratory's export holding good rows and the bad rows such files really hold),
and a liver panel beside the laboratory's reference ranges, one result typed above its range.

``QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshots_labs OUT_DIR [en|zh_CN]``
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop_crf.model import FormKey
from desktop_crf.ui.form.view import FormView
from desktop_crf.ui.labs.results import LabImportView
from tests.helpers.lab_files import lab_site, lis_export
from tests.helpers.sites import PASSWORDS, make_site
from tests.ui.shots import arguments, pump, start, unlock


def main() -> None:
    out, language = arguments()
    base = Path(tempfile.mkdtemp())
    root = base / "site"
    make_site(root)
    site = lab_site(root)
    export = base / "lis-export-2026-04.csv"
    export.write_text(lis_export(site), encoding="utf-8")

    app = QApplication([])
    ctl = start(root, language)
    window = unlock(app, ctl, "nurse", PASSWORDS["nurse"])
    ctl.open_lab_import()
    view = window.tabs.currentWidget()
    assert isinstance(view, LabImportView)
    view.today = date(2026, 6, 1)
    view.preview_file(export)
    pump(app, ctl, 1.0)
    window.resize(1280, 800)
    pump(app, ctl, 0.3)
    window.grab().save(str(out / f"lab-import-{language}.png"))

    ctl.open_form(FormKey(site.b, "SE.W12", "F.LAB_LIVER"))
    pump(app, ctl, 1.5)
    form = window.tabs.currentWidget()
    assert isinstance(form, FormView)
    ast = next(f for f in form.fields.values() if f.item.oid == "I.AST")
    QTest.keyClicks(form.line_edit(ast.path), "52")  # typed: the flag follows
    pump(app, ctl, 0.6)
    window.grab().save(str(out / f"lab-form-{language}.png"))
    ctl.shutdown()
    app.shutdown()


if __name__ == "__main__":
    main()
