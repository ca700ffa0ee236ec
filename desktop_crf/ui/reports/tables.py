"""The dashboard's tables: AEs by term and arm, SAEs on their clock, overdue visits, screen
failures by criterion, and the landmark estimates of each time-to-event endpoint. Each is a
read-only ``QTableWidget`` filled from a study summary, in the user's language.

Public names: :class:`SummaryTable`, :func:`fill_aes`, :func:`fill_saes`,
:func:`fill_overdue`, :func:`fill_screening`, :func:`fill_landmarks`.
"""

from __future__ import annotations

from collections.abc import Sequence
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
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def fill(self, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Show ``rows`` under ``headers``; numbers right-aligned; (text, colour) coloured."""
        self.clear()
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(list(headers))
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                colour = None
                if isinstance(value, tuple):
                    value, colour = value
                item = QTableWidgetItem("" if value is None else str(value))
                if isinstance(value, int | float):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if colour:
                    item.setForeground(QColor(colour))
                self.setItem(r, c, item)
        shown = min(len(rows), self.max_rows)
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(shown)) or self.fontMetrics().height() + 8
        self.setFixedHeight(height + 2)


def _moment(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M")


def fill_aes(table: SummaryTable, summary: StudySummary, language: Language) -> None:
    """One row per CTCAE term: subjects and events per arm, and events of grade ≥ 3."""
    translate = QCoreApplication.translate
    names = arm_names(summary, language)
    headers = [translate("Reports", "CTCAE term")]
    tips = [""]
    for arm in summary.study.arms:
        headers += [
            translate("Reports", "{0}: subjects").format(arm.code),
            translate("Reports", "{0}: events").format(arm.code),
            translate("Reports", "{0}: grade ≥ 3").format(arm.code),
        ]
        tips += [names[arm.code]] * 3
    rows = []
    for row in summary.safety.rows:
        cells: list[Any] = [row.term]
        for cell in row.arms:
            cells += [cell.subjects, cell.events, sum(cell.by_grade[2:])]
        rows.append(cells)
    table.fill(headers, rows)
    for column, tip in enumerate(tips):
        header = table.horizontalHeaderItem(column)
        if header is not None and tip:
            header.setToolTip(tip)


def fill_saes(table: SummaryTable, summary: StudySummary, language: Language) -> None:
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
    table.fill(headers, rows)


def fill_overdue(table: SummaryTable, summary: StudySummary, language: Language) -> None:
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
    table.fill(headers, rows)


def fill_screening(table: SummaryTable, summary: StudySummary, language: Language) -> None:
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
    table.fill(headers, rows)


def _estimate(value: Estimate | None) -> str:
    if value is None:
        return "—"
    return f"{value.value * 100:.1f}% ({value.lower * 100:.1f}–{value.upper * 100:.1f})"


def fill_landmarks(table: SummaryTable, summary: StudySummary, language: Language) -> None:
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
    table.fill(headers, rows)
