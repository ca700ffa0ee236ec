"""Take the README screenshots of the study dashboard at 1280×800 on a demo site, its charts
as PNG and all of them in one PDF.

``QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshots_reports OUT_DIR [en|zh_CN]``

Writes ``dashboard-LANG.png`` (the top of the tab), ``dashboard-tables-LANG.png`` (scrolled to
the tables), ``dashboard-full-LANG.png`` (the whole tab, however tall) and, in English,
``dashboard-charts.pdf``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication, QScrollArea

from desktop_crf.services.demo import DEMO_PASSWORD, create_demo_site
from desktop_crf.ui.reports.view import ReportsView
from desktop_crf.ui.shell.controller import AppController


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
    root = Path(tempfile.mkdtemp()) / "site"
    create_demo_site(root, subjects=60, progress=lambda _m: None)
    app = QApplication([])
    ctl = AppController(root, language="en")
    ctl.start()
    if language != "en":
        ctl.set_language(language)
        ctl._show_unlock()
    assert ctl.unlock_window is not None
    ctl.unlock_window.user_edit.setText("investigator")
    ctl.unlock_window.password_edit.setText(DEMO_PASSWORD)
    ctl.unlock_window._submit()
    _pump(app, ctl, 1.5)
    window = ctl.main_window
    assert window is not None
    window.resize(1280, 800)
    ctl.open_reports_view()
    _pump(app, ctl, 2.0)
    view = window.tabs.currentWidget()
    assert isinstance(view, ReportsView)
    assert view.summary is not None
    window.grab().save(str(out / f"dashboard-{language}.png"))
    scroll = view.findChild(QScrollArea, "reportsScroll")
    assert scroll is not None
    scroll.verticalScrollBar().setValue(view.landmarks.y() - 40)
    _pump(app, ctl, 0.3)
    window.grab().save(str(out / f"dashboard-tables-{language}.png"))
    body = scroll.widget()
    body.grab().save(str(out / f"dashboard-full-{language}.png"))
    if language == "en":
        view.write_pdf(out / "dashboard-charts.pdf")
    ctl.shutdown()
    app.shutdown()


if __name__ == "__main__":
    main()
