"""Values that reach an open form from another computer (by sync) while a person types.

A row the person has not touched takes the new value at once. A row they have changed keeps
their typing and says what the other computer wrote; saving it then replaces that value
deliberately, with a reason for change, and the service's revision check refuses any save
based on a value the form never showed. Nothing is overwritten unseen, and no typing is lost.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from desktop_crf.model import FormKey, StoredValue
from desktop_crf.services import data_entry
from desktop_crf.services.data_entry import FormData
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.form.fields import ItemField
from desktop_crf.ui.form.rows import FormRows


class FormMerging:
    """Mixed into ``FormView``: uses its rows, editors, ``refresh``, ``_show_state``,
    ``_apply`` and ``_error``."""

    ctx: UiContext
    key: FormKey
    fields: dict[str, ItemField]
    data: FormData | None
    rows: FormRows
    note_label: QLabel
    _pending: dict[str, tuple[str | None, str | None]]

    def take_stored(self, refused: Sequence[str] = ()) -> None:
        """Read the form as stored now (after a pull, or after a save was refused because
        ``refused`` items changed elsewhere) and show what changed."""
        if self.data is None:
            return  # still opening: the load reads the store itself
        session, key = self.ctx.session, self.key
        self.ctx.worker.submit(
            lambda: data_entry.load_form(session, key),
            on_done=lambda stored: self._merge(stored, refused),
            on_error=self._error,
            owner=self,
        )

    def _merge(self, stored: FormData, refused: Sequence[str]) -> None:
        before = self.data
        if before is None:
            return
        shown: list[str] = []
        kept: list[str] = []
        for where, now in sorted(stored.values.items()):
            was = before.values.get(where)
            if was is not None and was.rev == now.rev:
                continue
            label = self._take(where, was, now)
            (shown if label[1] else kept).append(label[0])
        self.data = stored
        self._say_merged(shown, kept, refused)
        self.refresh()
        self._show_state()

    def _take(
        self, where: tuple[str, int, str], was: StoredValue | None, now: StoredValue
    ) -> tuple[str, bool]:
        """Show ``now`` in its row unless the person changed that row; (label, shown)."""
        group, repeat, item = where
        path = self.rows.path_of(group, repeat, item)
        field = self.fields.get(path)
        if field is None:  # a repeat this form has not built yet: build it with the value
            if self.rows.group(group).repeating:
                self._pending[path] = (now.value, now.unit)
                self.rows.queue_repeats(group, repeat)
                self.rows.build_queued()
            return item, True
        label = field.item.label.get(self.ctx.language)
        text = field.text()
        mine = text if text.strip() else None
        old_value, old_unit = (was.value, was.unit) if was else (None, None)
        untouched = mine == old_value and (mine is None or field.unit() == old_unit)
        if untouched:
            self._apply(field, now.value, now.unit)
            return label, True
        return f"{label} → {now.value or '∅'}", False

    def _say_merged(self, shown: list[str], kept: list[str], refused: Sequence[str]) -> None:
        lines: list[str] = []
        if refused:
            lines.append(
                QCoreApplication.translate(
                    "FormView",
                    "Not saved: values changed on another computer while this form was open.",
                )
            )
        if shown:
            lines.append(
                QCoreApplication.translate(
                    "FormView", "Changed on another computer, now shown: {0}."
                ).format(", ".join(shown))
            )
        if kept:
            lines.append(
                QCoreApplication.translate(
                    "FormView",
                    "Also changed on another computer: {0}. Your typing is kept; saving it "
                    "replaces those values, with a reason for change.",
                ).format("; ".join(kept))
            )
        if refused:
            lines.append(
                QCoreApplication.translate("FormView", "Check the values, then save again.")
            )
        if not lines:
            return
        self.note_label.setText("\n".join(lines))
        self.note_label.setStyleSheet("color: #b00020;" if refused or kept else "")
        self.note_label.show()
