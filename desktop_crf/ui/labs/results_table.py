"""The rows of a lab results file as the import preview shows them: a thin Qt model over the
plan a service read returned, and the words for each row's fate in the user's language."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from desktop_crf.services.lab_import import ImportRow, Problem
from desktop_crf.ui.common.table_model import Index, RowsTableModel
from forms.lab_ranges import LabFlag
from forms.text import Language

REFUSED_COLOUR = "#b00020"
CHANGE_COLOUR = "#8a5a00"
WARNING_COLOUR = "#8a5a00"
SAVED_COLOUR = "#5f6368"


class ImportWording(QObject):
    """What happens to a row, in the user's words."""

    def __init__(self, language: Language, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.language = language

    def fate(self, row: ImportRow) -> str:
        if row.status == "new":
            text = self.tr("to import")
        elif row.status == "change":
            text = self.tr("changes the saved {0}: needs a reason").format(row.old or "")
        elif row.status == "unchanged":
            text = self.tr("saved already")
        else:
            text = self.problem(row)
        unusual = [w.message.get(self.language) for w in row.warnings]
        return ("；" if self.language == "zh" else "; ").join([text, *unusual])

    def problem(self, row: ImportRow) -> str:
        about = row.about or ""
        if row.problem is Problem.INVALID and row.error is not None:
            return row.error.message.get(self.language)
        texts = {
            Problem.UNKNOWN_SUBJECT: self.tr("no subject {0} on this site").format(row.subject),
            Problem.BAD_DATE: self.tr("the sample date is not a date (YYYY-MM-DD)"),
            Problem.FUTURE_DATE: self.tr("the sample date is in the future"),
            Problem.UNKNOWN_TEST: self.tr("test {0} is not recorded on the lab forms").format(
                row.test
            ),
            Problem.OUT_OF_WINDOW: self.tr("out of window: no visit for this test on this date"),
            Problem.UNIT: self.tr("unit {0} cannot be converted (the form takes {1})").format(
                row.unit or self.tr("none"), about
            ),
            Problem.VALUE: self.tr("{0} is not a lab result").format(row.result),
            Problem.SIGNED: self.tr("the form is signed: not changed by an import"),
            Problem.OTHER_SAMPLE: self.tr(
                "the visit's form holds the sample of {0}: enter this one by hand"
            ).format(about),
            Problem.OTHER_LABORATORY: self.tr("the form names another laboratory: {0}").format(
                about
            ),
            Problem.INVALID: about,
            Problem.CONFLICTING_ROWS: self.tr("rows {0} give different values").format(about),
        }
        text = texts.get(row.problem, about) if row.problem is not None else ""
        if row.problem is Problem.OUT_OF_WINDOW and about:
            text += " " + self.tr("(nearest window {0})").format(about)
        return text

    def flag(self, flag: LabFlag | None) -> str:
        if flag is LabFlag.HIGH:
            return self.tr("H")
        if flag is LabFlag.LOW:
            return self.tr("L")
        return ""


class LabImportTableModel(RowsTableModel):
    """One line per row of the file, in file order."""

    def __init__(self, words: ImportWording) -> None:
        super().__init__()
        self.words = words
        self._rows: list[ImportRow] = []
        self._headers = [
            self.tr("Row"),
            self.tr("Subject"),
            self.tr("Sample date"),
            self.tr("Test"),
            self.tr("Result"),
            self.tr("Visit"),
            self.tr("Item"),
            self.tr("In the form's unit"),
            self.tr("H/L"),
            self.tr("What happens"),
        ]

    def set_rows(self, rows: list[ImportRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ImportRow:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 9:
            return self.words.fate(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(row, index.column())
        return None

    def _display(self, row: ImportRow, column: int) -> str:
        language = self.words.language
        result = f"{row.result} {row.unit}" if row.unit else row.result
        return (
            str(row.row),
            row.subject,
            row.sample_date,
            row.test,
            result,
            row.visit.get(language) if row.visit else "",
            row.item_label.get(language) if row.item_label else "",
            row.in_item_unit or "",
            self.words.flag(row.flag),
            self.words.fate(row),
        )[column]

    def _colour(self, row: ImportRow, column: int) -> QBrush | None:
        if row.status == "refused":
            colour = REFUSED_COLOUR
        elif row.status == "change" or (column == 9 and row.warnings):
            colour = CHANGE_COLOUR
        elif row.status == "unchanged":
            colour = SAVED_COLOUR
        elif column == 8 and row.flag in (LabFlag.HIGH, LabFlag.LOW):
            colour = REFUSED_COLOUR
        else:
            return None
        return QBrush(QColor(colour))
