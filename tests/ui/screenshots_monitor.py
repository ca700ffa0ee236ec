"""Take the screenshots of the monitor's workspace at 1280×800: the source data verification
tab, a form's item marks (a query, verified, changed since verified), the monitor's tasks, the
monitoring visit tab and its signed report (the PDF rendered with pdftoppm).

``QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshots_monitor OUT_DIR [en|zh_CN]``
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop_crf.model import FormKey
from desktop_crf.services import monitoring, sdv
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.queries import (
    QueryTarget,
    answer_query,
    close_query,
    query_ref,
    raise_query,
    server_queries,
)
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject
from desktop_crf.ui.form.view import FormView
from desktop_crf.ui.monitor.sdv_view import SdvView
from desktop_crf.ui.monitor.visit_view import MonitoringVisitView
from desktop_crf.ui.shell.controller import AppController
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import PASSWORDS, login, make_site


def _pump(app: QApplication, ctl: AppController, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    ctl.worker.wait_idle()
    app.processEvents()


def _subject(nurse: Session, initials: str, sex: str, alt: str) -> str:
    sid = screen_subject(
        nurse, study_version="1.0", screened_on="2026-08-01", initials=initials
    ).subject_id
    assert sid is not None
    save_confirmed(
        nurse,
        FormKey(sid, "SE.SCREENING", "F.CONSENT"),
        [
            ItemInput("IG.CONSENT", "I.CONSENT_SIGNED", "Y"),
            ItemInput("IG.CONSENT", "I.CONSENT_DATE", "2026-08-01"),
            ItemInput("IG.CONSENT", "I.CONSENT_VERSION", "2.1"),
        ],
    )
    save_confirmed(
        nurse,
        FormKey(sid, "SE.SCREENING", "F.DEMOGRAPHICS"),
        [ItemInput("IG.DM", "I.SEX", sex), ItemInput("IG.DM", "I.BRTHDTC", "1968-09-30")],
    )
    enroll_subject(
        nurse, sid, Enrolment(arm="PEG_NA", anchor_date="2026-08-20", consent_date="2026-08-01")
    )
    for event, value in (("SE.W0", "38"), ("SE.W12", alt)):
        save_confirmed(
            nurse,
            FormKey(sid, event, "F.LAB_LIVER"),
            [
                ItemInput(
                    "IG.SAMPLE",
                    "I.SAMPLE_DATE",
                    "2026-11-12" if event == "SE.W12" else "2026-08-20",
                ),
                ItemInput("IG.SAMPLE", "I.LAB_NAME", "Ningbo No.2 central lab"),
                ItemInput("IG.LIVER", "I.ALT", value, "U/L"),
                ItemInput("IG.LIVER", "I.AST", "35", "U/L"),
                ItemInput("IG.LIVER", "I.TBIL", "12", "umol/L"),
            ],
        )
        save_confirmed(
            nurse,
            FormKey(sid, event, "F.LAB_VIROLOGY"),
            [
                ItemInput(
                    "IG.SAMPLE",
                    "I.SAMPLE_DATE",
                    "2026-11-12" if event == "SE.W12" else "2026-08-20",
                ),
                ItemInput("IG.HBSAG", "I.HBSAG", "350.2" if event == "SE.W0" else "120.5", "IU/mL"),
            ],
        )
    return sid


def build(root: Path) -> tuple[str, FormKey]:
    """A site a monitor has been visiting: verified data, a value changed since, queries."""
    make_site(root)
    nurse, monitor = login(root, "nurse"), login(root, "monitor")
    try:
        subjects = [
            _subject(nurse, initials, sex, alt)
            for initials, sex, alt in (("LW", "F", "41"), ("ZH", "M", "52"), ("CY", "M", "47"))
        ]
        first = subjects[0]
        liver = FormKey(first, "SE.W12", "F.LAB_LIVER")
        sdv.verify_visit(monitor, first, "SE.SCREENING")
        sdv.verify_visit(monitor, subjects[1], "SE.SCREENING")
        sdv.verify_form(monitor, FormKey(first, "SE.W0", "F.LAB_LIVER"))
        monitoring.start_visit(monitor, "Routine monitoring visit 3")
        sdv.verify_form(monitor, liver)
        sdv.verify_form(monitor, FormKey(first, "SE.W12", "F.LAB_VIROLOGY"))
        target = QueryTarget.on_item(liver, "IG.LIVER", 1, "I.AST")
        raise_query(monitor, target, "AST 35 U/L: the lab report on file says 53. Please check.")
        raise_query(
            monitor, QueryTarget(subjects[1]), "Consent version 2.1 page 4 is not initialled."
        )
        consent_query = query_ref(server_queries(monitor, subjects[1])[0])
        answer_query(nurse, consent_query, "Initialled by the patient at today's visit.")
        close_query(monitor, consent_query, "Seen in the source file.")
        save_confirmed(
            nurse,
            liver,
            [ItemInput("IG.LIVER", "I.ALT", "44", "U/L")],
            reason="transcription error: the report says 44",
        )
        return first, liver
    finally:
        nurse.close()
        monitor.close()


def main() -> None:
    out = Path(sys.argv[1])
    language = sys.argv[2] if len(sys.argv) > 2 else "en"
    out.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp())
    root = base / "site"
    _first, liver = build(root)

    app = QApplication([])
    ctl = AppController(root, language="en")
    ctl.start()
    if language != "en":
        ctl.set_language(language)
        ctl._show_unlock()
    assert ctl.unlock_window is not None
    ctl.unlock_window.user_edit.setText("monitor")
    ctl.unlock_window.password_edit.setText(PASSWORDS["monitor"])
    ctl.unlock_window._submit()
    _pump(app, ctl, 1.5)
    window = ctl.main_window
    assert window is not None
    window.resize(1280, 800)

    ctl.open_sdv()
    _pump(app, ctl, 1.0)
    view = window.tabs.currentWidget()
    assert isinstance(view, SdvView)
    view.table.selectRow(0)
    _pump(app, ctl, 1.0)
    window.grab().save(str(out / f"sdv-{language}.png"))

    ctl.open_form(liver)
    _pump(app, ctl, 1.5)
    form = window.tabs.currentWidget()
    assert isinstance(form, FormView)
    ast = next(f for f in form.fields.values() if f.item.oid == "I.AST")
    for _ in range(100):  # the marks are read after the rows (a loaded machine is slower)
        if ast.mark_label is not None:
            break
        _pump(app, ctl, 0.1)
    assert ast.mark_label is not None
    _pump(app, ctl, 0.3)
    window.grab().save(str(out / f"item-mark-{language}.png"))

    ctl.open_tasks()
    _pump(app, ctl, 1.0)
    window.grab().save(str(out / f"tasks-monitor-{language}.png"))

    ctl.open_monitoring_visit()
    _pump(app, ctl, 1.0)
    visit = window.tabs.currentWidget()
    assert isinstance(visit, MonitoringVisitView)
    remarks = (
        "现场文件齐全；第12周ALT转录错误已更正；AST待与检验报告核对。"
        if language != "en"
        else "Source files complete; W12 ALT transcription error corrected; AST to be checked "
        "against the lab report."
    )
    visit.remarks.setPlainText(remarks)
    visit.close_visit()
    _pump(app, ctl, 1.0)
    shown = visit.shown
    assert shown is not None
    visit.sign(shown, PASSWORDS["monitor"], visit.tr("I confirm this monitoring visit report"))
    _pump(app, ctl, 1.0)
    window.grab().save(str(out / f"monitoring-visit-{language}.png"))
    pdf = base / f"visit-report-{language}.pdf"
    visit.printer.write_to(pdf, "visit-report", visit=shown.visit)
    _pump(app, ctl, 3.0)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "70",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(out / f"visit-report-{language}"),
        ],
        check=True,
    )
    ctl.shutdown()
    app.shutdown()


if __name__ == "__main__":
    main()
