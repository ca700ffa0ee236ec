"""The "Import lab results" tab: the laboratory's CSV export previewed row by row (where each
result goes, or why not), then imported once the nurse confirms — read and written on the
store worker, with a progress dialog that can cancel."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.errors import KnownError
from desktop_crf.services.lab_import import (
    ImportCancelled,
    ImportOutdated,
    ImportPlan,
    commit_lab_import,
    preview_lab_import,
)
from desktop_crf.ui.common.progress import StoreProgress
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.labs.results_table import (
    REFUSED_COLOUR,
    ImportWording,
    LabImportTableModel,
)

_GREEN = "#188038"


class LabImportView(QWidget):
    """Emits ``previewed(plan)`` when a file was read, ``imported(plan)`` once written, and
    ``open_form(FormKey)`` on a double-click of a row that found its form."""

    previewed = Signal(object)
    imported = Signal(object)
    open_form = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LabImportView")
        self.ctx = ctx
        self.path: Path | None = None
        self.plan: ImportPlan | None = None
        self.confirm_box: QMessageBox | None = None
        self.progress: StoreProgress | None = None
        self._note: tuple[str, str | None] = ("", None)  # said again after the next preview
        self.today: date | None = None  # None: the real today (tests fix a day)
        self.words = ImportWording(ctx.language, self)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_top())
        self.summary = QLabel()
        self.summary.setObjectName("labImportSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = LabImportTableModel(self.words)
        self.table = QTableView()
        self.table.setObjectName("labImportTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)  # "what happens" is read in full
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._build_bottom())
        self.status = QLabel()
        self.status.setObjectName("labImportStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self._update_buttons()

    def _build_top(self) -> QHBoxLayout:
        row = QHBoxLayout()
        intro = QLabel(
            self.tr(
                "Lab results from the laboratory system's CSV export. Each row is shown with "
                "the visit and item it goes to, or why it cannot; nothing is written until you "
                "import."
            )
        )
        intro.setWordWrap(True)
        row.addWidget(intro, 1)
        self.choose_button = QPushButton(self.tr("Choose file…"))
        self.choose_button.setObjectName("chooseLabFile")
        self.choose_button.clicked.connect(self.choose_file)
        row.addWidget(self.choose_button)
        return row

    def _build_bottom(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("labImportReason")
        self.reason_edit.setPlaceholderText(
            self.tr("Reason for changing saved values (empty: saved values are kept)")
        )
        self.reason_edit.textChanged.connect(lambda _t: self._update_buttons())
        row.addWidget(self.reason_edit, 1)
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setObjectName("labImportButton")
        self.import_button.clicked.connect(self.confirm_import)
        row.addWidget(self.import_button)
        return row

    # -- reading the file -------------------------------------------------------------------

    def choose_file(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _kind = QFileDialog.getOpenFileName(
            self,
            self.tr("Import lab results"),
            folder or str(Path.home()),
            self.tr("CSV files (*.csv *.txt)"),
        )
        if path:
            self.preview_file(Path(path))

    def preview_file(self, path: Path) -> None:
        """Read ``path`` against the site on the store worker; nothing is written."""
        self.path = path
        self._say(self.tr("Reading {0}…").format(path.name), None)
        progress = self._start(self.tr("Reading the laboratory's file…"))
        callback, today = progress.callback(), self.today
        self.ctx.ops.read(
            lambda s: preview_lab_import(s, path, today=today, progress=callback),
            self._previewed,
            owner=self,
            on_error=self._failed,
        )

    def _previewed(self, plan: ImportPlan) -> None:
        self._end()
        self.plan = plan
        self.model.set_rows(list(plan.rows))
        self._fit_columns()
        self.summary.setText(self._summary(plan))
        self._say(*self._note)
        self._note = ("", None)
        self._update_buttons()
        self.previewed.emit(plan)

    def _summary(self, plan: ImportPlan) -> str:
        return self.tr(
            "{0} (SHA-256 {1}…): {2} rows — {3} to import ({4} unusual, confirmed by importing), "
            "{5} would change a saved value, {6} saved already, {7} cannot be imported."
        ).format(
            plan.file_name,
            plan.sha256[:12],
            len(plan.rows),
            plan.count("new"),
            plan.warnings,
            plan.count("change"),
            plan.count("unchanged"),
            plan.count("refused"),
        )

    def _fit_columns(self) -> None:
        """Columns as wide as what they show (at most an eighth of the table each), so that
        "what happens" keeps the rest, wrapped onto more lines where it needs them."""
        self.table.resizeColumnsToContents()
        widest = max(110, self.table.viewport().width() // 8)
        for column in range(self.model.columnCount() - 1):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))
        if self.model.rowCount() <= 500:  # measuring thousands of rows would stall the GUI
            self.table.resizeRowsToContents()

    # -- importing --------------------------------------------------------------------------

    def to_write(self) -> int:
        """How many results importing now writes (changes only with a reason)."""
        plan = self.plan
        if plan is None:
            return 0
        changes = plan.count("change") if self.reason_edit.text().strip() else 0
        return plan.count("new") + changes

    def _update_buttons(self) -> None:
        count = self.to_write()
        self.import_button.setText(self.tr("Import {0} results").format(count))
        self.import_button.setEnabled(count > 0)
        plan = self.plan
        self.reason_edit.setEnabled(plan is not None and plan.count("change") > 0)

    def confirm_import(self) -> None:
        plan, count = self.plan, self.to_write()
        if plan is None or not count:
            return
        box = QMessageBox(self)
        box.setObjectName("labImportConfirm")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Import lab results"))
        box.setText(self.tr("Import {0} results from {1}?").format(count, plan.file_name))
        details = [
            self.tr(
                "Each value is saved as the laboratory reported it and recorded in the audit "
                "trail with the file's SHA-256 and its row."
            )
        ]
        if plan.warnings:
            details.append(
                self.tr("{0} unusual values will be saved as reported: you confirm them.").format(
                    plan.warnings
                )
            )
        if plan.count("refused"):
            details.append(
                self.tr("{0} rows cannot be imported; enter them by hand if needed.").format(
                    plan.count("refused")
                )
            )
        box.setInformativeText("\n".join(details))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.accepted.connect(self.run_import)
        self.confirm_box = box
        box.open()

    def run_import(self) -> None:
        plan, path = self.plan, self.path
        self.confirm_box = None
        if plan is None or path is None:
            return
        reason = self.reason_edit.text().strip() or None
        self.import_button.setEnabled(False)
        progress = self._start(self.tr("Importing lab results…"))
        callback, today = progress.callback(), self.today
        self.ctx.ops.write(
            lambda s: commit_lab_import(
                s, path, expected=plan.digest, reason=reason, today=today, progress=callback
            ),
            initiator=self,
            on_done=self._imported,
            on_error=self._failed,
        )

    def _imported(self, plan: ImportPlan) -> None:
        self._end()
        self.reason_edit.clear()
        text = self.tr("Imported {0} results from {1}. They are drafts: check each form.")
        self._note = (text.format(plan.written, plan.file_name), _GREEN)
        self._say(*self._note)
        self.imported.emit(plan)
        if self.path is not None:  # show what the file does now: its rows are saved already
            self.preview_file(self.path)

    def _failed(self, exc: KnownError) -> None:
        self._end()
        self._update_buttons()
        self._say(str(exc), REFUSED_COLOUR)
        if isinstance(exc, ImportOutdated) and self.path is not None:
            self._note = (str(exc), REFUSED_COLOUR)
            self.preview_file(self.path)

    # -- helpers ----------------------------------------------------------------------------

    def _start(self, text: str) -> StoreProgress:
        self._end()
        self.progress = StoreProgress(
            text, self, name="labImportProgress", cancelled=ImportCancelled
        )
        self.choose_button.setEnabled(False)
        return self.progress

    def _end(self) -> None:
        progress, self.progress = self.progress, None
        if progress is not None:
            progress.end()
        self.choose_button.setEnabled(True)

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row.key is not None:
            self.open_form.emit(row.key)

    def _say(self, text: str, colour: str | None) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour}; font-weight: 600;" if colour else "")

    def rows_shown(self) -> list[list[Any]]:
        """What the table shows, row by row (for tests and the screenshot)."""
        model = self.model
        return [
            [model.data(model.index(r, c)) for c in range(model.columnCount())]
            for r in range(model.rowCount())
        ]
