"""The main window's tabs that are not a subject or a form: the Sync tab, the audit trail, the
laboratory's, the study dashboard, the tasks and the monitor's (each reused when open, found by
its key, and read again when shown)."""

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
OpenSubject = Callable[[str], None]


def sync_panel_title() -> str:
    return QCoreApplication.translate("AppController", "Sync")


def open_sync_panel(
    window: MainWindow, ctx: UiContext, sync: SyncController, open_form: OpenForm
) -> None:
    """Show the "Sync" tab: state, refused change sets, queries and conflicts."""
    from desktop_crf.ui.sync.panel import SyncPanel

    title = sync_panel_title()
    panel = window.find_tab("sync")
    if not isinstance(panel, SyncPanel):
        panel = SyncPanel(ctx)
        panel.sync_now_requested.connect(sync.sync_now)
        panel.open_form.connect(open_form)
        sync.state_changed.connect(panel.show_state)
        panel.show_state(sync.state)
    window.open_tab(panel, title, "sync")
    panel.load()
    sync.refresh_status()


def open_audit_view(window: MainWindow, ctx: UiContext, open_form: OpenForm) -> None:
    """Show the "Audit trail" tab (reused when open), read from the top again."""
    title = QCoreApplication.translate("AppController", "Audit trail")
    view = window.find_tab("audit")
    if not isinstance(view, AuditView):
        view = AuditView(ctx)
        view.open_form.connect(open_form)
    window.open_tab(view, title, "audit")
    view.load()


def open_lab_ranges(window: MainWindow, ctx: UiContext) -> None:
    """Show the "Laboratory ranges" tab (reused when open), read again."""
    from desktop_crf.ui.labs.ranges import LabRangesView

    title = QCoreApplication.translate("AppController", "Laboratory ranges")
    view = window.find_tab("lab_ranges")
    if not isinstance(view, LabRangesView):
        view = LabRangesView(ctx)
    window.open_tab(view, title, "lab_ranges")
    view.load()


def open_lab_import(window: MainWindow, ctx: UiContext, open_form: OpenForm) -> None:
    """Show the "Import lab results" tab (reused when open)."""
    from desktop_crf.ui.labs.results import LabImportView

    title = QCoreApplication.translate("AppController", "Import lab results")
    view = window.find_tab("lab_import")
    if not isinstance(view, LabImportView):
        view = LabImportView(ctx)
        view.open_form.connect(open_form)
    window.open_tab(view, title, "lab_import")


def open_reports_view(window: MainWindow, ctx: UiContext) -> None:
    """Show the "Study dashboard" tab (reused when open); it reads itself when shown."""
    from desktop_crf.ui.reports.view import ReportsView

    title = QCoreApplication.translate("AppController", "Study dashboard")
    view = window.find_tab("reports")
    if not isinstance(view, ReportsView):
        view = ReportsView(ctx)
    window.open_tab(view, title, "reports")


def open_tasks(
    window: MainWindow, ctx: UiContext, open_form: OpenForm, open_subject: OpenSubject
) -> None:
    """Show the "My tasks" tab (reused when open), read again."""
    from desktop_crf.ui.monitor.tasks_view import TasksView

    title = QCoreApplication.translate("AppController", "My tasks")
    view = window.find_tab("tasks")
    if not isinstance(view, TasksView):
        view = TasksView(ctx)
        view.open_form.connect(open_form)
        view.open_subject.connect(open_subject)
    window.open_tab(view, title, "tasks")
    view.load()


def open_sdv(window: MainWindow, ctx: UiContext, open_form: OpenForm) -> None:
    """Show the "Source data verification" tab (reused when open), read again."""
    from desktop_crf.ui.monitor.sdv_view import SdvView

    title = QCoreApplication.translate("AppController", "Source data verification")
    view = window.find_tab("sdv")
    if not isinstance(view, SdvView):
        view = SdvView(ctx)
        view.open_form.connect(open_form)
    window.open_tab(view, title, "sdv")
    view.load()


def open_monitoring_visit(window: MainWindow, ctx: UiContext) -> None:
    """Show the "Monitoring visit" tab (reused when open), read again."""
    from desktop_crf.ui.monitor.visit_view import MonitoringVisitView

    title = QCoreApplication.translate("AppController", "Monitoring visit")
    view = window.find_tab("monitoring_visit")
    if not isinstance(view, MonitoringVisitView):
        view = MonitoringVisitView(ctx)
    window.open_tab(view, title, "monitoring_visit")
    view.load()
