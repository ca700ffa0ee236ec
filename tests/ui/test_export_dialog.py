"""The "Export data" dialog: each export runs on the store worker and says where it wrote; a
casebook needs a subject; Cancel stops an export with no file left; the main window offers
it to investigators and monitors only."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from desktop_crf.model import SiteInfo
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.exports.dialog import ExportDialog
from desktop_crf.ui.shell.main_window import MainWindow
from odm.verify import verify_file
from tests.helpers.exported import SUBJECT, make_export_site
from tests.ui.conftest import close_ctx, make_ctx

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def export_site_template(
    site_template: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return make_export_site(site_template[0], tmp_path_factory.mktemp("ui-export") / "site")


@pytest.fixture
def monitor_ctx(qtbot, export_site_template: Path, tmp_path: Path) -> Iterator[UiContext]:
    import shutil

    root = tmp_path / "site"
    shutil.copytree(export_site_template, root)
    ctx = make_ctx(qtbot, root, "monitor")
    yield ctx
    close_ctx(ctx)


def open_dialog(qtbot, ctx: UiContext) -> ExportDialog:
    dialog = ExportDialog(ctx, ["DEMO-001", "DEMO-002", "DEMO-003"])
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def choose(dialog: ExportDialog, code: str, subject: str | None, path: Path) -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findData(code))
    dialog.subject.setCurrentIndex(dialog.subject.findData(subject) if subject else 0)
    dialog.path.setText(str(path))


@pytest.mark.parametrize(
    ("code", "subject", "name"),
    [
        ("odm-transactional", None, "site.xml"),
        ("csv", None, "site.zip"),
        ("casebook", SUBJECT, "casebook.pdf"),
    ],
)
def test_an_export_runs_off_the_gui_thread_and_says_where_it_wrote(
    qtbot, monitor_ctx: UiContext, tmp_path: Path, code: str, subject: str | None, name: str
) -> None:
    dialog = open_dialog(qtbot, monitor_ctx)
    choose(dialog, code, subject, tmp_path / name)
    with qtbot.waitSignal(dialog.run_finished, timeout=20000) as done:
        dialog.export()
    assert done.args[0] is True, done.args
    assert (tmp_path / name).stat().st_size > 0
    assert str(tmp_path / name) in dialog.status.text()
    assert dialog.start.isEnabled()
    if code == "odm-transactional":
        assert verify_file(tmp_path / name).ok


def test_a_casebook_asks_for_a_subject(qtbot, monitor_ctx: UiContext, tmp_path: Path) -> None:
    dialog = ExportDialog(monitor_ctx, [])
    qtbot.addWidget(dialog)
    choose(dialog, "casebook", None, tmp_path / "c.pdf")
    dialog.export()
    assert dialog.status.text() == "Choose the subject whose casebook to print."
    assert dialog.run is None


def test_cancel_stops_the_export_without_a_file(
    qtbot, monitor_ctx: UiContext, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, monitor_ctx)
    choose(dialog, "odm", None, tmp_path / "site.xml")
    gate = threading.Event()
    monitor_ctx.worker.submit(gate.wait)  # the store worker is busy with something else
    try:
        with qtbot.waitSignal(dialog.run_finished, timeout=10000) as done:
            dialog.export()
            assert dialog.run is not None
            progress = dialog.run.dialog
            assert progress is not None
            progress.findChild(QPushButton).click()  # its Cancel button
            gate.set()
    finally:
        gate.set()
    assert done.args == [False, "Export cancelled. No file was made."]
    assert not (tmp_path / "site.xml").exists()


@pytest.mark.parametrize(("role", "offered"), [("monitor", True), ("admin", False)])
def test_the_main_window_offers_export_to_whom_may(qtbot, role: str, offered: bool) -> None:
    from desktop_crf.services.permissions import Permission, allowed

    site = SiteInfo("NCT07553767", "NB02", "NB02-A1", demo=False)
    window = MainWindow(site, user="x", role=role, can_export=allowed(role, Permission.EXPORT))
    qtbot.addWidget(window)
    assert (window.findChild(object, "exportAction") is not None) is offered


def test_a_date_range_exports_only_the_visits_dated_in_it(
    qtbot, monitor_ctx: UiContext, tmp_path: Path
) -> None:
    from lxml import etree
    from PySide6.QtCore import QDate

    from odm.names import ODM_NS
    from odm.references import check_references
    from odm.schema import problems

    dialog = open_dialog(qtbot, monitor_ctx)
    choose(dialog, "odm", None, tmp_path / "range.xml")
    assert not dialog.visits_from.isEnabled()
    dialog.ranged.setChecked(True)
    assert dialog.visits_from.isEnabled()
    assert dialog.visits_to.isEnabled()
    dialog.visits_from.setDate(QDate(2026, 10, 1))
    dialog.visits_to.setDate(QDate(2026, 11, 1))
    assert dialog.path.text().endswith("odm-NB02-2026-10-01_2026-11-01.xml")  # suggested
    dialog.path.setText(str(tmp_path / "range.xml"))
    with qtbot.waitSignal(dialog.run_finished, timeout=20000) as done:
        dialog.export()
    assert done.args[0] is True, done.args
    tree = etree.parse(str(tmp_path / "range.xml"))
    assert problems(tree) == []
    assert check_references(tmp_path / "range.xml") == []
    assert "visits dated 2026-10-01 to 2026-11-01" in tree.getroot().get("Description")
    ns = {"odm": ODM_NS}
    events = list(tree.iterfind(".//odm:StudyEventData", ns))
    assert events
    for event in events:
        dates = event.xpath(
            "odm:FormData[@FormOID='F.VISIT']//odm:ItemData[@ItemOID='I.VISIT_DATE']/@Value",
            namespaces=ns,
        )
        assert len(dates) == 1
        assert "2026-10-01" <= dates[0] <= "2026-11-01"


def test_a_range_backwards_is_refused_before_anything_runs(
    qtbot, monitor_ctx: UiContext, tmp_path: Path
) -> None:
    from PySide6.QtCore import QDate

    dialog = open_dialog(qtbot, monitor_ctx)
    choose(dialog, "csv", None, tmp_path / "x.zip")
    dialog.ranged.setChecked(True)
    dialog.visits_from.setDate(QDate(2026, 11, 1))
    dialog.visits_to.setDate(QDate(2026, 10, 1))
    dialog.export()
    assert "after the last" in dialog.status.text()
    assert dialog.run is None


def test_a_casebook_takes_no_range(qtbot, monitor_ctx: UiContext, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, monitor_ctx)
    dialog.ranged.setChecked(True)
    choose(dialog, "casebook", SUBJECT, tmp_path / "c.pdf")
    assert not dialog.ranged.isEnabled()
    assert dialog.visit_range() is None
