"""The monitor's workspace with real widgets on a real encrypted site: the SDV tab (progress,
marking a visit verified, changed since verified), the marks beside a form's items (a query,
verified, changed since verified) and Mark verified from an item's menu, the tasks tab, and a
monitoring visit from start to its signed report saved as PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_crf.model import FormKey
from desktop_crf.services import sdv
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.queries import QueryTarget, raise_query
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.monitor.sdv_view import SdvView
from desktop_crf.ui.monitor.tasks_view import TasksView
from desktop_crf.ui.monitor.visit_view import MonitoringVisitView
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import PASSWORDS, login
from tests.ui.conftest import close_ctx, make_ctx, open_form

pytestmark = pytest.mark.gui

LIVER = "F.LAB_LIVER"
ALT = "IG.LIVER[1]/I.ALT"


@pytest.fixture
def nurse(site_dir: Path) -> Iterator[Session]:
    session = login(site_dir, "nurse")
    yield session
    session.close()


@pytest.fixture
def subject(nurse: Session) -> str:
    subject_id = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
    assert subject_id is not None
    return subject_id


@pytest.fixture
def monitor(qtbot, site_dir: Path, subject: str) -> Iterator[UiContext]:
    ctx = make_ctx(qtbot, site_dir, "monitor")
    yield ctx
    close_ctx(ctx)


def _liver(nurse: Session, key: FormKey, alt: str, **options) -> None:
    items = [
        ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-12-24"),
        ItemInput("IG.LIVER", "I.ALT", alt, "U/L"),
    ]
    save_confirmed(nurse, key, items, **options)


def _sdv_view(qtbot, ctx: UiContext) -> SdvView:
    view = SdvView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.subject_loaded, timeout=5000):
        view.load()
    return view


def _field_path(view, item: str) -> str:
    return next(p for p, f in view.fields.items() if f.item.oid == item)


def test_the_sdv_tab_marks_a_visit_verified_and_shows_changes(
    qtbot, monitor: UiContext, nurse: Session, subject: str
) -> None:
    key = FormKey(subject, "SE.W12", LIVER)
    _liver(nurse, key, "41")
    view = _sdv_view(qtbot, monitor)
    assert "0 of 2 values verified" in view.summary.text()
    visit = view.forms.topLevelItem(0)
    assert visit is not None
    view.forms.setCurrentItem(visit)
    assert view.verify_visit_button.isEnabled()
    assert not view.verify_form_button.isEnabled()  # a visit is chosen, not a form
    with qtbot.waitSignal(view.subject_loaded, timeout=5000):
        view.verify_visit_button.click()
    assert "2 of 2 values verified" in view.summary.text()
    assert view.status.text() == "The visit is marked verified."
    _liver(nurse, key, "45", reason="re-read")  # on the site's other session
    with qtbot.waitSignal(view.subject_loaded, timeout=5000):
        view.load()
    assert "1 changed since verified" in view.summary.text()
    assert view.changed.topLevelItemCount() == 1
    changed = view.changed.topLevelItem(0)
    assert changed is not None
    assert changed.text(1) == "45"
    assert changed.text(2) == "nurse"
    view.changed_only.setChecked(True)
    assert view.proxy.rowCount() == 1
    with qtbot.waitSignal(view.open_form, timeout=2000) as opened:
        view.changed.itemActivated.emit(changed, 0)
    assert opened.args == [key]


def test_the_items_carry_their_query_and_sdv_marks(
    qtbot, monitor: UiContext, nurse: Session, subject: str
) -> None:
    key = FormKey(subject, "SE.W12", LIVER)
    _liver(nurse, key, "41")
    target = QueryTarget.on_item(key, "IG.LIVER", 1, "I.ALT")
    raise_query(monitor.session, target, "ALT 41 U/L: please attach the lab report.")
    view = open_form(qtbot, monitor, key)
    qtbot.waitUntil(lambda: view.marks.marks is not None, timeout=5000)
    alt = view.fields[_field_path(view, "I.ALT")]
    assert alt.mark_label is not None
    assert alt.mark_label.text() == "?"
    tip = alt.mark_label.toolTip()
    assert "ALT 41 U/L: please attach the lab report." in tip
    assert "open, not sent yet" in tip
    assert "min old" in tip
    sample = view.fields[_field_path(view, "I.SAMPLE_DATE")]
    assert sample.mark_label is None  # nothing to mark

    view.item_queries._menu(alt, alt.label.mapToGlobal(alt.label.rect().center()))
    menu = view.item_queries.item_menu
    assert menu is not None
    (verify,) = [a for a in menu.actions() if a.objectName() == "verifyItemAction"]
    with qtbot.waitSignal(view.marks.loaded, timeout=5000):
        verify.trigger()
    assert alt.mark_label.text() == "? ✓"
    assert "Verified against the source by monitor" in alt.mark_label.toolTip()
    menu.close()

    with qtbot.waitSignal(view.marks.loaded, timeout=5000):
        view.verify_button.click()  # the whole form
    assert sample.mark_label is not None
    assert sample.mark_label.text() == "✓"


def test_a_value_changed_since_verified_is_marked(
    qtbot, monitor: UiContext, nurse: Session, subject: str
) -> None:
    key = FormKey(subject, "SE.W12", LIVER)
    _liver(nurse, key, "41")
    sdv.verify_form(monitor.session, key)
    _liver(nurse, key, "45", reason="re-read")
    view = open_form(qtbot, monitor, key)
    qtbot.waitUntil(lambda: view.marks.marks is not None, timeout=5000)
    alt = view.fields[_field_path(view, "I.ALT")]
    assert alt.mark_label is not None
    assert alt.mark_label.text() == "✎"
    assert "Changed since verified by monitor" in alt.mark_label.toolTip()


def test_a_nurse_sees_query_marks_but_no_sdv(
    qtbot, site_dir: Path, monitor: UiContext, nurse: Session, subject: str
) -> None:
    key = FormKey(subject, "SE.W12", LIVER)
    _liver(nurse, key, "41")
    sdv.verify_form(monitor.session, key)
    nurse_ctx = make_ctx(qtbot, site_dir, "nurse")
    try:
        view = open_form(qtbot, nurse_ctx, key)
        qtbot.waitUntil(lambda: view.marks.marks is not None, timeout=5000)
        assert view.fields[_field_path(view, "I.ALT")].mark_label is None
        assert not view.verify_button.isVisible()
    finally:
        close_ctx(nurse_ctx)


def test_the_tasks_tab_lists_the_monitors_tasks_and_goes_there(
    qtbot, monitor: UiContext, nurse: Session, subject: str
) -> None:
    consent = FormKey(subject, "SE.SCREENING", "F.CONSENT")
    save_confirmed(nurse, consent, [ItemInput("IG.CONSENT", "I.CONSENT_DATE", "2026-10-01")])
    view = TasksView(monitor)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.load()
    assert view.model.rowCount() == 1
    row = [view.model.index(0, c).data() for c in range(5)]
    assert row[:4] == [
        "Critical data to verify",
        subject,
        "Screening · Informed consent",
        "1 values",
    ]
    assert row[4].endswith("min")
    with qtbot.waitSignal(view.open_form, timeout=2000) as opened:
        view.table.activated.emit(view.model.index(0, 0))
    assert opened.args == [consent]


POPPLER = shutil.which("pdftotext") is not None


def test_a_monitoring_visit_from_start_to_its_signed_report(
    qtbot, monitor: UiContext, nurse: Session, subject: str, tmp_path: Path
) -> None:
    key = FormKey(subject, "SE.W12", LIVER)
    _liver(nurse, key, "41")
    view = MonitoringVisitView(monitor)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.load()
    assert view.state.text() == "No monitoring visit of yours is open."
    view.purpose.setText("Routine visit 3")
    with qtbot.waitSignal(view.shown_summary, timeout=5000):
        view.start_button.click()
    assert view.state.text().startswith("Monitoring visit open since")
    assert view.close_button.isVisible()
    assert not view.start_button.isEnabled()

    sdv.verify_form(monitor.session, key)  # the monitor's work, elsewhere in the app
    with qtbot.waitSignal(view.shown_summary, timeout=5000):
        view.load()
    verified = view.summary.topLevelItem(0)
    assert verified is not None
    assert verified.text(1) == "2 values in 1 forms"

    view.remarks.setPlainText("Source documents complete.")
    with qtbot.waitSignal(view.shown_summary, timeout=5000):
        view.close_button.click()
    assert view.sign_button.isVisible()
    assert not view.close_button.isVisible()
    view.request_signature()
    dialog = view.sign_dialog
    assert dialog is not None
    dialog.password_edit.setText("wrong")
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=5000)
    dialog.password_edit.setText(PASSWORDS["monitor"])
    with qtbot.waitSignal(view.shown_summary, timeout=5000):
        dialog.accept()
    assert view.status.text() == "The report is signed."
    assert not view.sign_button.isVisible()
    item = view.visits.topLevelItem(0)
    assert item is not None
    assert item.text(3).startswith("signed by")

    out = tmp_path / "visit.pdf"
    assert view.shown is not None
    with qtbot.waitSignal(view.printer.finished, timeout=20_000) as done:
        view.printer.write_to(out, "visit-report", visit=view.shown.visit)
    assert done.args[0] is True, done.args
    assert out.read_bytes().startswith(b"%PDF")
    if POPPLER:
        text = subprocess.run(
            ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Monitoring visit report" in text
        assert "Source documents complete." in text
        assert "Routine visit 3" in text
        assert re.search(r"signature\s+valid", text)
        assert "Page 1 of 1" in text
    exports = monitor.session.db.execute(
        "SELECT detail FROM audit WHERE action = 'data.export'"
    ).fetchall()
    assert len(exports) == 1
    assert '"visit-report-pdf"' in exports[0][0]
