"""Dialogs about queries: answer a monitor's query, resolve a conflict, and the monitor's own
query texts (raise, close, reopen).

They only collect the person's decision; the caller runs the service call on the store worker.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.services.queries import ConflictValue, Query
from desktop_crf.ui.common.dialogs import TextDialog, ok_cancel
from desktop_crf.ui.sync.indicator import local_time


def describe_value(value: ConflictValue) -> str:
    """``"12.5 g/L — nurse on BN01-A at 08:05"`` for one of a conflict's values."""
    text = "—" if value.value is None else value.value
    if value.unit:
        text += f" {value.unit}"
    who = " ".join(p for p in (value.user, value.device) if p)
    when = local_time(value.ts)
    return " · ".join(p for p in (text, who, when) if p)


QueryTextDialog = TextDialog  # a query's text: the answer, the query, a remark


def raise_query_dialog(
    subject: str, where: str | None, parent: QWidget | None = None
) -> QueryTextDialog:
    """A monitor's new query, on a subject or on one item (``where``: the item's label)."""
    about = where or QCoreApplication.translate("QueryTextDialog", "the subject as a whole")
    return QueryTextDialog(
        QCoreApplication.translate("QueryTextDialog", "Raise a query"),
        QCoreApplication.translate(
            "QueryTextDialog",
            "Subject {0}: {1}. The site sees the query at once on this computer, and on the "
            "others after the next sync.",
        ).format(subject, about),
        QCoreApplication.translate("QueryTextDialog", "What should the site check or correct?"),
        parent,
    )


class AnswerDialog(QueryTextDialog):
    """The site's answer to a monitor's query."""

    def __init__(self, query: Query, parent: QWidget | None = None) -> None:
        super().__init__(
            QCoreApplication.translate("AnswerDialog", "Answer query #{0}").format(query.id)
            if query.id is not None
            else QCoreApplication.translate("AnswerDialog", "Answer the query (not sent yet)"),
            QCoreApplication.translate("AnswerDialog", "{0} asks: {1}").format(
                query.opened_by or "", query.text or ""
            ),
            QCoreApplication.translate(
                "AnswerDialog", "Your answer (what you checked, what you did)"
            ),
            parent,
        )
        self.setObjectName("answerDialog")
        self.answer_edit = self.text_edit
        self.answer_edit.setObjectName("answerEdit")

    def answer(self) -> str:
        return self.text()


class ResolveDialog(QDialog):
    """Choose which of the clashing values is right (or enter the right one) and say why."""

    def __init__(self, query: Query, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resolveDialog")
        self.setWindowTitle(self.tr("Resolve a conflict"))
        self.setMinimumWidth(480)
        self._query = query
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "{0} of subject {1} was changed on two computers from the same starting value. "
                "Both values are kept. Check the source document, choose the right value and "
                "give a reason; the choice is sent to the server and closes the conflict."
            ).format(query.item or "", query.subject or "")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.choices = QButtonGroup(self)
        # a value the item did not have (nothing stored before the conflict) is not a choice
        self._values = [v for v in query.values if not v.is_empty]
        for index, value in enumerate(self._values):
            button = QRadioButton(describe_value(value))
            button.setObjectName(f"conflictValue{index}")
            self.choices.addButton(button, index)
            layout.addWidget(button)
        self.other = QRadioButton(self.tr("Another value:"))
        self.other.setObjectName("conflictOther")
        self.choices.addButton(self.other, len(self._values))
        layout.addWidget(self.other)
        self.other_edit = QLineEdit()
        self.other_edit.setObjectName("conflictOtherEdit")
        self.other_edit.textEdited.connect(lambda _t: self.other.setChecked(True))
        layout.addWidget(self.other_edit)
        layout.addWidget(QLabel(self.tr("Reason")))
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("conflictReason")
        self.reason_edit.setPlaceholderText(self.tr("e.g. checked against the lab report"))
        layout.addWidget(self.reason_edit)
        self.buttons = ok_cancel(self, self._accept)
        for signal in (self.choices.idToggled, self.reason_edit.textChanged):
            signal.connect(lambda *_: self._update())
        self.other_edit.textChanged.connect(lambda *_: self._update())
        self._update()

    def choice(self) -> tuple[str | None, str | None] | None:
        """The chosen (value, unit) (a value may be empty: the item was cleared), or None."""
        index = self.choices.checkedId()
        if 0 <= index < len(self._values):
            value = self._values[index]
            return value.value, value.unit
        if index == len(self._values) and self.other_edit.text().strip():
            units = {v.unit for v in self._values if v.unit}
            return self.other_edit.text().strip(), units.pop() if len(units) == 1 else None
        return None

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def _ready(self) -> bool:
        return self.choice() is not None and bool(self.reason())

    def _update(self) -> None:
        ok: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self._ready())

    def _accept(self) -> None:
        if self._ready():
            self.accept()
