"""Where the patient is in the questionnaire, and where each tap leads: plain Python, no Qt.

Screens, in order: the welcome (language), one question per screen (1–30), the last screen
(the questions left unanswered: answer them or finish), thank you, then the neutral hand-back
screen. The staff sign-in can be opened from any screen and returns to where it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

QUESTIONS = 30


class Screen(Enum):
    WELCOME = "welcome"
    QUESTION = "question"
    REVIEW = "review"
    THANKS = "thanks"
    HAND_BACK = "hand_back"
    STAFF = "staff"


@dataclass
class KioskFlow:
    """The patient's place; the answers are those saved (the controller adds one only once the
    store has it)."""

    answers: dict[int, int] = field(default_factory=dict)
    language: str | None = None
    screen: Screen = Screen.WELCOME
    item: int = 1
    finished: bool = False
    answering_skipped: bool = False
    _before_staff: Screen | None = None

    @classmethod
    def resume(
        cls, answers: Mapping[int, int], language: str | None, *, finished: bool
    ) -> KioskFlow:
        """Where a hand-over starts (fresh), or goes on after a crash: the question after the
        last one answered, in the language chosen; after finishing, the hand-back screen."""
        flow = cls(dict(answers), language, finished=finished)
        if finished:
            flow.screen = Screen.HAND_BACK
        elif language is not None:
            flow.item = max(answers, default=0) + 1
            flow.screen = Screen.REVIEW if flow.item > QUESTIONS else Screen.QUESTION
        return flow

    # -- the patient's taps -------------------------------------------------------------------

    def choose_language(self, language: str) -> None:
        self.language = language
        self.item = min(max(self.answers, default=0) + 1, QUESTIONS)
        self.screen = Screen.QUESTION

    def answered(self, item: int, answer: int) -> None:
        """An answer the store has saved: on to the next question."""
        self.answers[item] = answer
        if item == self.item:
            self.next()

    def next(self) -> None:
        """On without answering (the question is then listed as skipped), or after answering."""
        if self.answering_skipped:
            later = [n for n in self.skipped() if n > self.item]
            if later:
                self.item = later[0]
            else:
                self.answering_skipped = False
                self.screen = Screen.REVIEW
            return
        if self.item >= QUESTIONS:
            self.screen = Screen.REVIEW
        else:
            self.item += 1

    def back(self) -> None:
        if self.screen is Screen.REVIEW:
            self.screen, self.item = Screen.QUESTION, QUESTIONS
        elif self.item > 1:
            self.item -= 1
        else:
            self.screen = Screen.WELCOME
        self.answering_skipped = False

    def answer_skipped(self, item: int | None = None) -> None:
        """From the last screen: answer the skipped questions (from ``item``, or the first)."""
        skipped = self.skipped()
        if not skipped:
            return
        self.item = item if item in skipped else skipped[0]
        self.answering_skipped = True
        self.screen = Screen.QUESTION

    def finished_saved(self) -> None:
        self.finished, self.screen = True, Screen.THANKS

    def thanks_done(self) -> None:
        self.screen = Screen.HAND_BACK

    def open_staff(self) -> None:
        if self.screen is not Screen.STAFF:
            self._before_staff = self.screen
            self.screen = Screen.STAFF

    def close_staff(self) -> None:
        self.screen = self._before_staff or Screen.WELCOME
        self._before_staff = None

    # -- what the screens show ----------------------------------------------------------------

    def skipped(self) -> list[int]:
        return [n for n in range(1, QUESTIONS + 1) if n not in self.answers]

    def answer(self, item: int) -> int | None:
        return self.answers.get(item)
