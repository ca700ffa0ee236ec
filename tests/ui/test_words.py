"""Words instead of codes wherever a person reads, in the user's language; codes only where a
person asks for them (a detail pane, a tooltip)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from desktop_crf.i18n import install_translator
from desktop_crf.model import FormKey
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.overview import subject_list
from desktop_crf.services.queries import QueryTarget, raise_query
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject
from desktop_crf.ui.audit.view import AuditView
from desktop_crf.ui.queries.query_list import QueryList
from desktop_crf.ui.shell.main_window import MainWindow
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import login
from tests.ui.conftest import close_ctx, make_ctx

pytestmark = pytest.mark.gui


@pytest.fixture
def enrolled(site_dir: Path) -> str:
    nurse = login(site_dir, "nurse")
    try:
        subject = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
        assert subject is not None
        enroll_subject(nurse, subject, Enrolment(arm="NA", anchor_date="2026-01-05"))
        visit = [
            ItemInput("IG.VISIT", "I.VISIT_DONE", "N"),
            ItemInput("IG.VISIT", "I.NOT_DONE_REASON", "Patient unwell"),
        ]
        save_confirmed(nurse, FormKey(subject, "SE.W12", "F.VISIT"), visit)
    finally:
        nurse.close()
    monitor = login(site_dir, "monitor")
    try:
        target = QueryTarget.on_item(
            FormKey(subject, "SE.W12", "F.LAB_LIVER"), "IG.LIVER", 1, "I.ALT"
        )
        raise_query(monitor, target, "Please check ALT against the lab report.")
    finally:
        monitor.close()
    return subject


@pytest.fixture
def chinese(qapp) -> Iterator[None]:
    """The app's Chinese translation installed, as the language switch does."""
    install_translator(qapp, "zh_CN")
    yield
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.deleteLater()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_subject_list_names_arms_and_statuses(
    qtbot, request, site_dir, enrolled, language
) -> None:
    if language == "zh":
        request.getfixturevalue("chinese")
    ctx = make_ctx(qtbot, site_dir, "nurse", language=language)
    try:
        window = MainWindow(ctx.site, user="Wang Min", role="nurse", language=language)
        qtbot.addWidget(window)
        window.set_subjects(
            subject_list(ctx.session, today=date(2026, 3, 1), now=datetime.now().astimezone())
        )
        row = next(r for r in range(window.model.rowCount()) if window.model.row_at(r).arm)
        arm, status = (window.model.index(row, c).data() for c in (2, 3))
        assert (arm, status) == (
            ("NAs alone", "enrolled") if language == "en" else ("单用NAs", "已入组")
        )
    finally:
        close_ctx(ctx)


def test_a_query_says_where_it_is_in_words(qtbot, site_dir, enrolled, chinese) -> None:
    ctx = make_ctx(qtbot, site_dir, "nurse", language="zh")
    try:
        queries = QueryList(ctx, enrolled)
        qtbot.addWidget(queries)
        with qtbot.waitSignal(queries.loaded, timeout=5000):
            queries.load()
        where = queries.tree.topLevelItem(0).text(2)
        assert where == "第12周 · 肝功能 · 丙氨酸氨基转移酶（ALT）"
        assert "SE.W12 · F.LAB_LIVER · I.ALT" in queries.detail.text()  # codes when asked
    finally:
        close_ctx(ctx)


def test_the_audit_trail_says_places_and_answers_in_words(qtbot, site_dir, enrolled) -> None:
    ctx = make_ctx(qtbot, site_dir, "monitor")
    try:
        view = AuditView(ctx)
        qtbot.addWidget(view)
        view.resize(1280, 800)
        with qtbot.waitSignal(view.loaded, timeout=5000):
            view.load()
        rows = [view.model.row_at(r) for r in range(view.model.rowCount())]
        (done,) = [r for r in rows if r.get("item") == "I.VISIT_DONE"]
        row = rows.index(done)
        assert (
            view.model.index(row, 5).data()
            == f"{enrolled} · Week 12 · Visit · Did the visit take place?"
        )
        assert view.model.index(row, 6).data() == "— → No"
        view.table.selectRow(row)
        assert "SE.W12 / F.VISIT / I.VISIT_DONE" in view.detail.toPlainText()  # the codes
        assert "— → N" in view.detail.toPlainText()
    finally:
        close_ctx(ctx)


def test_a_form_tab_is_titled_in_words_and_found_again_by_its_form(
    qtbot, site_dir, enrolled
) -> None:
    from PySide6.QtCore import Qt

    from desktop_crf.ui.shell.controller import AppController
    from tests.helpers.sites import PASSWORDS

    ctl = AppController(site_dir, idle_minutes=10)
    ctl.start()
    try:
        ctl.unlock_window.user_edit.setText("nurse")
        with qtbot.waitSignal(ctl.subjects_loaded, timeout=10_000):
            qtbot.keyClicks(ctl.unlock_window.password_edit, PASSWORDS["nurse"])
            qtbot.keyClick(ctl.unlock_window.password_edit, Qt.Key.Key_Return)
        key = FormKey(enrolled, "SE.W12", "F.LAB_LIVER")
        with qtbot.waitSignal(ctl.form_opened, timeout=5000):
            ctl.open_form(key)
        tabs = ctl.main_window.tabs
        assert tabs.tabText(tabs.currentIndex()) == f"{enrolled} · Week 12 · Liver function"
        count = tabs.count()
        ctl.open_form(key)  # the same form: its tab comes forward, no second one
        assert tabs.count() == count
    finally:
        ctl.shutdown()
        ctl.deleteLater()
