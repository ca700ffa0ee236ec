"""Saving a form view: soft warnings confirmed first, hard errors blocking "complete", the
reason for change of saved values, autosave of what is typed, and the lab → AE suggestions
offered after a lab form is saved.

The save runs on the store worker; the view keeps its editors as they are and only takes the
saved values, revisions and signature state that the worker read back in the same call, so a
save costs the nurse no rebuilding and no re-reading on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLabel, QMessageBox

from desktop_crf.errors import ReasonRequired
from desktop_crf.model import Changes, FormKey
from desktop_crf.services import data_entry
from desktop_crf.services.adverse_events import (
    add_adverse_event,
    lab_suggestions,
    suggestion_values,
)
from desktop_crf.services.data_entry import ChangedElsewhere, FormData, ItemInput
from desktop_crf.services.permissions import Permission
from desktop_crf.ui.common.dialogs import ReasonDialog
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.form.fields import ItemField
from forms.instruments.lab_suggestions import Suggestion
from forms.schema import FormDef
from forms.validation import Finding, Severity


class FormSaving:
    """The save, confirmation and autosave flow of ``FormView`` (mixed into it: the methods
    use the view's widgets, its ``tr``, ``check_current``, ``_counts``, ``_show_state`` and
    ``_error``)."""

    ctx: UiContext
    key: FormKey
    form: FormDef
    fields: dict[str, ItemField]
    data: FormData | None
    findings: list[Finding]
    confirm_box: QMessageBox | None
    reason_dialog: ReasonDialog | None
    suggestion_box: QMessageBox | None
    summary_label: QLabel
    note_label: QLabel
    autosave_timer: QTimer
    saved: Any  # the view's Signal(object)
    _dirty: bool
    _save_when_loaded: bool | None

    def inputs(self, reason: str | None = None) -> list[ItemInput]:
        """The items changed here since the form was read, each with the revision it was read
        at: the service refuses the save if a sync changed one of them meanwhile, and an item
        not touched here is never written back over a value that came from elsewhere."""
        saved = self.data.values if self.data else {}
        result = []
        for field in self.fields.values():
            if field.derived:
                continue
            text = field.text()
            value = text if text.strip() else None
            unit = field.unit() if value is not None else None
            was = saved.get((field.group, field.repeat, field.item.oid))
            if was is None and value is None:
                continue
            if was is not None and was.value == value and (value is None or was.unit == unit):
                continue
            result.append(
                ItemInput(
                    field.group,
                    field.item.oid,
                    text,
                    unit,
                    field.repeat,
                    reason=reason,
                    base_rev=was.rev if was else 0,
                )
            )
        return result

    def save(self, complete: bool = False) -> None:
        """Save the draft, or complete the form: hard errors block completing, soft warnings
        ask for confirmation first. Asked while the form is still opening, the save waits for
        the saved values to be on screen."""
        if self.data is None:
            self._save_when_loaded = complete
            return
        self.check_current()
        errors, warnings = self._counts()
        if complete and errors:
            self.summary_label.setText(
                QCoreApplication.translate(
                    "FormView", "{0} errors must be corrected before the form can be completed."
                ).format(errors)
            )
            self.summary_label.setStyleSheet("color: #b00020; font-weight: 600;")
            return
        self.summary_label.setStyleSheet("")
        if warnings:
            self._confirm_warnings(complete)
            return
        self._submit(complete, None)

    def _confirm_warnings(self, complete: bool) -> None:
        warnings = [f for f in self.findings if f.severity is Severity.WARNING]
        lines = [f.message.get(self.ctx.language) for f in warnings]
        box = QMessageBox(self)
        box.setObjectName("confirmWarnings")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("FormView", "Please confirm"))
        box.setText(
            QCoreApplication.translate("FormView", "Some values are unusual. Save them as entered?")
        )
        box.setInformativeText("\n".join(lines))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.accepted.connect(lambda: self._submit(complete, None, warnings))
        self.confirm_box = box
        box.open()

    def _submit(
        self, complete: bool, reason: str | None, confirmed: Sequence[Finding] = ()
    ) -> None:
        self.confirm_box = None
        session, key, items = self.ctx.session, self.key, self.inputs(reason)
        wanted = True if complete else None
        self.autosave_timer.stop()
        # One store call: the save, then the form as saved (revisions, status, signature state,
        # which only the store can tell). Both are small reads and writes (~1 ms together).
        self.ctx.worker.submit(
            lambda: (
                data_entry.save_form(
                    session, key, items, complete=wanted, reason=reason, accepted_warnings=confirmed
                ),
                data_entry.load_form(session, key),
            ),
            on_done=self._saved,
            on_error=lambda exc: self._save_failed(exc, complete, confirmed),
        )

    def _saved(self, result: tuple[Changes, FormData]) -> None:
        changes, data = result
        self.data = data
        self._dirty = False
        self.note_label.hide()
        self._show_state()
        if self.ctx.may(Permission.ENTER_DATA):
            self.autosave_timer.start()
        self.saved.emit(changes)
        if self.form.oid.startswith("F.LAB_") and changes.items:
            session, key = self.ctx.session, self.key
            self.ctx.worker.submit(
                lambda: lab_suggestions(session, key),
                on_done=self._offer_suggestions,
                on_error=self._error,
            )

    def _save_failed(
        self, exc: BaseException, complete: bool, confirmed: Sequence[Finding] = ()
    ) -> None:
        if self.ctx.may(Permission.ENTER_DATA):
            self.autosave_timer.start()
        if isinstance(exc, ChangedElsewhere):
            self.take_stored(exc.items)
            return
        if isinstance(exc, ReasonRequired):
            changed = ", ".join(
                f.item.label.get(self.ctx.language) for f in self._changed_saved_fields()
            )
            dialog = ReasonDialog(changed, self)
            dialog.accepted.connect(lambda: self._submit(complete, dialog.reason(), confirmed))
            self.reason_dialog = dialog
            dialog.open()
            return
        self._error(exc)

    def _changed_saved_fields(self) -> list[ItemField]:
        saved = self.data.values if self.data else {}
        found = []
        for field in self.fields.values():
            was = saved.get((field.group, field.repeat, field.item.oid))
            if was is not None and was.value != (field.text().strip() or None):
                found.append(field)
        return found

    def autosave_now(self) -> None:
        """Keep what is typed (not yet saved), encrypted, so a crash or a lock loses nothing."""
        if not self._dirty or not self.ctx.may(Permission.ENTER_DATA):
            return
        fields: dict[str, Any] = {}
        where: dict[str, Any] = {}
        for path, field in self.fields.items():
            if not field.derived:
                fields[path] = [field.text(), field.unit()]
                where[path] = [field.group, field.repeat, field.item.oid]
        session, key = self.ctx.session, self.key
        payload = {"fields": fields, "where": where}
        self._dirty = False
        self.ctx.worker.submit(
            lambda: data_entry.autosave(session, key, payload), on_error=self._error
        )

    # -- AE suggestions from lab values -------------------------------------------------------

    def _offer_suggestions(self, suggestions: list[Suggestion]) -> None:
        if not suggestions:
            return
        first, rest = suggestions[0], suggestions[1:]
        box = QMessageBox(self)
        box.setObjectName("suggestionBox")
        box.setWindowTitle(QCoreApplication.translate("FormView", "Suggested adverse event"))
        box.setText(
            QCoreApplication.translate(
                "FormView", "{0} → CTCAE grade {1} ({2}): add to the AE log?"
            ).format(first.term, first.grade, first.rule)
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.accepted.connect(lambda: self._accept_suggestion(first))
        box.finished.connect(lambda _r: self._offer_suggestions(rest) if rest else None)
        self.suggestion_box = box
        box.open()

    def _accept_suggestion(self, suggestion: Suggestion) -> None:
        session, subject = self.ctx.session, self.key.subject_id
        self.ctx.worker.submit(
            lambda: add_adverse_event(session, subject, suggestion_values(suggestion)),
            on_done=self.saved.emit,
            on_error=self._error,
        )
