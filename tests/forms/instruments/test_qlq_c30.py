"""EORTC QLQ-C30 scoring: worked examples, the half-item rule, the summary score, properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.instruments import qlq_c30
from forms.instruments.errors import InvalidAnswer

BEST = dict.fromkeys(range(1, 29), 1) | {29: 7, 30: 7}
WORST = dict.fromkeys(range(1, 29), 4) | {29: 1, 30: 1}
SCALES = {scale.code: scale for scale in qlq_c30.SCALES}
MULTI_ITEM = [scale for scale in qlq_c30.SCALES if len(scale.items) > 1]


def test_keys_are_the_fifteen_scales_and_the_summary() -> None:
    assert list(qlq_c30.score({})) == [
        *[
            "QL2",
            "PF2",
            "RF2",
            "EF",
            "CF",
            "SF",
            "FA",
            "NV",
            "PA",
            "DY",
            "SL",
            "AP",
            "CO",
            "DI",
            "FI",
            "SUM",
        ]
    ]
    assert all(value is None for value in qlq_c30.score({}).values())


def test_best_answers_score_full_function_and_no_symptoms() -> None:
    scores = qlq_c30.score(BEST)
    assert scores["QL2"] == 100
    for scale in qlq_c30.SCALES[1:6]:
        assert scores[scale.code] == 100
    for scale in qlq_c30.SCALES[6:]:
        assert scores[scale.code] == 0
    assert scores["SUM"] == 100


def test_worst_answers_score_no_function_and_full_symptoms() -> None:
    scores = qlq_c30.score(WORST)
    assert scores["QL2"] == 0
    assert [scores[code] for code in ("PF2", "RF2", "EF", "CF", "SF")] == [0] * 5
    assert [scores[s.code] for s in qlq_c30.SCALES[6:]] == [100] * 9
    assert scores["SUM"] == 0


def test_worked_example_of_the_scoring_manual() -> None:
    # Scoring manual, section 3: a functional scale is (1 - (RS - 1)/range) x 100, a symptom
    # scale (RS - 1)/range x 100. Physical functioning answered 2, 2, 1, 1, 1: RS = 1.4,
    # PF2 = (1 - 0.4/3) x 100 = 86.67. Fatigue 2, 3, 2: RS = 7/3, FA = 44.44. Global health
    # 5 and 6: RS = 5.5, QL2 = 4.5/6 x 100 = 75.
    answers = dict(BEST) | {1: 2, 2: 2, 10: 2, 12: 3, 18: 2, 29: 5, 30: 6}
    scores = qlq_c30.score(answers)
    assert scores["PF2"] == pytest.approx(100 * (1 - 0.4 / 3))
    assert scores["FA"] == pytest.approx(100 * (4 / 3) / 3)
    assert scores["QL2"] == pytest.approx(75)
    # Summary: mean of PF2, RF2..SF = 100, 100 - FA and 100 for the other eight symptoms.
    expected_sum = (scores["PF2"] + 4 * 100 + (100 - scores["FA"]) + 7 * 100) / 13  # type: ignore[operator]
    assert scores["SUM"] == pytest.approx(expected_sum)


def test_scores_are_not_rounded() -> None:
    scores = qlq_c30.score({10: 2, 12: 2, 18: 1})
    assert scores["FA"] == pytest.approx(200 / 9)
    assert scores["FA"] != round(scores["FA"], 2)  # type: ignore[arg-type]


@pytest.mark.parametrize("scale", MULTI_ITEM, ids=lambda s: s.code)
def test_half_item_rule(scale: qlq_c30.Scale) -> None:
    needed = math.ceil(len(scale.items) / 2)
    top = 7 if scale.code == "QL2" else 4
    enough = dict.fromkeys(scale.items[:needed], top)
    too_few = dict.fromkeys(scale.items[: needed - 1], top)
    expected = 100 if scale.kind != "functional" else 0
    assert qlq_c30.score(enough)[scale.code] == expected
    assert qlq_c30.score(too_few | dict.fromkeys(scale.items[needed - 1 :]))[scale.code] is None


@pytest.mark.parametrize("scale", MULTI_ITEM, ids=lambda s: s.code)
def test_half_rule_uses_the_mean_of_the_answered_items(scale: qlq_c30.Scale) -> None:
    needed = math.ceil(len(scale.items) / 2)
    answers = dict.fromkeys(scale.items[:needed], 2)
    answers[scale.items[0]] = 3
    raw = (3 + 2 * (needed - 1)) / needed
    span = 6 if scale.code == "QL2" else 3
    share = (raw - 1) / span * 100
    expected = 100 - share if scale.kind == "functional" else share
    assert qlq_c30.score(answers)[scale.code] == pytest.approx(expected)


@pytest.mark.parametrize("scale", [s for s in qlq_c30.SCALES if len(s.items) == 1], ids=str)
def test_single_item_scale_is_missing_with_its_item(scale: qlq_c30.Scale) -> None:
    answers = dict(BEST)
    del answers[scale.items[0]]
    assert qlq_c30.score(answers)[scale.code] is None


@pytest.mark.parametrize("code", qlq_c30.SUMMARY_SCALES)
def test_summary_needs_all_thirteen_scales(code: str) -> None:
    answers = {item: value for item, value in BEST.items() if item not in SCALES[code].items}
    scores = qlq_c30.score(answers)
    assert scores[code] is None
    assert scores["SUM"] is None


@pytest.mark.parametrize("code", ["QL2", "FI"])
def test_summary_ignores_global_health_and_finances(code: str) -> None:
    answers = {item: value for item, value in WORST.items() if item not in SCALES[code].items}
    scores = qlq_c30.score(answers)
    assert scores[code] is None
    assert scores["SUM"] == 0


def test_summary_accepts_scales_scored_by_the_half_rule() -> None:
    answers = dict(BEST)
    for item in (3, 4, 22, 23, 12):  # PF2 3 of 5, EF 2 of 4, FA 2 of 3 answered
        del answers[item]
    scores = qlq_c30.score(answers)
    assert scores["SUM"] == 100


@pytest.mark.parametrize(
    ("item", "answer"), [(1, 0), (1, 5), (28, 5), (29, 0), (30, 8), (5, True), (7, 2.0), (9, "2")]
)
def test_out_of_range_answer_names_the_item(item: int, answer: object) -> None:
    with pytest.raises(ValueError, match=f"item {item}:") as caught:
        qlq_c30.score({item: answer})  # type: ignore[dict-item]
    assert isinstance(caught.value, InvalidAnswer)
    assert caught.value.item == item


@pytest.mark.parametrize("item", [0, 31, "1", True])
def test_unknown_item_is_refused(item: object) -> None:
    with pytest.raises(InvalidAnswer, match="no such item"):
        qlq_c30.score({item: 1})  # type: ignore[dict-item]


def test_summary_score_of_partial_mapping() -> None:
    assert qlq_c30.summary_score({"PF2": 100.0}) is None


responses = st.fixed_dictionaries(
    {},
    optional={
        item: st.one_of(st.none(), st.integers(*qlq_c30.answer_range(item)))
        for item in qlq_c30.ITEMS
    },
)
SYMPTOM_ITEMS = [i for s in qlq_c30.SCALES if s.kind == "symptom" for i in s.items]
FUNCTION_ITEMS = [i for s in qlq_c30.SCALES if s.kind == "functional" for i in s.items]
OWNER = {item: scale.code for scale in qlq_c30.SCALES for item in scale.items}


@given(answers=responses, item=st.sampled_from(SYMPTOM_ITEMS), data=st.data())
def test_worse_symptom_answer_never_lowers_its_symptom_score(
    answers: dict[int, int | None], item: int, data: st.DataObject
) -> None:
    before = data.draw(st.integers(1, 4))
    after = data.draw(st.integers(before, 4))
    old = qlq_c30.score(answers | {item: before})
    new = qlq_c30.score(answers | {item: after})
    old_score, new_score = old[OWNER[item]], new[OWNER[item]]
    assert (old_score is None) == (new_score is None)
    if old_score is not None and new_score is not None:
        assert new_score >= old_score
    if old["SUM"] is not None:
        assert new["SUM"] <= old["SUM"]  # type: ignore[operator]


@given(answers=responses, item=st.sampled_from(FUNCTION_ITEMS), data=st.data())
def test_worse_answer_never_raises_its_functional_score(
    answers: dict[int, int | None], item: int, data: st.DataObject
) -> None:
    before = data.draw(st.integers(1, 4))
    after = data.draw(st.integers(before, 4))
    old = qlq_c30.score(answers | {item: before})
    new = qlq_c30.score(answers | {item: after})
    old_score, new_score = old[OWNER[item]], new[OWNER[item]]
    assert (old_score is None) == (new_score is None)
    if old_score is not None and new_score is not None:
        assert new_score <= old_score


@given(answers=responses)
def test_scores_stay_within_zero_and_hundred(answers: dict[int, int | None]) -> None:
    for value in qlq_c30.score(answers).values():
        assert value is None or 0 <= value <= 100
