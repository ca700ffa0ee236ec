"""What each row of a form says, and when, so that the form holds still under the person.

A row speaks about its value (not a date, out of range, a warning) once the person has left
it, not at every keystroke; a required answer is asked for only after the first save attempt
or once the person left the row empty; values read from the store speak at once. While a row
has the focus its message does not change (the rows below would move under the pointer);
it updates when the focus leaves. Conflicts between two computers always show.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QApplication, QWidget

from desktop_crf.ui.common.layouts import LayoutBatch
from desktop_crf.ui.form import ae_helpers
from desktop_crf.ui.form.draft import Check, FormDraft
from desktop_crf.ui.form.fields import ItemField
from forms.text import Language


class FormMessages(QObject):
    """Decides which row of one form view shows which finding."""

    def __init__(
        self,
        fields: dict[str, ItemField],
        draft: FormDraft,
        *,
        language: Language,
        layouts: LayoutBatch,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.fields, self.draft, self.language = fields, draft, language
        self.layouts = layouts
        self.save_tried = False  # after the first save attempt every row speaks
        self._left: set[str] = set()  # rows the person typed in and left
        self._typed: set[str] = set()
        self._editors: dict[QWidget, str] = {}
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def watch(self, field: ItemField) -> None:
        for widget in field.focus_widgets():
            self._editors[widget] = field.path

    def typed(self, path: str) -> None:
        self._typed.add(path)

    def _focus_moved(self, old: QWidget | None, _new: QWidget | None) -> None:
        path = self._editors.get(old) if old is not None else None
        if path is not None and path in self._typed:
            self._left.add(path)
            check = self.draft.check
            if check is not None:
                self.show(check)

    def _speaks(self, path: str) -> bool:
        if self.save_tried or path in self._left:
            return True
        stored = self.draft.stored
        row = self.draft.row(path)
        return stored is not None and row.where in stored.values and path not in self._typed

    def _focused(self) -> str | None:
        widget = QApplication.focusWidget()
        return self._editors.get(widget) if widget is not None else None

    def show(self, check: Check) -> None:
        """Each row's message as ``check`` found; only the rows whose message changed change,
        and the lines that appear are laid out together, once."""
        with self.layouts.batch():
            self._show(check)

    def _show(self, check: Check) -> None:
        conflicts = self.draft.conflicts()
        notes: dict[str, str] = {}
        roles = self.draft.form.adverse_event
        if roles is not None:
            local = self.language == "zh"
            notes = ae_helpers.decorate(self.fields, self.draft, roles, local_names=local)
        in_conflict = QCoreApplication.translate(
            "FormView",
            "In conflict: this value was also changed on another computer ({0}). "
            "Choose the right one with a reason under Queries on the subject or in the Sync tab.",
        )
        focused = None if self.save_tried else self._focused()
        for path, field in self.fields.items():
            finding = check.by_path.get(path)
            if path in conflicts:
                field.show_message(in_conflict.format(" / ".join(conflicts[path])), "error")
            elif path == focused:
                continue  # the row being typed in holds still until the focus leaves it
            elif finding is not None and self._speaks(path):
                field.show_message(finding.message.get(self.language), str(finding.severity))
            else:
                field.show_message(notes.get(path, ""), "info" if path in notes else None)
