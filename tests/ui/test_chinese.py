"""A person who reads Chinese: the language chosen before signing in, CTCAE terms found by
their Chinese name or a synonym, counts said properly."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from desktop_crf.model import FormKey
from desktop_crf.ui.form.ae_helpers import TermSearch
from desktop_crf.ui.shell.controller import AppController
from tests.ui.conftest import close_ctx, make_ctx, open_form

pytestmark = pytest.mark.gui


def test_the_language_is_chosen_on_the_unlock_window(qtbot, qapp, site_dir: Path) -> None:
    ctl = AppController(site_dir, idle_minutes=10)
    ctl.start()
    try:
        ctl.unlock_window.user_edit.setText("nurse")
        ctl.unlock_window.language_box.setCurrentIndex(1)  # 中文
        window = ctl.unlock_window
        assert window.unlock_button.text() == "解锁"
        assert window.user_edit.text() == "nurse"  # what was typed stays
        window.language_box.setCurrentIndex(0)  # and back, for someone who reads English
        assert ctl.unlock_window.unlock_button.text() == "Unlock"
    finally:
        ctl.shutdown()
        ctl.deleteLater()
        for translator in qapp.findChildren(QTranslator):
            qapp.removeTranslator(translator)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("转氨", "Alanine aminotransferase increased"),  # the Chinese lab name
        ("transamin", "Aspartate aminotransferase increased"),  # a synonym
        ("贫血", "Anemia"),
        ("plat dec", "Platelet count decreased"),  # words of the CTCAE name
    ],
)
def test_ctcae_terms_are_found_by_chinese_name_and_synonym(
    qtbot, nurse_ctx, subject_id, typed: str, expected: str
) -> None:
    view = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.LOG", "F.AE"))
    repeat = view.add_repeat("IG.AE")
    edit = view.line_edit(f"IG.AE[{repeat}]/I.AETERM")
    search = edit.findChild(TermSearch)
    assert search is not None
    search.search(typed)
    found = [
        search.model.item(row).data(0x0100)  # UserRole: the CTCAE spelling stored
        for row in range(search.model.rowCount())
    ]
    assert expected in found
    shown = [search.model.item(row).text() for row in range(search.model.rowCount())]
    if expected == "Anemia":
        assert "Anemia (贫血)" in shown  # the Chinese name beside the CTCAE term


def test_one_error_is_not_one_errors(qtbot, nurse_ctx, subject_id) -> None:
    view = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.SCREENING", "F.LAB_LIVER"))
    edit = view.line_edit("I.SAMPLE_DATE")
    edit.setText("2026-13-45")
    view.save()  # a draft: every row now speaks
    nurse_ctx.worker.wait_idle()
    qtbot.waitUntil(lambda: view.notes.summary_label.text() != "", timeout=5000)
    assert "1 errors" not in view.notes.summary_label.text()
    assert "error" in view.notes.summary_label.text()


def test_an_ae_term_shows_its_chinese_name_on_a_chinese_screen(
    qtbot, site_dir: Path, subject_id
) -> None:
    ctx = make_ctx(qtbot, site_dir, "nurse", language="zh")
    try:
        view = open_form(qtbot, ctx, FormKey(subject_id, "SE.LOG", "F.AE"))
        repeat = view.add_repeat("IG.AE")
        path = f"IG.AE[{repeat}]/I.AETERM"
        qtbot.keyClicks(view.line_edit(path), "Anemia")
        caption = view.fields[path].caption_label
        assert caption is not None
        assert caption.text() == "贫血"
        assert view.line_edit(path).text() == "Anemia"  # the CTCAE term is what is stored
    finally:
        close_ctx(ctx)


def test_an_english_screen_shows_no_chinese_name(qtbot, nurse_ctx, subject_id) -> None:
    view = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.LOG", "F.AE"))
    repeat = view.add_repeat("IG.AE")
    path = f"IG.AE[{repeat}]/I.AETERM"
    qtbot.keyClicks(view.line_edit(path), "Anemia")
    assert view.fields[path].caption_label is None
