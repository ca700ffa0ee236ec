"""Which window is shown when: unlock → main window → (idle or Lock) → unlock again.

Owns the session (touched only on the store worker, through ``Ops``), makes the views and
opens them in tabs. Views redraw themselves from the app-wide ``Ops.changed`` signal; the
controller only keeps the subject list and the sync state in step with it.
"""

from __future__ import annotations

import gc
import logging
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from desktop_crf.errors import KnownError
from desktop_crf.model import Changes, FormKey
from desktop_crf.services import site
from desktop_crf.services.overview import SubjectList, subject_list
from desktop_crf.services.permissions import Permission, allowed
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject
from desktop_crf.studies import load_form, load_study
from desktop_crf.ui.audit.view import AuditView
from desktop_crf.ui.collector import GuiThreadCollector
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.errors import show_error
from desktop_crf.ui.form.view import FormView
from desktop_crf.ui.shell.idle import DEFAULT_IDLE_MINUTES, IdleWatcher
from desktop_crf.ui.shell.main_window import MainWindow
from desktop_crf.ui.shell.unlock_window import UnlockWindow
from desktop_crf.ui.subjects.view import SubjectView
from desktop_crf.ui.worker import StoreWorker
from forms.text import Language

if TYPE_CHECKING:  # loaded at unlock: the network stack is not needed to show the unlock window
    from desktop_crf.services.sync import RoundResult
    from desktop_crf.ui.sync.controller import SyncController

log = logging.getLogger(__name__)


class AppController(QObject):
    unlocked = Signal()
    locked = Signal()
    subjects_loaded = Signal(int)
    subject_opened = Signal(object)  # SubjectView
    form_opened = Signal(object)  # FormView
    closing = Signal()  # the main window goes (lock, quit, language): forms keep their typing

    def __init__(
        self,
        root: Path,
        *,
        idle_minutes: float = DEFAULT_IDLE_MINUTES,
        language: str = "en",
        autosave_ms: int = 3000,
        sync_options: dict[str, Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.root = root
        self.language: Language = "zh" if language.startswith("zh") else "en"
        self.autosave_ms = autosave_ms
        self.ctx: UiContext | None = None
        self.worker = StoreWorker(self)
        self.session: Session | None = None
        self.unlock_window: UnlockWindow | None = None
        self.main_window: MainWindow | None = None
        self.sync: SyncController | None = None
        self.sync_options = dict(sync_options or {})
        self._locked_user: str | None = None
        self.idle = IdleWatcher(self, timeout_ms=int(idle_minutes * 60_000))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.idle.watch(app)
        self.idle.idle.connect(self.lock)
        self.collector = GuiThreadCollector(self)

    # -- unlocking ------------------------------------------------------------------------

    def start(self) -> None:
        self.collector.start()
        self._show_unlock()

    def _show_unlock(self) -> None:
        window = UnlockWindow(site.site_label(self.root), locked_user=self._locked_user)
        window.unlock_requested.connect(self._unlock)
        self.worker.busy_changed.connect(window.set_busy)
        self.unlock_window = window
        window.show()

    def _unlock(self, user: str, password: str) -> None:
        resume = self._locked_user is not None and user == self._locked_user
        root = self.root
        self.worker.submit(
            lambda: site.unlock(root, user, password, resume=resume),
            on_done=self._unlocked,
            on_error=self._unlock_failed,
        )

    def _unlock_failed(self, exc: BaseException) -> None:
        if self.unlock_window is None:
            return
        if isinstance(exc, KnownError):
            log.info("unlock refused: %s", type(exc).__name__)
            self.unlock_window.show_error(str(exc))
        else:
            self.unlock_window.show_error(
                self.tr("Unexpected error: {0}").format(type(exc).__name__)
            )
            show_error(exc, self.unlock_window)

    def _unlocked(self, session: Session) -> None:
        log.info("unlocked as %s", session.role)
        self.session = session
        self._locked_user = None
        if self.unlock_window is not None:
            self.worker.busy_changed.disconnect(self.unlock_window.set_busy)
            self.unlock_window.close()
            self.unlock_window.deleteLater()
            self.unlock_window = None
        self.ctx = UiContext.open(
            self.worker, session, language=self.language, autosave_ms=self.autosave_ms
        )
        self.ctx.ops.setParent(self)
        self.ctx.ops.changed.connect(self._changed)
        if allowed(session.role, Permission.SYNC):
            from desktop_crf.ui.sync.controller import SyncController

            self.sync = SyncController(self.worker, session, parent=self, **self.sync_options)
            self.sync.pulled.connect(self._pulled)
        self._show_main(session)
        self.idle.start()
        self.unlocked.emit()
        self.refresh_subjects()
        if self.sync is not None:
            self.sync.start()
        # What exists now lives as long as the session: keep it out of the garbage collector's
        # full passes, which otherwise pause the GUI thread for tens of milliseconds.
        gc.freeze()

    def _show_main(self, session: Session) -> None:
        window = MainWindow(
            session.site,
            user=session.full_name,
            role=session.role,
            language=self.language,
            can_enrol=allowed(session.role, Permission.ENROLL),
            can_review_audit=allowed(session.role, Permission.VIEW_AUDIT),
            can_view_reports=allowed(session.role, Permission.VIEW_DATA),
        )
        window.lock_requested.connect(self.lock)
        window.refresh_requested.connect(self.refresh_subjects)
        window.subject_activated.connect(self.open_subject)
        window.new_screening_requested.connect(self.new_screening)
        window.language_changed.connect(self.set_language)
        window.audit_requested.connect(self.open_audit_view)
        window.reports_requested.connect(self.open_reports_view)
        self.worker.busy_changed.connect(window.set_busy)
        sync = self.sync
        if sync is not None:
            window.sync_indicator.show_state(sync.state)
            sync.state_changed.connect(window.sync_indicator.show_state)
            window.sync_now_requested.connect(sync.sync_now)
            window.sync_panel_requested.connect(self.open_sync_panel)
            window.sync_action.setVisible(not session.site.demo)  # the demo never syncs
        else:
            window.sync_indicator.hide()
            window.sync_action.setVisible(False)
        self.main_window = window
        window.show()
        self.idle.watch_window(window.windowHandle())

    def set_language(self, language: str) -> None:
        """Switch the UI and the form labels to ``language`` ("en" or "zh_CN"), keep the
        choice, and rebuild the main window (autosaving any form being typed first)."""
        from PySide6.QtCore import QSettings, QTranslator

        from desktop_crf.i18n import install_translator

        app = QApplication.instance()
        if app is not None:
            for old in app.findChildren(QTranslator):
                app.removeTranslator(old)
                old.deleteLater()
            install_translator(app, language)
        QSettings().setValue("language", language)
        self.language = "zh" if language.startswith("zh") else "en"
        session, ctx = self.session, self.ctx
        if session is None or ctx is None or self.main_window is None:
            return
        self._close_main()
        ctx.language = self.language
        self._show_main(session)
        self.refresh_subjects()

    def _close_main(self) -> None:
        window, self.main_window = self.main_window, None
        if window is None:
            return
        self.closing.emit()
        window.clear()
        self.worker.busy_changed.disconnect(window.set_busy)
        window.close()
        window.deleteLater()

    # -- data -----------------------------------------------------------------------------

    def refresh_subjects(self) -> None:
        if self.ctx is None:
            return
        self.ctx.ops.read(
            lambda s: subject_list(s, today=date.today(), now=datetime.now().astimezone()),
            self._show_subjects,
            owner=self,
        )

    def _show_subjects(self, subjects: SubjectList) -> None:
        if self.main_window is not None and self.session is not None:
            self.main_window.set_subjects(subjects)
            self.subjects_loaded.emit(len(subjects.rows))

    def refresh_subject(self, subject_id: str) -> None:
        """Recompute one subject's row only: a save must not redo the whole list."""
        if self.ctx is None:
            return
        self.ctx.ops.read(
            lambda s: subject_list(
                s, today=date.today(), now=datetime.now().astimezone(), subject_id=subject_id
            ),
            lambda subjects: self._show_subject_row(subject_id, subjects),
            owner=self,
        )

    def _show_subject_row(self, subject_id: str, subjects: SubjectList) -> None:
        if self.main_window is not None and self.session is not None:
            self.main_window.model.update_rows(subjects, subject_id)

    def new_screening(self) -> None:
        """Open a screening record with an id no other device can assign, and show it."""
        if self.ctx is None:
            return
        self.ctx.ops.write(
            lambda s: screen_subject(
                s,
                study_version=load_study(s.site.study_id).version,
                screened_on=date.today().isoformat(),
            ),
            initiator=self,
            on_done=lambda changes: self.open_subject(changes.subject_id),
        )

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """Something was saved here or came by sync: the list (one row when one subject
        changed), the open sync tab, and a round soon if online."""
        if changes.subject_id is None:
            self.refresh_subjects()
        else:
            self.refresh_subject(changes.subject_id)
        sync = self.sync
        if sync is None:
            return
        sync.refresh_status()
        if not changes.from_sync:
            sync.local_change()

    def _pulled(self, result: RoundResult) -> None:
        """A sync round brought other computers' data or queries: announce it to every view."""
        if self.ctx is not None and result.changes is not None:
            self.ctx.ops.notify(result.changes)

    # -- opening views --------------------------------------------------------------------

    def open_subject(self, subject_id: str | None) -> None:
        window, ctx = self.main_window, self.ctx
        if window is None or ctx is None or subject_id is None:
            return
        existing = window.find_tab(subject_id)
        if isinstance(existing, SubjectView):
            window.open_tab(existing, subject_id)
            existing.load()
            return
        view = SubjectView(ctx, subject_id)
        view.open_form.connect(self.open_form)
        window.open_tab(view, subject_id)
        view.load()
        self.subject_opened.emit(view)

    def open_form(self, key: FormKey) -> None:
        window, ctx = self.main_window, self.ctx
        if window is None or ctx is None:
            return
        title = f"{key.subject_id} · {key.event} · {key.form}"
        if key.event_repeat != 1:
            title += f" #{key.event_repeat}"
        existing = window.find_tab(title)
        if existing is not None:
            window.open_tab(existing, title)
            return
        view = FormView(ctx, key, load_form(key.form))
        self.closing.connect(view.close_form)
        window.open_tab(view, title)
        view.load()
        self.form_opened.emit(view)

    def sync_panel_title(self) -> str:
        return self.tr("Sync")

    def open_sync_panel(self) -> None:
        """Show the "Sync" tab: state, refused change sets, queries and conflicts."""
        from desktop_crf.ui.sync.panel import SyncPanel

        window, ctx, sync = self.main_window, self.ctx, self.sync
        if window is None or ctx is None or sync is None:
            return
        title = self.sync_panel_title()
        panel = window.find_tab(title)
        if not isinstance(panel, SyncPanel):
            panel = SyncPanel(ctx)
            panel.sync_now_requested.connect(sync.sync_now)
            panel.open_form.connect(self.open_form)
            sync.state_changed.connect(panel.show_state)
            panel.show_state(sync.state)
        window.open_tab(panel, title)
        panel.load()
        sync.refresh_status()

    def open_audit_view(self) -> None:
        """Show the "Audit trail" tab (reused when open), read from the top again."""
        window, ctx = self.main_window, self.ctx
        if window is None or ctx is None:
            return
        title = self.tr("Audit trail")
        view = window.find_tab(title)
        if not isinstance(view, AuditView):
            view = AuditView(ctx)
            view.open_form.connect(self.open_form)
        window.open_tab(view, title)
        view.load()

    def open_reports_view(self) -> None:
        """Show the "Study dashboard" tab (reused when open); it reads itself when shown."""
        from desktop_crf.ui.reports.view import ReportsView

        window, ctx = self.main_window, self.ctx
        if window is None or ctx is None:
            return
        title = self.tr("Study dashboard")
        view = window.find_tab(title)
        if not isinstance(view, ReportsView):
            view = ReportsView(ctx)
        window.open_tab(view, title)
        view.load()

    # -- locking --------------------------------------------------------------------------

    def lock(self) -> None:
        """Hide all data at once, then close the connection and drop the key in the worker."""
        session, self.session = self.session, None
        if session is None:
            return
        log.info("locking")
        self.idle.stop()
        self._stop_sync(wait_s=0)
        self._close_main()  # forms queue their autosave first: nothing typed is lost
        self._close_ops()
        self._locked_user = session.user
        self.worker.submit(lambda: site.lock(session), on_error=show_error)
        self._show_unlock()
        self.locked.emit()

    def shutdown(self) -> None:
        """Log out, wait for the worker, and close the windows (the app is quitting)."""
        session, self.session = self.session, None
        self.idle.stop()
        self._stop_sync(wait_s=5)
        self.closing.emit()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.idle.unwatch(app)
        if session is not None:
            self.worker.submit(lambda: site.logout(session), on_error=lambda exc: None)
        self.worker.wait_idle()
        for window in (self.main_window, self.unlock_window):
            if window is not None:
                window.close()
                window.deleteLater()
        self.main_window = self.unlock_window = None
        self._close_ops()
        self.collector.stop()

    def _close_ops(self) -> None:
        ctx, self.ctx = self.ctx, None
        if ctx is not None:
            ctx.ops.changed.disconnect(self._changed)
            ctx.ops.deleteLater()

    def _stop_sync(self, *, wait_s: float) -> None:
        """A round in flight stops between two transactions; what it did not send stays
        pending for the next unlock."""
        sync, self.sync = self.sync, None
        if sync is not None:
            sync.stop(wait_s=wait_s)
            sync.dispose()

    def show_error(self, exc: BaseException) -> None:
        show_error(exc, self.main_window or self.unlock_window)
