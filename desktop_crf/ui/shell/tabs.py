"""The main window's tabs that are not a subject or a form: the Sync tab and the audit trail
(each reused when open, and read again when shown)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from desktop_crf.model import FormKey
from desktop_crf.ui.audit.view import AuditView
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.shell.main_window import MainWindow

if TYPE_CHECKING:  # the sync room is loaded at unlock, with the network stack
    from desktop_crf.ui.sync.controller import SyncController

OpenForm = Callable[[FormKey], None]


def sync_panel_title() -> str:
    return QCoreApplication.translate("AppController", "Sync")


def open_sync_panel(
    window: MainWindow, ctx: UiContext, sync: SyncController, open_form: OpenForm
) -> None:
    """Show the "Sync" tab: state, refused change sets, queries and conflicts."""
    from desktop_crf.ui.sync.panel import SyncPanel

    title = sync_panel_title()
    panel = window.find_tab(title)
    if not isinstance(panel, SyncPanel):
        panel = SyncPanel(ctx)
        panel.sync_now_requested.connect(sync.sync_now)
        panel.open_form.connect(open_form)
        sync.state_changed.connect(panel.show_state)
        panel.show_state(sync.state)
    window.open_tab(panel, title)
    panel.load()
    sync.refresh_status()


def open_audit_view(window: MainWindow, ctx: UiContext, open_form: OpenForm) -> None:
    """Show the "Audit trail" tab (reused when open), read from the top again."""
    title = QCoreApplication.translate("AppController", "Audit trail")
    view = window.find_tab(title)
    if not isinstance(view, AuditView):
        view = AuditView(ctx)
        view.open_form.connect(open_form)
    window.open_tab(view, title)
    view.load()
