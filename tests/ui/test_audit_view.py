"""The "Audit trail" tab driven with real widgets on real encrypted sites: filters, paging,
chain verification (intact and tampered), the CSV export and who is offered the tab."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QPushButton

from desktop_crf.model import FormKey, SiteInfo
from desktop_crf.services.permissions import Permission, allowed
from desktop_crf.store.keyslots import KeySlotFile
from desktop_crf.ui.audit.view import AuditView
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.shell.controller import AppController
from desktop_crf.ui.shell.main_window import MainWindow
from tests.helpers.sites import PASSWORDS
from tests.services.test_audit_review import REASON, fill_trail, unwritable
from tests.ui.conftest import close_ctx, make_ctx

pytestmark = pytest.mark.gui


@pytest.fixture
def subjects(site_dir: Path) -> list[str]:
    return fill_trail(site_dir)


@pytest.fixture
def monitor_ctx(qtbot, site_dir: Path, subjects: list[str]) -> Iterator[UiContext]:
    ctx = make_ctx(qtbot, site_dir, "monitor")
    yield ctx
    close_ctx(ctx)


def open_view(qtbot, ctx: UiContext, *, page_size: int = 500) -> AuditView:
    view = AuditView(ctx)
    view.page_size = page_size
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.load()
    ctx.worker.wait_idle()  # the filter choices too
    qtbot.wait(10)
    return view


def trail_size(ctx: UiContext) -> int:
    ctx.worker.wait_idle()
    return int(ctx.session.db.execute("SELECT count(*) FROM audit").fetchone()[0])


def shown(view: AuditView, column: int) -> list[str]:
    model = view.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_entries_appear_and_the_filters_narrow_them(
    qtbot, monitor_ctx: UiContext, subjects: list[str]
) -> None:
    view = open_view(qtbot, monitor_ctx)
    assert view.model.rowCount() == trail_size(monitor_ctx)
    assert "entries shown" in view.count_label.text()

    qtbot.keyClicks(view.subject_edit, subjects[0])
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.keyClick(view.subject_edit, Qt.Key.Key_Return)
    assert view.model.rowCount() > 0
    assert all(w.startswith(subjects[0]) for w in shown(view, 5))

    index = view.action_box.findData("item.set")
    assert view.action_box.itemText(index) == "Value entered or changed (item.set)"
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.action_box.setCurrentIndex(index)
        view.action_box.activated.emit(index)
    assert shown(view, 6) == ["40 → 41", "— → 40"]
    assert shown(view, 8) == [REASON, ""]
    assert shown(view, 4) == ["Value entered or changed"] * 2

    view.since_check.setChecked(True)
    view.since_edit.setDate(QDate.currentDate().addDays(1))
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == 0

    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.clear_filters()
    assert view.model.rowCount() == trail_size(monitor_ctx)


def test_load_more_pages_through_the_whole_trail_once(qtbot, monitor_ctx: UiContext) -> None:
    view = open_view(qtbot, monitor_ctx, page_size=4)
    assert view.model.rowCount() == 4
    while view.more_button.isEnabled():
        with qtbot.waitSignal(view.loaded, timeout=5000):
            qtbot.mouseClick(view.more_button, Qt.MouseButton.LeftButton)
    entries = shown(view, 1)
    assert len(entries) == len(set(entries)) == trail_size(monitor_ctx)


def test_verify_shows_the_count_in_green(qtbot, monitor_ctx: UiContext) -> None:
    view = open_view(qtbot, monitor_ctx)
    with qtbot.waitSignal(view.verified, timeout=5000) as done:
        qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    count = trail_size(monitor_ctx)
    assert done.args[0].count == count
    assert view.status.text() == f"Audit trail verified: {count} entries, chain intact."
    assert "#188038" in view.status.styleSheet()


def _tamper(site_dir: Path, sql: str) -> None:
    """Change the trail behind the app's back: a raw connection with the triggers dropped."""
    key = KeySlotFile.load(site_dir / "keyslots.json").unlock("nurse", PASSWORDS["nurse"])
    conn = sqlcipher3.connect(str(site_dir / "site.db"))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.executescript(f"DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; {sql}")
    conn.commit()
    conn.close()


def test_a_tampered_trail_names_the_first_broken_entry_in_red(
    qtbot, site_dir: Path, subjects: list[str]
) -> None:
    _tamper(site_dir, "UPDATE audit SET new = '14' WHERE new = '41' AND action = 'item.set'")
    ctx = make_ctx(qtbot, site_dir, "monitor")
    try:
        device, seq = ctx.session.db.execute(
            "SELECT device, seq FROM audit WHERE new = '14'"
        ).fetchone()
        view = open_view(qtbot, ctx)
        with qtbot.waitSignal(view.verified, timeout=5000):
            qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
        text = view.status.text()
        assert text.startswith(f"Audit trail broken at entry {device}#{seq}: ")
        assert "its content was changed after it was written" in text
        assert "#b00020" in view.status.styleSheet()
        row = view.table.currentIndex().row()
        assert view.model.row_at(row)["entry"] == f"{device}#{seq}"
        colour = view.model.data(view.model.index(row, 0), Qt.ItemDataRole.ForegroundRole)
        assert colour.color().name() == "#b00020"
    finally:
        close_ctx(ctx)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_every_entry_from_the_button(
    qtbot, monitor_ctx: UiContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = open_view(qtbot, monitor_ctx)
    target = tmp_path / "exports" / "audit"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    count = trail_size(monitor_ctx)
    with qtbot.waitSignal(view.export_finished, timeout=5000) as done:
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert done.args == [True]
    written = target.with_suffix(".csv")
    rows = _csv_rows(written)
    assert len(rows) == count
    change = next(r for r in rows if r["new"] == "41")
    assert (change["old"], change["reason"]) == ("40", REASON)
    assert all(len(r["hash"]) == 64 and len(r["prev_hash"]) == 64 for r in rows)
    assert view.status.text() == f"Exported {count} entries to {written}."
    assert view.export_button.isEnabled()
    assert view.export.progress_dialog is None


def test_a_failed_export_leaves_no_file_and_says_why(
    qtbot, monitor_ctx: UiContext, tmp_path: Path
) -> None:
    view = open_view(qtbot, monitor_ctx)
    with unwritable(tmp_path / "locked") as folder:
        with qtbot.waitSignal(view.export_finished, timeout=5000) as done:
            view.export_to(folder / "trail.csv")
        assert done.args == [False]
        assert list(folder.iterdir()) == []
    assert view.status.text() == (
        f"The audit trail was not exported: the folder {folder} cannot be written. Choose "
        "another folder (for example Documents). No file was made."
    )
    assert "#b00020" in view.status.styleSheet()
    assert view.export_button.isEnabled()


def test_cancel_stops_the_export_without_a_file(
    qtbot, monitor_ctx: UiContext, tmp_path: Path
) -> None:
    view = open_view(qtbot, monitor_ctx)
    gate = threading.Event()
    monitor_ctx.worker.submit(gate.wait)  # the store worker is busy with something else
    try:
        with qtbot.waitSignal(view.export_finished, timeout=5000) as done:
            view.export_to(tmp_path / "trail.csv")
            dialog = view.export.progress_dialog
            assert dialog is not None
            dialog.findChild(QPushButton).click()  # its Cancel button
            gate.set()
    finally:
        gate.set()
    assert done.args == [False]
    assert not (tmp_path / "trail.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert view.status.text() == "Export cancelled. No file was made."


def test_double_click_opens_the_form_of_the_entry(
    qtbot, monitor_ctx: UiContext, subjects: list[str]
) -> None:
    view = open_view(qtbot, monitor_ctx)
    row = next(r for r in range(view.model.rowCount()) if view.model.row_at(r)["new"] == "41")
    view.table.scrollTo(view.model.index(row, 0))
    rect = view.table.visualRect(view.model.index(row, 1))
    with qtbot.waitSignal(view.open_form, timeout=2000) as opened:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [FormKey(subjects[0], "SE.W0", "F.LAB_LIVER", 1)]
    assert "Hash: " in view.detail.toPlainText()


def test_a_nurse_reviews_the_trail_but_is_not_offered_the_export(
    qtbot, site_dir: Path, subjects: list[str]
) -> None:
    ctx = make_ctx(qtbot, site_dir, "nurse")
    try:
        view = open_view(qtbot, ctx)
        assert view.model.rowCount() > 0
        assert not view.export_button.isVisibleTo(view)
    finally:
        close_ctx(ctx)


def _unlock(qtbot, ctl: AppController, role: str) -> None:
    window = ctl.unlock_window
    window.user_edit.setText(role)
    qtbot.keyClicks(window.password_edit, PASSWORDS[role])
    with qtbot.waitSignal(ctl.subjects_loaded, timeout=10_000):
        qtbot.keyClick(window.password_edit, Qt.Key.Key_Return)


def test_the_toolbar_opens_one_audit_tab_for_a_monitor(
    qtbot, site_dir: Path, subjects: list[str]
) -> None:
    ctl = AppController(site_dir, idle_minutes=10)
    ctl.start()
    try:
        _unlock(qtbot, ctl, "monitor")
        window = ctl.main_window
        action = window.findChild(QAction, "auditAction")
        action.trigger()
        view = window.tabs.currentWidget()
        assert isinstance(view, AuditView)
        assert window.tabs.tabText(window.tabs.currentIndex()) == "Audit trail"
        qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=5000)
        tabs = window.tabs.count()
        window.tabs.setCurrentIndex(0)
        action.trigger()
        assert window.tabs.count() == tabs
        assert window.tabs.currentWidget() is view
        assert view.export_button.isVisibleTo(view)
    finally:
        ctl.shutdown()
        ctl.deleteLater()


def test_the_tab_is_not_offered_without_the_permission(qtbot, site_dir: Path) -> None:
    assert not allowed("patient", Permission.VIEW_AUDIT)
    site = SiteInfo("NCT07553767", "NB02", "NB02-000001", False)
    without = MainWindow(site, user="x", role="patient", can_review_audit=False)
    qtbot.addWidget(without)
    with_it = MainWindow(site, user="x", role="monitor", can_review_audit=True)
    qtbot.addWidget(with_it)
    assert without.findChild(QAction, "auditAction") is None
    assert with_it.findChild(QAction, "auditAction") is not None


def test_entries_that_arrive_by_sync_show_on_a_first_page_and_are_announced_deeper(
    qtbot, monitor_ctx: UiContext, site_dir: Path, subjects: list[str]
) -> None:
    view = open_view(qtbot, monitor_ctx)
    before = view.model.rowCount()
    fill_trail(site_dir)  # another computer's entries, as a pull stores them
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.entries_arrived()  # what the app does after a sync brought data
    assert view.model.rowCount() == trail_size(monitor_ctx) > before

    paged = open_view(qtbot, monitor_ctx, page_size=3)
    with qtbot.waitSignal(paged.loaded, timeout=5000):
        paged.load_more()
    rows = paged.model.rowCount()
    fill_trail(site_dir)
    paged.entries_arrived()
    assert paged.model.rowCount() == rows  # the reader keeps her place
    assert "New entries came by sync" in paged.count_label.text()
