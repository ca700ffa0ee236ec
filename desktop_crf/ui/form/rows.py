"""The rows of a form view: one box per item group, one box per repeat of a repeating group,
and one labelled editor per item.

A long form (an AE log with several events, a full lab panel) has hundreds of widgets; creating
them all at once would freeze the window for longer than a nurse tolerates. So rows are built
a slice at a time from a queue, each slice kept under ``SLICE_SECONDS``, with the event loop
running between slices: the rows appear progressively and the ones already there can be used.
Each slice puts its rows in a block of their own, hidden until the slice ends, so the rows
built before are not laid out again (labels have a fixed width: the blocks line up as one).
A repeat the nurse adds herself is built at once, since she waits for it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.ui.common.layouts import LayoutBatch
from desktop_crf.ui.form.fields import ItemField
from forms.schema import FormDef, ItemGroupDef, item_path
from forms.text import Language

SLICE_SECONDS = 0.016
"""Time spent building rows before the event loop runs again (paint, input, timers)."""

LABEL_WIDTH = 340


@dataclass
class _Pending:
    """One repeat (or the single occurrence) of a group whose rows are not all built yet."""

    group: ItemGroupDef
    repeat: int | None
    column: QVBoxLayout  # where its blocks of rows go
    next_item: int = 0
    first: ItemField | None = None
    block: QFormLayout | None = None  # the block this slice adds rows to


class FormRows(QObject):
    """Builds and holds the rows of one form; ``fields`` maps each item path to its editor.

    ``on_row`` is called for every new row (connect it, give it its value); ``on_built`` once
    the queue runs empty after ``build_queued`` (not after a repeat built at once).
    """

    def __init__(
        self,
        form: FormDef,
        language: Language,
        *,
        on_row: Callable[[ItemField], None],
        on_built: Callable[[], None],
        on_add: Callable[[str], None] | None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.form, self.language = form, language
        self.fields: dict[str, ItemField] = {}
        self._owner = parent
        self._on_row, self._on_built = on_row, on_built
        self.slice_seconds = SLICE_SECONDS
        self._queue: deque[_Pending] = deque()
        self._repeats: dict[str, int] = {}  # highest repeat number given, per group
        self._repeat_boxes: dict[str, QVBoxLayout] = {}
        self._groups = {group.oid: group for group in form.item_groups}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._build_slice)
        self.body = QWidget()
        self.layouts = LayoutBatch(self.body)  # rows and messages shown together: laid out once
        layout = QVBoxLayout(self.body)
        for group in form.item_groups:
            layout.addWidget(self._group_box(group, on_add))
        layout.addStretch(1)

    def _group_box(self, group: ItemGroupDef, on_add: Callable[[str], None] | None) -> QGroupBox:
        box = QGroupBox(group.label.get(self.language))
        box.setObjectName(f"group:{group.oid}")
        layout = QVBoxLayout(box)
        if not group.repeating:
            self._queue.append(_Pending(group, None, layout))
            return box
        repeats = QVBoxLayout()
        self._repeat_boxes[group.oid] = repeats
        layout.addLayout(repeats)
        text = QCoreApplication.translate("FormView", "Add {0}")
        add = QPushButton(text.format(group.label.get(self.language)))
        add.setObjectName(f"add:{group.oid}")
        add.setVisible(on_add is not None)
        if on_add is not None:
            add.clicked.connect(lambda: on_add(group.oid))
        layout.addWidget(add)
        return box

    # -- what exists --------------------------------------------------------------------------

    def group(self, oid: str) -> ItemGroupDef:
        return self._groups[oid]

    def path_of(self, group: str, repeat: int, item: str) -> str:
        """The path of an item as stored (group, repeat, item) in this form's editors."""
        repeating = self._groups[group].repeating
        return item_path(item, group_oid=group, repeat=repeat if repeating else None)

    def building(self) -> bool:
        return bool(self._queue)

    # -- queueing and building ----------------------------------------------------------------

    def queue_repeats(self, group_oid: str, upto: int) -> None:
        """Queue the repeats of a repeating group up to number ``upto``; their boxes are placed
        now, in order, so a repeat added meanwhile comes after them."""
        while self._repeats.get(group_oid, 0) < upto:
            self._queue.append(self._new_repeat(group_oid))

    def build_queued(self) -> None:
        """Build what is queued, a slice at a time; ``on_built`` follows the last slice."""
        self._timer.start()

    def add_repeat_now(self, group_oid: str) -> ItemField:
        """Build one more repeat at once and return its first editor."""
        pending = self._new_repeat(group_oid)
        block = self._open_block(pending)
        while pending.next_item < len(pending.group.items):
            self._build_row(pending)
        block.show()
        assert pending.first is not None
        return pending.first

    def _new_repeat(self, group_oid: str) -> _Pending:
        group = self._groups[group_oid]
        repeat = self._repeats.get(group_oid, 0) + 1
        self._repeats[group_oid] = repeat
        box = QGroupBox(f"{group.label.get(self.language)} {repeat}")
        self._repeat_boxes[group_oid].addWidget(box)
        box.show()  # now, not from the event loop: see ItemField.set_shown
        return _Pending(group, repeat, QVBoxLayout(box))

    def _build_slice(self) -> None:
        started = time.perf_counter()
        blocks: list[QWidget] = []
        while self._queue:  # at least one row per slice, however slow
            pending = self._queue[0]
            if pending.block is None:
                blocks.append(self._open_block(pending))
            self._build_row(pending)
            if pending.next_item >= len(pending.group.items):
                self._queue.popleft()
            if time.perf_counter() - started >= self.slice_seconds:
                break
        if self._queue:
            self._queue[0].block = None  # the next slice starts a block of its own
        for block in blocks:
            block.show()
        if self._queue or blocks:
            self._timer.start()  # more rows; or, once the last rows are painted, on_built
        else:
            self._on_built()

    def _open_block(self, pending: _Pending) -> QWidget:
        """A hidden block of rows at the end of ``pending``'s column: shown when it is full,
        so its rows are laid out once, together."""
        block = QWidget()
        block.hide()
        form = QFormLayout(block)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        pending.column.addWidget(block)
        pending.block = form
        return block

    def _build_row(self, pending: _Pending) -> None:
        item = pending.group.items[pending.next_item]
        pending.next_item += 1
        group, repeat = pending.group, pending.repeat
        path = item_path(item.oid, group_oid=group.oid, repeat=repeat)
        field = ItemField(
            item,
            group=group.oid,
            repeat=repeat or 1,
            path=path,
            language=self.language,
            parent=self._owner,
        )
        label = QLabel(item.label.get(self.language) + (" *" if item.required else ""))
        label.setWordWrap(True)
        label.setFixedWidth(LABEL_WIDTH)
        label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
        label.setBuddy(field.editor())
        field.label = label
        field.layouts = self.layouts
        assert pending.block is not None
        pending.block.addRow(label, field.container)
        self.fields[path] = field
        pending.first = pending.first or field
        self._on_row(field)
