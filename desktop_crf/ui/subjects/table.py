"""The subject list as a thin Qt model over the rows a service read returned, and its filter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from desktop_crf.services.adverse_events import AeSummary
from desktop_crf.services.overview import SubjectList
from desktop_crf.services.subjects import SubjectRow
from desktop_crf.services.sync_overview import SubjectSyncCounts
from desktop_crf.ui.common.labels import Labels
from desktop_crf.ui.common.table_model import Index, RowsTableModel
from forms.text import Language


class SubjectTableModel(RowsTableModel):
    """Columns: subject id, initials, arm, status, enrolment date, next visit, window, open
    AEs, SAE clock, open queries, changes not yet sent to the server."""

    def __init__(self, language: Language = "en", labels: Labels | None = None) -> None:
        super().__init__()
        self._labels = labels
        self._rows: list[SubjectRow] = []
        self._aes: dict[str, AeSummary] = {}
        self._counts: dict[str, SubjectSyncCounts] = {}
        self._language = language
        self._headers = [
            self.tr("Subject"),
            self.tr("Initials"),
            self.tr("Arm"),
            self.tr("Status"),
            self.tr("Enrolled"),
            self.tr("Next visit"),
            self.tr("Window"),
            self.tr("Open AEs"),
            self.tr("SAE clock"),
            self.tr("Open queries"),
            self.tr("Unsynced changes"),
        ]

    def set_rows(
        self,
        rows: list[SubjectRow],
        aes: dict[str, AeSummary] | None = None,
        counts: dict[str, SubjectSyncCounts] | None = None,
    ) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._aes = dict(aes or {})
        self._counts = dict(counts or {})
        self.endResetModel()

    def update_rows(self, subjects: SubjectList, subject_id: str) -> None:
        """Replace one subject's row in place (after a save); the rest of the list stays.

        Only the cells that show something new are announced: announcing a whole row would
        make the header measure every column again (its columns fit their contents), and
        announcing every row would make the sorted, filtered view look at every row again,
        each a stall on a site of a thousand subjects. The sync counts are the whole site's,
        so other rows' counts may have changed too.
        """
        rows = subjects.rows
        where = next((i for i, r in enumerate(self._rows) if r.subject_id == subject_id), None)
        before = self._cells(where) if where is not None else []
        counts_before, self._counts = self._counts, dict(subjects.counts)
        self._aes.pop(subject_id, None)
        self._aes.update(subjects.aes)
        if where is None:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        elif rows:
            self._rows[where] = rows[0]
            self._announce(where, before)
        changed = {
            sid
            for sid in counts_before.keys() | self._counts.keys()
            if counts_before.get(sid) != self._counts.get(sid)
        } - {subject_id}
        for row, subject in enumerate(self._rows) if changed else ():
            if subject.subject_id not in changed:
                continue
            old, new = counts_before.get(subject.subject_id), self._counts.get(subject.subject_id)
            for column, count in ((9, "open_queries"), (10, "unsynced")):
                if getattr(old, count, 0) != getattr(new, count, 0):
                    self.dataChanged.emit(self.index(row, column), self.index(row, column))

    def _cells(self, row: int) -> list[tuple[Any, Any]]:
        """What each cell of ``row`` shows: its text and its tooltip."""
        return [
            (self.data(index), self.data(index, Qt.ItemDataRole.ToolTipRole))
            for index in (self.index(row, column) for column in range(self.columnCount()))
        ]

    def _announce(self, row: int, before: list[tuple[Any, Any]]) -> None:
        """Announce the cells of ``row`` that show something else than ``before``."""
        for column, (now, was) in enumerate(zip(self._cells(row), before, strict=True)):
            if now != was:
                index = self.index(row, column)
                self.dataChanged.emit(index, index)

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, row: int) -> SubjectRow:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return row.next_visit_state
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 8:
            summary = self._aes.get(row.subject_id)
            clock = summary.sae_clock if summary else None
            return clock.describe(self._language) if clock else None
        return None

    def _display(self, row: SubjectRow, column: int) -> str:
        if column == 5 and row.next_visit_label is not None:
            label = row.next_visit_label.get(self._language)
            return f"{label} ({self._state_text(row.next_visit_state)})"
        if column == 6 and row.window is not None:
            return f"{row.window[0]} – {row.window[1]}"
        summary = self._aes.get(row.subject_id)
        if column == 7:
            if summary is None:
                return ""
            if summary.to_review:
                return self.tr("{0} ({1} to review)").format(summary.open_count, summary.to_review)
            return str(summary.open_count) if summary.open_count else ""  # none open: blank
        if column == 8:
            clock = summary.sae_clock if summary else None
            return clock.summary(self._language) if clock else ""
        if column in (9, 10):
            counts = self._counts.get(row.subject_id)
            number = (counts.open_queries if column == 9 else counts.unsynced) if counts else 0
            return str(number) if number else ""
        if column == 2:  # the arm's name: "NA" read as "not applicable"
            return self._labels.arm(row.arm) if self._labels else (row.arm or "")
        if column == 3:
            return self._labels.status(row.status) if self._labels else row.status
        values = [row.subject_id, row.initials, row.arm, row.status, row.enrolled_on]
        return (values[column] or "") if column < len(values) else ""

    def _state_text(self, state: str | None) -> str:
        texts = {
            "open": self.tr("open"),
            "overdue": self.tr("overdue"),
            "upcoming": self.tr("upcoming"),
        }
        return texts.get(state or "", state or "")


class SubjectFilter(QSortFilterProxyModel):
    """Search text over every column, plus arm, status and "visits open or overdue"."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.arm: str | None = None
        self.status: str | None = None
        self.due_only = False

    def set_filters(self, arm: str | None, status: str | None, due_only: bool) -> None:
        self.beginFilterChange()
        self.arm, self.status, self.due_only = arm, status, due_only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if isinstance(model, SubjectTableModel) and row < model.rowCount():
            subject = model.row_at(row)
            if self.arm and subject.arm != self.arm:
                return False
            if self.status and subject.status != self.status:
                return False
            if not self.status and subject.status == "discarded":
                return False  # a screening opened by mistake: shown when asked for
            if self.due_only and subject.next_visit_state not in ("open", "overdue"):
                return False
        return super().filterAcceptsRow(row, parent)
