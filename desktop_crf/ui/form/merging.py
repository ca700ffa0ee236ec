"""Values that reach an open form from another computer (by sync) while a person types.

A row the person has not touched takes the new value at once. A row they have changed keeps
their typing and says what the other computer wrote; saving it then replaces that value
deliberately, with a reason for change, and the service's revision check refuses any save
based on a value the form never showed. Nothing is overwritten unseen, and no typing is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QObject

from desktop_crf.model import FormKey
from desktop_crf.services import data_entry
from desktop_crf.services.data_entry import FormData
from desktop_crf.ui.form.draft import FormDraft, Shown
from desktop_crf.ui.form.notes import FormNotes
from desktop_crf.ui.ops import Ops
from forms.schema import split_item_path
from forms.text import Language


class IncomingValues(QObject):
    """Reads the form as stored now and shows what changed, for one form view.

    ``apply(path, text, unit)`` puts a value in a row that exists; ``build(repeats, values)``
    builds the repeats a new value needs, each row with its value; ``refresh()`` re-checks.
    """

    def __init__(
        self,
        ops: Ops,
        key: FormKey,
        draft: FormDraft,
        notes: FormNotes,
        *,
        parent: QObject,
        language: Language,
        apply: Callable[[str, str | None, str | None], None],
        build: Callable[[Mapping[str, int], Mapping[str, Shown]], None],
        refresh: Callable[[], object],
    ) -> None:
        super().__init__(parent)
        self.ops, self.key, self.draft, self.notes = ops, key, draft, notes
        self._language = language
        self._apply, self._build, self._refresh = apply, build, refresh

    def take_stored(self, refused: Sequence[str] = (), *, from_here: bool = False) -> None:
        """Read the form as stored now (after a pull, after a save from another tab of this
        app when ``from_here``, or after a save was refused because ``refused`` items changed
        elsewhere) and show what changed."""
        if self.draft.stored is None:
            return  # still opening: the load reads the store itself
        key = self.key
        self.ops.read(
            lambda s: data_entry.load_form(s, key),
            lambda stored: self._merge(stored, refused, from_here=from_here),
            owner=self,
        )

    def _merge(self, stored: FormData, refused: Sequence[str], *, from_here: bool) -> None:
        if self.draft.stored is None:
            return
        incoming = self.draft.take(stored)
        items = self.draft.form.items()
        shown: list[str] = []
        for path, (text, unit) in incoming.put.items():
            self._apply(path, text, unit)
            shown.append(self.draft.row(path).item.label.get(self._language))
        if incoming.new:
            self._build(incoming.repeats, incoming.new)
            shown += [items[split_item_path(p)[2]].label.get(self._language) for p in incoming.new]
        kept = [
            f"{row.item.label.get(self._language)} → {now.value or '∅'}"
            for row, now in incoming.kept
        ]
        if from_here:
            self._say_here(shown, kept)
        else:
            self._say(shown, kept, refused)
        self._refresh()
        self.notes.show_state(stored)

    def _say(self, shown: list[str], kept: list[str], refused: Sequence[str]) -> None:
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
        if lines:
            self.notes.say("\n".join(lines), alarm=bool(refused or kept))

    def _say_here(self, shown: list[str], kept: list[str]) -> None:
        """Values saved from another tab of this app (an AE added from a lab suggestion)."""
        lines: list[str] = []
        if shown:
            lines.append(
                QCoreApplication.translate(
                    "FormView", "Saved from another tab, now shown: {0}."
                ).format(", ".join(shown))
            )
        if kept:
            lines.append(
                QCoreApplication.translate(
                    "FormView",
                    "Also saved from another tab: {0}. Your typing is kept; saving it replaces "
                    "those values, with a reason for change.",
                ).format("; ".join(kept))
            )
        if lines:
            self.notes.say("\n".join(lines), alarm=bool(kept))
