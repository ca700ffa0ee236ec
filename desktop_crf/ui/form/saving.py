"""Saving a form: soft warnings confirmed first, hard errors blocking "complete", the reason for
change of saved values, autosave of what is typed, and the lab → AE suggestions offered after a
lab form is saved.

The save runs through ``ops``; the view keeps its editors as they are and only takes the saved
values, revisions and signature state read back in the same call, so a save costs the nurse no
rebuilding and no re-reading on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_crf.errors import KnownError, ReasonRequired
from desktop_crf.model import Changes, FormKey
from desktop_crf.services import data_entry
from desktop_crf.services.adverse_events import (
    add_adverse_event,
    lab_suggestions,
    suggestion_values,
)
from desktop_crf.services.ae_suggestions import decline_suggestion
from desktop_crf.services.data_entry import (
    ChangedElsewhere,
    FormData,
    PatientAnswerReasonRequired,
)
from desktop_crf.services.session import Session
from desktop_crf.ui.common.dialogs import ReasonDialog, TextDialog
from desktop_crf.ui.form.draft import Check, FormDraft
from desktop_crf.ui.form.notes import FormNotes
from desktop_crf.ui.ops import Ops
from forms.instruments.lab_suggestions import Suggestion
from forms.schema import FormDef
from forms.text import Language
from forms.validation import Finding


@dataclass(frozen=True)
class Saved:
    """A save's result: what changed, and the form as stored after it."""

    changes: Changes
    data: FormData


class SaveFlow(QObject):
    """Save, confirmation, reason for change and autosave of one form view.

    ``saved(Changes)`` after every save that landed (the view passes it on).
    """

    saved = Signal(object)

    def __init__(
        self,
        ops: Ops,
        key: FormKey,
        form: FormDef,
        draft: FormDraft,
        notes: FormNotes,
        *,
        parent: QWidget,
        language: Language,
        may_enter: bool,
        autosave_ms: int,
        recheck: Callable[[], Check],
        changed_elsewhere: Callable[[tuple[str, ...]], None],
    ) -> None:
        super().__init__(parent)
        self.ops, self.key, self.form, self.draft, self.notes = ops, key, form, draft, notes
        self._parent, self._language, self._may_enter = parent, language, may_enter
        self._recheck, self._changed_elsewhere = recheck, changed_elsewhere
        self.confirm_box: QMessageBox | None = None
        self.reason_dialog: ReasonDialog | None = None
        self.suggestion_box: QMessageBox | None = None
        self.decline_dialog: TextDialog | None = None
        self._when_open: bool | None = None  # a save asked for while the form opens
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(autosave_ms)
        self.autosave_timer.timeout.connect(self.autosave_now)

    # -- saving -------------------------------------------------------------------------------

    def save(self, complete: bool = False) -> None:
        """Save the draft, or complete the form: hard errors block completing, soft warnings
        ask for confirmation first. Asked while the form is still opening, the save waits for
        the saved values to be on screen."""
        if self.draft.stored is None:
            self._when_open = complete
            return
        check = self._recheck()
        if complete and check.errors:
            self.notes.say_blocked(check.errors)
            return
        self.notes.show_summary(check)
        changing = {
            self.draft.path_of(i.item_group, i.group_repeat, i.item) for i in self.draft.inputs()
        }
        warnings = [f for f in check.warning_findings() if f.path in changing]
        if warnings:  # a value confirmed and saved before is not asked about again
            self._confirm_warnings(warnings, complete)
            return
        self._submit(complete, None)

    def opened(self) -> None:
        """The form is open: start autosaving, and run a save asked for meanwhile."""
        if self._may_enter:
            self.autosave_timer.start()
        if self._when_open is not None:
            complete, self._when_open = self._when_open, None
            self.save(complete)

    def _confirm_warnings(self, warnings: list[Finding], complete: bool) -> None:
        lines = [f.message.get(self._language) for f in warnings]
        box = QMessageBox(self._parent)
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
        """Save; ``confirmed`` are the warnings the person accepted in the confirmation box,
        which the service records (and without which it refuses a value with a warning)."""
        self.confirm_box = None
        key, items = self.key, self.draft.inputs(reason)
        wanted = True if complete else None
        self.autosave_timer.stop()

        # One store call: the save, then the form as saved (revisions, status, signature state,
        # which only the store can tell). Both are small reads and writes (~1 ms together).
        def save(session: Session) -> Saved:
            changes = data_entry.save_form(
                session,
                key,
                items,
                complete=wanted,
                reason=reason,
                accepted_warnings=confirmed,
            )
            return Saved(changes, data_entry.load_form(session, key))

        self.ops.write(
            save,
            initiator=self._parent,
            on_done=self._saved,
            on_error=lambda exc: self._save_failed(exc, complete, confirmed),
        )

    def _saved(self, result: Saved) -> None:
        self.draft.saved(result.data)
        self.notes.say_saved()
        self.notes.show_state(result.data)
        if self._may_enter:
            self.autosave_timer.start()
        self.saved.emit(result.changes)
        if self.form.suggests_adverse_events and result.changes.items:
            key = self.key
            self.ops.read(lambda s: lab_suggestions(s, key), self._offer, owner=self)

    def _save_failed(
        self, exc: KnownError, complete: bool, confirmed: Sequence[Finding] = ()
    ) -> None:
        if self._may_enter:
            self.autosave_timer.start()
        if isinstance(exc, ChangedElsewhere):
            self._changed_elsewhere(exc.items)
            return
        if isinstance(exc, ReasonRequired):
            changed = ", ".join(
                r.item.label.get(self._language) for r in self.draft.changed_saved_rows()
            )
            patient = isinstance(exc, PatientAnswerReasonRequired)
            dialog = ReasonDialog(changed, self._parent, patient_answers=patient)
            dialog.accepted.connect(lambda: self._submit(complete, dialog.reason(), confirmed))
            self.reason_dialog = dialog
            dialog.open()
            return
        self.notes.say(str(exc), alarm=True)

    def autosave_now(self) -> None:
        """Keep what is typed (not yet saved), encrypted, so a crash or a lock loses nothing."""
        if not self.draft.dirty or not self._may_enter:
            return
        key, payload = self.key, self.draft.autosave_payload()
        self.draft.dirty = False
        self.ops.write(
            lambda s: data_entry.autosave(s, key, payload),
            initiator=self._parent,
            on_error=lambda exc: self.notes.say(str(exc), alarm=True),
        )

    def stop(self) -> None:
        """Keep what is typed and stop the timer (the view is closing, or the site locks)."""
        self.autosave_now()
        self.autosave_timer.stop()

    # -- AE suggestions from lab values -------------------------------------------------------

    def _offer(self, suggestions: list[Suggestion]) -> None:
        """Offer each suggested AE in turn: Yes adds it to the AE log (linked to its value,
        dated by the sample); No asks why and records the decision, so the same value is not
        offered again."""
        if not suggestions:
            return
        first, rest = suggestions[0], suggestions[1:]
        box = QMessageBox(self._parent)
        box.setObjectName("suggestionBox")
        box.setWindowTitle(QCoreApplication.translate("FormView", "Suggested adverse event"))
        if first.at_least:
            text = QCoreApplication.translate(
                "FormView", "{0} → CTCAE grade {1} or higher ({2}): add to the AE log?"
            )
        else:
            text = QCoreApplication.translate(
                "FormView", "{0} → CTCAE grade {1} ({2}): add to the AE log?"
            )
        rule = first.rule_zh if self._language == "zh" else first.rule
        box.setText(text.format(first.term, first.grade, rule))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.accepted.connect(lambda: self._accept(first, rest))
        box.rejected.connect(lambda: self._ask_why(first, rest))
        self.suggestion_box = box
        box.open()

    def _accept(self, suggestion: Suggestion, rest: list[Suggestion]) -> None:
        subject = self.key.subject_id
        self.ops.write(
            lambda s: add_adverse_event(s, subject, suggestion_values(suggestion)),
            initiator=self._parent,
            on_done=self.saved.emit,
        )
        self._offer(rest)

    def _ask_why(self, suggestion: Suggestion, rest: list[Suggestion]) -> None:
        """Not an AE: say why (kept in the audit trail); cancelling leaves it undecided."""
        dialog = TextDialog(
            QCoreApplication.translate("FormView", "Why is this not an adverse event?"),
            QCoreApplication.translate(
                "FormView",
                "{0} (grade {1}) will not be offered again for this value. The reason is kept "
                "in the audit trail.",
            ).format(suggestion.term, suggestion.grade),
            QCoreApplication.translate(
                "FormView", "e.g. known before treatment, lab error, already recorded as …"
            ),
            self._parent,
        )
        dialog.accepted.connect(lambda: self._decline(suggestion, dialog.text()))
        dialog.finished.connect(lambda _r: self._offer(rest))
        self.decline_dialog = dialog
        dialog.open()

    def _decline(self, suggestion: Suggestion, reason: str) -> None:
        key = self.key
        self.ops.write(
            lambda s: decline_suggestion(s, key, suggestion, reason=reason),
            initiator=self._parent,
        )
