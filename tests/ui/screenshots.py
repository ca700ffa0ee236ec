"""Take the README screenshots of the main screens at 1280×800 on a demo site.

``QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshots OUT_DIR [en|zh_CN]``
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services.adverse_events import add_adverse_event
from desktop_crf.services.demo import DEMO_PASSWORD, create_demo_site
from desktop_crf.services.subjects import screen_subject
from desktop_crf.ui.shell.controller import AppController
from tests.ui.screening import ELIGIBLE, save_screening


def _pump(app: QApplication, ctl: AppController, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    ctl.worker.wait_idle()
    app.processEvents()


def _grab(widget: QWidget, path: Path) -> None:
    widget.resize(1280, 800)
    widget.grab().save(str(path))


def main() -> None:
    out = Path(sys.argv[1])
    language = sys.argv[2] if len(sys.argv) > 2 else "en"
    out.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp()) / "site"
    create_demo_site(root, subjects=25, progress=lambda _m: None)
    nurse = site.unlock(root, "nurse", DEMO_PASSWORD)
    screened = screen_subject(
        nurse, study_version="1.0", screened_on=date.today().isoformat(), initials="ZQ"
    ).subject_id
    assert screened is not None
    save_screening(nurse, screened, ELIGIBLE)
    now = date.today()
    add_adverse_event(
        nurse,
        "DEMO-001",
        {
            "I.AETERM": "Alanine aminotransferase increased",
            "I.AEMEDDRA": "10001551",
            "I.AEGRADE": "3",
            "I.AESTDAT": (now - timedelta(days=1)).isoformat(),
            "I.AEONGO": "Y",
            "I.AESER": "Y",
            "I.AESCRIT": "hospitalisation",
            "I.AEAWARE_DATE": now.isoformat(),
            "I.AEAWARE_TIME": "08:30",
        },
    )
    site.logout(nurse)

    app = QApplication([])
    ctl = AppController(root, language="en")
    ctl.start()
    if language != "en":
        ctl.set_language(language)
        ctl._show_unlock()
    assert ctl.unlock_window is not None
    _grab(ctl.unlock_window, out / f"unlock-{language}.png")
    ctl.unlock_window.user_edit.setText("investigator")
    ctl.unlock_window.password_edit.setText(DEMO_PASSWORD)
    ctl.unlock_window._submit()
    _pump(app, ctl, 1.5)
    window = ctl.main_window
    assert window is not None
    _grab(window, out / f"subjects-{language}.png")
    ctl.open_subject("DEMO-001")
    _pump(app, ctl)
    _grab(window, out / f"subject-{language}.png")
    ctl.open_subject(screened)
    _pump(app, ctl)
    _grab(window, out / f"screening-{language}.png")
    ctl.open_form(FormKey("DEMO-001", "SE.W12", "F.LAB_LIVER"))
    _pump(app, ctl)
    form = window.tabs.currentWidget()
    edit = form.line_edit("I.ALT")  # type: ignore[attr-defined]
    edit.setText("1500")
    _pump(app, ctl, 0.2)
    _grab(window, out / f"form-{language}.png")
    ctl.open_form(FormKey("DEMO-001", "SE.LOG", "F.AE"))
    _pump(app, ctl)
    _grab(window, out / f"ae-{language}.png")
    ae = window.tabs.currentWidget()
    seriousness = ae.fields["IG.AE[1]/I.AESCRIT"]  # type: ignore[attr-defined]
    scroll = ae.findChild(QScrollArea)
    scroll.ensureWidgetVisible(seriousness.container, 0, 200)
    _pump(app, ctl, 0.2)
    _grab(window, out / f"ae-sae-{language}.png")
    ctl.shutdown()
    app.shutdown()


if __name__ == "__main__":
    main()
