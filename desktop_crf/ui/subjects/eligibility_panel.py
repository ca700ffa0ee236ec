"""A screened subject's eligibility: each criterion met, not met or unknown with its reasons,
the screening records that disagree, the derived items whose entered value was overruled, and
the Enrol button (enabled only when the subject can be enrolled)."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms.eligibility import Eligibility
from forms.text import Language

RED, GREEN, AMBER = "#b00020", "#188038", "#8a5a00"


class EligibilityPanel(QWidget):
    """Shown while the subject is screened; ``enrol_button`` is the view's to connect."""

    def __init__(self, language: Language, *, may_enrol: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self._language, self._may_enrol = language, may_enrol
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self.tr("Eligibility (from the screening forms)"))
        layout.addWidget(self.title)
        self.criteria = QTreeWidget()
        self.criteria.setObjectName("criteria")
        self.criteria.setHeaderLabels([self.tr("Criterion"), self.tr("Status"), self.tr("Why")])
        layout.addWidget(self.criteria, 1)
        self.enrol_button = QPushButton(self.tr("Enrol…"))
        self.enrol_button.setObjectName("enrolButton")
        layout.addWidget(self.enrol_button)

    def show_eligibility(self, eligibility: Eligibility | None) -> None:
        self.setVisible(eligibility is not None)
        self.enrol_button.setVisible(eligibility is not None and self._may_enrol)
        self.criteria.clear()
        if eligibility is None:
            return
        self._criteria(eligibility)
        self._disagreements(eligibility)
        self.criteria.resizeColumnToContents(1)
        self.criteria.setColumnWidth(0, 260)
        self.enrol_button.setEnabled(eligibility.enrollable)
        blocking = [r.criterion.id for r in eligibility.blocking]
        blocking += [i.check.id for i in eligibility.inconsistencies]
        self.enrol_button.setToolTip(
            ""
            if eligibility.enrollable
            else self.tr("Not eligible yet: {0}").format(", ".join(blocking))
        )

    def _criteria(self, eligibility: Eligibility) -> None:
        lang = self._language
        status_texts = {
            "met": self.tr("met"),
            "not_met": self.tr("not met"),
            "unknown": self.tr("unknown"),
        }
        for result in eligibility.results:
            reasons = "; ".join(r.get(lang) for r in result.reasons)
            self._row(
                f"{result.criterion.id} {result.criterion.text.get(lang)}",
                status_texts[str(result.status)],
                reasons,
                RED if result.blocks_enrolment else GREEN,
            )

    def _disagreements(self, eligibility: Eligibility) -> None:
        """Two screening records of one fact that disagree block enrolment until one is
        corrected; a derived value entered by hand is overruled by its derivation."""
        lang = self._language
        for found in eligibility.inconsistencies:
            reasons = "; ".join(r.get(lang) for r in found.reasons)
            text = f"{found.check.id} {found.check.text.get(lang)}"
            self._row(text, self.tr("records disagree"), reasons, RED)
        for differs in eligibility.derived_differs:
            self._row(differs.ref, self.tr("recomputed"), differs.message.get(lang), AMBER)

    def _row(self, what: str, status: str, why: str, colour: str) -> None:
        row = QTreeWidgetItem([what, status, why])
        row.setForeground(1, QBrush(QColor(colour)))
        row.setToolTip(0, what)
        row.setToolTip(2, why)
        self.criteria.addTopLevelItem(row)
