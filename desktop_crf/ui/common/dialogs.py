"""Small non-blocking dialogs: reason for change, and the e-signature (password again)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


def error_line(name: str = "") -> QLabel:
    """A dialog's error line: red, wrapping, hidden until there is something to say."""
    label = QLabel()
    if name:
        label.setObjectName(name)
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    label.hide()
    return label


def ok_cancel(
    dialog: QDialog, on_ok: Callable[[], None], ok_text: str | None = None
) -> QDialogButtonBox:
    """OK and Cancel at the bottom of ``dialog``: OK calls ``on_ok`` (which accepts when the
    input is complete), Cancel rejects."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    if ok_text:
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    layout = dialog.layout()
    if layout is not None:
        layout.addWidget(buttons)
    return buttons


class ReasonDialog(QDialog):
    """Asks why saved values change; the reason goes into the audit trail."""

    def __init__(
        self, items: str, parent: QWidget | None = None, *, patient_answers: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(self.tr("Reason for change"))
        layout = QVBoxLayout(self)
        if patient_answers:
            text = self.tr(
                "These are the patient's own answers: a change by staff is a correction of the "
                "patient's record. Say why (e.g. transcribed from the paper questionnaire)."
            )
        else:
            text = self.tr("You are changing values that were saved before ({0}). Say why.")
            text = text.format(items)
        note = QLabel(text)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setPlaceholderText(
            self.tr("e.g. transcription error, lab report corrected")
        )
        layout.addWidget(self.reason_edit)
        ok_cancel(self, self._accept)

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def _accept(self) -> None:
        if self.reason():
            self.accept()


class SignDialog(QDialog):
    """21 CFR Part 11 §11.200: the signer enters the password again and states the meaning."""

    def __init__(self, signer: str, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signDialog")
        self.setWindowTitle(self.tr("Sign"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "{0}, you are signing {1}. Your signature is linked to the data as they are now; "
                "any later change will require signing again."
            ).format(signer, what)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.meaning_edit = QLineEdit(self.tr("I approve this form"))
        self.meaning_edit.setObjectName("meaningEdit")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("signPasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Meaning"), self.meaning_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        layout.addLayout(form)
        self.error_label = error_line()
        layout.addWidget(self.error_label)
        ok_cancel(self, self._accept, self.tr("Sign"))
        self.password_edit.setFocus()

    def _accept(self) -> None:
        if self.password_edit.text() and self.meaning_edit.text().strip():
            self.accept()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.password_edit.clear()


class TextDialog(QDialog):
    """A required text with an introduction: a query, its answer, a monitor's remark, the
    reason a suggestion was declined."""

    def __init__(
        self, title: str, intro: str, placeholder: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("textDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        asked = QLabel(intro)
        asked.setWordWrap(True)
        layout.addWidget(asked)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("queryTextEdit")
        self.text_edit.setPlaceholderText(placeholder)
        layout.addWidget(self.text_edit)
        self.buttons = ok_cancel(self, self._accept)
        self.text_edit.textChanged.connect(self._update)
        self._update()

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.text()))

    def _accept(self) -> None:
        if self.text():
            self.accept()
