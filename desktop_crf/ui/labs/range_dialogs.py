"""Dialogs of the "Laboratory ranges" tab: one range (new, or a correction with its reason),
and a file of ranges previewed row by row before anything is recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pydantic
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.errors import KnownError
from desktop_crf.services.lab_ranges import (
    RangeChangeNeedsReason,
    RangeFilePlan,
    analytes,
    import_range_file,
    record_lab_range,
)
from desktop_crf.ui.common.dialogs import ok_cancel
from desktop_crf.ui.common.inputs import ComboBox, DateEdit
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.labs.wording import RangeWording
from forms.lab_ranges import LabRange

_RED = "#b00020"


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("dialogError")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {_RED};")
    label.hide()
    return label


class LabRangeDialog(QDialog):
    """A new range, or (given ``old``) a correction of its limits or unit, with a reason."""

    saved = Signal()

    def __init__(
        self,
        ctx: UiContext,
        words: RangeWording,
        laboratories: list[str],
        old: LabRange | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("labRangeDialog")
        self.ctx, self.words, self.old = ctx, words, old
        self.setWindowTitle(self.tr("Correct a range") if old else self.tr("Add a range"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.lab_edit = ComboBox()
        self.lab_edit.setObjectName("rangeLaboratory")
        self.lab_edit.setEditable(True)
        self.lab_edit.addItems(laboratories)
        self.analyte_box = ComboBox()
        self.analyte_box.setObjectName("rangeAnalyte")
        for oid in analytes():
            self.analyte_box.addItem(words.analyte(oid), oid)
        self.unit_box = ComboBox()
        self.unit_box.setObjectName("rangeUnit")
        self.analyte_box.currentIndexChanged.connect(self._units)
        self.sex_box = ComboBox()
        self.sex_box.setObjectName("rangeSex")
        for code in (None, "M", "F"):
            self.sex_box.addItem(words.sex(code), code)
        self.age_min_edit, self.age_max_edit = QLineEdit(), QLineEdit()
        for edit in (self.age_min_edit, self.age_max_edit):
            edit.setPlaceholderText(self.tr("no limit"))
        self.lln_edit, self.uln_edit = QLineEdit(), QLineEdit()
        self.lln_edit.setObjectName("rangeLln")
        self.uln_edit.setObjectName("rangeUln")
        self.valid_edit = DateEdit(QDate.currentDate())
        self.valid_edit.setObjectName("rangeValidFrom")
        self.valid_edit.setCalendarPopup(True)
        self.valid_edit.setDisplayFormat("yyyy-MM-dd")
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("rangeReason")
        self.reason_edit.setPlaceholderText(self.tr("e.g. the laboratory changed its method"))
        form.addRow(self.tr("Laboratory"), self.lab_edit)
        form.addRow(self.tr("Analyte"), self.analyte_box)
        form.addRow(self.tr("Unit"), self.unit_box)
        form.addRow(self.tr("Sex"), self.sex_box)
        form.addRow(self.tr("Age from (years)"), self.age_min_edit)
        form.addRow(self.tr("Age to (years, included)"), self.age_max_edit)
        form.addRow(self.tr("LLN"), self.lln_edit)
        form.addRow(self.tr("ULN"), self.uln_edit)
        form.addRow(self.tr("Valid from"), self.valid_edit)
        form.addRow(self.tr("Reason for the correction"), self.reason_edit)
        layout.addLayout(form)
        self.error_label = _error_label()
        layout.addWidget(self.error_label)
        self.buttons = ok_cancel(self, self.save, self.tr("Save"))
        self._units()
        if old is not None:
            self._fill(old)
        else:
            form.setRowVisible(self.reason_edit, False)

    def _units(self) -> None:
        found = analytes().get(str(self.analyte_box.currentData()))
        self.unit_box.clear()
        if found is not None:
            for unit in found.item.units:
                self.unit_box.addItem(unit, unit)
            self.unit_box.setEnabled(bool(found.item.units))

    def _fill(self, old: LabRange) -> None:
        """A correction keeps what identifies the range; only its unit and limits change."""
        self.lab_edit.setCurrentText(old.laboratory)
        self.analyte_box.setCurrentIndex(self.analyte_box.findData(old.analyte))
        self.unit_box.setCurrentIndex(max(0, self.unit_box.findData(old.unit)))
        self.sex_box.setCurrentIndex(self.sex_box.findData(old.sex))
        self.age_min_edit.setText("" if old.age_min is None else str(old.age_min))
        self.age_max_edit.setText("" if old.age_max is None else str(old.age_max))
        self.lln_edit.setText(old.lln or "")
        self.uln_edit.setText(old.uln or "")
        self.valid_edit.setDate(QDate(old.valid_from))
        for widget in (
            self.lab_edit,
            self.analyte_box,
            self.sex_box,
            self.age_min_edit,
            self.age_max_edit,
            self.valid_edit,
        ):
            widget.setEnabled(False)

    def lab_range(self) -> LabRange:
        """The range as entered.

        Raises:
            ValueError: something is missing or not a number (the message says what).
        """
        ages = []
        for edit in (self.age_min_edit, self.age_max_edit):
            text = edit.text().strip()
            if text and not text.isdigit():
                raise ValueError(self.tr("An age is a whole number of years."))
            ages.append(int(text) if text else None)
        valid: date = self.valid_edit.date().toPython()  # type: ignore[assignment]
        fields: dict[str, Any] = {
            "laboratory": self.lab_edit.currentText(),
            "analyte": self.analyte_box.currentData(),
            "unit": self.unit_box.currentData(),
            "sex": self.sex_box.currentData(),
            "age_min": ages[0],
            "age_max": ages[1],
            "lln": self.lln_edit.text().strip() or None,
            "uln": self.uln_edit.text().strip() or None,
            "valid_from": valid,
        }
        try:
            return LabRange.model_validate(fields)
        except pydantic.ValidationError as exc:
            messages = [str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()]
            raise ValueError("; ".join(messages)) from None

    def save(self) -> None:
        try:
            lab_range = self.lab_range()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        reason = self.reason_edit.text().strip() or None
        self.buttons.setEnabled(False)
        self.ctx.ops.write(
            lambda s: record_lab_range(s, lab_range, reason=reason),
            initiator=self,
            on_done=self._saved,
            on_error=self._failed,
        )

    def _saved(self, _changes: object) -> None:
        self.saved.emit()
        self.accept()

    def _failed(self, exc: KnownError) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, RangeChangeNeedsReason):
            self.show_error(self.tr("Give the reason for the correction: it is kept."))
            self.reason_edit.setFocus()
            return
        self.show_error(str(exc))

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()


class RangeFileDialog(QDialog):
    """A file of ranges read against the recorded ones: each row's fate, then Import (all
    rows or none; corrections need a reason). Emits ``imported(plan)``."""

    imported = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        words: RangeWording,
        path: Path,
        plan: RangeFilePlan,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rangeFileDialog")
        self.ctx, self.words, self.path, self.plan = ctx, words, path, plan
        self.setWindowTitle(self.tr("Import reference ranges"))
        self.resize(960, 560)
        layout = QVBoxLayout(self)
        summary = QLabel(
            self.tr(
                "{0} (SHA-256 {1}): {2} new, {3} corrections, {4} already recorded, {5} refused."
            ).format(
                path.name,
                plan.sha256[:16] + "…",
                plan.count("new"),
                plan.count("changed"),
                plan.count("unchanged"),
                plan.count("refused"),
            )
        )
        summary.setObjectName("rangeFileSummary")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.table = self._table()
        layout.addWidget(self.table, 1)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("rangeFileReason")
        self.reason_edit.setPlaceholderText(self.tr("Reason for the corrections (kept)"))
        self.reason_edit.setVisible(plan.count("changed") > 0)
        layout.addWidget(self.reason_edit)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.error_label = _error_label()
        layout.addWidget(self.error_label)
        self.buttons = ok_cancel(self, self.run_import, self.tr("Import"))
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if plan.refused:
            self.note.setText(
                self.tr("Nothing can be imported while rows are refused: correct the file.")
            )
            self.import_button.setEnabled(False)
        elif not plan.count("new") + plan.count("changed"):
            self.note.setText(self.tr("Every range of this file is recorded already."))
            self.import_button.setEnabled(False)

    def _table(self) -> QTableWidget:
        headers = [
            self.tr("Row"),
            self.tr("Import"),
            self.tr("Laboratory"),
            self.tr("Analyte"),
            self.tr("Sex"),
            self.tr("Age"),
            self.tr("LLN – ULN"),
            self.tr("Valid from"),
            self.tr("Why"),
        ]
        table = QTableWidget(len(self.plan.rows), len(headers))
        table.setObjectName("rangeFileTable")
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for index, row in enumerate(self.plan.rows):
            r = row.lab_range
            cells = [str(row.row), self.words.status(row.status)]
            if r is not None:
                cells += [
                    r.laboratory,
                    self.words.analyte(r.analyte),
                    self.words.sex(r.sex),
                    self.words.ages(r),
                    self.words.limits(r),
                    r.valid_from.isoformat(),
                ]
            else:
                cells += [""] * 6
            why = row.problem or ""
            if row.status == "changed" and row.old is not None:
                why = self.tr("was {0}").format(self.words.limits(row.old))
            cells.append(why)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row.status == "refused":
                    item.setForeground(Qt.GlobalColor.darkRed)
                table.setItem(index, column, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def run_import(self) -> None:
        reason = self.reason_edit.text().strip() or None
        if self.plan.count("changed") and reason is None:
            self.error_label.setText(self.tr("Give the reason for the corrections: it is kept."))
            self.error_label.show()
            return
        path = self.path
        self.import_button.setEnabled(False)
        self.ctx.ops.write(
            lambda s: import_range_file(s, path, reason=reason),
            initiator=self,
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, plan: RangeFilePlan) -> None:
        self.imported.emit(plan)
        self.accept()

    def _failed(self, exc: KnownError) -> None:
        self.import_button.setEnabled(True)
        self.error_label.setText(str(exc))
        self.error_label.show()
