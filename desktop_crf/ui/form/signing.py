"""The investigator's e-signature on a form view (21 CFR Part 11 §11.50, §11.200): asked with
the password again, shown with printed name, date, time and meaning, and shown as broken once
the signed data changed; and the form's status line beside it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from desktop_crf.errors import WrongPassword
from desktop_crf.model import FormKey
from desktop_crf.services import data_entry
from desktop_crf.services.data_entry import FormData
from desktop_crf.services.signatures import sign_form
from desktop_crf.ui.common.dialogs import SignDialog
from desktop_crf.ui.context import UiContext
from forms.schema import FormDef


class FormSigning:
    """Signing and the status/signature lines of ``FormView`` (mixed into it: the methods use
    the view's labels, its ``tr`` and ``_error``)."""

    ctx: UiContext
    key: FormKey
    form: FormDef
    data: FormData | None
    sign_dialog: SignDialog | None
    status_label: QLabel
    signature_label: QLabel
    note_label: QLabel
    saved: Any  # the view's Signal(object)
    _dirty: bool

    def request_signature(self) -> None:
        """Ask for the password again and sign (only a saved form can be signed)."""
        if self.data is None:  # still opening
            return
        if self._dirty:
            self.note_label.setText(
                QCoreApplication.translate("FormView", "Save the form before signing it.")
            )
            self.note_label.show()
            return
        dialog = SignDialog(
            self.ctx.session.full_name,
            self.form.label.get(self.ctx.language),
            self,
        )
        dialog.accepted.connect(
            lambda: self._sign(dialog.password_edit.text(), dialog.meaning_edit.text())
        )
        self.sign_dialog = dialog
        dialog.open()

    def _sign(self, password: str, meaning: str) -> None:
        session, key = self.ctx.session, self.key
        self.ctx.worker.submit(
            lambda: (
                sign_form(session, key, password, meaning=meaning),
                data_entry.load_form(session, key),
            ),
            on_done=self._signed,
            on_error=self._sign_failed,
        )

    def _signed(self, result: tuple[Any, FormData]) -> None:
        changes, self.data = result
        self._show_state()
        self.saved.emit(changes)

    def _sign_failed(self, exc: BaseException) -> None:
        if isinstance(exc, WrongPassword) and self.sign_dialog is not None:
            self.sign_dialog.show_error(str(exc))
            self.sign_dialog.open()
            return
        self._error(exc)

    def _show_state(self) -> None:
        """The status line, and the signature line when the form was signed."""
        data = self.data
        texts = {
            None: QCoreApplication.translate("FormView", "not started"),
            "draft": QCoreApplication.translate("FormView", "draft"),
            "complete": QCoreApplication.translate("FormView", "complete"),
        }
        self.status_label.setText(texts.get(data.status if data else None, ""))
        signature = data.signature if data else None
        if signature is None:
            self.signature_label.hide()
            return
        when = str(signature["signed_at"]).replace("T", " ")[:16]
        if signature["state"] == "valid":
            text = QCoreApplication.translate(
                "FormView", "Signed by {0} on {1} UTC — “{2}”"
            ).format(signature["signer_name"], when, signature["meaning"])
            style = "background: #e6f4ea; padding: 6px;"
        else:
            text = QCoreApplication.translate(
                "FormView",
                "Signature broken: the data changed after {0} signed on {1} UTC. Re-sign required.",
            ).format(signature["signer_name"], when)
            style = "background: #fde7e9; padding: 6px; font-weight: 600;"
        self.signature_label.setText(text)
        self.signature_label.setStyleSheet(style)
        self.signature_label.show()
