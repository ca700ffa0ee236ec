"""A form rendered from its definition: every item's editor, repeating groups, show-when,
derived values and validation live; save (Ctrl+S), complete, reason for change, autosave of
drafts on a timer, lab-driven AE suggestions and the investigator's e-signature.

The view is put together from: ``form_rows`` (group boxes, repeats and the item rows, built a
slice at a time), ``form_saving`` (save, confirmation, reason for change, autosave, lab → AE
suggestions) and ``form_signing`` (e-signature, status and signature lines).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.errors import KnownError
from desktop_crf.instruments import load_ctcae_dictionary
from desktop_crf.model import FormKey
from desktop_crf.services import data_entry
from desktop_crf.services.data_entry import FormData
from desktop_crf.services.permissions import Permission
from desktop_crf.ui.common.dialogs import ReasonDialog, SignDialog
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.form import ae_helpers
from desktop_crf.ui.form.fields import ItemField
from desktop_crf.ui.form.item_queries import offer_item_query
from desktop_crf.ui.form.merging import FormMerging
from desktop_crf.ui.form.rows import FormRows
from desktop_crf.ui.form.saving import FormSaving
from desktop_crf.ui.form.signing import FormSigning
from forms.derivations import derive
from forms.schema import FormDef, ItemValue, item_path
from forms.validation import Finding, Severity, ValidationContext, validate

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class FormView(FormSaving, FormSigning, FormMerging, QWidget):
    """One form of one visit. Emits ``loaded`` once every row shows its saved value, and
    ``saved`` after every successful save or signature."""

    saved = Signal(object)  # Changes
    loaded = Signal()
    query_raised = Signal(object)  # QueryTarget: a monitor raised a query on an item

    def __init__(self, ctx: UiContext, key: FormKey, form: FormDef, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("FormView")
        self.ctx, self.key, self.form = ctx, key, form
        self.data: FormData | None = None  # set once the rows show the saved values
        self.findings: list[Finding] = []
        self.reason_dialog: ReasonDialog | None = None
        self.query_dialog: QDialog | None = None
        self.item_menu: QMenu | None = None
        self.confirm_box: QMessageBox | None = None
        self.sign_dialog: SignDialog | None = None
        self.suggestion_box: QMessageBox | None = None
        self._dirty = False
        self._applying = False  # values set by the view itself are not typing
        self._pending: dict[str, tuple[str | None, str | None]] = {}
        self._shown_by: dict[str, ItemValue] | None = None
        self._incoming: tuple[FormData, bool] | None = None
        self._save_when_loaded: bool | None = None
        self._checked_on: date | None = None
        self._may_enter = may_enter = ctx.may(Permission.ENTER_DATA)
        lang = ctx.language

        outer = QVBoxLayout(self)
        head = QHBoxLayout()
        title = QLabel(f"{form.label.get(lang)} — {key.subject_id} · {key.event}")
        title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        head.addWidget(title, 1)
        self.status_label = QLabel()
        self.status_label.setObjectName("formStatus")
        head.addWidget(self.status_label)
        outer.addLayout(head)
        self.signature_label = QLabel()
        self.signature_label.setObjectName("signatureLabel")
        self.signature_label.setWordWrap(True)
        self.signature_label.hide()
        outer.addWidget(self.signature_label)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.hide()
        outer.addWidget(self.note_label)

        self.rows = FormRows(
            form,
            lang,
            on_row=self._on_row,
            on_built=self._built,
            on_add=self.add_repeat if may_enter else None,
            parent=self,
        )
        self.fields: dict[str, ItemField] = self.rows.fields
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.rows.body)
        outer.addWidget(scroll, 1)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("findingsSummary")
        self.summary_label.setWordWrap(True)
        outer.addWidget(self.summary_label)
        outer.addLayout(self._buttons(may_enter))
        if may_enter:
            QShortcut(QKeySequence.StandardKey.Save, self, activated=lambda: self.save(False))

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(ctx.autosave_ms)
        self.autosave_timer.timeout.connect(self.autosave_now)

    def _buttons(self, may_enter: bool) -> QHBoxLayout:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(self.tr("Save draft (Ctrl+S)"))
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(lambda: self.save(complete=False))
        self.complete_button = QPushButton(self.tr("Complete"))
        self.complete_button.setObjectName("completeButton")
        self.complete_button.clicked.connect(lambda: self.save(complete=True))
        self.sign_button = QPushButton(self.tr("Sign…"))
        self.sign_button.setObjectName("signButton")
        self.sign_button.clicked.connect(self.request_signature)
        for button, shown in (
            (self.save_button, may_enter),
            (self.complete_button, may_enter),
            (self.sign_button, self.ctx.may(Permission.SIGN)),
        ):
            button.setVisible(shown)
            buttons.addWidget(button)
        return buttons

    # -- rows ---------------------------------------------------------------------------------

    def add_repeat(self, group_oid: str) -> int:
        """Add one more repeat of a repeating group (a lesion, an adverse event), at once."""
        first = self.rows.add_repeat_now(group_oid)
        if self.data is not None:
            self.refresh()
            first.editor().setFocus()
        return first.repeat

    def _on_row(self, field: ItemField) -> None:
        """A new row: watch it, and give it its saved (or restored) value right away."""
        field.changed.connect(self._on_changed)
        if not self._may_enter:
            for widget in field.focus_widgets():
                widget.setEnabled(False)
        value = self._pending.pop(field.path, None)
        if value is not None:
            self._apply(field, *value)
        field.set_shown(self._shown(field, self._shown_by or {}))  # refresh() follows a repeat
        if self.form.oid == ae_helpers.AE_FORM:
            ae_helpers.attach([field])
        if self.ctx.may(Permission.RAISE_QUERY) and field.label is not None:
            offer_item_query(self, field)

    def _apply(self, field: ItemField, text: str | None, unit: str | None = None) -> None:
        was, self._applying = self._applying, True
        try:
            field.set_value(text, unit)
        finally:
            self._applying = was

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter moves to the next field, like Tab (a nurse types a column of lab values).

        The editors pass Enter on to their parents (an open drop-down list keeps it), so one
        handler here serves every row, with no filter on each editor's every event.
        """
        if event.key() in _ENTER_KEYS:
            self.focusNextChild()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- loading ------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the saved form and any autosaved draft off the GUI thread, then build the rows,
        each with its value."""
        session, key, may_enter = self.ctx.session, self.key, self._may_enter
        needs_terms = self.form.oid == ae_helpers.AE_FORM

        def read() -> tuple[FormData, dict[str, Any] | None]:
            if needs_terms:
                load_ctcae_dictionary()  # the AE term search reads it: not on the GUI thread
            draft = data_entry.pending_autosave(session, key) if may_enter else None
            return data_entry.load_form(session, key), draft

        self.ctx.worker.submit(read, on_done=self._loaded, on_error=self._error)

    def _loaded(self, result: tuple[FormData, dict[str, Any] | None]) -> None:
        data, draft = result
        pending: dict[str, tuple[str | None, str | None]] = {}
        upto: dict[str, int] = {}
        groups = {group.oid for group in self.form.item_groups}
        where = [(*k, (v.value, v.unit)) for k, v in sorted(data.values.items())]
        if draft:
            where += [(*draft["where"][p], tuple(v)) for p, v in draft.get("fields", {}).items()]
        for group, repeat, item, value in where:
            if group in groups:
                pending[self.rows.path_of(group, repeat, item)] = value
                upto[group] = max(upto.get(group, 0), repeat)
        for group_oid, count in upto.items():
            if self.rows.group(group_oid).repeating:
                self.rows.queue_repeats(group_oid, count)
        self._shown_by = {
            path: ItemValue(text=text, unit=unit)
            for path, (text, unit) in pending.items()
            if text and text.strip()
        }
        for path, field in self.fields.items():  # rows already there: a repeat added meanwhile
            if path in pending:
                self._apply(field, *pending.pop(path))
        self._pending = pending
        self._incoming = (data, bool(draft))
        self.rows.build_queued()

    def _built(self) -> None:
        """Every row is there with its value: the form is open."""
        if self._incoming is None:
            return
        (data, restored), self._incoming = self._incoming, None
        self._pending, self._shown_by = {}, None
        self.data = data
        if restored:
            self.note_label.setText(
                self.tr("Unsaved typing from before was restored. Save to keep it.")
            )
            self.note_label.show()
        self._dirty = self._dirty or restored
        self._show_state()
        self.refresh()
        if self._may_enter:
            self.autosave_timer.start()
        self.loaded.emit()
        if self._save_when_loaded is not None:
            complete, self._save_when_loaded = self._save_when_loaded, None
            self.save(complete)

    # -- live checks --------------------------------------------------------------------------

    def values(self) -> dict[str, ItemValue]:
        """Every filled item by path, as entered (derived items excluded)."""
        found = {}
        for path, field in self.fields.items():
            text = field.text()
            if text.strip() and not field.derived:
                found[path] = ItemValue(text=text, unit=field.unit() if text else None)
        return found

    def _on_changed(self) -> None:
        if self._applying:
            return
        self._dirty = True
        if self.data is not None:
            self.refresh()

    def check_current(self) -> None:
        """Re-check if the findings may be out of date (every edit re-checks; dates can make a
        value wrong overnight)."""
        if self._checked_on != date.today():
            self.refresh()

    def _conflicts(self) -> dict[str, str]:
        """Items changed on two computers from the same revision: what the row should say."""
        if self.data is None:
            return {}
        found = {}
        for (group, repeat, item), stored in self.data.values.items():
            if stored.conflict:
                found[self.rows.path_of(group, repeat, item)] = self.tr(
                    "In conflict: this value was also changed on another computer ({0}). "
                    "Choose the right one with a reason under Queries on the subject or in "
                    "the Sync tab."
                ).format(" / ".join(_clashing(stored.conflict)))
        return found

    def refresh(self) -> None:
        """Derived values, show-when and findings, recomputed from what is on screen."""
        values = self.values()
        derived = derive(self.form, values)
        was, self._applying = self._applying, True
        try:
            for path, field in self.fields.items():
                if field.derived and field.text() != derived.get(path, ""):
                    field.set_value(derived.get(path, ""))
            if self.form.oid == ae_helpers.AE_FORM:
                ae_helpers.update(self.fields, self.ctx.language)
                values = self.values()
        finally:
            self._applying = was
        for field in self.fields.values():
            field.set_shown(self._shown(field, values))
        self._checked_on = date.today()
        self.findings = validate(self.form, values, ValidationContext(today=self._checked_on))
        by_path: dict[str, Finding] = {}
        for finding in self.findings:
            current = by_path.get(finding.path)
            if current is None or finding.severity is Severity.ERROR:
                by_path[finding.path] = finding
        lang = self.ctx.language
        conflicts = self._conflicts()
        for path, field in self.fields.items():
            finding = by_path.get(path)
            if path in conflicts:
                field.show_message(conflicts[path], "error")
            else:
                field.show_message(finding.message.get(lang) if finding else "", _sev(finding))
        errors, warnings = self._counts()
        self.summary_label.setText(
            self.tr("{0} errors, {1} warnings").format(errors, warnings)
            if errors or warnings
            else ""
        )

    def _shown(self, field: ItemField, values: dict[str, ItemValue]) -> bool:
        group = self.rows.group(field.group)
        for condition in (group.show_when, field.item.show_when):
            if condition is None:
                continue
            gdef = self.form.group_of(condition.item)
            repeat = field.repeat if gdef.repeating else None
            other = values.get(item_path(condition.item, group_oid=gdef.oid, repeat=repeat))
            text = other.text.strip() if other else ""
            if condition.filled is not None:
                if bool(text) != condition.filled:
                    return False
            elif not {c.strip() for c in text.split(",")} & set(condition.any_of):
                return False
        return True

    def _counts(self) -> tuple[int, int]:
        errors = sum(f.severity is Severity.ERROR for f in self.findings)
        return errors, len(self.findings) - errors

    # -- errors -------------------------------------------------------------------------------

    def _error(self, exc: BaseException) -> None:
        message = str(exc) if isinstance(exc, KnownError) else repr(exc)
        self.note_label.setText(message)
        self.note_label.setStyleSheet("color: #b00020;")
        self.note_label.show()
        if not isinstance(exc, KnownError):
            raise exc

    def line_edit(self, path: str) -> QLineEdit:
        """The text editor of an item (tests and keyboard navigation)."""
        edit = self.fields[path].edit
        assert edit is not None
        return edit


def _clashing(marker: str) -> list[str]:
    try:
        values = json.loads(marker).get("values", [])
    except (ValueError, AttributeError):
        return []
    return [str(v.get("value")) for v in values if isinstance(v, dict) and v]


def _sev(finding: Finding | None) -> str | None:
    return str(finding.severity) if finding else None
