"""One hand-over on screen: the kiosk window over the patient's session, its flow, and the
saves. Every answer is saved through ``ops`` when it is tapped, and the next question comes
once the store has it; nothing of a previous hand-over exists here (a controller, a window and
a session are made for each one).

The kiosk speaks the patient's language: once the patient chooses a wording, the UI
translation follows it; the staff's comes back when the kiosk closes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QLocale, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from desktop_crf.errors import KnownError, UnlockDelayed
from desktop_crf.i18n import ui_language_for, use_language
from desktop_crf.services.kiosk import (
    Handover,
    HandoverEnded,
    Method,
    PinNotAccepted,
    end_handover,
)
from desktop_crf.services.questionnaire import (
    Answered,
    KioskState,
    answer_question,
    choose_language,
    finish_questionnaire,
    kiosk_state,
)
from desktop_crf.services.session import Session
from desktop_crf.services.wordings import WordingChoice, installed_wordings
from desktop_crf.ui.ops import Ops
from desktop_crf.ui.tablet.flow import QUESTIONS, KioskFlow, Screen
from desktop_crf.ui.tablet.lockdown import KioskLockdown
from desktop_crf.ui.tablet.window import KioskWindow
from desktop_crf.ui.worker import StoreWorker
from forms.instruments.qlq_c30_wording import Wording

#: The thank-you screen gives way to the hand-back screen after this long.
THANKS_MS = 12_000


@dataclass(frozen=True)
class _Start:
    state: KioskState
    choices: list[WordingChoice]


def _start(session: Session) -> _Start:
    return _Start(kiosk_state(session), installed_wordings(session))


class KioskController(QObject):
    """Signals: ``shown(Screen)`` after each screen is drawn; ``ended(HandoverEnded)`` once a
    staff member took the tablet back (the controller is then closed)."""

    shown = Signal(object)
    ended = Signal(object)

    def __init__(
        self,
        worker: StoreWorker,
        handover: Handover,
        *,
        staff_language: str = "en",
        full_screen: bool = True,
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.handover = handover
        self.ops = Ops(worker, handover.patient, self)
        self.staff_language = staff_language
        self.full_screen, self._today = full_screen, today
        self.window = KioskWindow(handover.patient.user)
        self.lockdown = KioskLockdown(self)
        self.flow = KioskFlow()
        self.state: KioskState | None = None
        self.wording: Wording | None = None
        self.closed = False
        self._thanks_timer = QTimer(self)
        self._thanks_timer.setSingleShot(True)
        self._thanks_timer.setInterval(THANKS_MS)
        self._thanks_timer.timeout.connect(self._thanks_done)
        self._connect()

    def _connect(self) -> None:
        w = self.window
        w.staff_requested.connect(self._open_staff)
        w.welcome.language_chosen.connect(self._choose_language)
        w.question.answered.connect(self._answer)
        w.question.back_requested.connect(lambda: self._move(self.flow.back))
        w.question.next_requested.connect(lambda: self._move(self.flow.next))
        w.review.back_requested.connect(lambda: self._move(self.flow.back))
        w.review.answer_skipped.connect(lambda: self._move(self.flow.answer_skipped))
        w.review.go_to.connect(lambda item: self._move(lambda: self.flow.answer_skipped(item)))
        w.review.finish_requested.connect(self._finish)
        w.thanks.done.connect(self._thanks_done)
        w.staff.submitted.connect(self._staff_submitted)
        w.staff.cancelled.connect(lambda: self._move(self.flow.close_staff))

    # -- opening ------------------------------------------------------------------------------

    def start(self) -> None:
        """Take over the screen, then read where the questionnaire stands."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.lockdown.install(app)
        self.window.retranslate()
        if self.full_screen:
            self.window.showFullScreen()
        else:
            self.window.show()
        self.window.activateWindow()
        self.ops.read(_start, self._started, owner=self)

    def _started(self, start: _Start) -> None:
        state = self.state = start.state
        self.flow = KioskFlow.resume(state.answers, state.language, finished=state.finished)
        self.window.welcome.initials = state.initials
        self.window.welcome.show_choices(start.choices, self._language_names(start.choices))
        if state.wording is not None:
            self._use_wording(state.wording)
        self._render()

    def _language_names(self, choices: list[WordingChoice]) -> dict[str, str]:
        names = {}
        for choice in choices:
            native = QLocale(choice.language.replace("-", "_")).nativeLanguageName()
            names[choice.language] = choice.language_name or native or choice.language
        return names

    def _use_wording(self, wording: Wording) -> None:
        self.wording = wording
        self.window.staff.show_wording(wording.language, wording.official)
        app = QApplication.instance()
        if app is not None:
            use_language(app, ui_language_for(wording.language))
        self.window.retranslate()

    # -- the patient's taps -------------------------------------------------------------------

    def _choose_language(self, language: str) -> None:
        today = self._today()
        self.window.welcome.setEnabled(False)
        self.ops.write(
            lambda s: choose_language(s, language, today=today),
            initiator=self.window,
            on_done=self._language_saved,
            on_error=self._failed,
        )

    def _language_saved(self, state: KioskState) -> None:
        self.window.welcome.setEnabled(True)
        self.state = state
        if state.wording is not None:
            self._use_wording(state.wording)
        self.flow.choose_language(state.language or "en")
        self._render()

    def _answer(self, item: int, answer: int) -> None:
        self.ops.write(
            lambda s: answer_question(s, item, answer),
            initiator=self.window,
            on_done=self._answered,
            on_error=lambda exc: self._answer_failed(item, exc),
        )

    def _answered(self, result: Answered) -> None:
        if result.answer is not None:
            self.flow.answered(result.item, result.answer)
        self._render()

    def _answer_failed(self, item: int, exc: KnownError) -> None:
        self.window.question.show_error(
            self.tr("Your answer could not be saved. Please ask the staff for help."),
            self.flow.answer(item),
        )

    def _finish(self) -> None:
        self.window.review.set_busy(True)
        self.ops.write(
            finish_questionnaire,
            initiator=self.window,
            on_done=lambda _changes: self._move(self.flow.finished_saved),
            on_error=self._failed,
        )

    def _thanks_done(self) -> None:
        if self.flow.screen is Screen.THANKS:
            self._move(self.flow.thanks_done)

    def _failed(self, exc: KnownError) -> None:
        """Choosing the language or finishing was refused: said on the screen the patient is
        on (the details are in the log; the patient is asked to call staff)."""
        text = self.tr("This could not be saved. Please ask the staff for help.")
        if self.flow.screen is Screen.WELCOME:
            self.window.welcome.show_error(text)
        else:
            self.window.review.show_error(text)

    def _move(self, step: Callable[[], None]) -> None:
        step()
        self._render()

    # -- staff --------------------------------------------------------------------------------

    def _open_staff(self) -> None:
        self._move(self.flow.open_staff)

    def _staff_submitted(self, user: str, secret: str, method: str) -> None:
        how: Method = "pin" if method == "pin" else "password"
        self.ops.write(
            lambda s: end_handover(s, user, secret, method=how),
            initiator=self.window,
            on_done=self._ended,
            on_error=self._staff_refused,
        )

    def _staff_refused(self, exc: KnownError) -> None:
        if isinstance(exc, UnlockDelayed):
            text = self.tr("Too many attempts. Wait {0} seconds, then try again.").format(
                round(exc.seconds)
            )
        elif isinstance(exc, PinNotAccepted):
            text = self.tr("Too many attempts: a PIN is no longer accepted. Use your password.")
        else:
            text = self.tr("The user name, PIN or password is not correct.")
        self.window.staff.show_error(text)

    def _ended(self, result: HandoverEnded) -> None:
        self.close()
        self.ended.emit(result)

    # -- drawing ------------------------------------------------------------------------------

    def _render(self) -> None:
        if self.closed:
            return
        flow, window, wording = self.flow, self.window, self.wording
        screen = flow.screen
        if screen is Screen.QUESTION and wording is None:
            screen = flow.screen = Screen.WELCOME
        if screen is Screen.QUESTION and wording is not None:
            window.question.show_question(flow.item, wording, flow.answer(flow.item))
        elif screen is Screen.REVIEW:
            window.review.show_skipped(flow.skipped())
        elif screen is Screen.THANKS:
            self._thanks_timer.start()
        title = wording.title if wording is not None else self.tr("Questionnaire")
        patient_screens = (Screen.WELCOME, Screen.QUESTION, Screen.REVIEW)
        window.set_title(title if screen in patient_screens else "")
        progress = ""
        if screen is Screen.QUESTION:
            progress = self.tr("{0} of {1}").format(flow.item, QUESTIONS)
        window.set_progress(progress)
        notice = wording.patient_notice() if wording is not None else None
        window.set_notice(notice if screen in patient_screens else None)
        window.show_screen(screen)
        self.shown.emit(screen)

    # -- closing ------------------------------------------------------------------------------

    def close(self) -> None:
        """Give the screen back (the hand-over ended, or the site locks): the window goes, the
        shortcuts work again, and the staff's language returns."""
        if self.closed:
            return
        self.closed = True
        self._thanks_timer.stop()
        self.lockdown.remove()
        self.window.release()
        self.window.close()
        self.window.deleteLater()
        app = QApplication.instance()
        if app is not None and self.wording is not None:
            use_language(app, self.staff_language)
