"""A subject's adverse events: each with its term, grade, onset and SAE clock; events below
the study's reporting threshold shown as such; events whose lab value changed since they were
created flagged for review, with the Review… action (a reason, and the new grade when it
changes)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.services.adverse_events import AdverseEvent
from desktop_crf.services.ae_suggestions import LinkReview, review_linked_ae
from desktop_crf.ui.common.dialogs import TextDialog
from desktop_crf.ui.common.inputs import ComboBox
from desktop_crf.ui.ops import Ops
from forms.text import Language

GREY, RED = "#5f6368", "#b00020"


class AeLogPanel(QWidget):
    """``open_log()`` when the person asks for the AE log form."""

    open_log = Signal()

    def __init__(
        self,
        ops: Ops,
        subject_id: str,
        language: Language,
        *,
        may_review: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops, self.subject_id, self._language = ops, subject_id, language
        self.events: list[AdverseEvent] = []
        self.review_dialog: TextDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Adverse events")))
        self.tree = QTreeWidget()
        self.tree.setObjectName("aeLog")
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(
            [self.tr("#"), self.tr("Term"), self.tr("Grade"), self.tr("Onset"), self.tr("SAE")]
        )
        self.tree.itemActivated.connect(lambda *_: self.open_log.emit())
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Open AE log"))
        self.open_button.setObjectName("aeButton")
        self.open_button.clicked.connect(self.open_log)
        buttons.addWidget(self.open_button)
        self.review_button = QPushButton(self.tr("Review…"))
        self.review_button.setObjectName("aeReviewButton")
        self.review_button.setToolTip(
            self.tr("The lab value this event was created from has changed: review the event")
        )
        self.review_button.clicked.connect(self._review)
        self.review_button.setVisible(may_review)
        buttons.addWidget(self.review_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._update_buttons()

    def show_events(self, events: list[AdverseEvent]) -> None:
        self.events = events
        self.tree.clear()
        for event in events:
            sae = ""
            if event.serious:
                sae = self.tr("SAE")
                if event.clock is not None:
                    sae += " · " + event.clock.describe(self._language)
            grade = event.grade or ""
            term = event.term or ""
            if self._language == "zh" and event.local_names:
                term = f"{term} ({' / '.join(event.local_names)})"
            row = QTreeWidgetItem([str(event.repeat), term, grade, event.onset or "", sae])
            row.setData(0, Qt.ItemDataRole.UserRole, event.repeat)
            if event.review is not None:
                row.setText(
                    1,
                    self.tr("{0} — to review: {1}").format(term, self._change(event.review)),
                )
                row.setForeground(1, QBrush(QColor(RED)))
            if not event.reportable:
                row.setText(2, self.tr("{0} (below the reporting threshold)").format(grade))
                for column in range(5):
                    row.setForeground(column, QBrush(QColor(GREY)))
            self.tree.addTopLevelItem(row)
        for column in range(5):
            self.tree.resizeColumnToContents(column)
        self._update_buttons()

    def _change(self, review: LinkReview) -> str:
        return f"{review.old or '∅'} → {review.new or '∅'}"

    def selected(self) -> AdverseEvent | None:
        item = self.tree.currentItem()
        repeat = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return next((e for e in self.events if e.repeat == repeat), None)

    def _update_buttons(self) -> None:
        event = self.selected()
        self.review_button.setEnabled(event is not None and event.review is not None)

    def _review(self) -> None:
        event = self.selected()
        if event is None or event.review is None:
            return
        review = event.review
        suggested = str(review.suggestion.grade) if review.suggestion else None
        dialog = TextDialog(
            self.tr("Review adverse event {0}").format(event.repeat),
            self.tr(
                "{0}: the lab value it was created from changed ({1}). Say what you checked; "
                "change the grade if it no longer fits."
            ).format(event.term or "", self._change(review)),
            self.tr("e.g. repeat sample confirms the event; grade kept"),
            self,
        )
        grades = ComboBox()
        grades.setObjectName("reviewGrade")
        grades.addItem(self.tr("keep grade {0}").format(event.grade or "—"), None)
        for grade in ("1", "2", "3", "4", "5"):
            hint = self.tr(" (suggested by the new value)") if grade == suggested else ""
            grades.addItem(self.tr("grade {0}").format(grade) + hint, grade)
        form = QFormLayout()
        form.addRow(self.tr("Grade"), grades)
        layout = dialog.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertLayout(layout.count() - 1, form)
        dialog.accepted.connect(
            lambda: self._save_review(event.repeat, dialog.text(), grades.currentData())
        )
        self.review_dialog = dialog
        dialog.open()

    def _save_review(self, repeat: int, reason: str, grade: str | None) -> None:
        subject = self.subject_id
        self.ops.write(
            lambda s: review_linked_ae(s, subject, repeat, reason=reason, grade=grade),
            initiator=self,
        )
