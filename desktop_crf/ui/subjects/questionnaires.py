"""The subject's QLQ-C30 questionnaires for staff: per visit, how far it is, who answered,
in which wording (marked when it is not EORTC's official one), and the stored scores; and the
way to hand the tablet to the patient for a questionnaire that is due."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.model import FormKey
from desktop_crf.services.permissions import Permission
from desktop_crf.services.questionnaire import QuestionnaireSummary
from desktop_crf.services.session import PATIENT_FORM
from desktop_crf.services.visits import Timeline, VisitRow
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.tablet.handover import HandOverDialog, PinDialog
from forms.instruments.qlq_c30 import KEYS

#: Visit states in which the patient can be handed the questionnaire.
_DUE_STATES = ("open", "overdue", "screening", "unscheduled")


def due(visit: VisitRow, status: str, today: date) -> bool:
    """Whether the questionnaire of ``visit`` can be handed over now: not complete, and the
    visit under way (open, overdue, screening) or done today."""
    if status in ("complete", "signed", "signature_broken"):
        return False
    return visit.state in _DUE_STATES or visit.done_on == today.isoformat()


class QuestionnairePanel(QWidget):
    """Emits ``hand_to_patient(FormKey, show_initials)`` once staff confirmed the hand-over of
    a due questionnaire, and ``open_form(FormKey)`` on a double-click."""

    hand_to_patient = Signal(object, bool)
    open_form = Signal(object)

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionnairePanel")
        self.ctx = ctx
        self.timeline: Timeline | None = None
        self.hand_over_dialog: HandOverDialog | None = None
        self.pin_dialog: PinDialog | None = None
        may_hand_over = ctx.may(Permission.OPEN_PATIENT_MODE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setObjectName("questionnaires")
        self.tree.setHeaderLabels(
            [
                self.tr("Visit"),
                self.tr("State"),
                self.tr("Answered"),
                self.tr("Wording"),
                "QL2",
                self.tr("Summary"),
            ]
        )
        header = self.tree.headerItem()
        header.setToolTip(4, self.tr("Global health status / QoL"))
        header.setToolTip(5, self.tr("Summary score"))
        self.tree.setRootIsDecorated(False)
        self.tree.currentItemChanged.connect(lambda *_: self._selected())
        self.tree.itemActivated.connect(self._activated)
        layout.addWidget(self.tree, 1)
        self.details = QLabel()
        self.details.setObjectName("questionnaireScores")
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        layout.addWidget(self.details)
        self.summaries: dict[FormKey, QuestionnaireSummary] = {}
        row = QHBoxLayout()
        self.hand_button = QPushButton(self.tr("Hand to patient…"))
        self.hand_button.setObjectName("handToPatient")
        self.hand_button.clicked.connect(self._hand_over)
        self.pin_button = QPushButton(self.tr("My tablet PIN…"))
        self.pin_button.setObjectName("tabletPin")
        self.pin_button.clicked.connect(self._set_pin)
        for widget in (self.hand_button, self.pin_button):
            widget.setVisible(may_hand_over)
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.due_keys: list[FormKey] = []
        self._selected()

    def show_questionnaires(
        self, timeline: Timeline, summaries: list[QuestionnaireSummary], today: date
    ) -> None:
        self.timeline, language = timeline, self.ctx.language
        by_key = self.summaries = {s.key: s for s in summaries}
        self.tree.clear()
        self.due_keys = []
        for visit in timeline.visits:
            for form in visit.forms:
                if form.key.form != PATIENT_FORM:
                    continue
                summary = by_key.get(form.key)
                if visit.state == "upcoming" and summary is None:
                    continue  # a future visit's questionnaire: nothing to show yet
                item = self._row(visit.label.get(language), form.status, summary)
                item.setData(0, Qt.ItemDataRole.UserRole, form.key)
                if due(visit, form.status, today):
                    self.due_keys.append(form.key)
                    item.setText(1, self.tr("due — {0}").format(self._state(form.status)))
                    item.setForeground(1, QBrush(QColor("#1a73e8")))
                self.tree.addTopLevelItem(item)
        for column in range(6):
            self.tree.resizeColumnToContents(column)
        started = [key for key in self._shown_keys() if key in by_key]  # in visit order
        if self.due_keys:
            self._select(self.due_keys[0])
        elif started:
            self._select(started[-1])  # the latest answered: its scores show below
        self._selected()

    def _shown_keys(self) -> list[FormKey]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [i.data(0, Qt.ItemDataRole.UserRole) for i in items if i is not None]

    def _row(
        self, visit: str, status: str, summary: QuestionnaireSummary | None
    ) -> QTreeWidgetItem:
        if summary is None:
            return QTreeWidgetItem([visit, self._state(status), "", "", "", ""])
        answered = self.tr("{0} of {1}").format(summary.answered, summary.total)
        if summary.by_patient:
            answered += " · " + self.tr("by the patient")
        wording = summary.language or ""
        if summary.official is False:
            wording += " · " + self.tr("not official")
        scores = summary.scores
        item = QTreeWidgetItem(
            [
                visit,
                self._state(status),
                answered,
                wording,
                _score(scores.get("QL2")),
                _score(scores.get("SUM")),
            ]
        )
        if summary.official is False:
            item.setForeground(3, QBrush(QColor("#b00020")))
            item.setToolTip(3, self.tr("not the official EORTC wording"))
        return item

    def _scale_name(self, code: str) -> str:
        """The scales of the EORTC scoring manual (table 1) and the summary score."""
        return {
            "QL2": self.tr("Global health status / QoL"),
            "PF2": self.tr("Physical functioning"),
            "RF2": self.tr("Role functioning"),
            "EF": self.tr("Emotional functioning"),
            "CF": self.tr("Cognitive functioning"),
            "SF": self.tr("Social functioning"),
            "FA": self.tr("Fatigue"),
            "NV": self.tr("Nausea and vomiting"),
            "PA": self.tr("Pain"),
            "DY": self.tr("Dyspnoea"),
            "SL": self.tr("Insomnia"),
            "AP": self.tr("Appetite loss"),
            "CO": self.tr("Constipation"),
            "DI": self.tr("Diarrhoea"),
            "FI": self.tr("Financial difficulties"),
            "SUM": self.tr("Summary score"),
        }.get(code, code)

    def _state(self, status: str) -> str:
        return {
            "not_started": self.tr("not started"),
            "draft": self.tr("in progress"),
            "complete": self.tr("complete"),
            "signed": self.tr("signed"),
            "signature_broken": self.tr("signature broken"),
        }.get(status, status)

    def _select(self, key: FormKey) -> None:
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == key:
                self.tree.setCurrentItem(item)

    def selected_key(self) -> FormKey | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        key = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return key if isinstance(key, FormKey) else None

    def _selected(self) -> None:
        key = self.selected_key()
        self.hand_button.setEnabled(key is not None and key in self.due_keys)
        summary = self.summaries.get(key) if key is not None else None
        scores = summary.scores if summary is not None else {}
        self.details.setVisible(bool(scores))
        if scores:
            cells = [
                f"<td>{escape(self._scale_name(code))} ({code})</td>"
                f"<td align='right'><b>{_score(scores.get(code))}</b></td>"
                for code in KEYS
            ]
            rows = ["".join(cells[i : i + 4]) for i in range(0, len(cells), 4)]
            table = "".join(f"<tr>{row}</tr>" for row in rows)
            title = escape(self.tr("Scores (0–100, EORTC scoring manual)"))
            self.details.setText(f"{title}<table cellspacing='4'>{table}</table>")

    def _hand_over(self) -> None:
        key, timeline = self.selected_key(), self.timeline
        if key is None or key not in self.due_keys or timeline is None:
            return
        visit = next((v for v in timeline.visits if v.event == key.event), None)
        label = visit.label.get(self.ctx.language) if visit is not None else key.event
        dialog = HandOverDialog(key, label, timeline.subject.get("initials"), self)
        dialog.confirmed.connect(self.hand_to_patient)
        dialog.pin_requested.connect(self._set_pin)
        self.hand_over_dialog = dialog
        dialog.open()

    def _set_pin(self) -> None:
        dialog = PinDialog(self.ctx.ops, self)
        self.pin_dialog = dialog
        dialog.open()

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        key = self.selected_key()
        if key is not None:
            self.open_form.emit(key)


def _score(value: float | None) -> str:
    """Scores are stored unrounded; shown with one decimal."""
    return "" if value is None else f"{value:.1f}"
