"""Which window is shown when: unlock → main window → (idle or Lock) → unlock again.

Owns the session, which only the store worker touches.
"""

from __future__ import annotations

import gc
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_crf.errors import KnownError
from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services.adverse_events import ae_summaries
from desktop_crf.services.permissions import Permission, allowed
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject, subject_rows
from desktop_crf.services.sync_overview import subject_sync_counts
from desktop_crf.studies import load_form
from desktop_crf.ui.audit.view import AuditView
from desktop_crf.ui.collector import GuiThreadCollector
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.form.view import FormView
from desktop_crf.ui.shell.idle import DEFAULT_IDLE_MINUTES, IdleWatcher
from desktop_crf.ui.shell.main_window import MainWindow
from desktop_crf.ui.shell.unlock_window import UnlockWindow
from desktop_crf.ui.subjects.view import SubjectView
from desktop_crf.ui.worker import StoreWorker

if TYPE_CHECKING:  # loaded at unlock: the network stack is not needed to show the unlock window
    from desktop_crf.ui.sync.controller import SyncController


class AppController(QObject):
    unlocked = Signal()
    locked = Signal()
    subjects_loaded = Signal(int)
    subject_opened = Signal(object)  # SubjectView
    form_opened = Signal(object)  # FormView

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
        self.language = language
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
            self.unlock_window.show_error(str(exc))
        else:
            self.unlock_window.show_error(self.tr("Unexpected error: {0}").format(exc))
            _crash_report(self.unlock_window, exc)

    def _unlocked(self, session: Session) -> None:
        self.session = session
        self._locked_user = None
        if self.unlock_window is not None:
            self.worker.busy_changed.disconnect(self.unlock_window.set_busy)
            self.unlock_window.close()
            self.unlock_window.deleteLater()
            self.unlock_window = None
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
        self.ctx = UiContext(
            self.worker,
            session,
            session.role,
            "zh" if self.language.startswith("zh") else "en",
            self.autosave_ms,
        )
        window = MainWindow(
            session.site,
            user=session.full_name,
            role=session.role,
            language=self.language,
            can_enrol=allowed(session.role, Permission.ENROLL),
            can_review_audit=allowed(session.role, Permission.VIEW_AUDIT),
        )
        window.lock_requested.connect(self.lock)
        window.refresh_requested.connect(self.refresh_subjects)
        window.subject_activated.connect(self.open_subject)
        window.new_screening_requested.connect(self.new_screening)
        window.language_changed.connect(self.set_language)
        window.audit_requested.connect(self.open_audit_view)
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
        session = self.session
        if session is None or self.main_window is None:
            return
        self._close_main()
        self._show_main(session)
        self.refresh_subjects()

    def _close_main(self) -> None:
        window = self.main_window
        if window is None:
            return
        for view in window.views():
            if isinstance(view, FormView):
                view.autosave_now()
                view.autosave_timer.stop()
        window.clear()
        self.worker.busy_changed.disconnect(window.set_busy)
        window.close()
        window.deleteLater()
        self.main_window = None

    # -- data -----------------------------------------------------------------------------

    def refresh_subjects(self) -> None:
        session = self.session
        if session is None:
            return
        self.worker.submit(
            lambda: (
                subject_rows(session, today=date.today()),
                ae_summaries(session, now=datetime.now().astimezone()),
                subject_sync_counts(session),
            ),
            on_done=self._show_subjects,
            on_error=self.show_error,
        )

    def _show_subjects(self, result: tuple[list[Any], dict[str, Any], dict[str, Any]]) -> None:
        rows, aes, counts = result
        if self.main_window is not None and self.session is not None:
            self.main_window.set_subjects(rows, aes, counts)
            self.subjects_loaded.emit(len(rows))

    def new_screening(self) -> None:
        """Open a screening record with an id no other device can assign, and show it."""
        session = self.session
        if session is None:
            return
        self.worker.submit(
            lambda: screen_subject(
                session, study_version=_latest(session), screened_on=date.today().isoformat()
            ),
            on_done=lambda changes: (
                self.refresh_subjects(),
                self.open_subject(changes.subject_id),
            ),
            on_error=self.show_error,
        )

    def open_subject(self, subject_id: str) -> None:
        window, ctx = self.main_window, self.ctx
        if window is None or ctx is None:
            return
        existing = window.find_tab(subject_id)
        if isinstance(existing, SubjectView):
            window.open_tab(existing, subject_id)
            existing.load()
            return
        view = SubjectView(ctx, subject_id)
        view.open_form.connect(self.open_form)
        view.changed.connect(lambda: self._data_changed())
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
        view.saved.connect(lambda _c: self._form_saved(key.subject_id))
        view.query_raised.connect(lambda _t: self._form_saved(key.subject_id))
        window.open_tab(view, title)
        view.load()
        self.form_opened.emit(view)

    def _form_saved(self, subject_id: str) -> None:
        if self.main_window is None:
            return
        subject = self.main_window.find_tab(subject_id)
        if isinstance(subject, SubjectView):
            subject.load()
        self._data_changed(subject_id)

    def refresh_subject(self, subject_id: str) -> None:
        """Recompute one subject's row only: a save must not redo the whole list."""
        session = self.session
        if session is None:
            return
        self.worker.submit(
            lambda: (
                subject_rows(session, today=date.today(), subject_id=subject_id),
                ae_summaries(session, now=datetime.now().astimezone(), subject_id=subject_id),
                subject_sync_counts(session),
            ),
            on_done=lambda result: self._show_subject_row(subject_id, result),
            on_error=self.show_error,
        )

    def _show_subject_row(self, subject_id: str, result: tuple[Any, Any, Any]) -> None:
        if self.main_window is not None and self.session is not None:
            self.main_window.model.update_rows(*result, subject_id=subject_id)

    def _data_changed(self, subject_id: str | None = None) -> None:
        """Something was saved here: the list, the sync counts, and a round soon if online."""
        if subject_id is None:
            self.refresh_subjects()
        else:
            self.refresh_subject(subject_id)
        if self.sync is not None:
            self.sync.refresh_status()
            self.sync.local_change()

    # -- sync -----------------------------------------------------------------------------

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
            panel.changed.connect(lambda: self._data_changed())
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

    def _pulled(self, _result: object) -> None:
        """Data or queries came down: reload the list, the open subjects and the audit trail;
        open forms show the new values in the rows nobody is changing (and keep the typing)."""
        from desktop_crf.ui.audit.view import AuditView
        from desktop_crf.ui.sync.panel import SyncPanel

        self.refresh_subjects()
        if self.main_window is None:
            return
        for view in self.main_window.views():
            if isinstance(view, SubjectView | SyncPanel):
                view.load()
            elif isinstance(view, FormView):
                view.take_stored()
            elif isinstance(view, AuditView):
                view.entries_arrived()

    # -- locking --------------------------------------------------------------------------

    def lock(self) -> None:
        """Hide all data at once, then close the connection and drop the key in the worker."""
        session, self.session = self.session, None
        if session is None:
            return
        self.idle.stop()
        self._stop_sync(wait_s=0)
        if self.main_window is not None:
            for view in self.main_window.views():
                if isinstance(view, FormView):
                    view.autosave_now()  # queued before the lock: nothing typed is lost
                    view.autosave_timer.stop()
            self.main_window.clear()
            self.worker.busy_changed.disconnect(self.main_window.set_busy)
            self.main_window.close()
            self.main_window.deleteLater()
            self.main_window = None
        self._locked_user = session.user
        self.ctx = None
        self.worker.submit(lambda: site.lock(session), on_error=self.show_error)
        self._show_unlock()
        self.locked.emit()

    def shutdown(self) -> None:
        """Log out, wait for the worker, and close the windows (the app is quitting)."""
        session, self.session = self.session, None
        self.idle.stop()
        self._stop_sync(wait_s=5)
        if self.main_window is not None:
            for view in self.main_window.views():
                if isinstance(view, FormView):
                    view.autosave_now()
                    view.autosave_timer.stop()
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
        self.collector.stop()

    def _stop_sync(self, *, wait_s: float) -> None:
        """A round in flight stops between two transactions; what it did not send stays
        pending for the next unlock."""
        sync, self.sync = self.sync, None
        if sync is not None:
            sync.stop(wait_s=wait_s)
            sync.dispose()

    # -- errors ---------------------------------------------------------------------------

    def show_error(self, exc: BaseException) -> None:
        parent = self.main_window or self.unlock_window
        if isinstance(exc, KnownError):
            QMessageBox.warning(parent, self.tr("desktop-crf"), str(exc))
        else:
            _crash_report(parent, exc)


def _latest(session: Session) -> str:
    from desktop_crf.studies import load_study

    return load_study(session.site.study_id).version


def _crash_report(parent: QWidget | None, exc: BaseException) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QApplication.translate("AppController", "desktop-crf: unexpected error"))
    box.setText(
        QApplication.translate(
            "AppController",
            "Something went wrong inside desktop-crf. Nothing saved before was lost. Please send "
            "the details below to your data manager.",
        )
    )
    box.setDetailedText(getattr(exc, "__traceback_text__", repr(exc)))
    box.open()
