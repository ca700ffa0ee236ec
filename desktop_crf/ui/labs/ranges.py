"""The "Laboratory ranges" tab: every laboratory's recorded reference ranges; the site admin
records, corrects and removes them, or imports the data manager's file (previewed first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.errors import KnownError
from desktop_crf.model import Changes
from desktop_crf.services.lab_ranges import (
    RangeFilePlan,
    StoredRange,
    known_laboratories,
    list_lab_ranges,
    preview_range_file,
    remove_lab_range,
)
from desktop_crf.services.permissions import Permission
from desktop_crf.ui.audit.table import local_stamp
from desktop_crf.ui.common.dialogs import TextDialog
from desktop_crf.ui.common.inputs import ComboBox
from desktop_crf.ui.common.table_model import Index, RowsTableModel
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.labs.range_dialogs import LabRangeDialog, RangeFileDialog
from desktop_crf.ui.labs.wording import RangeWording

_RED = "#b00020"


class LabRangeTableModel(RowsTableModel):
    """The recorded ranges a read returned, one per row."""

    def __init__(self, words: RangeWording) -> None:
        super().__init__()
        self.words = words
        self._rows: list[StoredRange] = []
        self._headers = [
            self.tr("Laboratory"),
            self.tr("Analyte"),
            self.tr("Sex"),
            self.tr("Age"),
            self.tr("LLN – ULN"),
            self.tr("Valid from"),
            self.tr("Recorded by"),
            self.tr("Recorded at"),
        ]

    def set_rows(self, rows: list[StoredRange]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> StoredRange:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        stored = self._rows[index.row()]
        r = stored.lab_range
        return (
            r.laboratory,
            self.words.analyte(r.analyte),
            self.words.sex(r.sex),
            self.words.ages(r),
            self.words.limits(r),
            r.valid_from.isoformat(),
            stored.changed_by,
            local_stamp(stored.changed_at),
        )[index.column()]


class LabRangesView(QWidget):
    """Emits ``loaded`` each time the ranges were read again."""

    loaded = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LabRangesView")
        self.ctx = ctx
        self.may_manage = ctx.may(Permission.MANAGE_LAB_RANGES)
        self.words = RangeWording(ctx.language, self)
        self.laboratories: list[str] = []
        self.dialog: LabRangeDialog | RangeFileDialog | TextDialog | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Each laboratory's reference ranges, recorded once. A lab form uses the range of "
                "the laboratory it names for its sample date and the subject's sex and age; LLN "
                "or ULN entered on the form itself take precedence."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Laboratory")))
        self.lab_filter = ComboBox()
        self.lab_filter.setObjectName("labFilter")
        self.lab_filter.setMinimumContentsLength(24)
        self.lab_filter.addItem(self.tr("All laboratories"), None)
        self.lab_filter.activated.connect(lambda _i: self.load())
        row.addWidget(self.lab_filter)
        self.count_label = QLabel()
        self.count_label.setObjectName("labRangeCount")
        row.addWidget(self.count_label)
        row.addStretch(1)
        layout.addLayout(row)
        self.model = LabRangeTableModel(self.words)
        self.table = QTableView()
        self.table.setObjectName("labRangeTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setObjectName("labRangeStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addLayout(self._buttons())
        ctx.ops.changed.connect(self._changed)

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        self.add_button = QPushButton(self.tr("Add range…"))
        self.add_button.setObjectName("addRangeButton")
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.correct_button = QPushButton(self.tr("Correct…"))
        self.correct_button.setObjectName("correctRangeButton")
        self.correct_button.clicked.connect(self._correct_selected)
        self.remove_button = QPushButton(self.tr("Remove…"))
        self.remove_button.setObjectName("removeRangeButton")
        self.remove_button.clicked.connect(self._remove_selected)
        self.import_button = QPushButton(self.tr("Import file…"))
        self.import_button.setObjectName("importRangesButton")
        self.import_button.setToolTip(
            self.tr("Record the ranges of a CSV file from the data manager (previewed first)")
        )
        self.import_button.clicked.connect(self.choose_file)
        for button in (self.add_button, self.correct_button, self.remove_button):
            row.addWidget(button)
        row.addWidget(self.import_button)
        for button in (self.add_button, self.correct_button, self.remove_button):
            button.setVisible(self.may_manage)
        self.import_button.setVisible(self.may_manage)
        return row

    # -- reading ----------------------------------------------------------------------------

    def load(self) -> None:
        laboratory = self.lab_filter.currentData()
        self.ctx.ops.read(
            lambda s: (list_lab_ranges(s, laboratory=laboratory), known_laboratories(s)),
            self._loaded,
            owner=self,
            on_error=self._error,
        )

    def _loaded(self, found: tuple[list[StoredRange], list[str]]) -> None:
        ranges, laboratories = found
        self.laboratories = laboratories
        current = self.lab_filter.currentData()
        self.lab_filter.blockSignals(True)
        while self.lab_filter.count() > 1:
            self.lab_filter.removeItem(1)
        for name in laboratories:
            self.lab_filter.addItem(name, name)
        self.lab_filter.setCurrentIndex(max(0, self.lab_filter.findData(current)))
        self.lab_filter.blockSignals(False)
        self.model.set_rows(ranges)
        self.table.resizeColumnsToContents()
        self.count_label.setText(self.tr("{0} ranges recorded.").format(len(ranges)))
        self.loaded.emit()

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.kind in ("lab_ranges", "sync"):
            self.load()

    # -- changing ---------------------------------------------------------------------------

    def selected(self) -> StoredRange | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def edit(self, stored: StoredRange | None) -> None:
        """Open the range dialog: a new range, or a correction of ``stored``."""
        if not self.may_manage:
            return
        dialog = LabRangeDialog(
            self.ctx, self.words, self.laboratories, stored.lab_range if stored else None, self
        )
        dialog.saved.connect(lambda: self._say(self.tr("Range saved."), None))
        self.dialog = dialog
        dialog.open()

    def _activated(self, index: QModelIndex) -> None:
        self.edit(self.model.row_at(index.row()))

    def _correct_selected(self) -> None:
        stored = self.selected()
        if stored is None:
            self._say(self.tr("Select the range to correct."), _RED)
            return
        self.edit(stored)

    def _remove_selected(self) -> None:
        stored = self.selected()
        if stored is None:
            self._say(self.tr("Select the range to remove."), _RED)
            return
        r = stored.lab_range
        dialog = TextDialog(
            self.tr("Remove a range"),
            self.tr(
                "Remove the range of {0} at {1} from {2} ({3}, {4})? Lab forms will no longer "
                "use it. Say why: the reason is kept in the audit trail."
            ).format(
                self.words.analyte(r.analyte),
                r.laboratory,
                r.valid_from.isoformat(),
                self.words.sex(r.sex),
                self.words.ages(r),
            ),
            self.tr("e.g. recorded for the wrong laboratory"),
            self,
        )
        dialog.accepted.connect(lambda: self._remove(stored, dialog.text()))
        self.dialog = dialog
        dialog.open()

    def _remove(self, stored: StoredRange, reason: str) -> None:
        self.ctx.ops.write(
            lambda s: remove_lab_range(s, stored.lab_range, reason=reason),
            initiator=self,
            on_done=lambda _c: self._say(self.tr("Range removed."), None),
            on_error=self._error,
        )

    # -- a file -----------------------------------------------------------------------------

    def choose_file(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _kind = QFileDialog.getOpenFileName(
            self,
            self.tr("Import reference ranges"),
            folder or str(Path.home()),
            self.tr("CSV files (*.csv *.txt)"),
        )
        if path:
            self.preview_file(Path(path))

    def preview_file(self, path: Path) -> None:
        """Read the file against the recorded ranges (nothing is written) and show the plan."""
        self._say(self.tr("Reading {0}…").format(path.name), None)
        self.ctx.ops.read(
            lambda s: preview_range_file(s, path),
            lambda plan: self._previewed(path, plan),
            owner=self,
            on_error=self._error,
        )

    def _previewed(self, path: Path, plan: RangeFilePlan) -> None:
        self._say("", None)
        dialog = RangeFileDialog(self.ctx, self.words, path, plan, self)
        dialog.imported.connect(self._imported)
        self.dialog = dialog
        dialog.open()

    def _imported(self, plan: RangeFilePlan) -> None:
        self._say(
            self.tr("Imported: {0} new, {1} corrected, {2} already recorded.").format(
                plan.count("new"), plan.count("changed"), plan.count("unchanged")
            ),
            None,
        )

    # -- messages ---------------------------------------------------------------------------

    def _say(self, text: str, colour: str | None) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour}; font-weight: 600;" if colour else "")

    def _error(self, exc: KnownError) -> None:
        self._say(str(exc), _RED)
