"""Values that reach an open form from another computer while a nurse types in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop_crf.model import FormKey
from desktop_crf.services.data_entry import ItemInput, load_form, save_form
from tests.helpers.sites import login
from tests.ui.conftest import open_form, save_and_wait

pytestmark = pytest.mark.gui


def _other_computer_sets(site_dir: Path, key: FormKey, **values: str) -> None:
    """Write values as a sync would: through another session, not through the open view."""
    other = login(site_dir, "nurse")
    try:
        items = [ItemInput("IG.LIVER", item, value) for item, value in values.items()]
        save_form(other, key, items, reason="entered on the tablet")
    finally:
        other.close()


def _type(qtbot, view, path: str, text: str) -> None:
    edit = view.line_edit(path)
    edit.clear()
    qtbot.keyClicks(edit, text)


@pytest.fixture
def key(qtbot, nurse_ctx, subject_id) -> FormKey:
    key = FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER")
    view = open_form(qtbot, nurse_ctx, key)
    for item, value in (("I.ALT", "35"), ("I.ALT_LLN", "0"), ("I.ALT_ULN", "40"), ("I.AST", "30")):
        _type(qtbot, view, item, value)
    save_and_wait(qtbot, view)
    view.close()
    return key


def test_untouched_rows_take_the_new_values_and_typed_rows_keep_the_typing(
    qtbot, nurse_ctx, site_dir: Path, key: FormKey
) -> None:
    view = open_form(qtbot, nurse_ctx, key)
    _type(qtbot, view, "I.AST", "31")  # the nurse is changing AST
    _other_computer_sets(site_dir, key, **{"I.ALT": "36", "I.AST": "32"})
    with qtbot.waitSignal(view.fields["I.ALT"].changed, timeout=5000):
        view.take_stored()  # what the app does after a sync brought values
    nurse_ctx.worker.wait_idle()
    assert view.line_edit("I.ALT").text() == "36"
    assert view.line_edit("I.AST").text() == "31"
    note = view.notes.note_label.text()
    assert "now shown: ALT" in note
    assert "Also changed on another computer: AST → 32" in note
    # Her save replaces the tablet's AST knowingly, with a reason; ALT is not written back.
    view.save()
    qtbot.waitUntil(
        lambda: view.saving.reason_dialog is not None and view.saving.reason_dialog.isVisible()
    )
    asked = " ".join(label.text() for label in view.saving.reason_dialog.findChildren(QLabel))
    assert "(AST)" in asked  # only the row she changed
    qtbot.keyClicks(view.saving.reason_dialog.reason_edit, "value from the lab report")
    with qtbot.waitSignal(view.saved, timeout=5000):
        view.saving.reason_dialog._accept()
    data = load_form(nurse_ctx.session, key)
    assert (data.value("IG.LIVER", "I.ALT"), data.value("IG.LIVER", "I.AST")) == ("36", "31")
    row = nurse_ctx.session.db.execute(
        "SELECT old, new, reason FROM audit WHERE item = 'I.AST' ORDER BY rowid DESC LIMIT 1"
    ).fetchone()
    assert tuple(row) == ("32", "31", "value from the lab report")


def test_a_save_based_on_a_value_never_shown_is_refused_and_loses_nothing(
    qtbot, nurse_ctx, site_dir: Path, key: FormKey
) -> None:
    view = open_form(qtbot, nurse_ctx, key)
    _type(qtbot, view, "I.ALT", "41")
    _other_computer_sets(site_dir, key, **{"I.ALT": "37"})  # arrives before the view hears
    view.save()
    qtbot.waitUntil(lambda: "Not saved" in view.notes.note_label.text(), timeout=5000)
    nurse_ctx.worker.wait_idle()
    assert load_form(nurse_ctx.session, key).value("IG.LIVER", "I.ALT") == "37"
    assert view.line_edit("I.ALT").text() == "41"
    assert "ALT → 37" in view.notes.note_label.text()
    view.save()
    qtbot.waitUntil(
        lambda: view.saving.reason_dialog is not None and view.saving.reason_dialog.isVisible()
    )
    qtbot.keyClicks(view.saving.reason_dialog.reason_edit, "repeat sample")
    with qtbot.waitSignal(view.saved, timeout=5000):
        view.saving.reason_dialog._accept()
    assert load_form(nurse_ctx.session, key).value("IG.LIVER", "I.ALT") == "41"


def test_a_form_nobody_is_typing_in_just_shows_the_new_values(
    qtbot, nurse_ctx, site_dir: Path, key: FormKey
) -> None:
    view = open_form(qtbot, nurse_ctx, key)
    _other_computer_sets(site_dir, key, **{"I.ALT": "38"})
    with qtbot.waitSignal(view.fields["I.ALT"].changed, timeout=5000):
        view.take_stored()
    nurse_ctx.worker.wait_idle()
    assert view.line_edit("I.ALT").text() == "38"
    assert "#b00020" not in view.notes.note_label.styleSheet()
    assert not view.draft.dirty  # nothing to save: closing it asks nothing
    qtbot.keyClick(view.line_edit("I.ALT"), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    nurse_ctx.worker.wait_idle()
    assert (
        nurse_ctx.session.db.execute("SELECT count(*) FROM audit WHERE item = 'I.ALT'").fetchone()[
            0
        ]
        == 2
    )
