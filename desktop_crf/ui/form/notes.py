"""The lines around a form's rows that say where it stands: the status at the top right, the
signature line, a note (restored typing, values from another computer, an error, "Saved
10:06"), and the summary of findings under the rows.

The note keeps its line above the rows, empty when there is nothing to say: the first save's
"Saved 10:06" does not push the rows down under the person (nor lay the whole form out again).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from desktop_crf.services.data_entry import FormData
from desktop_crf.ui.form.draft import Check

RED, GREEN = "#b00020", "#188038"


class FormNotes:
    """Owns the status, signature, note and summary labels of one form view."""

    def __init__(self) -> None:
        self.status_label = QLabel()
        self.status_label.setObjectName("formStatus")
        self.signature_label = QLabel()
        self.signature_label.setObjectName("signatureLabel")
        self.signature_label.setWordWrap(True)
        self.signature_label.hide()
        self.note_label = QLabel()
        self.note_label.setObjectName("formNote")
        self.note_label.setWordWrap(True)
        self.note_label.setText(" ")  # the line stays, empty
        self.summary_label = QLabel()
        self.summary_label.setObjectName("findingsSummary")
        self.summary_label.setWordWrap(True)

    def say(self, text: str, *, alarm: bool = False) -> None:
        """A note above the rows; red when something needs the person's attention."""
        self.note_label.setText(text)
        self.note_label.setStyleSheet(f"color: {RED};" if alarm else "")

    def clear_note(self) -> None:
        self.note_label.setText(" ")
        self.note_label.setStyleSheet("")

    def say_saved(self) -> None:
        """The save landed: "Saved 10:06", where the person looks."""
        at = datetime.now().strftime("%H:%M")
        self.note_label.setText(QCoreApplication.translate("FormView", "Saved {0}").format(at))
        self.note_label.setStyleSheet(f"color: {GREEN}; font-weight: 600;")

    def show_summary(self, check: Check) -> None:
        errors, warnings = check.errors, check.warnings
        self.summary_label.setStyleSheet("")
        parts = []
        if errors == 1:
            parts.append(QCoreApplication.translate("FormView", "1 error"))
        elif errors:
            parts.append(QCoreApplication.translate("FormView", "{0} errors").format(errors))
        if warnings == 1:
            parts.append(QCoreApplication.translate("FormView", "1 warning"))
        elif warnings:
            parts.append(QCoreApplication.translate("FormView", "{0} warnings").format(warnings))
        self.summary_label.setText(", ".join(parts))

    def say_blocked(self, errors: int) -> None:
        """Completing was refused: the errors must be corrected first."""
        if errors == 1:
            text = QCoreApplication.translate(
                "FormView", "1 error must be corrected before the form can be completed."
            )
        else:
            text = QCoreApplication.translate(
                "FormView", "{0} errors must be corrected before the form can be completed."
            ).format(errors)
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet(f"color: {RED}; font-weight: 600;")

    def show_state(self, data: FormData | None) -> None:
        """The status line, and the signature line when the form was signed (21 CFR Part 11
        §11.50: printed name, date and time, meaning; broken once the signed data changed)."""
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
