"""The patient's screens: welcome (language), one question, the last screen (skipped
questions), thank you, and the neutral hand-back screen.

The questionnaire's words come from its wording (data); the rest (Back, Next, "12 of 30")
are UI strings in the patient's language. Pages only show and signal; the controller saves.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.services.wordings import WordingChoice
from desktop_crf.ui.tablet.flow import QUESTIONS
from forms.instruments.qlq_c30 import answer_range
from forms.instruments.qlq_c30_wording import Wording


def label(text: str = "", name: str = "", *, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)  # wording is data, never markup
    if name:
        widget.setObjectName(name)
    return widget


def button(text: str = "", name: str = "", *, checkable: bool = False) -> QPushButton:
    widget = QPushButton(text)
    widget.setCheckable(checkable)
    widget.setAutoDefault(False)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if name:
        widget.setObjectName(name)
    return widget


class Page(QWidget):
    """A screen: its content (``box``), which wraps and, if a long wording needs it, scrolls
    up and down but never sideways; and its buttons (``nav``), always in view at the bottom."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("kioskPage")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        content = QWidget()
        content.setObjectName("kioskPage")
        self.box = QVBoxLayout(content)
        self.box.setContentsMargins(48, 16, 48, 8)
        self.box.setSpacing(14)
        self.scroll_area = QScrollArea()
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)
        outer.addWidget(self.scroll_area, 1)
        self.nav = QHBoxLayout()
        self.nav.setContentsMargins(48, 8, 48, 16)
        self.nav.setSpacing(16)
        outer.addLayout(self.nav)


class WelcomePage(Page):
    """The first screen: who it is for (initials, if staff chose to show them) and a button per
    installed wording, each in its own language."""

    language_chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.title = label(name="kioskTitle")
        self.for_label = label(name="forWhom")
        self.choose = label()
        self.box.addWidget(self.title)
        self.box.addWidget(self.for_label)
        self.box.addSpacing(24)
        self.box.addWidget(self.choose)
        self.buttons_box = QVBoxLayout()
        self.buttons_box.setSpacing(16)
        self.box.addLayout(self.buttons_box)
        self.error = label(name="error")
        self.error.hide()
        self.box.addWidget(self.error)
        self.box.addStretch(1)
        self.language_buttons: list[QPushButton] = []
        self.initials: str | None = None

    def show_choices(self, choices: list[WordingChoice], names: dict[str, str]) -> None:
        for old in self.language_buttons:
            old.deleteLater()
        self.language_buttons = []
        for choice in choices:
            widget = button(names.get(choice.language, choice.language), "answer")
            widget.setProperty("language", choice.language)
            widget.clicked.connect(lambda _=False, c=choice.language: self.language_chosen.emit(c))
            self.buttons_box.addWidget(widget)
            self.language_buttons.append(widget)
        self.retranslate()

    def show_error(self, text: str) -> None:
        self.setEnabled(True)
        self.error.setText(text)
        self.error.show()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Welcome"))
        self.choose.setText(self.tr("Please choose the language of the questionnaire."))
        self.for_label.setVisible(bool(self.initials))
        if self.initials:
            self.for_label.setText(self.tr("This questionnaire is for: {0}").format(self.initials))


class QuestionPage(Page):
    """One question: its heading, its text, and its answers as large buttons (four labelled
    answers, or the 1–7 scale of questions 29 and 30 with its two ends labelled).

    The buttons are made once and relabelled for each question: a tap shows the next question
    without building a widget."""

    answered = Signal(int, int)  # item, answer
    back_requested = Signal()
    next_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.item = 0
        self.heading = label(name="heading")
        self.question = label(name="question")
        self.box.addWidget(self.heading)
        self.box.addWidget(self.question)
        self.box.addSpacing(8)
        self.four = QWidget()
        four = QVBoxLayout(self.four)
        four.setContentsMargins(0, 0, 0, 0)
        four.setSpacing(14)
        self.four_buttons = [self._button(code, "answer") for code in range(1, 5)]
        for widget in self.four_buttons:
            four.addWidget(widget)
        self.seven = QWidget()
        grid = QGridLayout(self.seven)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        self.seven_buttons = [self._button(code, "scale") for code in range(1, 8)]
        for column, widget in enumerate(self.seven_buttons):
            widget.setText(str(column + 1))
            grid.addWidget(widget, 0, column)
        self.scale_ends = (label(name="scaleEnd"), label(name="scaleEnd"))
        for column, end in zip((0, 6), self.scale_ends, strict=True):
            end.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(end, 1, column)
        self.box.addWidget(self.four)
        self.box.addWidget(self.seven)
        self.error = label(name="error")
        self.error.hide()
        self.box.addWidget(self.error)
        self.box.addStretch(1)
        self.back_button = button(name="back")
        self.next_button = button(name="next")
        self.back_button.clicked.connect(self.back_requested)
        self.next_button.clicked.connect(self.next_requested)
        self.nav.addWidget(self.back_button)
        self.nav.addStretch(1)
        self.nav.addWidget(self.next_button)
        self.answer_buttons: dict[int, QPushButton] = {}

    def _button(self, code: int, name: str) -> QPushButton:
        widget = button("", name, checkable=True)
        widget.clicked.connect(lambda _=False, c=code: self._tapped(c))
        return widget

    def show_question(self, item: int, wording: Wording, answer: int | None) -> None:
        self.item = item
        headings = [n for n in wording.headings if n <= item]
        self.heading.setText(wording.headings[max(headings)] if headings else "")
        self.heading.setVisible(bool(headings))
        self.question.setText(f"{item}. {wording.items[item]}")
        low, high = answer_range(item)
        scale = high == 7
        if scale:
            self.answer_buttons = dict(enumerate(self.seven_buttons, start=1))
            self.scale_ends[0].setText(wording.answer_label(item, low))
            self.scale_ends[1].setText(wording.answer_label(item, high))
        else:
            self.answer_buttons = dict(enumerate(self.four_buttons, start=1))
            for code, widget in self.answer_buttons.items():
                widget.setText(wording.answer_label(item, code))
        self.four.setVisible(not scale)
        self.seven.setVisible(scale)
        self.show_answer(answer)
        self.set_busy(False)
        self.error.hide()
        self.retranslate()

    def _tapped(self, code: int) -> None:
        self.show_answer(code)
        self.set_busy(True)
        self.answered.emit(self.item, code)

    def show_answer(self, answer: int | None) -> None:
        for code, widget in self.answer_buttons.items():
            widget.setChecked(code == answer)

    def set_busy(self, busy: bool) -> None:
        """While an answer is being saved, no second tap counts."""
        for widget in (*self.answer_buttons.values(), self.back_button, self.next_button):
            widget.setEnabled(not busy)

    def show_error(self, text: str, answer: int | None) -> None:
        self.set_busy(False)
        self.show_answer(answer)
        self.error.setText(text)
        self.error.show()

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("Back"))
        self.next_button.setText(self.tr("Next"))


class ReviewPage(Page):
    """The last screen: the questions left unanswered, to answer or leave; then finish."""

    go_to = Signal(int)
    answer_skipped = Signal()
    finish_requested = Signal()
    back_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.title = label(name="kioskTitle")
        self.summary = label()
        self.box.addWidget(self.title)
        self.box.addWidget(self.summary)
        self.grid = QGridLayout()
        self.grid.setSpacing(14)
        self.box.addLayout(self.grid)
        self.error = label(name="error")
        self.error.hide()
        self.box.addWidget(self.error)
        self.box.addStretch(1)
        self.back_button = button(name="back")
        self.answer_button = button(name="answerSkipped")
        self.finish_button = button(name="primary")
        self.back_button.clicked.connect(self.back_requested)
        self.answer_button.clicked.connect(self.answer_skipped)
        self.finish_button.clicked.connect(self.finish_requested)
        self.nav.addWidget(self.back_button)
        self.nav.addStretch(1)
        self.nav.addWidget(self.answer_button)
        self.nav.addWidget(self.finish_button)
        self.skipped: list[int] = []
        self.skipped_buttons: list[QPushButton] = []

    def show_skipped(self, skipped: list[int]) -> None:
        self.skipped = list(skipped)
        for old in self.skipped_buttons:
            old.hide()
            old.deleteLater()
        self.skipped_buttons = []
        for index, item in enumerate(self.skipped):
            widget = button(self.tr("Question {0}").format(item), "skippedQuestion")
            widget.clicked.connect(lambda _=False, n=item: self.go_to.emit(n))
            self.grid.addWidget(widget, index // 5, index % 5)
            self.skipped_buttons.append(widget)
        self.answer_button.setVisible(bool(self.skipped))
        self.set_busy(False)
        self.error.hide()
        self.retranslate()

    def set_busy(self, busy: bool) -> None:
        for widget in (self.back_button, self.answer_button, self.finish_button):
            widget.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.show()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Before you finish"))
        if self.skipped:
            self.summary.setText(
                self.tr(
                    "You have not answered {0} of the {1} questions. You can answer them now, "
                    "or finish without them."
                ).format(len(self.skipped), QUESTIONS)
            )
        else:
            self.summary.setText(
                self.tr("You have answered all {0} questions. Tap Finish to send them.").format(
                    QUESTIONS
                )
            )
        for item, widget in zip(self.skipped, self.skipped_buttons, strict=True):
            widget.setText(self.tr("Question {0}").format(item))
        self.back_button.setText(self.tr("Back"))
        self.answer_button.setText(self.tr("Answer them"))
        self.finish_button.setText(self.tr("Finish"))


class MessagePage(Page):
    """A screen with one message and, perhaps, one button: thank you, and hand back."""

    done = Signal()

    def __init__(self, name: str, *, with_button: bool) -> None:
        super().__init__()
        self.kind = name
        self.box.addStretch(1)
        self.title = label(name="kioskTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = label()
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.box.addWidget(self.title)
        self.box.addWidget(self.text)
        self.box.addSpacing(24)
        self.button: QPushButton | None = None
        if with_button:
            self.button = button(name="primary")
            self.button.clicked.connect(self.done)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.button)
            row.addStretch(1)
            self.box.addLayout(row)
        self.box.addStretch(2)

    def retranslate(self) -> None:
        if self.kind == "thanks":
            self.title.setText(self.tr("Thank you"))
            self.text.setText(self.tr("Your answers have been saved."))
            if self.button is not None:
                self.button.setText(self.tr("Continue"))
        else:
            self.title.setText(self.tr("Please hand the tablet back to the staff."))
            self.text.setText(self.tr("Thank you for your time."))
