"""The laboratory room with real widgets on real encrypted sites: the import preview of a
laboratory's file, the import once confirmed, and the reference ranges (the admin records
them; the staff see them); who is offered what."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop_crf.model import FormKey, SiteInfo
from desktop_crf.services.data_entry import load_form
from desktop_crf.services.lab_ranges import list_lab_ranges
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.labs.ranges import LabRangesView
from desktop_crf.ui.labs.results import LabImportView
from desktop_crf.ui.shell.main_window import MainWindow
from tests.helpers.lab_files import LAB, LabSite, lab_site, lis_export
from tests.ui.conftest import close_ctx, make_ctx

pytestmark = pytest.mark.gui


@pytest.fixture
def site(site_dir: Path) -> LabSite:
    return lab_site(site_dir)


@pytest.fixture
def export(site: LabSite, tmp_path: Path) -> Path:
    path = tmp_path / "lis-2026-04.csv"
    path.write_text(lis_export(site), encoding="utf-8")
    return path


@pytest.fixture
def lab_nurse(qtbot, site: LabSite) -> Iterator[UiContext]:
    ctx = make_ctx(qtbot, site.root, "nurse")
    yield ctx
    close_ctx(ctx)


@pytest.fixture
def admin_ctx(qtbot, site_dir: Path) -> Iterator[UiContext]:
    ctx = make_ctx(qtbot, site_dir, "admin")
    yield ctx
    close_ctx(ctx)


def audit_size(ctx: UiContext) -> int:
    ctx.worker.wait_idle()
    return int(ctx.session.db.execute("SELECT count(*) FROM audit").fetchone()[0])


def open_import(qtbot, ctx: UiContext, path: Path) -> LabImportView:
    view = LabImportView(ctx)
    view.today = date(2026, 6, 1)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.previewed, timeout=10000):
        view.preview_file(path)
    return view


def test_the_preview_shows_each_row_and_writes_nothing(
    qtbot, lab_nurse: UiContext, site: LabSite, export: Path
) -> None:
    before = audit_size(lab_nurse)
    view = open_import(qtbot, lab_nurse, export)
    rows = {int(r[0]): r for r in view.rows_shown()}
    assert len(rows) == 15
    alt = rows[2]
    assert alt[1:9] == [site.a, "2026-04-14 08:10", "ALT", "45 U/L", "Week 12", "ALT", "", "H"]
    assert alt[9] == "to import"
    assert rows[4][7] == "20.52 umol/L"
    assert "outside the expected range" in rows[5][9]
    assert rows[9][9] == "unit mmol/L cannot be converted (the form takes umol/L, mg/dL)"
    assert rows[11][9] == "no subject NB02-ZZZZZZ-0099 on this site"
    assert rows[12][9].startswith("out of window")
    assert rows[13][9] == "the form is signed: not changed by an import"
    assert rows[15][9] == "changes the saved 150 10^9/L: needs a reason"
    assert "6 to import (1 unusual, confirmed by importing)" in view.summary.text()
    assert view.import_button.text() == "Import 6 results"
    assert not view.reason_edit.text()
    qtbot.keyClicks(view.reason_edit, "laboratory corrected the report")
    assert view.import_button.text() == "Import 7 results"
    view.reason_edit.clear()
    assert audit_size(lab_nurse) == before


def test_confirming_imports_and_the_file_then_shows_as_saved(
    qtbot, lab_nurse: UiContext, site: LabSite, export: Path
) -> None:
    view = open_import(qtbot, lab_nurse, export)
    qtbot.mouseClick(view.import_button, qtbot_left())
    box = view.confirm_box
    assert box is not None
    assert box.text() == "Import 6 results from lis-2026-04.csv?"
    assert "1 unusual values will be saved as reported" in box.informativeText()
    with qtbot.waitSignal(view.imported, timeout=10000) as imported:
        box.button(QMessageBox.StandardButton.Yes).click()
    assert imported.args[0].written == 6
    with qtbot.waitSignal(view.previewed, timeout=10000):
        pass  # the file is read again after the import
    assert "Imported 6 results from lis-2026-04.csv" in view.status.text()
    shown = {int(r[0]): r[9] for r in view.rows_shown()}
    assert shown[2] == "saved already"
    assert view.import_button.text() == "Import 0 results"
    assert not view.import_button.isEnabled()
    lab_nurse.worker.wait_idle()
    liver = load_form(lab_nurse.session, FormKey(site.a, "SE.W12", "F.LAB_LIVER"))
    assert liver.value("IG.LIVER", "I.ALT") == "45"


def test_a_double_click_opens_the_form_a_row_goes_to(
    qtbot, lab_nurse: UiContext, site: LabSite, export: Path
) -> None:
    view = open_import(qtbot, lab_nurse, export)
    with qtbot.waitSignal(view.open_form) as opened:
        view.table.activated.emit(view.model.index(0, 0))
    assert opened.args[0] == FormKey(site.a, "SE.W12", "F.LAB_LIVER")


def qtbot_left():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


# -- reference ranges --------------------------------------------------------------------------


def open_ranges(qtbot, ctx: UiContext) -> LabRangesView:
    view = LabRangesView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.load()
    return view


def test_the_admin_adds_and_corrects_a_range_in_the_app(qtbot, admin_ctx: UiContext) -> None:
    view = open_ranges(qtbot, admin_ctx)
    assert view.model.rowCount() == 0
    view.edit(None)
    dialog = view.dialog
    assert dialog is not None
    dialog.lab_edit.setCurrentText(LAB)  # type: ignore[union-attr]
    dialog.analyte_box.setCurrentIndex(dialog.analyte_box.findData("I.ALT"))  # type: ignore[union-attr]
    dialog.sex_box.setCurrentIndex(dialog.sex_box.findData("F"))  # type: ignore[union-attr]
    dialog.lln_edit.setText("7")  # type: ignore[union-attr]
    dialog.uln_edit.setText("40")  # type: ignore[union-attr]
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.save()  # type: ignore[union-attr]
    assert view.model.rowCount() == 1
    shown = [view.model.data(view.model.index(0, c)) for c in range(5)]
    assert shown == [LAB, "ALT (ALT)", "female", "all ages", "7 – 40 U/L"]

    view.edit(view.model.row_at(0))
    correct = view.dialog
    assert not correct.lab_edit.isEnabled()  # type: ignore[union-attr]
    correct.uln_edit.setText("45")  # type: ignore[union-attr]
    correct.save()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: correct.error_label.isVisible(), timeout=5000)  # type: ignore[union-attr]
    assert "reason" in correct.error_label.text()  # type: ignore[union-attr]
    correct.reason_edit.setText("the laboratory changed its method")  # type: ignore[union-attr]
    with qtbot.waitSignal(view.loaded, timeout=5000):
        correct.save()  # type: ignore[union-attr]
    admin_ctx.worker.wait_idle()
    assert [r.lab_range.uln for r in list_lab_ranges(admin_ctx.session)] == ["45"]


def test_a_range_file_with_a_bad_row_cannot_be_imported_and_a_good_one_can(
    qtbot, admin_ctx: UiContext, tmp_path: Path
) -> None:
    view = open_ranges(qtbot, admin_ctx)
    header = "laboratory,analyte,unit,sex,age_from,age_to,lln,uln,valid_from\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(header + f"{LAB},ALT,U/L,,,,50,40,2026-01-01\n", encoding="utf-8")
    view.preview_file(bad)
    qtbot.waitUntil(lambda: view.dialog is not None, timeout=5000)
    dialog = view.dialog
    assert not dialog.import_button.isEnabled()  # type: ignore[union-attr]
    assert "LLN 50 is not below ULN 40" in dialog.table.item(0, 8).text()  # type: ignore[union-attr]
    dialog.reject()  # type: ignore[union-attr]

    good = tmp_path / "good.csv"
    good.write_text(header + f"{LAB},PLT,10^9/L,,,,125,350,2026-01-01\n", encoding="utf-8")
    view.dialog = None
    view.preview_file(good)
    qtbot.waitUntil(lambda: view.dialog is not None, timeout=5000)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.dialog.run_import()  # type: ignore[union-attr]
    assert view.model.rowCount() == 1
    assert "Imported: 1 new" in view.status.text()


def test_staff_see_the_ranges_but_only_the_admin_changes_them(qtbot, lab_nurse: UiContext) -> None:
    view = open_ranges(qtbot, lab_nurse)
    assert view.model.rowCount() == 5
    for button in (view.add_button, view.remove_button, view.import_button):
        assert not button.isVisible()
    view.edit(view.model.row_at(0))
    assert view.dialog is None


@pytest.mark.parametrize(
    ("role", "actions"),
    [
        ("nurse", ["labImportAction", "labRangesAction"]),
        ("admin", ["labRangesAction"]),
        ("monitor", ["labRangesAction"]),
    ],
)
def test_the_laboratory_menu_offers_what_the_role_may_do(
    qtbot, role: str, actions: list[str]
) -> None:
    from desktop_crf.services.permissions import Permission, allowed

    window = MainWindow(
        SiteInfo("NCT07553767", "NB02", "NB02-X", False),
        user=role,
        role=role,
        can_import_labs=allowed(role, Permission.ENTER_DATA),
        can_see_lab_ranges=allowed(role, Permission.VIEW_LAB_RANGES),
    )
    qtbot.addWidget(window)
    assert [a.objectName() for a in window.lab_menu.actions()] == actions


def test_the_admin_signs_in_without_an_error_and_opens_the_ranges(
    qtbot, site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_crf.ui import ops
    from desktop_crf.ui.shell.controller import AppController
    from tests.helpers.sites import PASSWORDS

    shown: list[BaseException] = []
    monkeypatch.setattr(ops, "show_error", lambda exc, _parent=None: shown.append(exc))
    ctl = AppController(site_dir, idle_minutes=10)
    ctl.start()
    try:
        with qtbot.waitSignal(ctl.unlocked, timeout=10_000):
            ctl.unlock_window.user_edit.setText("admin")  # type: ignore[union-attr]
            ctl.unlock_window.password_edit.setText(PASSWORDS["admin"])  # type: ignore[union-attr]
            ctl.unlock_window._submit()  # type: ignore[union-attr]
        ctl.open_lab_ranges()
        window = ctl.main_window
        assert window is not None
        view = window.tabs.currentWidget()
        assert isinstance(view, LabRangesView)
        qtbot.waitUntil(lambda: view.count_label.text() != "", timeout=5000)
        assert view.add_button.isVisible()
        ctl.worker.wait_idle()
        qtbot.wait(20)
        assert shown == []  # no "an admin may not view clinical data" on the way
    finally:
        ctl.shutdown()
        ctl.deleteLater()
