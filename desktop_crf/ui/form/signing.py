"""The investigator's e-signature on a form (21 CFR Part 11 §11.50, §11.200): asked with the
password again, shown with printed name, date, time and meaning, and shown as broken once the
signed data changed."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop_crf.errors import KnownError, WrongPassword
from desktop_crf.model import Changes, FormKey
from desktop_crf.services import data_entry
from desktop_crf.services.data_entry import FormData
from desktop_crf.services.session import Session
from desktop_crf.services.signatures import sign_form
from desktop_crf.ui.common.dialogs import SignDialog
from desktop_crf.ui.form.draft import FormDraft
from desktop_crf.ui.form.notes import FormNotes
from desktop_crf.ui.ops import Ops


@dataclass(frozen=True)
class Signed:
    changes: Changes
    data: FormData


class SignFlow(QObject):
    """Signs one form view's form; ``signed(Changes)`` once the signature is stored."""

    signed = Signal(object)

    def __init__(
        self,
        ops: Ops,
        key: FormKey,
        draft: FormDraft,
        notes: FormNotes,
        *,
        parent: QWidget,
        signer: str,
        what: str,
    ) -> None:
        super().__init__(parent)
        self.ops, self.key, self.draft, self.notes = ops, key, draft, notes
        self._parent, self._signer, self._what = parent, signer, what
        self.sign_dialog: SignDialog | None = None

    def request(self) -> None:
        """Ask for the password again and sign (only a saved form can be signed)."""
        if self.draft.stored is None:  # still opening
            return
        if self.draft.dirty:
            self.notes.say(
                QCoreApplication.translate("FormView", "Save the form before signing it.")
            )
            return
        dialog = SignDialog(self._signer, self._what, self._parent)
        dialog.accepted.connect(
            lambda: self._sign(dialog.password_edit.text(), dialog.meaning_edit.text())
        )
        self.sign_dialog = dialog
        dialog.open()

    def _sign(self, password: str, meaning: str) -> None:
        key = self.key

        def sign(session: Session) -> Signed:
            changes = sign_form(session, key, password, meaning=meaning)
            return Signed(changes, data_entry.load_form(session, key))

        self.ops.write(sign, initiator=self._parent, on_done=self._signed, on_error=self._failed)

    def _signed(self, result: Signed) -> None:
        self.draft.stored = result.data
        self.notes.show_state(result.data)
        self.signed.emit(result.changes)

    def _failed(self, exc: KnownError) -> None:
        if isinstance(exc, WrongPassword) and self.sign_dialog is not None:
            self.sign_dialog.show_error(str(exc))
            self.sign_dialog.open()
            return
        self.notes.say(str(exc), alarm=True)
