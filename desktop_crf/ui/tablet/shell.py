"""Handing the screen from the main window to the kiosk and back.

``AppController`` owns one ``TabletShell``. A hand-over (from a subject's view) or a hand-over
left open by a crash or a lock (found at unlock) goes: ``entering`` (the controller closes
the main window, so nothing of it can be reached) → the kiosk on its own window, over the
patient's session → ``ended(HandoverEnded)`` once a staff member took the tablet back (the
controller shows the main window again, or locks for another staff member). A lock closes the
kiosk without ending the hand-over: the next unlock resumes it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop_crf.model import FormKey
from desktop_crf.services.kiosk import (
    Handover,
    HandoverEnded,
    PendingHandover,
    hand_over,
    pending_handover,
    resume_handover,
)
from desktop_crf.services.permissions import Permission
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.tablet.controller import KioskController
from desktop_crf.ui.worker import StoreWorker


class TabletShell(QObject):
    """Signals: ``entering()`` just before the kiosk takes the screen;
    ``entered(KioskController)``; ``ended(HandoverEnded)``; ``failed(KnownError)`` when a
    hand-over was refused."""

    entering = Signal()
    entered = Signal(object)
    ended = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        worker: StoreWorker,
        *,
        staff_language: Callable[[], str],
        full_screen: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.worker = worker
        self.staff_language = staff_language
        self.full_screen = full_screen
        self.kiosk: KioskController | None = None

    @property
    def active(self) -> bool:
        return self.kiosk is not None

    def hand_over(self, ctx: UiContext, key: FormKey, show_initials: bool) -> None:
        """Hand the tablet to the patient of ``key`` (refused while a kiosk is open)."""
        if self.kiosk is not None:
            return
        ctx.ops.write(
            lambda s: hand_over(s, key, show_initials=show_initials),
            initiator=self,
            on_done=self._enter,
            on_error=self.failed.emit,
        )

    def resume_or(self, ctx: UiContext, otherwise: Callable[[], None]) -> None:
        """After an unlock: back to a hand-over left open on this device, else ``otherwise``."""
        if not ctx.may(Permission.OPEN_PATIENT_MODE):
            otherwise()
            return

        def found(pending: PendingHandover | None) -> None:
            if pending is None:
                otherwise()
                return
            ctx.ops.write(
                resume_handover,
                initiator=self,
                on_done=self._enter,
                on_error=lambda _exc: otherwise(),
            )

        ctx.ops.read(pending_handover, found, owner=self, on_error=lambda _exc: otherwise())

    def _enter(self, handover: Handover) -> None:
        if self.kiosk is not None:
            return
        self.entering.emit()
        language = self.staff_language()
        kiosk = KioskController(
            self.worker,
            handover,
            staff_language="zh_CN" if language.startswith("zh") else "en",
            full_screen=self.full_screen,
            parent=self,
        )
        kiosk.ended.connect(self._ended)
        self.kiosk = kiosk
        kiosk.start()
        self.entered.emit(kiosk)

    def _ended(self, result: HandoverEnded) -> None:
        kiosk, self.kiosk = self.kiosk, None
        if kiosk is not None:
            kiosk.deleteLater()
        self.ended.emit(result)

    def close(self) -> None:
        """The site locks or the app quits: the kiosk goes, the hand-over stays open."""
        kiosk, self.kiosk = self.kiosk, None
        if kiosk is not None:
            kiosk.close()
            kiosk.deleteLater()
