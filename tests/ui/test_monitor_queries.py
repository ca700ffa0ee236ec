"""A monitor at the site raises, closes and reopens queries in the app, offline; they reach the
server with the next round (real server on 127.0.0.1, real widgets, real SQLCipher)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt

from desktop_crf.model import FormKey
from desktop_crf.services.queries import answer_query
from desktop_crf.services.subjects import screen_subject
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.subjects.view import SubjectView
from tests.helpers.enrolled import bind_monitor_key
from tests.helpers.sites import login
from tests.sync.sync_support import ADMIN
from tests.ui.conftest import close_ctx, make_ctx, open_form
from tests.ui.test_sync_ui import controller, enrolled_site, server, stop  # noqa: F401

pytestmark = pytest.mark.gui


@pytest.fixture
def site(tmp_path: Path, server) -> Path:  # noqa: F811
    return enrolled_site(tmp_path / "pc", server)


@pytest.fixture
def subject(site: Path) -> str:
    nurse = login(site, "nurse")
    try:
        changes = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01")
    finally:
        nurse.close()
    assert changes.subject_id is not None
    return changes.subject_id


@pytest.fixture
def monitor(qtbot, site: Path, subject: str, server) -> Iterator[UiContext]:  # noqa: F811
    _, db = server
    first_visit = login(site, "monitor")  # binds her key with the data manager's token
    try:
        bind_monitor_key(first_visit, db)
    finally:
        first_visit.close()
    ctx = make_ctx(qtbot, site, "monitor")
    yield ctx
    close_ctx(ctx)


def _subject_view(qtbot, ctx: UiContext, subject: str) -> SubjectView:
    view = SubjectView(ctx, subject)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.queries.loaded, timeout=5000):
        view.load()
    return view


def _write(qtbot, queries, text: str) -> None:
    dialog = queries.dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.text_edit.setPlainText(text)
    with qtbot.waitSignal(queries.loaded, timeout=5000):
        dialog.accept()


def _rows(tree) -> list[tuple[str, str, str, str]]:
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [(i.text(0), i.text(2), i.text(3), i.text(4)) for i in items]


def test_a_monitor_raises_queries_offline_and_closes_one_after_the_site_answers(
    qtbot,
    monitor: UiContext,
    site: Path,
    subject: str,
    server,  # noqa: F811
) -> None:
    live, _ = server
    view = _subject_view(qtbot, monitor, subject)
    queries = view.queries
    assert not queries.raise_button.isHidden()
    assert queries.answer_button.isHidden()

    queries.raise_button.click()
    _write(qtbot, queries, "Consent version missing on the screening page.")
    assert _rows(queries.tree) == [
        ("—", "", "Consent version missing on the screening page.", "open, not sent yet")
    ]
    queries.tree.setCurrentItem(queries.tree.topLevelItem(0))
    # not on the server yet, it is closed here all the same (it finishes where it starts)
    assert queries.close_button.isEnabled()
    assert not queries.reopen_button.isEnabled()  # open: nothing to reopen

    form = open_form(qtbot, monitor, FormKey(subject, "SE.SCREENING", "F.LAB_LIVER"))
    alt = form.fields["I.ALT"]
    assert alt.label.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    form.item_queries.ask(alt)
    form.item_queries.query_dialog.text_edit.setPlainText("ALT differs from the lab report.")
    with qtbot.waitSignal(form.query_raised, timeout=5000):
        form.item_queries.query_dialog.accept()

    sync = controller(monitor)
    sync.start()
    qtbot.waitUntil(lambda: not sync.running and sync.state.mode == "online", timeout=10_000)
    opened = httpx.get(f"{live.url}/v1/sites/NB02/queries", headers=ADMIN).json()["queries"]
    assert sorted((q["text"], q["item"], q["opened_by"]) for q in opened) == [
        ("ALT differs from the lab report.", "I.ALT", "monitor"),
        ("Consent version missing on the screening page.", None, "monitor"),
    ]
    with qtbot.waitSignal(queries.loaded, timeout=5000):
        queries.load()
    numbers = sorted(int(q["id"]) for q in opened)
    assert sorted(int(row[0]) for row in _rows(queries.tree)) == numbers  # no pending copy left

    # The nurse on the same computer answers the ALT query.
    alt_query = next(q for q in opened if q["item"] == "I.ALT")
    nurse = login(site, "nurse")
    try:
        answer_query(nurse, int(alt_query["id"]), "Corrected: the lab report says 41.")
    finally:
        nurse.close()
    with qtbot.waitSignal(queries.loaded, timeout=5000):
        queries.load()
    assert row_status(queries, alt_query["id"]) == "answered"
    queries.tree.setCurrentItem(row_item(queries, alt_query["id"]))
    assert queries.close_button.isEnabled()
    assert queries.reopen_button.isEnabled()
    queries.close_button.click()
    _write(qtbot, queries, "Verified against the lab report.")
    queries.show_closed.setChecked(True)
    assert row_status(queries, alt_query["id"]) == "closed"

    qtbot.waitUntil(lambda: not sync.running, timeout=10_000)
    sync.sync_now()
    qtbot.waitUntil(lambda: not sync.running and sync.state.status.pending == 0, timeout=10_000)
    closed = httpx.get(f"{live.url}/v1/sites/NB02/queries?status=closed", headers=ADMIN).json()
    assert [(q["id"], q["close_text"]) for q in closed["queries"]] == [
        (alt_query["id"], "Verified against the lab report.")
    ]
    stop(sync)


def test_a_nurse_is_not_offered_the_monitors_actions(qtbot, site: Path, subject: str) -> None:
    nurse = make_ctx(qtbot, site, "nurse")
    try:
        queries = _subject_view(qtbot, nurse, subject).queries
        buttons = (queries.raise_button, queries.close_button, queries.reopen_button)
        assert all(button.isHidden() for button in buttons)
        form = open_form(qtbot, nurse, FormKey(subject, "SE.SCREENING", "F.LAB_LIVER"))
        label = form.fields["I.ALT"].label
        assert label.contextMenuPolicy() != Qt.ContextMenuPolicy.CustomContextMenu
    finally:
        close_ctx(nurse)


def row_item(queries, number: int):
    for i in range(queries.tree.topLevelItemCount()):
        item = queries.tree.topLevelItem(i)
        if item.text(0) == str(number):
            return item
    return None


def row_status(queries, number: int) -> str | None:
    item = row_item(queries, number)
    return None if item is None else item.text(4)
