"""Lines shown together in a window on screen are laid out once (``ui.common.layouts``)."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop_crf.ui.common.layouts import LayoutBatch

pytestmark = pytest.mark.gui


class _Moves(QObject):
    """Counts the moves of the widget it watches."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Move:
            self.count += 1
        return False


def _rows(qtbot, count: int) -> tuple[QWidget, list[tuple[QWidget, QVBoxLayout, QLineEdit]]]:
    """A window of ``count`` rows, each a box holding an editor, like a form's rows."""
    window = QWidget()
    qtbot.addWidget(window)
    outer = QVBoxLayout(window)
    rows = []
    for _ in range(count):
        box = QWidget()
        column = QVBoxLayout(box)
        editor = QLineEdit()
        column.addWidget(editor)
        outer.addWidget(box)
        rows.append((box, column, editor))
    outer.addStretch(1)
    window.resize(400, 900)
    window.show()
    qtbot.waitExposed(window)
    return window, rows


def test_lines_shown_in_a_batch_move_the_rows_below_once_and_are_in_place_after(qtbot) -> None:
    window, rows = _rows(qtbot, 12)
    batch = LayoutBatch(window)
    last = rows[-1][0]
    moves = _Moves()
    last.installEventFilter(moves)
    top_before = last.y()
    lines = []
    with batch.batch():
        for box, column, _editor in rows[:10]:
            line = QLabel("A value is required.")
            batch.hold(box)
            column.addWidget(line)
            line.show()
            lines.append(line)
        assert moves.count == 0  # nothing laid out yet
    assert moves.count == 1  # once, at the end of the batch
    assert last.y() > top_before
    for (box, _column, editor), line in zip(rows, lines, strict=False):
        assert line.isVisible()
        assert line.y() >= editor.y() + editor.height()  # under its editor, in its box
        assert box.height() >= line.y() + line.height()
    for (upper, _c, _e), (lower, _c2, _e2) in itertools.pairwise(rows):
        assert lower.y() >= upper.y() + upper.height()  # no row overlaps the next


def test_outside_a_batch_hold_changes_nothing(qtbot) -> None:
    window, rows = _rows(qtbot, 3)
    batch = LayoutBatch(window)
    box, column, editor = rows[0]
    batch.hold(box)
    assert column.isEnabled()
    assert window.layout().isEnabled()
    line = QLabel("shown at once")
    column.addWidget(line)
    line.show()
    assert line.y() >= editor.y() + editor.height()
