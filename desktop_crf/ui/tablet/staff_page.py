"""The kiosk's way out: a staff member signs in with their PIN (on a large keypad) or their
password. Nothing of the patient is shown here."""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit

from desktop_crf.ui.tablet.pages import Page, button, label

Method = Literal["password", "pin"]


class StaffPage(Page):
    """Emits ``submitted(user, secret, method)``; ``cancelled`` goes back to the patient."""

    submitted = Signal(str, str, str)
    cancelled = Signal()

    def __init__(self, user: str) -> None:
        super().__init__()
        self.method: Method = "pin"
        self.wording: tuple[str, bool] | None = None  # language tag, official
        self.title = label(name="kioskTitle")
        self.box.addWidget(self.title)
        self.wording_label = label(name="wording")
        self.wording_label.hide()
        self.box.addWidget(self.wording_label)
        row = QHBoxLayout()
        row.setSpacing(16)
        self.user_edit = QLineEdit(user)
        self.user_edit.setObjectName("staffUser")
        self.user_edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.pin_button = button(name="pinMethod", checkable=True)
        self.password_button = button(name="passwordMethod", checkable=True)
        self.pin_button.clicked.connect(lambda: self.use("pin"))
        self.password_button.clicked.connect(lambda: self.use("password"))
        row.addWidget(self.user_edit, 2)
        row.addWidget(self.pin_button, 1)
        row.addWidget(self.password_button, 1)
        self.box.addLayout(row)
        self.secret_edit = QLineEdit()
        self.secret_edit.setObjectName("staffSecret")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.secret_edit.returnPressed.connect(self._submit)
        self.box.addWidget(self.secret_edit)
        self.keypad = QGridLayout()
        self.keypad.setSpacing(12)
        self.keys = []
        for index, key in enumerate("123456789C0<"):
            widget = button(key if key.isdigit() else ("⌫" if key == "<" else ""), "key")
            widget.setProperty("key", key)
            widget.clicked.connect(lambda _=False, k=key: self._key(k))
            self.keypad.addWidget(widget, index // 3, index % 3)
            self.keys.append(widget)
        self.box.addLayout(self.keypad)
        self.error = label(name="error")
        self.error.hide()
        self.box.addWidget(self.error)
        self.box.addStretch(1)
        self.cancel_button = button(name="back")
        self.take_button = button(name="primary")
        self.cancel_button.clicked.connect(self.cancelled)
        self.take_button.clicked.connect(self._submit)
        self.nav.addWidget(self.cancel_button)
        self.nav.addStretch(1)
        self.nav.addWidget(self.take_button)
        self.use("pin")

    def use(self, method: Method) -> None:
        self.method = method
        self.pin_button.setChecked(method == "pin")
        self.password_button.setChecked(method == "password")
        for widget in self.keys:
            widget.setVisible(method == "pin")
        self.secret_edit.clear()
        self.retranslate()

    def _key(self, key: str) -> None:
        if key == "C":
            self.secret_edit.clear()
        elif key == "<":
            self.secret_edit.backspace()
        else:
            self.secret_edit.insert(key)

    def _submit(self) -> None:
        user, secret = self.user_edit.text().strip(), self.secret_edit.text()
        if not user or not secret:
            self.show_error(self.tr("Enter your user name and your PIN or password."))
            return
        self.set_busy(True)
        self.submitted.emit(user, secret, self.method)

    def reset(self) -> None:
        """Shown again: nothing typed before stays."""
        self.secret_edit.clear()
        self.error.hide()
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.take_button, self.cancel_button, self.secret_edit, self.user_edit):
            widget.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.secret_edit.clear()
        self.error.setText(text)
        self.error.show()

    def show_wording(self, language: str, official: bool) -> None:
        """Which wording the patient was shown (for staff; nothing of the patient)."""
        self.wording = (language, official)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Staff: take the tablet back"))
        if self.wording is not None:
            language, official = self.wording
            text = (
                self.tr("Wording shown: {0}, official EORTC wording")
                if official
                else self.tr("Wording shown: {0}, NOT the official EORTC translation")
            )
            self.wording_label.setText(text.format(language))
            self.wording_label.setObjectName("wording" if official else "notice")
            self.wording_label.style().polish(self.wording_label)  # the name picks the style
            self.wording_label.show()
        self.user_edit.setPlaceholderText(self.tr("user name"))
        self.pin_button.setText(self.tr("PIN"))
        self.password_button.setText(self.tr("Password"))
        self.secret_edit.setPlaceholderText(
            self.tr("PIN") if self.method == "pin" else self.tr("Password")
        )
        self.keys[9].setText(self.tr("Clear"))
        self.cancel_button.setText(self.tr("Back to the questionnaire"))
        self.take_button.setText(self.tr("Take the tablet back"))
