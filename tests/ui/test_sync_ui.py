"""Background sync in the app, against a real server on 127.0.0.1: the indicator, "Sync now",
offline and back, refused sets, and a monitor's query answered from the subject."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_crf.model import FormKey
from desktop_crf.services import sync as sync_service
from desktop_crf.services.data_entry import ItemInput, load_form, save_form
from desktop_crf.services.subjects import screen_subject
from desktop_crf.store import sync_state
from desktop_crf.store.database import transaction
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.shell.controller import AppController
from desktop_crf.ui.subjects.view import SubjectView
from desktop_crf.ui.sync.controller import SyncController, SyncState
from desktop_crf.ui.sync.indicator import SyncIndicator
from desktop_crf.ui.sync.panel import SyncPanel
from sync.server.app import create_app
from sync.server.db import SqliteDatabase
from sync.server.settings import ServerSettings
from tests.helpers.enrolled import FAST
from tests.helpers.enrolled import enrolled_site as enrolled
from tests.helpers.sites import PASSWORDS, login, make_site
from tests.sync.servers import CutProxy, ThreadServer, free_port
from tests.sync.sync_support import ADMIN
from tests.ui.conftest import close_ctx, make_ctx, open_form


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[ThreadServer, SqliteDatabase]]:
    db = SqliteDatabase(tmp_path / "server" / "server.sqlite3")
    settings = ServerSettings(data_dir=tmp_path / "server", admin_token="admin-secret")
    with ThreadServer(create_app(settings, db=db)) as live:
        yield live, db
    db.close()


def enrolled_site(root: Path, server: tuple[ThreadServer, SqliteDatabase]) -> Path:
    live, db = server
    return enrolled(root, live.url, db)


@pytest.fixture
def ctx(qtbot, tmp_path: Path, server) -> Iterator[UiContext]:
    context = make_ctx(qtbot, enrolled_site(tmp_path / "pc", server), "nurse")
    yield context
    close_ctx(context)


def controller(ctx: UiContext, **kw) -> SyncController:
    options = {"retry": FAST, "timeout": 5.0, "watch_network": False, **kw}
    return SyncController(ctx.worker, ctx.session, **options)


def wait_mode(qtbot, sync: SyncController, mode: str) -> SyncState:
    qtbot.waitUntil(
        lambda: sync.state.mode == mode and sync.state.status is not None, timeout=10_000
    )
    return sync.state


def stop(sync: SyncController) -> None:
    sync.stop(wait_s=10)
    QApplication.processEvents()
    sync.deleteLater()


def watch(qtbot, sync: SyncController) -> SyncIndicator:
    """A status-bar indicator following the controller, as the main window has."""
    indicator = SyncIndicator()
    qtbot.addWidget(indicator)
    sync.state_changed.connect(indicator.show_state)
    return indicator


def on_worker(ctx: UiContext, fn):
    """Run a service call on the thread that owns the database, as the app does."""
    return ctx.worker.call_from_thread(fn)


def screen(ctx: UiContext) -> str:
    changes = on_worker(
        ctx, lambda: screen_subject(ctx.session, study_version="1.0", screened_on="2026-10-01")
    )
    assert changes.subject_id is not None
    return changes.subject_id


def test_a_round_runs_in_the_background_and_the_indicator_says_online(qtbot, ctx, server):
    subject = screen(ctx)
    key = FormKey(subject, "SE.W0", "F.LAB_LIVER")
    on_worker(
        ctx, lambda: save_form(ctx.session, key, [ItemInput("IG.LIVER", "I.ALT", "40", "U/L")])
    )
    sync = controller(ctx)
    indicator = watch(qtbot, sync)
    sync.start()
    state = wait_mode(qtbot, sync, "online")
    assert state.status.pending == 0
    assert state.last_result is not None
    assert state.last_result.uploaded_entries > 2
    assert indicator.text().startswith("● Online · 0 pending · last sync ")
    assert server[0].url in indicator.toolTip()
    _, db = server
    with db.transaction() as tx:
        stored = tx.one("SELECT COUNT(*) FROM feed WHERE kind = 'entry'")[0]
    assert stored == state.last_result.uploaded_entries
    stop(sync)


def point_at(ctx: UiContext, url: str) -> None:
    def change() -> None:
        with transaction(ctx.session.db, ctx.session.paths.database):
            sync_state.set_server_url(ctx.session.db, url)

    on_worker(ctx, change)


def test_offline_keeps_everything_pending_and_the_round_runs_when_back(qtbot, ctx, server):
    live, _ = server
    screen(ctx)
    point_at(ctx, f"http://127.0.0.1:{free_port()}")  # nothing listens: the clinic is offline
    sync = controller(ctx)
    indicator = watch(qtbot, sync)
    sync.start()
    state = wait_mode(qtbot, sync, "offline")
    assert state.status.pending > 0
    assert "could not be reached" in (state.message or "")
    assert indicator.text().startswith(f"○ Offline · {state.status.pending} pending · never")
    assert "could not be reached" in indicator.toolTip()
    point_at(ctx, live.url)
    sync.set_reachability(True)  # what Qt's network information reports when the link is back
    state = wait_mode(qtbot, sync, "online")
    assert state.status.pending == 0
    assert "Last error" not in indicator.toolTip()  # the success is newer than the error
    stop(sync)


def test_sync_now_during_a_round_runs_one_more_round_after_it(qtbot, ctx):
    sync = controller(ctx)
    sync.start()
    assert sync.running
    screen(ctx)  # saved while the first round may already have read the outbox
    sync.sync_now()  # asked during the round: one more round follows, never two at once
    qtbot.waitUntil(lambda: not sync.running and sync.state.mode == "online", timeout=10_000)
    assert sync.state.status.pending == 0
    stop(sync)


def test_a_local_change_is_sent_soon_while_online(qtbot, ctx):
    sync = controller(ctx, after_change_ms=20)
    sync.start()
    wait_mode(qtbot, sync, "online")
    qtbot.waitUntil(lambda: not sync.running, timeout=10_000)
    screen(ctx)
    sync.local_change()
    qtbot.waitUntil(
        lambda: (
            sync.state.last_result is not None
            and sync.state.last_result.uploaded_entries > 0
            and not sync.running
        ),
        timeout=10_000,
    )
    assert sync.state.status.pending == 0
    stop(sync)


def test_the_demo_site_never_syncs(qtbot, ctx, server):
    ctx.session.site = dataclasses.replace(ctx.session.site, demo=True)
    screen(ctx)
    sync = controller(ctx)
    indicator = watch(qtbot, sync)
    sync.start()
    sync.sync_now()
    assert not sync.running
    assert indicator.text() == "Demo site: never syncs"
    _, db = server
    with db.transaction() as tx:
        assert tx.one("SELECT COUNT(*) FROM feed")[0] == 0
    stop(sync)


def test_a_site_without_a_server_says_so(qtbot, tmp_path):
    make_site(tmp_path / "alone")
    context = make_ctx(qtbot, tmp_path / "alone", "nurse")
    sync = controller(context)
    sync.start()
    state = wait_mode(qtbot, sync, "not_enrolled")
    assert "not enrolled" in (state.message or "")
    assert not sync.running
    stop(sync)
    close_ctx(context)


def test_a_refused_set_is_shown_in_the_panel_with_what_to_do(qtbot, ctx):
    screen(ctx)
    # sets now name another study than the one enrolled: the server refuses them for good
    ctx.session.site = dataclasses.replace(ctx.session.site, study_id="NCT00000000")
    sync = controller(ctx)
    panel = SyncPanel(ctx)
    qtbot.addWidget(panel)
    sync.state_changed.connect(panel.show_state)
    sync.start()
    state = wait_mode(qtbot, sync, "error")
    assert "wrong_site" in (state.message or "")
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.load()
    assert panel.refused_tree.topLevelItemCount() == 1
    row = panel.refused_tree.topLevelItem(0)
    assert row.text(0) == "entries 1–" + str(panel.refused[0]["seq_to"])
    assert row.text(2).startswith("wrong_site: ")
    assert not panel.refused_tree.isHidden()
    assert "nothing is lost" in panel.refused_help.text()
    assert "1 refused" in panel.state_label.text()
    assert "▲ Sync stopped" in panel.state_label.text()
    stop(sync)


def test_a_monitors_query_reaches_the_subject_and_is_answered(qtbot, ctx, server):
    live, _ = server
    subject = screen(ctx)
    sync = controller(ctx)
    sync.start()
    wait_mode(qtbot, sync, "online")
    opened = httpx.post(
        f"{live.url}/v1/sites/NB02/queries",
        headers=ADMIN,
        json={
            "subject": subject,
            "text": "Please confirm the screening date.",
            "opened_by": "CRA Zhou",
        },
    )
    assert opened.status_code == 201
    qtbot.waitUntil(lambda: not sync.running, timeout=10_000)
    with qtbot.waitSignal(sync.pulled, timeout=10_000):
        sync.sync_now()
    assert sync.state.status.open_queries == 1
    view = SubjectView(ctx, subject)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.queries.loaded, timeout=5000):
        view.load()
    tree = view.queries.tree
    assert tree.topLevelItemCount() == 1
    assert tree.topLevelItem(0).text(3) == "Please confirm the screening date."
    assert tree.topLevelItem(0).text(4) == "open"
    tree.setCurrentItem(tree.topLevelItem(0))
    assert "CRA Zhou" in view.queries.detail.text()
    assert "Please confirm the screening date." in view.queries.detail.text()
    assert view.queries.answer_button.isEnabled()
    assert not view.queries.resolve_button.isEnabled()
    view.queries.answer_button.click()
    dialog = view.queries.dialog
    assert dialog is not None
    dialog.answer_edit.setPlainText("Checked against the consent form: 2026-10-01 is right.")
    with qtbot.waitSignal(view.queries.loaded, timeout=5000):
        dialog.accept()
    assert tree.topLevelItem(0).text(4) == "answered"
    assert "2026-10-01 is right" in tree.topLevelItem(0).text(5)
    qtbot.waitUntil(lambda: not sync.running, timeout=10_000)
    sync.sync_now()
    qtbot.waitUntil(lambda: not sync.running and sync.state.status.pending == 0, timeout=10_000)
    queries = httpx.get(f"{live.url}/v1/sites/NB02/queries", headers=ADMIN).json()["queries"]
    assert queries[0]["status"] == "answered"
    stop(sync)


def _unlock(qtbot, ctl) -> None:
    window = ctl.unlock_window
    window.user_edit.setText("nurse")
    qtbot.keyClicks(window.password_edit, PASSWORDS["nurse"])
    qtbot.keyClick(window.password_edit, Qt.Key.Key_Return)


def test_the_app_syncs_after_unlock_and_the_list_shows_queries_and_unsynced(
    qtbot, tmp_path, server
):
    live, _ = server
    root = enrolled_site(tmp_path / "pc", server)
    nurse = login(root, "nurse")
    first = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
    second = screen_subject(nurse, study_version="1.0", screened_on="2026-10-02").subject_id
    nurse.close()
    opened = httpx.post(
        f"{live.url}/v1/sites/NB02/queries",
        headers=ADMIN,
        json={"subject": second, "text": "Initials missing?", "opened_by": "CRA Zhou"},
    )
    assert opened.status_code == 201
    ctl = AppController(root, sync_options={"retry": FAST, "timeout": 5.0, "watch_network": False})
    ctl.start()
    try:
        with qtbot.waitSignal(ctl.subjects_loaded, timeout=10_000):
            _unlock(qtbot, ctl)
        window = ctl.main_window
        rows = {window.model.row_at(r).subject_id: r for r in range(window.model.rowCount())}
        # before the first round ends: both subjects' changes are waiting
        # after it: nothing waits, and the monitor's query shows on its subject
        qtbot.waitUntil(
            lambda: ctl.sync is not None and ctl.sync.state.mode == "online", timeout=10_000
        )
        qtbot.waitUntil(lambda: window.model.index(rows[second], 9).data() == "1", timeout=10_000)
        for subject in (first, second):
            assert window.model.index(rows[subject], 10).data() == ""
        assert window.model.index(rows[first], 9).data() == ""
        assert window.model.headerData(9, Qt.Orientation.Horizontal) == "Open queries"
        assert window.model.headerData(10, Qt.Orientation.Horizontal) == "Unsynced changes"
        assert window.sync_indicator.text().startswith("● Online · ")
        assert "1 open query" in window.sync_indicator.text()
        window.sync_indicator.click()
        panel = window.find_tab("sync")
        assert isinstance(panel, SyncPanel)
        qtbot.waitUntil(lambda: panel.queries.tree.topLevelItemCount() == 1, timeout=5_000)
        assert panel.queries.tree.topLevelItem(0).text(1) == second
        ctl.lock()
        assert ctl.sync is None  # no round runs while the site is locked
    finally:
        ctl.shutdown()
        ctl.deleteLater()


def test_unsynced_changes_are_counted_per_subject_until_sent(qtbot, tmp_path):
    make_site(tmp_path / "alone")
    nurse = login(tmp_path / "alone", "nurse")
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
    key = FormKey(subject, "SE.W0", "F.LAB_LIVER")
    save_form(nurse, key, [ItemInput("IG.LIVER", "I.ALT", "40", "U/L")])
    expected = nurse.db.execute(
        "SELECT count(*) FROM audit WHERE subject = ?", [subject]
    ).fetchone()[0]
    nurse.close()
    ctl = AppController(tmp_path / "alone", sync_options={"watch_network": False})
    ctl.start()
    try:
        with qtbot.waitSignal(ctl.subjects_loaded, timeout=10_000):
            _unlock(qtbot, ctl)
        assert ctl.main_window.model.index(0, 10).data() == str(expected)
        qtbot.waitUntil(lambda: ctl.sync.state.mode == "not_enrolled", timeout=10_000)
        assert ctl.main_window.sync_indicator.text() == "Not connected to a sync server"
    finally:
        ctl.shutdown()
        ctl.deleteLater()


def test_a_conflict_is_resolved_from_the_panel_with_a_chosen_value_and_a_reason(
    qtbot, ctx, server, tmp_path
):
    tablet = login(enrolled_site(tmp_path / "tablet", server), "nurse")
    subject = screen(ctx)
    key = FormKey(subject, "SE.W0", "F.LAB_LIVER")
    on_worker(
        ctx, lambda: save_form(ctx.session, key, [ItemInput("IG.LIVER", "I.ALT", "40", "U/L")])
    )
    on_worker(ctx, lambda: sync_service.sync_now(ctx.session, retry=FAST))
    sync_service.sync_now(tablet, retry=FAST)
    # both change ALT offline from the same revision
    on_worker(
        ctx,
        lambda: save_form(
            ctx.session, key, [ItemInput("IG.LIVER", "I.ALT", "41", "U/L")], reason="typo"
        ),
    )
    save_form(tablet, key, [ItemInput("IG.LIVER", "I.ALT", "44", "U/L")], reason="lab report")
    sync_service.sync_now(tablet, retry=FAST)
    sync = controller(ctx)
    panel = SyncPanel(ctx)
    qtbot.addWidget(panel)
    sync.state_changed.connect(panel.show_state)
    sync.start()
    wait_mode(qtbot, sync, "online")
    assert sync.state.status.conflicts == 1
    with qtbot.waitSignal(panel.queries.loaded, timeout=5000):
        panel.load()
    assert "· 1 conflict" in panel.state_label.text()
    tree = panel.queries.tree
    (row,) = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    assert "41 U/L" in row.text(5)
    assert "44 U/L" in row.text(5)
    form = open_form(qtbot, ctx, key)  # the row itself says it is in conflict, and where to go
    message = form.fields[form.rows.path_of("IG.LIVER", 1, "I.ALT")].message
    assert message is not None
    assert message.text().startswith("In conflict: ")
    assert "41" in message.text()
    assert "44" in message.text()
    tree.setCurrentItem(row)
    assert panel.queries.resolve_button.isEnabled()
    assert not panel.queries.answer_button.isEnabled()
    panel.queries.resolve_button.click()
    dialog = panel.queries.dialog
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    chosen = next(b for b in dialog.choices.buttons() if b.text().startswith("44 U/L"))
    chosen.setChecked(True)
    assert not ok.isEnabled()  # a reason is required
    dialog.reason_edit.setText("checked against the lab report")
    assert ok.isEnabled()
    with qtbot.waitSignal(panel.queries.loaded, timeout=5000):
        ok.click()
    values = on_worker(ctx, lambda: load_form(ctx.session, key).values)
    assert values[("IG.LIVER", 1, "I.ALT")].value == "44"
    assert values[("IG.LIVER", 1, "I.ALT")].conflict is None
    qtbot.waitUntil(lambda: not sync.running, timeout=10_000)
    sync.sync_now()
    qtbot.waitUntil(lambda: not sync.running and sync.state.status.pending == 0, timeout=10_000)
    sync_service.sync_now(tablet, retry=FAST)
    assert load_form(tablet, key).values[("IG.LIVER", 1, "I.ALT")].conflict is None
    assert load_form(tablet, key).value("IG.LIVER", "I.ALT") == "44"
    tablet.close()
    stop(sync)


def test_locking_during_a_stalled_round_is_immediate_and_loses_nothing(qtbot, tmp_path, server):
    live, db = server
    root = enrolled_site(tmp_path / "pc", server)
    plans = [("up", 0, "stall")]  # the first connection hangs: a link that died mid-round
    proxy = CutProxy(live.port, lambda: plans.pop() if plans else None)
    nurse = login(root, "nurse")
    screen_subject(nurse, study_version="1.0", screened_on="2026-10-01")
    with transaction(nurse.db, nurse.paths.database):
        sync_state.set_server_url(nurse.db, proxy.url)
    nurse.close()
    ctl = AppController(root, sync_options={"retry": FAST, "timeout": 2.0, "watch_network": False})
    ctl.start()
    try:
        with qtbot.waitSignal(ctl.subjects_loaded, timeout=10_000):
            _unlock(qtbot, ctl)
        qtbot.waitUntil(lambda: proxy.cuts == 1, timeout=10_000)
        assert ctl.sync is not None
        assert ctl.sync.running
        started = time.perf_counter()
        ctl.lock()
        assert time.perf_counter() - started < 0.5  # the stalled request does not hold the GUI
        assert ctl.main_window is None
        with qtbot.waitSignal(ctl.subjects_loaded, timeout=10_000):
            _unlock(qtbot, ctl)
        qtbot.waitUntil(
            lambda: (
                ctl.sync is not None
                and ctl.sync.state.mode == "online"
                and ctl.sync.state.status.pending == 0
            ),
            timeout=15_000,
        )
        acked = ctl.sync.state.status.acked_seq
    finally:
        ctl.shutdown()
        ctl.deleteLater()
        proxy.close()
    with db.transaction() as tx:
        stored, distinct = tx.one(
            "SELECT COUNT(*), COUNT(DISTINCT device || ':' || seq) FROM feed WHERE kind = 'entry'"
        )
    # everything the device counts as sent is on the server, each entry exactly once
    assert stored == distinct == acked
    assert acked >= 4  # subject.create and the sessions before and after the lock


def test_while_offline_the_server_is_probed_again_until_it_answers(qtbot, ctx, server):
    live, _ = server
    screen(ctx)
    point_at(ctx, f"http://127.0.0.1:{free_port()}")
    sync = controller(ctx, offline_interval_ms=50)
    sync.start()
    wait_mode(qtbot, sync, "offline")
    qtbot.waitUntil(lambda: not sync.running, timeout=10_000)
    point_at(ctx, live.url)  # the link comes back; nobody tells the app
    state = wait_mode(qtbot, sync, "online")
    assert state.status.pending == 0
    stop(sync)


def test_records_set_aside_are_shown_in_the_panel_with_the_reason(qtbot, ctx):
    from desktop_crf.store.set_aside import set_aside

    def put() -> None:
        with transaction(ctx.session.db):
            set_aside(
                ctx.session.db,
                {"kind": "entry", "pos": 9, "entry": {"device": "NB02-OTHER", "seq": 4}},
                reason="the entry does not match its hash",
                stored=False,
                at="2026-01-01T00:00:00Z",
            )

    on_worker(ctx, put)
    panel = SyncPanel(ctx)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.load()
    assert panel.aside_tree.topLevelItemCount() == 1
    row = panel.aside_tree.topLevelItem(0)
    assert row.text(0) == "entry NB02-OTHER#4"
    assert row.text(2) == "the entry does not match its hash"
    assert row.text(3) == "not yet"
    assert not panel.aside_tree.isHidden()
    assert "went on receiving everything else" in panel.aside_help.text()
