"""The form view driven by keyboard: saves, soft warnings, hard errors, reason for change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer

from desktop_crf.model import FormKey
from desktop_crf.services.adverse_events import add_adverse_event
from desktop_crf.services.data_entry import ItemInput, load_form
from desktop_crf.studies import load_form as load_definition
from desktop_crf.ui.form.view import FormView
from tests.helpers.saving import save_confirmed
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
    edit.setFocus()  # the nurse moves to the row: the row she leaves says what is wrong
    edit.clear()
    qtbot.keyClicks(edit, text)


def _leave(view) -> None:
    """The nurse moves on (to the save button)."""
    view.save_button.setFocus()


def _fill_liver(qtbot, view, alt: str) -> None:
    _type(qtbot, view, "I.SAMPLE_DATE", "2026-01-05")
    _type(qtbot, view, "I.LAB_NAME", "Central lab")
    for item, value in (("I.ALT", alt), ("I.ALT_LLN", "0"), ("I.ALT_ULN", "40")):
        _type(qtbot, view, item, value)
    _leave(view)


def test_a_soft_warning_needs_confirmation(qtbot, nurse_ctx, subject_id) -> None:
    key = FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER")
    view = open_form(qtbot, nurse_ctx, key)
    _fill_liver(qtbot, view, "1500")  # above the soft range (≤ 1000), inside the hard range
    assert view.fields["I.ALT"].message.isVisible()
    view.save(complete=True)
    box = view.saving.confirm_box
    assert box is not None
    assert box.isVisible()
    box.reject()  # the nurse says no: nothing is saved
    nurse_ctx.worker.wait_idle()
    assert load_form(nurse_ctx.session, key).status is None

    view.save(complete=True)
    with qtbot.waitSignal(view.saved, timeout=5000):
        view.saving.confirm_box.accept()
    assert load_form(nurse_ctx.session, key).status == "complete"


def test_a_hard_error_blocks_completion(qtbot, nurse_ctx, subject_id) -> None:
    key = FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER")
    view = open_form(qtbot, nurse_ctx, key)
    _fill_liver(qtbot, view, "25000")  # above the hard range
    assert "#b00020" in view.fields["I.ALT"].message.styleSheet()
    view.save(complete=True)
    nurse_ctx.worker.wait_idle()
    assert view.saving.confirm_box is None
    assert "must be corrected" in view.notes.summary_label.text()
    assert load_form(nurse_ctx.session, key).status is None


def test_changing_a_saved_value_asks_the_reason_and_audits_it(qtbot, nurse_ctx, subject_id) -> None:
    key = FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER")
    view = open_form(qtbot, nurse_ctx, key)
    _fill_liver(qtbot, view, "35")
    save_and_wait(qtbot, view)
    _type(qtbot, view, "I.ALT", "53")
    view.save()
    qtbot.waitUntil(
        lambda: view.saving.reason_dialog is not None and view.saving.reason_dialog.isVisible()
    )
    qtbot.keyClicks(view.saving.reason_dialog.reason_edit, "transcription error")
    with qtbot.waitSignal(view.saved, timeout=5000):
        view.saving.reason_dialog._accept()
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


def _two_adverse_events(ctx, subject_id: str) -> FormKey:
    for term, grade, ongoing in (("Fatigue", "1", "Y"), ("Nausea", "2", "N")):
        add_adverse_event(
            ctx.session,
            subject_id,
            {"I.AETERM": term, "I.AEGRADE": grade, "I.AESTDAT": "2026-02-01", "I.AEONGO": ongoing},
        )
    return FormKey(subject_id, "SE.LOG", "F.AE")


def _one_row_per_slice(qtbot, ctx, key: FormKey) -> FormView:
    """The form shown, not yet loaded, building one row per slice however fast this machine is."""
    view = FormView(ctx, key, load_definition(key.form))
    view.rows.slice_seconds = 0.0
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    return view


def test_a_long_form_fills_progressively_and_every_value_lands_in_its_row(
    qtbot, nurse_ctx, subject_id
) -> None:
    view = _one_row_per_slice(qtbot, nurse_ctx, _two_adverse_events(nurse_ctx, subject_id))
    seen: list[int] = []  # rows present each time the event loop turns while the form opens
    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: seen.append(len(view.fields)))
    ticker.start()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.load()
    ticker.stop()
    assert len(view.fields) == 2 * 40
    assert any(0 < n < len(view.fields) for n in seen)  # the window kept responding mid-build
    assert view.data is not None
    for repeat, term, grade in ((1, "Fatigue", "1"), (2, "Nausea", "2")):
        assert view.line_edit(f"IG.AE[{repeat}]/I.AETERM").text() == term
        assert view.fields[f"IG.AE[{repeat}]/I.AEGRADE"].text() == grade
        assert view.line_edit(f"IG.AE[{repeat}]/I.AEMEDDRA").text().isdigit()
    # show-when: the end date only for an AE that is not ongoing, label and editor together
    for repeat, shown in ((1, False), (2, True)):
        end = view.fields[f"IG.AE[{repeat}]/I.AEENDAT"]
        assert end.editor().isVisible() is shown
        assert end.label is not None
        assert end.label.isVisible() is shown
    assert not view.draft.dirty  # loading is not typing: nothing to autosave


def test_typing_while_the_form_opens_is_kept_and_a_save_waits_for_the_values(
    qtbot, nurse_ctx, subject_id
) -> None:
    key = _two_adverse_events(nurse_ctx, subject_id)
    view = _one_row_per_slice(qtbot, nurse_ctx, key)
    early: list[bool] = []

    def type_and_save_early() -> None:  # runs between two slices of the build
        if early or "IG.AE[1]/I.AEDESC" not in view.fields:
            return
        early.append(view.data is None)  # the second AE is not on screen yet
        view.line_edit("IG.AE[1]/I.AEDESC").setText("typed while the form opened")
        view.save()  # Ctrl+S this early: the save goes out once every value is on screen

    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(type_and_save_early)
    ticker.start()
    with qtbot.waitSignal(view.saved, timeout=10_000):
        view.load()
    ticker.stop()
    assert early == [True]
    data = load_form(nurse_ctx.session, key)
    assert data.value("IG.AE", "I.AEDESC", 1) == "typed while the form opened"
    assert data.value("IG.AE", "I.AETERM", 2) == "Nausea"  # untouched rows are not cleared


def test_enter_moves_on_from_a_drop_down_list_too(qtbot, nurse_ctx, subject_id) -> None:
    view = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.W12", "F.VISIT"))
    done = view.fields["I.VISIT_DONE"].combo
    assert done is not None
    done.setFocus()
    qtbot.keyClick(done, Qt.Key.Key_Down)
    qtbot.keyClick(done, Qt.Key.Key_Return)
    assert view.line_edit("I.VISIT_DATE").hasFocus()


def test_a_message_appears_under_its_editor_and_goes_when_the_value_is_fixed(
    qtbot, nurse_ctx, subject_id
) -> None:
    view = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER"))
    field = view.fields["I.SAMPLE_DATE"]
    assert all(f.message is None for f in view.fields.values())  # an empty form says nothing
    _type(qtbot, view, "I.SAMPLE_DATE", "2026-13-45")
    assert field.message is None  # not while she is still typing in the row
    _leave(view)
    assert field.message is not None
    assert field.message.isVisible()
    assert "#b00020" in field.message.styleSheet()
    assert "date" in field.message.text().lower()
    editor_y = field.editor().mapTo(view, field.editor().rect().topLeft()).y()
    assert field.message.mapTo(view, field.message.rect().topLeft()).y() > editor_y
    below = view.line_edit("I.LAB_NAME").mapTo(view, view.line_edit("I.LAB_NAME").rect().topLeft())
    _type(qtbot, view, "I.SAMPLE_DATE", "2026-01-05")
    _leave(view)
    assert field.message.text().strip() == ""  # fixed: nothing to say
    after = view.line_edit("I.LAB_NAME").mapTo(view, view.line_edit("I.LAB_NAME").rect().topLeft())
    assert after == below  # and the rows below stay where they were


def test_required_answers_are_asked_for_after_the_first_save(qtbot, nurse_ctx, subject_id) -> None:
    view = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER"))
    date = view.fields["I.SAMPLE_DATE"]
    assert date.message is None  # an empty form opens without red lines
    view.save(complete=True)
    qtbot.waitUntil(lambda: date.message is not None and date.message.isVisible(), timeout=5000)
    assert "required" in date.message.text()


def _top(view: FormView, widget) -> int:
    return widget.mapTo(view, widget.rect().topLeft()).y()


def test_the_lines_a_save_brings_are_laid_out_when_the_save_returns(
    qtbot, nurse_ctx, subject_id
) -> None:
    """The message lines that appear together are laid out once, before ``save`` returns:
    each under its editor, the rows below moved down beneath it."""
    view = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER"))
    date, lab = view.fields["I.SAMPLE_DATE"], view.fields["I.LAB_NAME"]
    lab_before = _top(view, lab.editor())
    view.save(complete=True)  # two required answers missing: two lines appear at once
    assert date.message is not None
    assert date.message.isVisible()
    assert lab.message is not None
    assert lab.message.isVisible()
    assert _top(view, date.message) >= _top(view, date.editor()) + date.editor().height()
    lab_top = _top(view, lab.editor())
    assert lab_top >= _top(view, date.message) + date.message.height()
    assert lab_top > lab_before
    below = view.line_edit("I.ALT")
    assert _top(view, below) >= _top(view, lab.message) + lab.message.height()


def test_a_message_line_follows_the_value_at_each_save(qtbot, nurse_ctx, subject_id) -> None:
    """Only the lines whose message changed change; a line keeps saying what is wrong after
    another save with another value, and stays (empty) once the value is right."""
    view = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER"))
    date, lab = view.fields["I.SAMPLE_DATE"], view.fields["I.LAB_NAME"]
    view.save(complete=True)
    assert date.message is not None
    assert lab.message is not None
    assert "required" in date.message.text()
    lab_line = lab.message
    _type(qtbot, view, "I.SAMPLE_DATE", "2026-13-45")
    _leave(view)
    view.save(complete=True)
    assert "date" in date.message.text().lower()
    assert "required" not in date.message.text()
    assert date.message.isVisible()
    assert "#b00020" in date.message.styleSheet()
    assert lab.message is lab_line
    assert "required" in lab.message.text()
    _type(qtbot, view, "I.SAMPLE_DATE", "2026-01-05")
    _leave(view)
    view.save(complete=True)
    assert date.message.text().strip() == ""  # right now: the line stays, empty
    assert date.message.isVisible()
    assert "required" in lab.message.text()


def test_saved_is_said_above_the_rows_without_moving_them(qtbot, nurse_ctx, subject_id) -> None:
    view = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.W12", "F.VISIT"))
    done = view.fields["I.VISIT_DONE"]
    top = _top(view, done.editor())
    done.set_value("Y")
    save_and_wait(qtbot, view)
    assert view.notes.note_label.text().startswith("Saved ")
    assert view.notes.note_label.isVisible()
    assert _top(view, done.editor()) == top  # the note's line was there, empty


def test_a_warning_confirmed_and_saved_is_not_asked_about_again(
    qtbot, nurse_ctx, subject_id
) -> None:
    key = FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER")
    view = open_form(qtbot, nurse_ctx, key)
    _fill_liver(qtbot, view, "1500")  # a soft-range warning
    view.save()
    with qtbot.waitSignal(view.saved, timeout=5000):
        view.saving.confirm_box.accept()
    assert view.notes.note_label.text().startswith("Saved ")
    view.saving.confirm_box = None
    _type(qtbot, view, "I.AST", "30")  # another value: the ALT warning is not asked again
    _leave(view)
    with qtbot.waitSignal(view.saved, timeout=5000):
        view.save()
    assert view.saving.confirm_box is None
    detail = nurse_ctx.session.db.execute(
        "SELECT detail FROM audit WHERE action = 'item.set' AND item = 'I.ALT'"
    ).fetchone()[0]
    assert "soft_range" in detail  # the confirmation was recorded


def test_child_pugh_takes_the_liver_panel_of_the_same_visit(qtbot, nurse_ctx, subject_id) -> None:
    """Bilirubin, albumin and INR are not typed twice: the Child-Pugh form offers the liver
    panel's values of the same visit, typed for the nurse to check and save."""
    liver = FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER")
    save_confirmed(
        nurse_ctx.session,
        liver,
        [
            ItemInput("IG.LIVER", "I.TBIL", "15", "umol/L"),
            ItemInput("IG.LIVER", "I.ALB", "40", "g/L"),
            ItemInput("IG.LIVER", "I.INR", "0.98"),
        ],
    )
    view = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.SCREENING", "F.CHILD_PUGH"))
    assert view.line_edit("I.CP_TBIL").text() == "15"
    assert view.line_edit("I.CP_INR").text() == "0.98"
    assert "Liver function" in view.notes.note_label.text()
    assert view.unsaved()  # offered, not saved unseen
    assert load_form(nurse_ctx.session, view.key).value("IG.CHILD_PUGH", "I.CP_TBIL") is None
    other = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.W12", "F.CHILD_PUGH"))
    assert other.line_edit("I.CP_TBIL").text() == ""  # another visit's panel is not taken


def _darkest(widget) -> int:
    image = widget.grab().toImage()
    return min(
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    )


def test_read_only_answers_stay_legible_and_reserved_items_are_not_offered(
    qtbot, site_dir, subject_id
) -> None:
    from tests.ui.conftest import close_ctx, make_ctx

    nurse = make_ctx(qtbot, site_dir, "nurse")
    try:
        screening = open_form(qtbot, nurse, FormKey(subject_id, "SE.SCREENING", "F.SCREENING"))
        assert not screening.fields["I.ELIGIBLE"].editor().isEnabled()  # the investigator's
        save_confirmed(
            nurse.session,
            FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER"),
            [ItemInput("IG.SAMPLE", "I.LAB_NAME", "Central laboratory")],
        )
    finally:
        close_ctx(nurse)
    investigator = make_ctx(qtbot, site_dir, "investigator")
    try:
        view = open_form(qtbot, investigator, FormKey(subject_id, "SE.SCREENING", "F.SCREENING"))
        assert view.fields["I.ELIGIBLE"].editor().isEnabled()
    finally:
        close_ctx(investigator)
    monitor = make_ctx(qtbot, site_dir, "monitor")
    try:
        view = open_form(qtbot, monitor, FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER"))
        edit = view.line_edit("I.LAB_NAME")
        assert not edit.isEnabled()
        assert _darkest(edit) < 80  # dark text, not grey on grey
        unit = view.fields["I.TBIL"].unit_box
        assert unit is not None
        assert not unit.isEnabled()
        assert _darkest(unit) < 80  # a drop-down list too
    finally:
        close_ctx(monitor)
