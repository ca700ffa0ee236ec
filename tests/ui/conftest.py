"""Real sessions and a real store worker for driving the views."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop_crf.model import FormKey
from desktop_crf.services.subjects import screen_subject
from desktop_crf.studies import load_form
from desktop_crf.ui.collector import GuiThreadCollector
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.form.view import FormView
from desktop_crf.ui.worker import StoreWorker
from tests.helpers.sites import login


@pytest.fixture(autouse=True, scope="session")
def gui_thread_gc(qapp) -> Iterator[None]:
    """As in the app: cycles holding views are freed on the GUI thread only, from a timer,
    never by an allocation that happens inside a Qt destructor.

    One collector for the whole run: a collector made and dropped per test re-enabled
    automatic collection between tests, and a Qt object destroyed then could start a
    collection that destroyed another Qt object under the same Qt lock (a deadlock seen
    in the audit view's tests, one run in ten)."""
    collector = GuiThreadCollector()
    collector.start()
    yield
    collector.stop()


def make_ctx(qtbot, site_dir: Path, role: str, **kw) -> UiContext:
    session = login(site_dir, role)
    worker = StoreWorker()
    return UiContext.open(worker, session, **kw)


def close_ctx(ctx: UiContext) -> None:
    ctx.worker.wait_idle()
    QApplication.processEvents()
    ctx.session.close()


@pytest.fixture
def subject_id(site_dir: Path) -> str:
    nurse = login(site_dir, "nurse")
    try:
        changes = screen_subject(
            nurse, study_version="1.0", screened_on="2026-01-05", initials="LW"
        )
    finally:
        nurse.close()
    assert changes.subject_id is not None
    return changes.subject_id


@pytest.fixture
def nurse_ctx(qtbot, site_dir: Path) -> Iterator[UiContext]:
    ctx = make_ctx(qtbot, site_dir, "nurse")
    yield ctx
    close_ctx(ctx)


def open_form(qtbot, ctx: UiContext, key: FormKey) -> FormView:
    view = FormView(ctx, key, load_form(key.form))
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.load()
    return view


def save_and_wait(qtbot, view: FormView, complete: bool = False) -> None:
    with qtbot.waitSignal(view.saved, timeout=5000):
        view.save(complete=complete)


def asks_reason(view: FormView) -> bool:
    """Whether the form is asking for a reason for change."""
    dialog = view.saving.reason_dialog
    return dialog is not None and dialog.isVisible()
