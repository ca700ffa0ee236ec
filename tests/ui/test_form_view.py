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


def _type(qtbot, view, path: str, text: str) -> None:
    edit = view.line_edit(path)
    edit.clear()
    qtbot.keyClicks(edit, text)


def _fill_liver(qtbot, view, alt: str) -> None:
    _type(qtbot, view, "I.SAMPLE_DATE", "2026-01-05")
    _type(qtbot, view, "I.LAB_NAME", "Central lab")
    for item, value in (("I.ALT", alt), ("I.ALT_LLN", "0"), ("I.ALT_ULN", "40")):
        _type(qtbot, view, item, value)


def test_a_soft_warning_needs_confirmation(qtbot, nurse_ctx, subject_id) -> None:
    key = FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER")
    view = open_form(qtbot, nurse_ctx, key)
    _fill_liver(qtbot, view, "1500")  # above the soft range (≤ 1000), inside the hard range
    assert view.fields["I.ALT"].message.isVisible()
    view.save(complete=True)
    box = view.confirm_box
    assert box is not None
    assert box.isVisible()
    box.reject()  # the nurse says no: nothing is saved
    nurse_ctx.worker.wait_idle()
    assert load_form(nurse_ctx.session, key).status is None

    view.save(complete=True)
    with qtbot.waitSignal(view.saved, timeout=5000):
        view.confirm_box.accept()
    assert load_form(nurse_ctx.session, key).status == "complete"


def test_a_hard_error_blocks_completion(qtbot, nurse_ctx, subject_id) -> None:
    key = FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER")
    view = open_form(qtbot, nurse_ctx, key)
    _fill_liver(qtbot, view, "25000")  # above the hard range
    assert "#b00020" in view.fields["I.ALT"].message.styleSheet()
    view.save(complete=True)
    nurse_ctx.worker.wait_idle()
    assert view.confirm_box is None
    assert "must be corrected" in view.summary_label.text()
    assert load_form(nurse_ctx.session, key).status is None


def test_changing_a_saved_value_asks_the_reason_and_audits_it(qtbot, nurse_ctx, subject_id) -> None:
    key = FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER")
    view = open_form(qtbot, nurse_ctx, key)
    _fill_liver(qtbot, view, "35")
    save_and_wait(qtbot, view)
    _type(qtbot, view, "I.ALT", "53")
    view.save()
    qtbot.waitUntil(lambda: view.reason_dialog is not None and view.reason_dialog.isVisible())
    qtbot.keyClicks(view.reason_dialog.reason_edit, "transcription error")
    with qtbot.waitSignal(view.saved, timeout=5000):
        view.reason_dialog._accept()
    assert load_form(nurse_ctx.session, key).value("IG.LIVER", "I.ALT") == "53"
    row = nurse_ctx.session.db.execute(
        "SELECT old, new, reason FROM audit WHERE action = 'item.set' AND item = 'I.ALT' "
        "ORDER BY rowid DESC LIMIT 1"
    ).fetchone()
    assert tuple(row) == ("35", "53", "transcription error")


def test_ae_form_fills_the_meddra_code_and_suggests_causality(qtbot, nurse_ctx, subject_id) -> None:
    view = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.LOG", "F.AE"))
    repeat = view.add_repeat("IG.AE")
    prefix = f"IG.AE[{repeat}]/"
    term = view.line_edit(prefix + "I.AETERM")
    assert term.completer() is not None
    qtbot.keyClicks(term, "Alanine aminotransferase increased")
    assert view.line_edit(prefix + "I.AEMEDDRA").text().isdigit()
    answers = {
        "I.AEREL_PEG_TIME": "plausible",
        "I.AEREL_PEG_ALT": "unlikely",
        "I.AEREL_PEG_DECH": "positive",
        "I.AEREL_PEG_RECH": "not_done",
    }
    for item, code in answers.items():
        combo = view.fields[prefix + item].combo
        combo.setCurrentIndex(combo.findData(code))
    assert view.fields[prefix + "I.AEREL_PEG_SUGG"].text() == "probable"
