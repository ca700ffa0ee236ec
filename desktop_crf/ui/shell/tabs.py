"""The main window's tabs that are not a subject or a form: the Sync tab, the audit trail, the
laboratory's, the study dashboard, the tasks and the monitor's (each reused when open, found by
its key, and read again when shown)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, SignalInstance
from PySide6.QtWidgets import QWidget

from desktop_crf.model import FormKey
from desktop_crf.ui.audit.view import AuditView
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.shell.main_window import MainWindow

if TYPE_CHECKING:  # the sync room is loaded at unlock, with the network stack
    from desktop_crf.ui.sync.controller import SyncController

OpenForm = Callable[[FormKey], None]
OpenSubject = Callable[[str], None]
T = TypeVar("T", bound=QWidget)


def sync_panel_title() -> str:
    return QCoreApplication.translate("AppController", "Sync")


def _show(window: MainWindow, key: str, title: str, kind: type[T], make: Callable[[], T]) -> T:
    """The tab ``key`` brought forward, or made by ``make`` and opened as ``title``."""
    view = window.find_tab(key)
    if not isinstance(view, kind):
        view = make()
    window.open_tab(view, title, key)
    return view


class _OpensForms(Protocol):
    @property
    def open_form(self) -> SignalInstance: ...


V = TypeVar("V", bound=_OpensForms)


def _connected(view: V, open_form: OpenForm) -> V:
    """``view`` with its request to open a form wired to ``open_form``."""
    view.open_form.connect(open_form)
    return view


def open_sync_panel(
    window: MainWindow, ctx: UiContext, sync: SyncController, open_form: OpenForm
) -> None:
    """Show the "Sync" tab: state, refused change sets, queries and conflicts."""
    from desktop_crf.ui.sync.panel import SyncPanel

    def make() -> SyncPanel:
        panel = SyncPanel(ctx)
        panel.sync_now_requested.connect(sync.sync_now)
        panel.open_form.connect(open_form)
        sync.state_changed.connect(panel.show_state)
        panel.show_state(sync.state)
        return panel

    _show(window, "sync", sync_panel_title(), SyncPanel, make).load()
    sync.refresh_status()


def open_audit_view(window: MainWindow, ctx: UiContext, open_form: OpenForm) -> None:
    """Show the "Audit trail" tab (reused when open), read from the top again."""
    title = QCoreApplication.translate("AppController", "Audit trail")
    view = _show(window, "audit", title, AuditView, lambda: _connected(AuditView(ctx), open_form))
    view.load()


def open_lab_ranges(window: MainWindow, ctx: UiContext) -> None:
    """Show the "Laboratory ranges" tab (reused when open), read again."""
    from desktop_crf.ui.labs.ranges import LabRangesView

    title = QCoreApplication.translate("AppController", "Laboratory ranges")
    _show(window, "lab_ranges", title, LabRangesView, lambda: LabRangesView(ctx)).load()


def open_lab_import(window: MainWindow, ctx: UiContext, open_form: OpenForm) -> None:
    """Show the "Import lab results" tab (reused when open)."""
    from desktop_crf.ui.labs.results import LabImportView

    title = QCoreApplication.translate("AppController", "Import lab results")
    _show(
        window,
        "lab_import",
        title,
        LabImportView,
        lambda: _connected(LabImportView(ctx), open_form),
    )


def open_reports_view(window: MainWindow, ctx: UiContext) -> None:
    """Show the "Study dashboard" tab (reused when open); it reads itself when shown."""
    from desktop_crf.ui.reports.view import ReportsView

    title = QCoreApplication.translate("AppController", "Study dashboard")
    _show(window, "reports", title, ReportsView, lambda: ReportsView(ctx))


def open_tasks(
    window: MainWindow, ctx: UiContext, open_form: OpenForm, open_subject: OpenSubject
) -> None:
    """Show the "My tasks" tab (reused when open), read again."""
    from desktop_crf.ui.monitor.tasks_view import TasksView

    def make() -> TasksView:
        view = _connected(TasksView(ctx), open_form)
        view.open_subject.connect(open_subject)
        return view

    title = QCoreApplication.translate("AppController", "My tasks")
    _show(window, "tasks", title, TasksView, make).load()


def open_sdv(window: MainWindow, ctx: UiContext, open_form: OpenForm) -> None:
    """Show the "Source data verification" tab (reused when open), read again."""
    from desktop_crf.ui.monitor.sdv_view import SdvView

    title = QCoreApplication.translate("AppController", "Source data verification")
    _show(window, "sdv", title, SdvView, lambda: _connected(SdvView(ctx), open_form)).load()


def open_monitoring_visit(window: MainWindow, ctx: UiContext) -> None:
    """Show the "Monitoring visit" tab (reused when open), read again."""
    from desktop_crf.ui.monitor.visit_view import MonitoringVisitView

    title = QCoreApplication.translate("AppController", "Monitoring visit")
    view = _show(
        window, "monitoring_visit", title, MonitoringVisitView, lambda: MonitoringVisitView(ctx)
    )
    view.load()
