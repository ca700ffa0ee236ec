"""The dashboard's tables: AEs by term and arm, SAEs on their clock, overdue visits, screen
failures by criterion, and the landmark estimates of each time-to-event endpoint. Each is a
read-only ``QTableWidget`` filled from a study summary, in the user's language.

Public names: :class:`SummaryTable`, :class:`TableData`, :func:`aes_table`,
:func:`saes_table`, :func:`overdue_table`, :func:`screening_table`, :func:`landmarks_table`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from desktop_crf.ui.reports.build import arm_names
from forms.summary import StudySummary
from forms.survival_curves import Estimate
from forms.text import Language

_STATE_COLOURS = {"overdue": "#b00020", "late": "#8a5a00", "pending": "#1a73e8"}


@dataclass(frozen=True)
class TableData:
    """A table's headers, rows (a cell: a value, or (value, colour)) and header tips."""

    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    tips: Sequence[str] = ()


class SummaryTable(QTableWidget):
    """A read-only table sized to its rows (up to ``max_rows`` shown without scrolling)."""

    def __init__(self, name: str, *, max_rows: int = 12, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.max_rows = max_rows
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        # Columns are sized once a table is filled, from its first rows only: sizing them to
        # their contents on every cell set costs a millisecond a cell.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(50)

    def fill(self, data: TableData) -> None:
        """Show the rows under the headers; numbers right-aligned; (text, colour) coloured."""
        for _ in self.fill_in_slices(data):
            pass

    def fill_in_slices(self, data: TableData, *, size: int = 60) -> Iterator[None]:
        """The same, ``size`` rows at a time: each ``next`` fills a slice (a long table
        then never holds the GUI thread for long)."""
        headers, rows = data.headers, data.rows
        self.setUpdatesEnabled(False)
        self.clearContents()
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(list(headers))
        self.setRowCount(len(rows))
        for column, tip in enumerate(data.tips):
            header = self.horizontalHeaderItem(column)
            if header is not None and tip:
                header.setToolTip(tip)
        self._fit(len(rows))
        for start in range(0, len(rows), size):
            for r in range(start, min(start + size, len(rows))):
                for c, value in enumerate(rows[r]):
                    self.setItem(r, c, _cell(value))
            if start == 0:
                self.resizeColumnsToContents()
                self._fit(len(rows), self.rowHeight(0))
            if start + size < len(rows):
                self.setUpdatesEnabled(True)
                yield
                self.setUpdatesEnabled(False)
        if not rows:
            self.resizeColumnsToContents()
        self.setUpdatesEnabled(True)

    def _fit(self, count: int, row_height: int = 0) -> None:
        shown = min(count, self.max_rows)
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        rows = (row_height or self.verticalHeader().defaultSectionSize()) * shown
        self.setFixedHeight(height + (rows or self.fontMetrics().height() + 8) + 4)


def _cell(value: Any) -> QTableWidgetItem:
    colour = None
    if isinstance(value, tuple):
        value, colour = value
    item = QTableWidgetItem("" if value is None else str(value))
    if isinstance(value, int | float):
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if colour:
        item.setForeground(QColor(colour))
    return item


def _moment(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M")


def grades_text(by_grade: Sequence[int], ungraded: int) -> str:
    """Events by grade 1–5 as "3 · 2 · 1 · 0 · 0", and those not graded yet."""
    text = " · ".join(str(n) for n in by_grade)
    if not ungraded:
        return text
    return QCoreApplication.translate("Reports", "{0} + {1} not graded").format(text, ungraded)


def aes_table(summary: StudySummary, language: Language) -> TableData:
    """One row per CTCAE term: per arm, subjects, events, and events by grade 1–5."""
    translate = QCoreApplication.translate
    names = arm_names(summary, language)
    headers = [translate("Reports", "CTCAE term")]
    tips = [""]
    for arm in summary.study.arms:
        headers += [
            translate("Reports", "{0}: subjects").format(arm.code),
            translate("Reports", "{0}: events").format(arm.code),
            translate("Reports", "{0}: events by grade 1 · 2 · 3 · 4 · 5").format(arm.code),
        ]
        tips += [names[arm.code]] * 3
    rows = []
    for row in summary.safety.rows:
        cells: list[Any] = [row.term]
        for cell in row.arms:
            cells += [cell.subjects, cell.events, grades_text(cell.by_grade, cell.ungraded)]
        rows.append(cells)
    return TableData(headers, rows, tips)


def saes_table(summary: StudySummary, language: Language) -> TableData:
    """Each SAE with its 24-hour clock, the most urgent first."""
    translate = QCoreApplication.translate
    names = arm_names(summary, language)
    states = {
        "pending": translate("Reports", "To report"),
        "overdue": translate("Reports", "Overdue"),
        "on_time": translate("Reports", "Reported on time"),
        "late": translate("Reports", "Reported late"),
        "no_clock": translate("Reports", "Awareness time missing"),
    }
    headers = [
        translate("Reports", "Subject"),
        translate("Reports", "Arm"),
        translate("Reports", "Term"),
        translate("Reports", "Grade"),
        translate("Reports", "Aware"),
        translate("Reports", "Due"),
        translate("Reports", "Reported"),
        translate("Reports", "Clock"),
    ]
    rows = [
        [
            sae.subject_id,
            names.get(sae.arm or "", sae.arm or ""),
            sae.term or "",
            sae.grade,
            _moment(sae.aware_at),
            _moment(sae.deadline),
            _moment(sae.reported_at),
            (states[sae.state], _STATE_COLOURS.get(sae.state)),
        ]
        for sae in summary.safety.saes
    ]
    return TableData(headers, rows)


def overdue_table(summary: StudySummary, language: Language) -> TableData:
    """The visits whose window has passed and that can still be done, most overdue first."""
    translate = QCoreApplication.translate
    names = arm_names(summary, language)
    headers = [
        translate("Reports", "Subject"),
        translate("Reports", "Arm"),
        translate("Reports", "Visit"),
        translate("Reports", "Window closed"),
        translate("Reports", "Days overdue"),
    ]
    rows = [
        [
            o.subject_id,
            names.get(o.arm or "", o.arm or ""),
            o.label.get(language),
            o.latest.isoformat(),
            (o.days_overdue, "#b00020"),
        ]
        for o in summary.visits.overdue
    ]
    return TableData(headers, rows)


def screening_table(summary: StudySummary, language: Language) -> TableData:
    """Each criterion that a subject in screening fails, or that is still unknown."""
    translate = QCoreApplication.translate
    kinds = {
        "inclusion": translate("Reports", "Inclusion"),
        "exclusion": translate("Reports", "Exclusion"),
    }
    headers = [
        translate("Reports", "Criterion"),
        translate("Reports", "Kind"),
        translate("Reports", "Screen failures"),
        translate("Reports", "Not known yet"),
        translate("Reports", "Text"),
    ]
    criteria = sorted(summary.screening.criteria, key=lambda c: (-c.failed, c.id))
    rows = [
        [c.id, kinds.get(c.kind, c.kind), c.failed, c.unknown, c.text.get(language)]
        for c in criteria
        if c.failed or c.unknown
    ]
    return TableData(headers, rows)


def _estimate(value: Estimate | None) -> str:
    if value is None:
        return "—"
    return f"{value.value * 100:.1f}% ({value.lower * 100:.1f}–{value.upper * 100:.1f})"


def landmarks_table(summary: StudySummary, language: Language) -> TableData:
    """Each time-to-event endpoint's estimate per arm at its landmark years (95% CI) with the
    numbers then at risk."""
    translate = QCoreApplication.translate
    names = arm_names(summary, language)
    headers = [
        translate("Reports", "Endpoint"),
        translate("Reports", "Arm"),
        translate("Reports", "Year"),
        translate("Reports", "Estimate (95% CI)"),
        translate("Reports", "At risk"),
    ]
    rows = []
    for curves in summary.curves:
        reached = {
            lm.years for arm in curves.comparison.arms for lm in arm.landmarks if lm.estimate
        }
        for arm in curves.comparison.arms:
            for landmark in arm.landmarks:
                if landmark.years not in reached:
                    continue  # no arm's follow-up reaches it yet
                rows.append(
                    [
                        curves.label.get(language),
                        names.get(arm.arm, arm.arm),
                        landmark.years,
                        _estimate(landmark.estimate),
                        landmark.at_risk,
                    ]
                )
    return TableData(headers, rows)
