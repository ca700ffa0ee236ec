"""Staff dialogs of the tablet: handing it to a patient, and setting one's PIN for taking it
back. Both are non-blocking; the PIN is set through ``ops`` on the store worker."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.errors import KnownError
from desktop_crf.model import FormKey
from desktop_crf.services.kiosk import check_pin, set_kiosk_pin
from desktop_crf.ui.common.dialogs import error_line, ok_cancel
from desktop_crf.ui.ops import Ops


class HandOverDialog(QDialog):
    """Confirms a hand-over: which subject and visit, whether the tablet shows the patient's
    initials, and how staff take it back. Emits ``confirmed(FormKey, show_initials)``."""

    confirmed = Signal(object, bool)
    pin_requested = Signal()

    def __init__(
        self, key: FormKey, visit: str, initials: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handOverDialog")
        self.setWindowTitle(self.tr("Hand the tablet to the patient"))
        self.key = key
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Subject {0}, {1}: the EORTC QLQ-C30. The screen switches to the patient's "
                "questionnaire, full screen, with nothing else of the application. Each answer "
                "is saved as it is given."
            ).format(key.subject_id, visit)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.initials_box = QCheckBox(
            self.tr("Show the initials {0} on the tablet, so the patient sees it is theirs").format(
                initials or "—"
            )
        )
        self.initials_box.setObjectName("showInitials")
        self.initials_box.setEnabled(bool(initials))
        self.initials_box.setChecked(bool(initials))
        layout.addWidget(self.initials_box)
        back = QLabel(
            self.tr(
                "To take the tablet back, tap Staff on the tablet and enter your PIN or password."
            )
        )
        back.setWordWrap(True)
        layout.addWidget(back)
        buttons = ok_cancel(self, self._accept, self.tr("Hand to patient"))
        pin = buttons.addButton(self.tr("Set my PIN…"), buttons.ButtonRole.ActionRole)
        pin.clicked.connect(self.pin_requested)

    def _accept(self) -> None:
        self.accept()
        self.confirmed.emit(self.key, self.initials_box.isChecked())


class PinDialog(QDialog):
    """Set the user's PIN (6–12 digits) for taking the tablet back; the password confirms it
    is them. The PIN is kept only as a hash."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinDialog")
        self.setWindowTitle(self.tr("My PIN for the patient tablet"))
        self.ops = ops
        layout = QVBoxLayout(self)
        note = QLabel(
            self.tr(
                "A PIN of 6 to 12 digits takes the tablet back from a patient faster than your "
                "password. It cannot unlock the application."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("pinPassword")
        self.pin_edit = QLineEdit()
        self.pin_edit.setObjectName("pinEdit")
        self.again_edit = QLineEdit()
        self.again_edit.setObjectName("pinAgain")
        for edit in (self.password_edit, self.pin_edit, self.again_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Your password"), self.password_edit)
        form.addRow(self.tr("New PIN"), self.pin_edit)
        form.addRow(self.tr("New PIN again"), self.again_edit)
        layout.addLayout(form)
        self.error_label = error_line("pinError")
        layout.addWidget(self.error_label)
        ok_cancel(self, self._save, self.tr("Set PIN"))

    def _save(self) -> None:
        password, pin = self.password_edit.text(), self.pin_edit.text()
        if pin != self.again_edit.text():
            self._error(self.tr("The two PINs are not the same."))
            return
        try:
            check_pin(pin)
        except KnownError:
            self._error(self.tr("A PIN is 6 to 12 digits, not one digit repeated and not a run."))
            return
        self.ops.write(
            lambda s: set_kiosk_pin(s, password, pin),
            initiator=self,
            on_done=lambda _changes: self.accept(),
            on_error=lambda exc: self._error(str(exc)),
        )

    def _error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
