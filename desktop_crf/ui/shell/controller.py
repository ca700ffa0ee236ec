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

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from desktop_crf.errors import KnownError
from desktop_crf.model import Changes, FormKey
from desktop_crf.services.permissions import Permission, allowed
from desktop_crf.services.site_labels import site_label
from desktop_crf.ui.collector import GuiThreadCollector
from desktop_crf.ui.errors import show_error
from desktop_crf.ui.shell import preload
from desktop_crf.ui.shell.idle import DEFAULT_IDLE_MINUTES, IdleWatcher
from desktop_crf.ui.shell.unlock_window import UnlockWindow
from desktop_crf.ui.worker import StoreWorker

if TYPE_CHECKING:
    # The rest of the app is imported on a thread while the unlock window waits for a
    # password (``preload``), and by the methods below when they first need it: the unlock
    # window comes up without it.
    from desktop_crf.services.kiosk import HandoverEnded
    from desktop_crf.services.overview import SubjectList
    from desktop_crf.services.session import Session
    from desktop_crf.services.sync import RoundResult
    from desktop_crf.ui.context import UiContext
    from desktop_crf.ui.shell.main_window import MainWindow
    from desktop_crf.ui.subjects.status_dialogs import NewScreeningDialog
    from desktop_crf.ui.sync.controller import SyncController
    from desktop_crf.ui.tablet.shell import TabletShell
    from forms.text import Language

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
        sites: list[Path] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.root = root
        self.sites = sites or [root]  # the unlock window offers them when there are several
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
        self._reopen: tuple[str | None, list[Any]] = (None, [])
        self.screening_dialog: NewScreeningDialog | None = None
        self.idle = IdleWatcher(self, timeout_ms=int(idle_minutes * 60_000))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.idle.watch(app)
        self.idle.idle.connect(self.lock)
        self.collector = GuiThreadCollector(self)
        self._tablet: TabletShell | None = None

    @property
    def tablet(self) -> TabletShell:
        """The patient tablet's shell (made at the first unlock: see ``ui/tablet/shell``)."""
        if self._tablet is None:
            from desktop_crf.ui.tablet.shell import TabletShell

            tablet = self._tablet = TabletShell(
                self.worker, staff_language=lambda: self.language, parent=self
            )
            tablet.entering.connect(
                lambda: self._close_main(self.session.user if self.session else None)
            )
            tablet.entered.connect(self._kiosk_entered)
            tablet.ended.connect(self._tablet_ended)
            tablet.failed.connect(self.show_error)
        return self._tablet

    # -- unlocking ------------------------------------------------------------------------

    def start(self) -> None:
        self.collector.start()
        self._show_unlock()
        preload.start()  # the rest of the app, while the person types their password

    def _show_unlock(self, user: str | None = None) -> None:
        labels = [site_label(root) for root in self.sites]
        current = self.sites.index(self.root) if self.root in self.sites else 0
        window = UnlockWindow(
            site_label(self.root),
            locked_user=self._locked_user,
            language=self.language,
            sites=labels,
            current=current,
        )
        if user and not self._locked_user:
            window.user_edit.setText(user)
        window.unlock_requested.connect(self._unlock)
        window.language_changed.connect(self._unlock_language)
        window.site_chosen.connect(self._choose_site)
        self.worker.busy_changed.connect(window.set_busy)
        self.unlock_window = window
        window.show()

    def _unlock_language(self, language: str) -> None:
        """The language chosen before signing in: the unlock window shows itself in it."""
        old = self.unlock_window
        self.set_language(language)
        if old is None:
            return
        user = old.user_edit.text()
        self._close_unlock()
        self._show_unlock(user)

    def _choose_site(self, index: int) -> None:
        """Another of the sites the app was opened with (e.g. the two demo sites)."""
        self.root, self._locked_user = self.sites[index], None
        self._close_unlock()
        self._show_unlock()

    def _close_unlock(self) -> None:
        window, self.unlock_window = self.unlock_window, None
        if window is not None:
            self.worker.busy_changed.disconnect(window.set_busy)
            window.close()
            window.deleteLater()

    def _unlock(self, user: str, password: str) -> None:
        resume = self._locked_user is not None and user == self._locked_user
        root = self.root
        self.worker.submit(
            lambda: _unlock_site(root, user, password, resume=resume),
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
        # The unlock window stays until the main window or the kiosk is shown: with no window
        # in between, Qt would take the gap for the last window closed and quit the app.
        from desktop_crf.ui.context import UiContext

        self.ctx = UiContext.open(
            self.worker, session, language=self.language, autosave_ms=self.autosave_ms
        )
        self.ctx.ops.setParent(self)
        self.ctx.ops.changed.connect(self._changed)
        if allowed(session.role, Permission.SYNC):
            from desktop_crf.ui.sync.controller import SyncController

            self.sync = SyncController(self.worker, session, parent=self, **self.sync_options)
            self.sync.pulled.connect(self._pulled)
        self.tablet.resume_or(self.ctx, lambda: self._show_main(session))
        self.idle.start()
        self.unlocked.emit()
        if self.sync is not None:
            self.sync.start()
        # What exists now lives as long as the session: keep it out of the garbage collector's
        # full passes, which otherwise pause the GUI thread for tens of milliseconds.
        gc.freeze()
        self._freeze_when_preloaded()

    def _freeze_when_preloaded(self) -> None:
        """The rest of the app, imported on a thread while the password is typed, is kept out
        of the collector's full passes too once it is in (imported after the freeze at unlock,
        each full pass would go through all of it again)."""
        if preload.running():
            QTimer.singleShot(100, self, self._freeze_when_preloaded)
        else:
            gc.freeze()

    def _show_main(self, session: Session) -> None:
        """The main window, its subjects read again and the same person's tabs back."""
        if self.session is not session or self.main_window is not None:
            return  # locked meanwhile, or shown already
        from desktop_crf.ui.shell.main_window import MainWindow

        window = MainWindow(
            session.site,
            user=session.full_name,
            role=session.role,
            language=self.language,
            can_enrol=allowed(session.role, Permission.ENROLL),
            can_review_audit=allowed(session.role, Permission.VIEW_AUDIT),
            can_import_labs=allowed(session.role, Permission.ENTER_DATA),
            can_see_lab_ranges=allowed(session.role, Permission.VIEW_LAB_RANGES),
            can_export=allowed(session.role, Permission.EXPORT),
            can_import_data=allowed(session.role, Permission.IMPORT_DATA),
            can_view_reports=allowed(session.role, Permission.VIEW_DATA),
            has_tasks=allowed(session.role, Permission.VIEW_DATA),
            can_monitor=allowed(session.role, Permission.VERIFY_SOURCE),
        )
        window.lock_requested.connect(self.lock)
        window.refresh_requested.connect(self.refresh_subjects)
        window.subject_activated.connect(self.open_subject)
        window.new_screening_requested.connect(self.new_screening)
        window.language_changed.connect(self.set_language)
        window.audit_requested.connect(self.open_audit_view)
        window.lab_ranges_requested.connect(self.open_lab_ranges)
        window.lab_import_requested.connect(self.open_lab_import)
        window.export_requested.connect(self.open_export_dialog)
        window.import_requested.connect(self.open_import_dialog)
        window.reports_requested.connect(self.open_reports_view)
        window.tasks_requested.connect(self.open_tasks)
        window.sdv_requested.connect(self.open_sdv)
        window.monitoring_visit_requested.connect(self.open_monitoring_visit)
        self.worker.busy_changed.connect(window.set_busy)
        sync = self.sync
        if sync is not None:
            window.sync_indicator.show_state(sync.state)
            sync.state_changed.connect(window.sync_indicator.show_state)
            sync.notice.connect(window.show_notice)
            window.sync_now_requested.connect(sync.sync_now)
            window.sync_panel_requested.connect(self.open_sync_panel)
            window.sync_action.setVisible(not session.site.demo)  # the demo never syncs
        else:
            window.sync_indicator.hide()
            window.sync_action.setVisible(False)
        self.main_window = window
        window.show()
        self._close_unlock()
        self.idle.watch_window(window.windowHandle())
        self.refresh_subjects()
        self._reopen_tabs(session.user)

    # -- the patient tablet ---------------------------------------------------------------

    def hand_to_patient(self, key: FormKey, show_initials: bool) -> None:
        """The kiosk takes the screen for the patient of ``key`` (see ``ui/tablet/shell``)."""
        if self.ctx is not None:
            self.tablet.hand_over(self.ctx, key, show_initials)

    def _kiosk_entered(self, kiosk: Any) -> None:
        self._close_unlock()  # a hand-over resumed at unlock: the kiosk replaces the window
        self.idle.watch_window(kiosk.window.windowHandle())

    def _tablet_ended(self, ended: HandoverEnded) -> None:
        """Back to the staff member who handed over, on the patient's subject; another staff
        member who took the tablet back signs in as themselves."""
        session = self.session
        if session is None:
            return
        if not ended.same_user:
            self.lock(for_user=ended.user)
            return
        self._show_main(session)
        self.open_subject(ended.key.subject_id)

    def set_language(self, language: str) -> None:
        """Switch the UI and the form labels to ``language`` ("en" or "zh_CN"), keep the
        choice, and rebuild the main window (autosaving any form being typed first)."""
        from PySide6.QtCore import QSettings

        from desktop_crf.i18n import use_language

        app = QApplication.instance()
        if app is not None:
            use_language(app, language)
        QSettings().setValue("language", language)
        self.language = "zh" if language.startswith("zh") else "en"
        session, ctx = self.session, self.ctx
        if session is None or ctx is None or self.main_window is None:
            return
        self._close_main(session.user)
        ctx.language = self.language
        self._show_main(session)

    def _close_main(self, user: str | None = None) -> None:
        window, self.main_window = self.main_window, None
        if window is None:
            return
        self._reopen = (user, window.open_keys())
        self.closing.emit()
        window.clear()
        self.worker.busy_changed.disconnect(window.set_busy)
        window.close_now()
        window.deleteLater()

    def _reopen_tabs(self, user: str) -> None:
        """The same person's tabs come back after a lock or a language switch."""
        (who, keys), self._reopen = self._reopen, (None, [])
        if who != user:
            return
        for key in keys:
            if isinstance(key, FormKey):
                self.open_form(key)
            elif isinstance(key, tuple) and key[0] == "subject":
                self.open_subject(key[1])
            elif key == "audit":
                self.open_audit_view()
            elif key == "sync":
                self.open_sync_panel()
            elif key == "lab_ranges":
                self.open_lab_ranges()
            elif key == "reports":
                self.open_reports_view()
            elif key == "tasks":
                self.open_tasks()
            elif key == "sdv":
                self.open_sdv()
            elif key == "monitoring_visit":
                self.open_monitoring_visit()

    # -- data -----------------------------------------------------------------------------

    def refresh_subjects(self) -> None:
        if self.ctx is None or not self.ctx.may(Permission.VIEW_DATA):
            return  # a site admin sees no clinical data: the list stays empty
        from desktop_crf.services.overview import subject_list

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
        if self.ctx is None or not self.ctx.may(Permission.VIEW_DATA):
            return
        from desktop_crf.services.overview import subject_list

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
        """Ask for the subject's initials and the screening date (or cancel); then open a
        screening record with an id no other device can assign, and show it."""
        if self.ctx is None or self.main_window is None:
            return
        from desktop_crf.ui.subjects.status_dialogs import NewScreeningDialog

        dialog = NewScreeningDialog(self.main_window)
        dialog.accepted.connect(lambda: self._screen(dialog))
        self.screening_dialog = dialog
        dialog.open()

    def _screen(self, dialog: NewScreeningDialog) -> None:
        if self.ctx is None:
            return
        from desktop_crf.services.subjects import screen_subject
        from desktop_crf.studies import load_study

        initials, day = dialog.initials(), dialog.screened_on()
        self.ctx.ops.write(
            lambda s: screen_subject(
                s,
                study_version=load_study(s.site.study_id).version,
                screened_on=day,
                initials=initials,
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
        from desktop_crf.ui.subjects.view import SubjectView

        existing = window.find_tab(("subject", subject_id))
        if isinstance(existing, SubjectView):
            window.open_tab(existing, subject_id, ("subject", subject_id))
            existing.load()
            return
        view = SubjectView(ctx, subject_id)
        view.open_form.connect(self.open_form)
        view.hand_to_patient.connect(self.hand_to_patient)
        window.open_tab(view, subject_id, ("subject", subject_id))
        view.load()
        self.subject_opened.emit(view)

    def open_form(self, key: FormKey) -> None:
        window, ctx = self.main_window, self.ctx
        if window is None or ctx is None:
            return
        title = ctx.labels.form_title(key.subject_id, key.event, key.form, key.event_repeat)
        existing = window.find_tab(key)
        if existing is not None:
            window.open_tab(existing, title, key)
            return
        from desktop_crf.studies import load_form
        from desktop_crf.ui.form.view import FormView

        view = FormView(ctx, key, load_form(key.form))
        self.closing.connect(view.close_form)
        window.open_tab(view, title, key)
        view.load()
        self.form_opened.emit(view)

    def sync_panel_title(self) -> str:
        from desktop_crf.ui.shell import tabs

        return tabs.sync_panel_title()

    def open_sync_panel(self) -> None:
        window, ctx, sync = self.main_window, self.ctx, self.sync
        if window is not None and ctx is not None and sync is not None:
            from desktop_crf.ui.shell import tabs

            tabs.open_sync_panel(window, ctx, sync, self.open_form)

    def open_audit_view(self) -> None:
        if self.main_window is not None and self.ctx is not None:
            from desktop_crf.ui.shell import tabs

            tabs.open_audit_view(self.main_window, self.ctx, self.open_form)

    def open_tasks(self) -> None:
        if self.main_window is not None and self.ctx is not None:
            from desktop_crf.ui.shell import tabs

            tabs.open_tasks(self.main_window, self.ctx, self.open_form, self.open_subject)

    def open_sdv(self) -> None:
        if self.main_window is not None and self.ctx is not None:
            from desktop_crf.ui.shell import tabs

            tabs.open_sdv(self.main_window, self.ctx, self.open_form)

    def open_monitoring_visit(self) -> None:
        if self.main_window is not None and self.ctx is not None:
            from desktop_crf.ui.shell import tabs

            tabs.open_monitoring_visit(self.main_window, self.ctx)

    def open_lab_ranges(self) -> None:
        if self.main_window is not None and self.ctx is not None:
            from desktop_crf.ui.shell import tabs

            tabs.open_lab_ranges(self.main_window, self.ctx)

    def open_lab_import(self) -> None:
        if self.main_window is not None and self.ctx is not None:
            from desktop_crf.ui.shell import tabs

            tabs.open_lab_import(self.main_window, self.ctx, self.open_form)

    def open_export_dialog(self) -> None:
        """The "Export data" dialog, for the subjects the list shows."""
        window, ctx = self.main_window, self.ctx
        if window is None or ctx is None:
            return
        subjects = [window.model.row_at(n).subject_id for n in range(window.model.rowCount())]
        from desktop_crf.ui.exports.dialog import ExportDialog

        dialog = ExportDialog(ctx, subjects, parent=window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def open_import_dialog(self) -> None:
        """The admin's "Import study data" dialog (into an empty site)."""
        window, ctx = self.main_window, self.ctx
        if window is None or ctx is None:
            return
        from desktop_crf.ui.exports.odm_import import OdmImportDialog

        dialog = OdmImportDialog(ctx, parent=window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def open_reports_view(self) -> None:
        if self.main_window is not None and self.ctx is not None:
            from desktop_crf.ui.shell import tabs

            tabs.open_reports_view(self.main_window, self.ctx)

    # -- locking --------------------------------------------------------------------------

    def lock(self, for_user: str | None = None) -> None:
        """Hide all data at once, then close the connection and drop the key in the worker.
        The unlock window then offers ``for_user`` (default: who was working)."""
        session, self.session = self.session, None
        if session is None:
            return
        log.info("locking")
        self.idle.stop()
        self._stop_sync(wait_s=0)
        if self._tablet is not None:
            self._tablet.close()  # a hand-over stays open: the next unlock goes back to it
        self._close_main(session.user)  # forms queue their autosave first: nothing typed is lost
        self._close_ops()
        self._locked_user = for_user or session.user
        self.worker.submit(lambda: _lock_site(session), on_error=show_error)
        self._show_unlock()
        self.locked.emit()

    def shutdown(self) -> None:
        """Log out, wait for the worker, and close the windows (the app is quitting)."""
        session, self.session = self.session, None
        self.idle.stop()
        self._stop_sync(wait_s=5)
        if self._tablet is not None:
            self._tablet.close()
        self.closing.emit()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.idle.unwatch(app)
        if session is not None:
            self.worker.submit(lambda: _logout(session), on_error=lambda exc: None)
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


def _unlock_site(root: Path, user: str, password: str, *, resume: bool) -> Session:
    from desktop_crf.services import site

    return site.unlock(root, user, password, resume=resume)


def _lock_site(session: Session) -> None:
    from desktop_crf.services import site

    site.lock(session)


def _logout(session: Session) -> None:
    from desktop_crf.services import site

    site.logout(session)
