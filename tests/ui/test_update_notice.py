"""What the nurse sees when the server wants a newer app, with the real app and a real server on
127.0.0.1: "update required" in the status bar while a form is being filled in (no dialog, the
typing kept, saving still works, nothing sent), and a recommended update told once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_crf.model import FormKey
from desktop_crf.services.subjects import screen_subject
from desktop_crf.services.sync import sync_status
from desktop_crf.store import sync_state
from desktop_crf.store.database import transaction
from desktop_crf.ui.shell.controller import AppController
from tests.helpers.enrolled import FAST, enrolled_site
from tests.helpers.sites import PASSWORDS, login
from tests.helpers.versioned_server import (  # the fixture, as ``server``
    NEWER,
    Server,
    versioned_server,  # noqa: F401
)

pytestmark = [pytest.mark.gui, pytest.mark.e2e]


@pytest.fixture
def app(qtbot, tmp_path: Path, server: Server) -> Iterator[tuple[AppController, str]]:
    root = enrolled_site(tmp_path / "pc", server.serve(), server.db)
    nurse = login(root, "nurse")
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
    assert subject is not None
    nurse.close()
    ctl = AppController(root, sync_options={"retry": FAST, "timeout": 5.0, "watch_network": False})
    ctl.start()
    unlock(qtbot, ctl)
    yield ctl, subject
    ctl.shutdown()
    ctl.deleteLater()


def unlock(qtbot, ctl: AppController) -> None:
    with qtbot.waitSignal(ctl.subjects_loaded, timeout=10_000):
        ctl.unlock_window.user_edit.setText("nurse")
        qtbot.keyClicks(ctl.unlock_window.password_edit, PASSWORDS["nurse"])
        qtbot.keyClick(ctl.unlock_window.password_edit, Qt.Key.Key_Return)


def wait_mode(qtbot, ctl: AppController, mode: str) -> None:
    qtbot.waitUntil(
        lambda: ctl.sync is not None and ctl.sync.state.mode == mode and not ctl.sync.running,
        timeout=10_000,
    )


def point_at(ctl: AppController, url: str) -> None:
    def change() -> None:
        with transaction(ctl.session.db, ctl.session.paths.database):
            sync_state.set_server_url(ctl.session.db, url)

    ctl.worker.call_from_thread(change)


def test_update_required_shows_in_the_status_bar_and_leaves_the_form_being_filled_alone(
    qtbot, app, server
) -> None:
    ctl, subject = app
    wait_mode(qtbot, ctl, "online")
    window = ctl.main_window
    with qtbot.waitSignal(ctl.form_opened, timeout=5000) as opened:
        ctl.open_form(FormKey(subject, "SE.SCREENING", "F.CONSENT"))
    view = opened.args[0]
    qtbot.waitUntil(lambda: view.data is not None, timeout=5000)
    editor = view.fields["I.CONSENT_VERSION"].editor()
    qtbot.keyClicks(editor, "2.1")  # the nurse is typing when the round runs
    sent_before = server.stored()
    point_at(ctl, server.serve(min_app_version=NEWER))  # the data manager raised the minimum
    told: list[str] = []
    ctl.sync.notice.connect(told.append)
    ctl.sync.sync_now()
    wait_mode(qtbot, ctl, "update_required")
    assert window.sync_indicator.text().startswith("▲ Update required · ")
    assert "needs a newer version of this app" in window.sync_indicator.toolTip()
    assert window.notice.isVisible()
    assert "needs a newer version of this app" in window.notice.text()
    assert "kept on this computer" in window.notice.text()
    assert QApplication.activeModalWidget() is None  # no dialog over the form
    assert editor.text() == "2.1"
    assert view.unsaved()
    ctl.sync.sync_now()  # the next round says nothing new
    qtbot.waitUntil(lambda: ctl.sync.running, timeout=5000)
    wait_mode(qtbot, ctl, "update_required")
    assert len(told) == 1
    with qtbot.waitSignal(view.saved, timeout=5000):  # saving works as ever
        view.save()
        qtbot.waitUntil(lambda: view.saving.confirm_box is not None, timeout=5000)
        view.saving.confirm_box.accept()  # the unusual value is asked about, as in any save
    status = ctl.worker.call_from_thread(lambda: sync_status(ctl.session))
    assert status.pending > 0
    assert status.update_required == "app"
    assert server.stored() == sent_before  # nothing sent


def test_a_recommended_update_is_said_once(qtbot, app, server) -> None:
    ctl, _ = app
    wait_mode(qtbot, ctl, "online")
    point_at(ctl, server.serve(recommended_app_version=NEWER))
    told: list[str] = []
    ctl.sync.notice.connect(told.append)
    ctl.sync.sync_now()
    qtbot.waitUntil(lambda: len(told) == 1, timeout=10_000)
    window = ctl.main_window
    assert f"A newer version of this app ({NEWER}) is recommended" in window.notice.text()
    assert window.notice.isVisible()
    assert QApplication.activeModalWidget() is None
    wait_mode(qtbot, ctl, "online")
    ctl.sync.sync_now()
    qtbot.waitUntil(lambda: ctl.sync.running, timeout=5000)
    wait_mode(qtbot, ctl, "online")  # it still syncs
    assert len(told) == 1
    ctl.lock()
    unlock(qtbot, ctl)  # the next session: it was said already
    wait_mode(qtbot, ctl, "online")
    assert not ctl.main_window.notice.isVisible()
