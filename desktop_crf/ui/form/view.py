"""A form rendered from its definition: every item's editor, repeating groups, show-when,
derived values and validation live; save (Ctrl+S), complete, reason for change, autosave of
drafts on a timer, lab-driven AE suggestions and the investigator's e-signature.

The view is put together from small parts, each with one job and explicit collaborators:
``FormRows`` builds the rows a slice at a time, ``FormDraft`` (no Qt) holds what was read and
typed, ``FormNotes`` the status and message lines, ``SaveFlow`` saving and autosave,
``SignFlow`` the e-signature, ``IncomingValues`` values that arrive by sync, and
``ItemQueryMenu`` a monitor's query on an item. The view itself keeps the editors and the draft
in step.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.instruments import load_ctcae_dictionary
from desktop_crf.model import Changes, FormKey
from desktop_crf.services import data_entry
from desktop_crf.services.data_entry import FormData
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.form import ae_helpers
from desktop_crf.ui.form.draft import Check, FormDraft, Opening, Row, Shown
from desktop_crf.ui.form.fields import ItemField
from desktop_crf.ui.form.item_queries import ItemQueryMenu
from desktop_crf.ui.form.lab_limits import LabLimits, is_lab_form
from desktop_crf.ui.form.merging import IncomingValues
from desktop_crf.ui.form.messages import FormMessages
from desktop_crf.ui.form.notes import FormNotes
from desktop_crf.ui.form.rows import FormRows
from desktop_crf.ui.form.saving import SaveFlow
from desktop_crf.ui.form.signing import SignFlow
from desktop_crf.ui.monitor.item_marks import ItemMarks
from forms.schema import FormDef, ItemValue
from forms.validation import ValidationContext
from forms.visibility import visible_paths

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


@dataclass(frozen=True)
class Opened:
    """What a form reads as it opens: the form as saved, typing an autosave kept, and what
    validating it needs (as the save service builds it)."""

    data: FormData
    autosaved: dict[str, Any] | None
    context: ValidationContext
    same_visit: dict[str, tuple[str, str | None]]  # values another form of the visit holds


class FormView(QWidget):
    """One form of one visit. Emits ``loaded`` once every row shows its saved value, and
    ``saved`` after every successful save or signature."""

    saved = Signal(object)  # Changes
    loaded = Signal()
    query_raised = Signal(object)  # QueryTarget: a monitor raised a query on an item

    def __init__(self, ctx: UiContext, key: FormKey, form: FormDef, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("FormView")
        self.ctx, self.key, self.form = ctx, key, form
        self._may_enter = may_enter = ctx.may(Permission.ENTER_DATA)
        self._applying = False  # values the view puts in are not typing
        self._opening: dict[str, Shown] = {}  # values of rows still to be built
        self._opening_values: dict[str, ItemValue] | None = None
        self._opening_shown: frozenset[str] = frozenset()
        self._incoming: tuple[FormData, bool] | None = None
        self._checked_on: date | None = None
        self._same_visit: dict[str, tuple[str, str | None]] = {}
        self.draft = FormDraft(form, filler=ae_helpers.filler(form))
        self.notes = FormNotes()
        self.rows = FormRows(
            form,
            ctx.language,
            on_row=self._on_row,
            on_built=self._built,
            on_add=self._add_repeat if may_enter else None,
            parent=self,
        )
        self.fields: dict[str, ItemField] = self.rows.fields
        self.messages = FormMessages(
            self.fields, self.draft, language=ctx.language, layouts=self.rows.layouts, parent=self
        )
        self.lab: LabLimits | None = None
        if is_lab_form(form):
            self.lab = LabLimits(ctx.ops, key, form, self.draft, self.fields, parent=self)
        self._build_layout(may_enter)
        self.saving = SaveFlow(
            ctx.ops,
            key,
            form,
            self.draft,
            self.notes,
            parent=self,
            language=ctx.language,
            may_enter=may_enter,
            autosave_ms=ctx.autosave_ms,
            recheck=self.refresh,
            changed_elsewhere=self.take_stored,
        )
        self.saving.saved.connect(self.saved)
        self.signing = SignFlow(
            ctx.ops,
            key,
            self.draft,
            self.notes,
            parent=self,
            signer=ctx.full_name,
            what=form.label.get(ctx.language),
        )
        self.signing.signed.connect(self.saved)
        self.incoming = IncomingValues(
            ctx.ops,
            key,
            self.draft,
            self.notes,
            parent=self,
            language=ctx.language,
            apply=self._put,
            build=self._build_repeats,
            refresh=self.refresh,
        )
        self.marks = ItemMarks(ctx, key, self.fields, parent=self)
        verify = self.marks.verify_item if ctx.may(Permission.VERIFY_SOURCE) else None
        self.item_queries = ItemQueryMenu(
            ctx.ops, key, parent=self, language=ctx.language, verify=verify
        )
        self.item_queries.raised.connect(self.query_raised)
        if may_enter:
            shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
            shortcut.activated.connect(lambda: self.save(False))
        ctx.ops.changed.connect(self._changed)

    def _build_layout(self, may_enter: bool) -> None:
        outer = QVBoxLayout(self)
        head = QHBoxLayout()
        visit = self.ctx.labels.visit(self.key.event, self.key.event_repeat)
        title = QLabel(
            f"{self.form.label.get(self.ctx.language)} — {self.key.subject_id} · {visit}"
        )
        title.setToolTip(f"{self.key.event} · {self.key.form}")  # the codes, when asked for
        title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        head.addWidget(title, 1)
        head.addWidget(self.notes.status_label)
        outer.addLayout(head)
        outer.addWidget(self.notes.signature_label)
        outer.addWidget(self.notes.note_label)
        if self.lab is not None:
            outer.addWidget(self.lab.own_limits)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.rows.body)
        # read-only answers (a monitor's view, an item another role answers) stay legible:
        # dark text in the palette's disabled colours (a style sheet over the rows would have
        # every editor of a long form styled by it: it took more than half of opening one)
        palette = self.rows.body.palette()
        text = QPalette.ColorRole
        for role in (text.Text, text.ButtonText, text.WindowText):  # edits, lists, boxes
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#202124"))
        self.rows.body.setPalette(palette)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.notes.summary_label)
        buttons = QHBoxLayout()
        if self.ctx.may(Permission.VERIFY_SOURCE):
            legend = QLabel(
                self.tr("✓ verified · ✎ changed since verified · ? query — point at a mark")
            )
            legend.setObjectName("marksLegend")
            legend.setStyleSheet("color: #5f6368;")
            buttons.addWidget(legend)
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
        self.verify_button = QPushButton(self.tr("Mark the form verified against the source"))
        self.verify_button.setObjectName("verifyFormButton")
        self.verify_button.clicked.connect(lambda: self.marks.verify_form())
        for button, shown in (
            (self.save_button, may_enter),
            (self.complete_button, may_enter),
            (self.sign_button, self.ctx.may(Permission.SIGN)),
            (self.verify_button, self.ctx.may(Permission.VERIFY_SOURCE)),
        ):
            button.setVisible(shown)
            buttons.addWidget(button)
        outer.addLayout(buttons)

    # -- what the parts do, as the view's own actions -----------------------------------------

    def save(self, complete: bool = False) -> None:
        self.messages.save_tried = True  # from now on every row says what is wrong
        self.saving.save(complete)

    def request_signature(self) -> None:
        self.signing.request()

    def take_stored(self, refused: Sequence[str] = ()) -> None:
        self.incoming.take_stored(refused)

    def autosave_now(self) -> None:
        self.saving.autosave_now()

    def unsaved(self) -> bool:
        """Whether rows hold typing not saved yet (it is autosaved, but not data yet)."""
        return self.draft.stored is not None and bool(self.draft.inputs())

    def close_form(self) -> None:
        """The tab closes or the site locks: keep what is typed, stop the timer."""
        self.saving.stop()

    @property
    def data(self) -> FormData | None:
        """The form as read (None while it opens)."""
        return self.draft.stored

    # -- rows ---------------------------------------------------------------------------------

    def _add_repeat(self, group_oid: str) -> None:
        self.add_repeat(group_oid)

    def add_repeat(self, group_oid: str) -> int:
        """Add one more repeat of a repeating group (a lesion, an adverse event), at once."""
        first = self.rows.add_repeat_now(group_oid)
        if self.draft.stored is not None:
            self.refresh()
            first.editor().setFocus()
        return first.repeat

    def _on_row(self, field: ItemField) -> None:
        """A new row: watch it, and give it its saved (or restored) value right away."""
        self.draft.add_row(Row(field.path, field.group, field.repeat, field.item))
        self.messages.watch(field)
        field.changed.connect(lambda: self._typed(field))
        reserved = field.item.entered_by and self.ctx.role not in field.item.entered_by
        if not self._may_enter or reserved:
            for widget in field.focus_widgets():
                widget.setEnabled(False)
        if reserved and field.label is not None:
            field.label.setToolTip(self.tr("Answered by the investigator"))
        value = self._opening.pop(field.path, None)
        if value is not None:
            self._put(field.path, *value)
        if self.draft.check is not None and self._opening_values is None:
            field.set_shown(field.path in self.draft.check.shown)
        else:  # still opening: show-when from every value the form will show
            field.set_shown(field.path in self._opening_shown)
        if self.form.adverse_event is not None:
            ae_helpers.attach([field], self.form.adverse_event)
        if self.ctx.may(Permission.RAISE_QUERY) or self.ctx.may(Permission.VERIFY_SOURCE):
            self.item_queries.attach(field)

    def _put(self, path: str, text: str | None, unit: str | None = None) -> None:
        """Put a value in a row (saved, derived, or come by sync): not typing."""
        field = self.fields.get(path)
        if field is not None:
            with self._applied():
                field.set_value(text, unit)
            self.draft.put(path, field.text(), field.unit())
        else:
            self.draft.put(path, text, unit)

    @contextmanager
    def _applied(self) -> Iterator[None]:
        was, self._applying = self._applying, True
        try:
            yield
        finally:
            self._applying = was

    def _typed(self, field: ItemField) -> None:
        if self._applying:
            return
        self.draft.type(field.path, field.text(), field.unit())
        self.messages.typed(field.path)
        if self.draft.stored is not None:
            self.refresh()
            if self.lab is not None:
                self.lab.typed(field.path)

    def _build_repeats(self, repeats: Mapping[str, int], values: Mapping[str, Shown]) -> None:
        self._opening.update(values)
        for group, upto in repeats.items():
            self.rows.queue_repeats(group, upto)
        self.rows.build_queued()

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
        key, may_enter = self.key, self._may_enter
        needs_terms = ae_helpers.is_ae_log(self.form)

        def read(session: Session) -> Opened:
            if needs_terms:
                load_ctcae_dictionary()  # the AE term search reads it: not on the GUI thread
            draft = data_entry.pending_autosave(session, key) if may_enter else None
            context = data_entry.validation_context(session, key)
            same = data_entry.same_visit_values(session, key) if may_enter else {}
            return Opened(data_entry.load_form(session, key), draft, context, same)

        self.ctx.ops.read(read, self._loaded, owner=self, on_error=self._failed)

    def _loaded(self, opened: Opened) -> None:
        data = opened.data
        self.draft.context = opened.context
        self._same_visit = opened.same_visit
        opening: Opening = self.draft.opening(data, opened.autosaved)
        for group, count in opening.repeats.items():
            self.rows.queue_repeats(group, count)
        self._opening_values = {
            path: ItemValue(text=text, unit=unit)
            for path, (text, unit) in opening.values.items()
            if text and text.strip()
        }
        self._opening_shown = visible_paths(
            self.form, self._opening_values, repeats=opening.repeats
        )
        pending = dict(opening.values)
        for path in list(pending):  # rows already there: a repeat added meanwhile
            if path in self.fields:
                self._put(path, *pending.pop(path))
        self._opening = pending
        self._incoming = (data, opening.restored)
        self.rows.build_queued()

    def _built(self) -> None:
        """Every row is there with its value: the form is open."""
        if self._incoming is None:
            return
        (data, restored), self._incoming = self._incoming, None
        self._opening, self._opening_values = {}, None
        self.draft.opened(data, restored=restored)
        if restored:
            self.notes.say(self.tr("Unsaved typing from before was restored. Save to keep it."))
        self._take_same_visit()
        self.notes.show_state(data)
        self.refresh()
        if self.lab is not None:
            self.lab.load()
        self.marks.load()
        self.loaded.emit()
        self.saving.opened()

    def _take_same_visit(self) -> None:
        """Empty rows take what another form of this visit recorded of the same measurement
        (the Child-Pugh bilirubin from the liver panel): typed for the nurse to check and
        save, never saved unseen."""
        taken, sources = [], []
        for path, field in self.fields.items():
            value, same_as = self._same_visit.get(field.item.oid), field.item.same_as
            if value is None or same_as is None or field.text().strip():
                continue
            with self._applied():
                field.set_value(*value)
            self.draft.type(path, field.text(), field.unit())
            self.messages.typed(path)
            taken.append(field.item.label.get(self.ctx.language))
            source = self.ctx.labels.form(same_as.split("/")[0])
            if source not in sources:
                sources.append(source)
        if taken:
            self.notes.say(
                self.tr("Taken from {0} of this visit: {1}. Check them, then save.").format(
                    ", ".join(sources), ", ".join(taken)
                )
            )

    def _failed(self, exc: Exception) -> None:
        self.notes.say(str(exc), alarm=True)

    # -- changes elsewhere --------------------------------------------------------------------

    def _changed(self, changes: Changes, initiator: object) -> None:
        """Something changed: values of this form saved from another view (an AE added from a
        lab suggestion) or brought by sync are taken in; this view's own saves are not."""
        if self.lab is not None and changes.kind in ("lab_ranges", "sync"):
            self.lab.load()  # the laboratory's ranges may have changed
        if self.draft.stored is not None and self.marks.concerns(changes):
            self.marks.load()  # a query, a verification or a new value of this form
        if initiator is self or not changes.concerns_form(self.key):
            return
        if changes.kind in ("data", "sync", "signature"):
            self.incoming.take_stored(from_here=not changes.from_sync)

    # -- live checks --------------------------------------------------------------------------

    def check_current(self) -> None:
        """Re-check if the findings may be out of date (dates can make a value wrong
        overnight)."""
        if self._checked_on != date.today():
            self.refresh()

    def refresh(self) -> Check:
        """Derived values, show-when and findings, recomputed from what the rows hold."""
        check = self.draft.recheck()
        self._checked_on = date.today()
        for path, field in self.fields.items():
            text = self.draft.text(path)
            if field.text() != text and (field.derived or path in check.filled):
                with self._applied():
                    field.set_value(text, self.draft.unit(path))
        with self.rows.layouts.batch():  # rows and message lines that appear: laid out once
            for path, field in self.fields.items():
                field.set_shown(path in check.shown)
            self.messages.show(check)
        self.notes.show_summary(check)
        if self.lab is not None:
            self.lab.apply()  # limits and flags as typed; limit rows folded
        return check

    # -- what tests and the shell look at -----------------------------------------------------

    def line_edit(self, path: str) -> QLineEdit:
        """The text editor of an item (tests and keyboard navigation)."""
        edit = self.fields[path].edit
        assert edit is not None
        return edit
