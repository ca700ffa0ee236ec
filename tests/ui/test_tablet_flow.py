"""The kiosk's flow, without a display: where a hand-over starts or resumes, and where each
tap leads."""

from __future__ import annotations

from desktop_crf.ui.tablet.flow import KioskFlow, Screen


def test_a_new_hand_over_starts_at_the_welcome() -> None:
    flow = KioskFlow.resume({}, None, finished=False)
    assert (flow.screen, flow.answers) == (Screen.WELCOME, {})
    flow.choose_language("en")
    assert (flow.screen, flow.item) == (Screen.QUESTION, 1)


def test_resuming_goes_to_the_question_after_the_last_answered() -> None:
    answers = dict.fromkeys(range(1, 18), 2)
    flow = KioskFlow.resume(answers, "en", finished=False)
    assert (flow.screen, flow.item) == (Screen.QUESTION, 18)
    assert KioskFlow.resume(dict.fromkeys(range(1, 31), 1), "en", finished=False).screen is (
        Screen.REVIEW
    )
    assert KioskFlow.resume({1: 1}, "en", finished=True).screen is Screen.HAND_BACK
    assert KioskFlow.resume({1: 1}, None, finished=False).screen is Screen.WELCOME


def test_skipped_questions_are_answered_from_the_last_screen() -> None:
    flow = KioskFlow.resume({}, "en", finished=False)
    for item in range(1, 31):
        if item in (4, 17):
            flow.next()
        else:
            flow.answered(item, 1)
    assert flow.screen is Screen.REVIEW
    assert flow.skipped() == [4, 17]
    flow.answer_skipped()
    assert (flow.screen, flow.item) == (Screen.QUESTION, 4)
    flow.next()  # still skipped: on to the next skipped one
    assert flow.item == 17
    flow.answered(17, 3)
    assert flow.screen is Screen.REVIEW
    assert flow.skipped() == [4]
    flow.back()
    assert (flow.screen, flow.item) == (Screen.QUESTION, 30)


def test_back_from_the_first_question_is_the_welcome_and_staff_returns_to_where_it_was() -> None:
    flow = KioskFlow.resume({}, "en", finished=False)
    flow.open_staff()
    assert flow.screen is Screen.STAFF
    flow.close_staff()
    assert (flow.screen, flow.item) == (Screen.QUESTION, 1)
    flow.back()
    assert flow.screen is Screen.WELCOME
    flow.finished_saved()
    assert flow.screen is Screen.THANKS
    flow.thanks_done()
    assert flow.screen is Screen.HAND_BACK
