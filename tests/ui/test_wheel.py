"""A scrolling mouse never changes an answer: the wheel over an input the person has not put
the focus on scrolls the form instead."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from desktop_crf.i18n import ui_sources
from desktop_crf.model import FormKey
from desktop_crf.services.adverse_events import add_adverse_event
from tests.ui.conftest import open_form

pytestmark = pytest.mark.gui

#: Qt inputs the wheel changes; the app uses its own (desktop_crf.ui.common.inputs).
WHEEL_INPUTS = {"QComboBox", "QDateEdit", "QTimeEdit", "QDateTimeEdit", "QSpinBox",
                "QDoubleSpinBox", "QSlider", "QDial", "QFontComboBox"}  # fmt: skip


def _wheel(widget: QWidget, notches: int = -3) -> bool:
    """Turn the wheel over the middle of ``widget`` (negative: towards the person); whether
    the widget took the turn (an event it leaves goes on to the scroll area behind it)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def test_the_wheel_over_an_unfocused_answer_scrolls_the_form(qtbot, nurse_ctx, subject_id) -> None:
    for term in ("Fatigue", "Nausea"):  # two events: a long form that scrolls
        add_adverse_event(nurse_ctx.session, subject_id, {"I.AETERM": term, "I.AEGRADE": "1"})
    view = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.LOG", "F.AE"))
    grade = view.fields["IG.AE[1]/I.AEGRADE"].combo
    ongoing = view.fields["IG.AE[1]/I.AEONGO"].combo
    assert grade is not None
    assert ongoing is not None
    view.line_edit("IG.AE[1]/I.AEDESC").setFocus()
    before = (grade.currentIndex(), ongoing.currentIndex())
    for combo in (grade, ongoing):
        assert not _wheel(combo)  # left to the form, which scrolls
        assert not combo.hasFocus()
    assert (grade.currentIndex(), ongoing.currentIndex()) == before
    assert view.fields["IG.AE[1]/I.AEGRADE"].text() == "1"
    scroll = view.findChild(QScrollArea)
    bar = scroll.verticalScrollBar()
    _wheel(scroll.viewport())  # what the left turn reaches: the form scrolls
    assert bar.value() > 0
    grade.setFocus()  # once the person chose it, the wheel is hers to use
    assert _wheel(grade, notches=-1)
    assert grade.currentIndex() != before[0]


def test_every_wheel_input_of_the_app_is_a_guarded_one() -> None:
    """No view builds a Qt input that the wheel changes unfocused (new views included)."""
    found = []
    for source in ui_sources():
        if source.name == "inputs.py":
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            if isinstance(func, ast.Name) and func.id in WHEEL_INPUTS:
                found.append(f"{Path(source).name}:{node.lineno} {node.func.id}")
    assert found == []
