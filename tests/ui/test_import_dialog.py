"""The admin's "Import study data" dialog: an ODM file sets an empty site up on the store
worker with progress; a file that does not verify is refused with its line and nothing is
written; Cancel rolls the import back; the main window offers it to the site's admin only."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from desktop_crf.model import SiteInfo
from desktop_crf.services.odm_export import export_odm
from desktop_crf.services.permissions import Permission, allowed
from desktop_crf.services.site import verify_audit
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.exports.odm_import import OdmImportDialog
from desktop_crf.ui.shell.main_window import MainWindow
from tests.helpers.exported import SUBJECTS, make_export_site
from tests.helpers.sites import copy_site, login
from tests.ui.conftest import close_ctx, make_ctx

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def transactional(
    site_template: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A Transactional ODM file of a site of the same study, with its whole history."""
    folder = tmp_path_factory.mktemp("ui-import")
    site = make_export_site(site_template[0], folder / "site")
    investigator = login(site, "investigator")
    try:
        export_odm(investigator, folder / "transactional.xml", transactional=True)
    finally:
        investigator.close()
    return folder / "transactional.xml"


@pytest.fixture
def admin_ctx(qtbot, site_template: tuple[Path, str], tmp_path: Path) -> Iterator[UiContext]:
    ctx = make_ctx(qtbot, copy_site(site_template[0], tmp_path / "empty"), "admin")
    yield ctx
    close_ctx(ctx)


def subjects_of(ctx: UiContext) -> int:
    done: list[int] = []
    ctx.worker.submit(
        lambda: int(ctx.session.db.execute("SELECT count(*) FROM subjects").fetchone()[0]),
        on_done=done.append,
    )
    ctx.worker.wait_idle()
    QApplication.processEvents()
    return done[0]


def open_dialog(qtbot, ctx: UiContext, path: Path) -> OdmImportDialog:
    dialog = OdmImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.start.isEnabled()  # nothing to import yet
    dialog.path.setText(str(path))
    assert dialog.start.isEnabled()
    return dialog


def test_an_odm_file_sets_the_empty_site_up_and_says_what_came_in(
    qtbot, admin_ctx: UiContext, transactional: Path
) -> None:
    dialog = open_dialog(qtbot, admin_ctx, transactional)
    with (
        qtbot.waitSignal(admin_ctx.ops.changed, timeout=30000) as changed,
        qtbot.waitSignal(dialog.import_finished, timeout=30000) as done,
    ):
        dialog.start.click()
    ok, text = done.args
    assert ok is True, text
    assert f"Imported {SUBJECTS} subjects" in text
    assert "transactional.xml" in text
    assert "Transactional" in text
    assert dialog.status.text() == text
    assert not dialog.error.isVisible()
    assert changed.args[0].kind == "subject"
    assert changed.args[0].subject_id is None
    assert subjects_of(admin_ctx) == SUBJECTS
    assert verify_audit(admin_ctx.session).ok


def test_a_file_that_does_not_verify_is_refused_and_nothing_is_written(
    qtbot, admin_ctx: UiContext, transactional: Path, tmp_path: Path
) -> None:
    altered = tmp_path / "altered.xml"
    text = transactional.read_text(encoding="utf-8")
    altered.write_text(text.replace('Value="&lt;0.05"', 'Value="0.05"'), encoding="utf-8")
    dialog = open_dialog(qtbot, admin_ctx, altered)
    with qtbot.waitSignal(dialog.import_finished, timeout=30000) as done:
        dialog.run_import()
    ok, message = done.args
    assert ok is False
    assert message.startswith("The file was not imported: line ")
    assert "does not verify" in message
    assert message.endswith("Nothing was written.")
    assert dialog.error.isVisible()
    assert dialog.error.text() == message
    assert dialog.start.isEnabled()  # the admin may choose another file
    assert subjects_of(admin_ctx) == 0


def test_a_missing_file_is_named_before_anything_runs(
    qtbot, admin_ctx: UiContext, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, admin_ctx, tmp_path / "nowhere.xml")
    dialog.run_import()
    assert not dialog.running
    assert "There is no file" in dialog.error.text()
    assert dialog.progress is None


def test_cancel_rolls_the_import_back(qtbot, admin_ctx: UiContext, transactional: Path) -> None:
    dialog = open_dialog(qtbot, admin_ctx, transactional)
    gate = threading.Event()
    admin_ctx.worker.submit(gate.wait)  # the store worker is busy with something else
    try:
        with qtbot.waitSignal(dialog.import_finished, timeout=30000) as done:
            dialog.run_import()
            assert dialog.progress is not None
            dialog.progress.findChild(QPushButton).click()  # its Cancel button
            gate.set()
    finally:
        gate.set()
    assert done.args == [False, "Import cancelled. Nothing was written."]
    assert subjects_of(admin_ctx) == 0


@pytest.mark.parametrize(
    ("role", "offered"), [("admin", True), ("investigator", False), ("nurse", False)]
)
def test_the_main_window_offers_the_import_to_the_admin_only(
    qtbot, role: str, offered: bool
) -> None:
    site = SiteInfo("NCT07553767", "NB02", "NB02-A1", demo=False)
    window = MainWindow(
        site, user="x", role=role, can_import_data=allowed(role, Permission.IMPORT_DATA)
    )
    qtbot.addWidget(window)
    assert (window.findChild(object, "importDataAction") is not None) is offered


def test_closing_the_dialog_while_it_imports_stops_the_import(
    qtbot, admin_ctx: UiContext, transactional: Path
) -> None:
    dialog = open_dialog(qtbot, admin_ctx, transactional)
    gate = threading.Event()
    admin_ctx.worker.submit(gate.wait)  # the store worker is busy with something else
    try:
        dialog.run_import()
        with qtbot.waitSignal(dialog.destroyed, timeout=5000):
            dialog.deleteLater()  # the admin closed it: the window and its progress are gone
    finally:
        gate.set()
    admin_ctx.worker.wait_idle()
    assert subjects_of(admin_ctx) == 0
    qtbot.wait(20)  # the cancellation's answer reaches the GUI thread: the admin closed it,
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "knownErrorBox"]
    assert not [box for box in boxes if box.isVisible()]  # so nothing pops up about it
