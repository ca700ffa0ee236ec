"""A form rendered from its definition: every item's editor, repeating groups, show-when,
derived values and validation live; save (Ctrl+S), complete, reason for change, autosave of
drafts on a timer, lab-driven AE suggestions and the investigator's e-signature.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.errors import KnownError, ReasonRequired, WrongPassword
from desktop_crf.services import data_entry
from desktop_crf.services.adverse_events import (
    add_adverse_event,
    lab_suggestions,
    suggestion_values,
)
from desktop_crf.services.data_entry import FormData, ItemInput
from desktop_crf.services.permissions import Permission
from desktop_crf.services.signatures import sign_form
from desktop_crf.store.repository import FormKey
from desktop_crf.ui import ae_support
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.dialogs import ReasonDialog, SignDialog
from desktop_crf.ui.fields import ItemField
from forms.derivations import derive
from forms.instruments.lab_suggestions import Suggestion
from forms.schema import FormDef, ItemGroupDef, ItemValue, item_path
from forms.validation import Finding, Severity, ValidationContext, validate


class FormView(QWidget):
    """One form of one visit. Emits ``saved`` after every successful save or signature."""

    saved = Signal(object)  # Changes
    loaded = Signal()

    def __init__(self, ctx: UiContext, key: FormKey, form: FormDef, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("FormView")
        self.ctx, self.key, self.form = ctx, key, form
        self.fields: dict[str, ItemField] = {}
        self.data: FormData | None = None
        self.findings: list[Finding] = []
        self.reason_dialog: ReasonDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.sign_dialog: SignDialog | None = None
        self.suggestion_box: QMessageBox | None = None
        self._dirty = False
        self._loading = True
        self._repeat_boxes: dict[str, QVBoxLayout] = {}
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

        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        for group in form.item_groups:
            self.body_layout.addWidget(self._group_box(group))
        self.body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        outer.addWidget(scroll, 1)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("findingsSummary")
        self.summary_label.setWordWrap(True)
        outer.addWidget(self.summary_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        may_enter = ctx.may(Permission.ENTER_DATA)
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
            (self.sign_button, ctx.may(Permission.SIGN)),
        ):
            button.setVisible(shown)
            buttons.addWidget(button)
        outer.addLayout(buttons)
        if may_enter:
            QShortcut(QKeySequence.StandardKey.Save, self, activated=lambda: self.save(False))
        else:
            for field in self.fields.values():
                for widget in field.focus_widgets():
                    widget.setEnabled(False)

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(ctx.autosave_ms)
        self.autosave_timer.timeout.connect(self.autosave_now)

    # -- building ---------------------------------------------------------------------------

    def _group_box(self, group: ItemGroupDef) -> QGroupBox:
        box = QGroupBox(group.label.get(self.ctx.language))
        box.setObjectName(f"group:{group.oid}")
        layout = QVBoxLayout(box)
        if not group.repeating:
            layout.addWidget(self._repeat_widget(group, None))
            return box
        repeats = QVBoxLayout()
        self._repeat_boxes[group.oid] = repeats
        layout.addLayout(repeats)
        add = QPushButton(self.tr("Add {0}").format(group.label.get(self.ctx.language)))
        add.setObjectName(f"add:{group.oid}")
        add.clicked.connect(lambda: self.add_repeat(group.oid))
        add.setVisible(self.ctx.may(Permission.ENTER_DATA))
        layout.addWidget(add)
        return box

    def _repeat_widget(self, group: ItemGroupDef, repeat: int | None) -> QWidget:
        widget = QWidget()
        form = QFormLayout(widget)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        added = []
        for item in group.items:
            path = item_path(item.oid, group_oid=group.oid, repeat=repeat)
            field = ItemField(
                item,
                group=group.oid,
                repeat=repeat or 1,
                path=path,
                language=self.ctx.language,
                parent=self,
            )
            field.changed.connect(self._on_changed)
            for editor in field.focus_widgets():
                editor.installEventFilter(self)
            label = QLabel(item.label.get(self.ctx.language) + (" *" if item.required else ""))
            label.setWordWrap(True)
            label.setFixedWidth(340)
            label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
            label.setBuddy(field.editor())
            form.addRow(label, field.container)
            self.fields[path] = field
            added.append(field)
        if self.form.oid == ae_support.AE_FORM:
            ae_support.attach(added)
        return widget

    def add_repeat(self, group_oid: str) -> int:
        """Add one more repeat of a repeating group (a lesion, an adverse event)."""
        group = next(g for g in self.form.item_groups if g.oid == group_oid)
        taken = [f.repeat for f in self.fields.values() if f.group == group_oid]
        repeat = max(taken, default=0) + 1
        box = QGroupBox(f"{group.label.get(self.ctx.language)} {repeat}")
        QVBoxLayout(box).addWidget(self._repeat_widget(group, repeat))
        self._repeat_boxes[group_oid].addWidget(box)
        if not self._loading:
            first = self.fields[item_path(group.items[0].oid, group_oid=group_oid, repeat=repeat)]
            first.editor().setFocus()
        return repeat

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter moves to the next field, like Tab (a nurse types a column of lab values)."""
        if event.type() == QEvent.Type.KeyPress and event.key() in (  # type: ignore[attr-defined]
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            if isinstance(watched, QComboBox) and watched.view().isVisible():
                return False
            self.focusNextChild()
            return True
        return super().eventFilter(watched, event)

    # -- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        """Read the saved form and any autosaved draft, off the GUI thread."""
        session, key = self.ctx.session, self.key
        self.ctx.worker.submit(
            lambda: (
                data_entry.load_form(session, key),
                data_entry.pending_autosave(session, key)
                if self.ctx.may(Permission.ENTER_DATA)
                else None,
            ),
            on_done=self._loaded,
            on_error=self._error,
        )

    def _loaded(self, result: tuple[FormData, dict[str, Any] | None]) -> None:
        data, draft = result
        self._loading = True
        self.data = data
        for (group, repeat, item), stored in sorted(data.values.items()):
            self._field_for(group, repeat, item).set_value(stored.value, stored.unit)
        if draft:
            for path, (text, unit) in draft.get("fields", {}).items():
                group, repeat, item = draft["where"][path]
                self._field_for(group, repeat, item).set_value(text, unit)
            self.note_label.setText(
                self.tr("Unsaved typing from before was restored. Save to keep it.")
            )
            self.note_label.show()
        self._loading = False
        self._dirty = bool(draft)
        self._show_state()
        self.refresh()
        if self.ctx.may(Permission.ENTER_DATA):
            self.autosave_timer.start()
        self.loaded.emit()

    def _field_for(self, group: str, repeat: int, item: str) -> ItemField:
        gdef = next(g for g in self.form.item_groups if g.oid == group)
        path = item_path(item, group_oid=group, repeat=repeat if gdef.repeating else None)
        if path not in self.fields and gdef.repeating:
            while path not in self.fields:
                self.add_repeat(group)
        return self.fields[path]

    def _show_state(self) -> None:
        data = self.data
        texts = {
            None: self.tr("not started"),
            "draft": self.tr("draft"),
            "complete": self.tr("complete"),
        }
        self.status_label.setText(texts.get(data.status if data else None, ""))
        signature = data.signature if data else None
        if signature is None:
            self.signature_label.hide()
            return
        when = str(signature["signed_at"]).replace("T", " ")[:16]
        if signature["state"] == "valid":
            text = self.tr("Signed by {0} on {1} UTC — “{2}”").format(
                signature["signer_name"], when, signature["meaning"]
            )
            style = "background: #e6f4ea; padding: 6px;"
        else:
            text = self.tr(
                "Signature broken: the data changed after {0} signed on {1} UTC. Re-sign required."
            ).format(signature["signer_name"], when)
            style = "background: #fde7e9; padding: 6px; font-weight: 600;"
        self.signature_label.setText(text)
        self.signature_label.setStyleSheet(style)
        self.signature_label.show()

    # -- live checks ------------------------------------------------------------------------

    def values(self) -> dict[str, ItemValue]:
        """Every filled item by path, as entered (derived items excluded)."""
        found = {}
        for path, field in self.fields.items():
            text = field.text()
            if text.strip() and not field.derived:
                found[path] = ItemValue(text=text, unit=field.unit() if text else None)
        return found

    def _on_changed(self) -> None:
        if self._loading:
            return
        self._dirty = True
        self.refresh()

    def refresh(self) -> None:
        """Derived values, show-when and findings, recomputed from what is on screen."""
        values = self.values()
        derived = derive(self.form, values)
        was, self._loading = self._loading, True
        for path, field in self.fields.items():
            if field.derived:
                field.set_value(derived.get(path, ""))
        if self.form.oid == ae_support.AE_FORM:
            ae_support.update(self.fields, self.ctx.language)
            values = self.values()
        self._loading = was
        for field in self.fields.values():
            shown = self._shown(field, values)
            field.container.setVisible(shown)
            form = field.container.parentWidget()
            if form is not None:
                layout = form.layout()
                if isinstance(layout, QFormLayout):
                    label = layout.labelForField(field.container)
                    if label is not None:
                        label.setVisible(shown)
        context = ValidationContext(today=date.today())
        self.findings = validate(self.form, values, context)
        by_path: dict[str, Finding] = {}
        for finding in self.findings:
            current = by_path.get(finding.path)
            if current is None or finding.severity is Severity.ERROR:
                by_path[finding.path] = finding
        lang = self.ctx.language
        for path, field in self.fields.items():
            finding = by_path.get(path)
            field.show_message(finding.message.get(lang) if finding else "", _sev(finding))
        errors, warnings = self._counts()
        self.summary_label.setText(
            self.tr("{0} errors, {1} warnings").format(errors, warnings)
            if errors or warnings
            else ""
        )

    def _shown(self, field: ItemField, values: dict[str, ItemValue]) -> bool:
        group = next(g for g in self.form.item_groups if g.oid == field.group)
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

    # -- saving -----------------------------------------------------------------------------

    def inputs(self, reason: str | None = None) -> list[ItemInput]:
        """Every non-derived item as entered; the service writes only what changed."""
        saved = self.data.values if self.data else {}
        result = []
        for field in self.fields.values():
            if field.derived:
                continue
            text = field.text()
            was = saved.get((field.group, field.repeat, field.item.oid))
            if not text.strip() and was is None:
                continue
            unit = field.unit() if text.strip() else None
            result.append(
                ItemInput(field.group, field.item.oid, text, unit, field.repeat, reason=reason)
            )
        return result

    def save(self, complete: bool = False) -> None:
        """Save the draft, or complete the form: hard errors block completing, soft warnings
        ask for confirmation first."""
        self.refresh()
        errors, warnings = self._counts()
        if complete and errors:
            self.summary_label.setText(
                self.tr("{0} errors must be corrected before the form can be completed.").format(
                    errors
                )
            )
            self.summary_label.setStyleSheet("color: #b00020; font-weight: 600;")
            return
        self.summary_label.setStyleSheet("")
        if warnings:
            lines = [
                f.message.get(self.ctx.language)
                for f in self.findings
                if f.severity is Severity.WARNING
            ]
            box = QMessageBox(self)
            box.setObjectName("confirmWarnings")
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(self.tr("Please confirm"))
            box.setText(self.tr("Some values are unusual. Save them as entered?"))
            box.setInformativeText("\n".join(lines))
            box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            box.accepted.connect(lambda: self._submit(complete, None))
            self.confirm_box = box
            box.open()
            return
        self._submit(complete, None)

    def _submit(self, complete: bool, reason: str | None) -> None:
        self.confirm_box = None
        session, key, items = self.ctx.session, self.key, self.inputs(reason)
        wanted = True if complete else None
        self.autosave_timer.stop()
        self.ctx.worker.submit(
            lambda: (
                data_entry.save_form(session, key, items, complete=wanted, reason=reason),
                data_entry.load_form(session, key),
            ),
            on_done=self._saved,
            on_error=lambda exc: self._save_failed(exc, complete),
        )

    def _saved(self, result: tuple[Any, FormData]) -> None:
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

    def _save_failed(self, exc: BaseException, complete: bool) -> None:
        if self.ctx.may(Permission.ENTER_DATA):
            self.autosave_timer.start()
        if isinstance(exc, ReasonRequired):
            changed = ", ".join(
                f.item.label.get(self.ctx.language) for f in self._changed_saved_fields()
            )
            dialog = ReasonDialog(changed, self)
            dialog.accepted.connect(lambda: self._submit(complete, dialog.reason()))
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

    # -- AE suggestions from lab values ---------------------------------------------------

    def _offer_suggestions(self, suggestions: list[Suggestion]) -> None:
        if not suggestions:
            return
        first, rest = suggestions[0], suggestions[1:]
        box = QMessageBox(self)
        box.setObjectName("suggestionBox")
        box.setWindowTitle(self.tr("Suggested adverse event"))
        box.setText(
            self.tr("{0} → CTCAE grade {1} ({2}): add to the AE log?").format(
                first.term, first.grade, first.rule
            )
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

    # -- signing ----------------------------------------------------------------------------

    def request_signature(self) -> None:
        if self._dirty:
            self.note_label.setText(self.tr("Save the form before signing it."))
            self.note_label.show()
            return
        dialog = SignDialog(
            self.ctx.session.full_name, self.form.label.get(self.ctx.language), self
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

    # -- errors -----------------------------------------------------------------------------

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


def _sev(finding: Finding | None) -> str | None:
    return str(finding.severity) if finding else None
