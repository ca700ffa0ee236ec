"""Dialogs that change a subject's course: a new screening (initials and date, or cancel),
a screen failure (reason and the criterion that failed), a withdrawal (reason and date), a
screening discarded (reason). They only collect the decision; the caller saves it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop_crf.ui.common.dialogs import error_line, ok_cancel
from desktop_crf.ui.common.inputs import ComboBox


class NewScreeningDialog(QDialog):
    """The subject's initials and the screening date; nothing is created until OK."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newScreeningDialog")
        self.setWindowTitle(self.tr("New screening"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.initials_edit = QLineEdit()
        self.initials_edit.setObjectName("initialsEdit")
        self.initials_edit.setMaxLength(4)
        self.initials_edit.setPlaceholderText(self.tr("e.g. LW"))
        self.date_edit = QLineEdit(date.today().isoformat())
        self.date_edit.setObjectName("screenedOnEdit")
        form.addRow(self.tr("Initials"), self.initials_edit)
        form.addRow(self.tr("Screening date"), self.date_edit)
        layout.addLayout(form)
        self.error_label = error_line()
        layout.addWidget(self.error_label)
        ok_cancel(self, self.accept, self.tr("Open the screening"))

    def initials(self) -> str | None:
        return self.initials_edit.text().strip().upper() or None

    def screened_on(self) -> str:
        return self.date_edit.text().strip()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()


class StatusDialog(QDialog):
    """Why a subject's course changes, and (as asked) the criterion or the date."""

    def __init__(
        self,
        title: str,
        intro: str,
        *,
        criteria: list[tuple[str, str]] | None = None,
        with_date: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("subjectStatusDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        note = QLabel(intro)
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.criterion_box: ComboBox | None = None
        if criteria is not None:
            self.criterion_box = ComboBox()
            self.criterion_box.setObjectName("criterionBox")
            self.criterion_box.addItem(self.tr("(none in particular)"), None)
            for code, text in criteria:
                self.criterion_box.addItem(f"{code} {text}", code)
            form.addRow(self.tr("Criterion"), self.criterion_box)
        self.date_edit: QLineEdit | None = None
        if with_date:
            self.date_edit = QLineEdit(date.today().isoformat())
            self.date_edit.setObjectName("statusDateEdit")
            form.addRow(self.tr("Date"), self.date_edit)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("statusReasonEdit")
        form.addRow(self.tr("Reason"), self.reason_edit)
        layout.addLayout(form)
        ok_cancel(self, self._accept)

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def criterion(self) -> str | None:
        box = self.criterion_box
        return str(box.currentData()) if box is not None and box.currentData() else None

    def day(self) -> str:
        return self.date_edit.text().strip() if self.date_edit is not None else ""

    def _accept(self) -> None:
        if self.reason():
            self.accept()
