"""The form view driven by keyboard: saves, soft warnings, hard errors, reason for change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_crf.services.data_entry import load_form
from desktop_crf.store.repository import FormKey
from tests.ui.conftest import open_form, save_and_wait

pytestmark = pytest.mark.gui


def test_keyboard_entry_enter_moves_on_and_ctrl_s_saves(qtbot, nurse_ctx, subject_id) -> None:
    key = FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER")
    view = open_form(qtbot, nurse_ctx, key)
    first = view.line_edit("I.SAMPLE_DATE")
    first.setFocus()
    qtbot.keyClicks(first, "2026-01-05")
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert view.line_edit("I.LAB_NAME").hasFocus()
    qtbot.keyClicks(view.line_edit("I.LAB_NAME"), "Central lab")
    qtbot.keyClick(view.line_edit("I.LAB_NAME"), Qt.Key.Key_Return)
    assert view.line_edit("I.ALT").hasFocus()
    qtbot.keyClicks(view.line_edit("I.ALT"), "35")
    with qtbot.waitSignal(view.saved, timeout=5000):
        qtbot.keyClick(view.line_edit("I.ALT"), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    data = load_form(nurse_ctx.session, key)
    assert data.status == "draft"
    assert data.value("IG.LIVER", "I.ALT") == "35"
    assert data.value("IG.SAMPLE", "I.LAB_NAME") == "Central lab"
