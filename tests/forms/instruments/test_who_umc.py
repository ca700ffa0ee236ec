"""WHO-UMC causality: each category reached from its defining answers; overrides need reasons."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from forms.instruments import who_umc
from forms.instruments.errors import ReasonRequired, UnknownChoice
from forms.instruments.who_umc import (
    AlternativeCause,
    Answers,
    Causality,
    Challenge,
    TimeRelationship,
)

CERTAIN = Answers(
    time_relationship=TimeRelationship.PLAUSIBLE,
    alternative_causes=AlternativeCause.EXCLUDED,
    dechallenge=Challenge.POSITIVE,
    rechallenge=Challenge.POSITIVE,
    definitive=True,
)


def test_six_categories() -> None:
    assert [c.value for c in Causality] == [
        "certain",
        "probable",
        "possible",
        "unlikely",
        "conditional",
        "unassessable",
    ]
    assert who_umc.CATEGORY_LABELS[Causality.PROBABLE]["en"] == "Probable/Likely"
    assert set(who_umc.CATEGORY_LABELS) == set(Causality)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, Causality.CERTAIN),
        # Certain: rechallenge satisfactory "if necessary": not done is fine when definitive.
        ({"rechallenge": Challenge.NOT_DONE}, Causality.CERTAIN),
        # Probable: unlikely alternative, reasonable withdrawal response, rechallenge not required.
        (
            {"alternative_causes": AlternativeCause.UNLIKELY, "rechallenge": Challenge.NOT_DONE},
            Causality.PROBABLE,
        ),
        ({"definitive": False}, Causality.PROBABLE),
        # Possible: could also be explained, or withdrawal information lacking or unclear.
        ({"alternative_causes": AlternativeCause.POSSIBLE}, Causality.POSSIBLE),
        ({"alternative_causes": AlternativeCause.PLAUSIBLE}, Causality.POSSIBLE),
        ({"dechallenge": Challenge.NOT_DONE}, Causality.POSSIBLE),
        ({"dechallenge": Challenge.NEGATIVE}, Causality.POSSIBLE),
        ({"rechallenge": Challenge.NEGATIVE}, Causality.POSSIBLE),
        # Unlikely: improbable time relationship.
        ({"time_relationship": TimeRelationship.IMPROBABLE}, Causality.UNLIKELY),
        # Conditional: more data awaited, whatever else is known.
        ({"more_data_pending": True}, Causality.CONDITIONAL),
        ({"more_data_pending": True, "information_sufficient": False}, Causality.CONDITIONAL),
        # Unassessable: insufficient or contradictory information that cannot be supplemented.
        ({"information_sufficient": False}, Causality.UNASSESSABLE),
        ({"time_relationship": TimeRelationship.UNKNOWN}, Causality.UNASSESSABLE),
    ],
)
def test_suggestion(changes: dict[str, object], expected: Causality) -> None:
    assert who_umc.suggest(replace(CERTAIN, **changes)) is expected  # type: ignore[arg-type]


def test_confirmed_assessment_keeps_answers_and_suggestion() -> None:
    result = who_umc.assess("Peg-IFN-α-2b", CERTAIN)
    assert result.suggested is Causality.CERTAIN
    assert result.final is Causality.CERTAIN
    assert result.reason is None
    assert not result.overridden


def test_override_needs_a_reason() -> None:
    with pytest.raises(ReasonRequired, match="Peg-IFN-α-2b"):
        who_umc.assess("Peg-IFN-α-2b", CERTAIN, final=Causality.POSSIBLE)
    with pytest.raises(ReasonRequired):
        who_umc.assess("Entecavir", CERTAIN, final="possible", reason="   ")  # type: ignore[arg-type]
    result = who_umc.assess(
        "Entecavir",
        CERTAIN,
        final="possible",
        reason=" concurrent sepsis ",  # type: ignore[arg-type]
    )
    assert result.overridden
    assert result.suggested is Causality.CERTAIN
    assert result.final is Causality.POSSIBLE
    assert result.reason == "concurrent sepsis"


def test_confirming_the_suggestion_explicitly_needs_no_reason() -> None:
    assert who_umc.assess("NA", CERTAIN, final=Causality.CERTAIN).reason is None


def test_unknown_final_category_is_refused() -> None:
    with pytest.raises(UnknownChoice, match="final"):
        who_umc.assess("NA", CERTAIN, final="related", reason="x")  # type: ignore[arg-type]


def test_assessment_round_trips_through_json() -> None:
    original = who_umc.assess(
        "Peg-IFN-α-2b",
        replace(CERTAIN, dechallenge=Challenge.NOT_DONE),
        final=Causality.PROBABLE,
        reason="ALT fell after the dose was withheld; recorded late",
    )
    saved = json.loads(json.dumps(original.to_dict()))
    assert saved["answers"]["dechallenge"] == "not_done"
    assert who_umc.assessment_from_dict(saved) == original


def test_answers_from_dict_defaults_and_refusals() -> None:
    data = {
        "time_relationship": "plausible",
        "alternative_causes": "unlikely",
        "dechallenge": "positive",
        "rechallenge": "not_done",
        "definitive": False,
    }
    assert who_umc.suggest(who_umc.answers_from_dict(data)) is Causality.PROBABLE
    with pytest.raises(UnknownChoice, match="dechallenge"):
        who_umc.answers_from_dict(data | {"dechallenge": "yes"})
    form_flags = data | {"definitive": "Y", "information_sufficient": "n", "more_data_pending": "N"}
    assert who_umc.suggest(who_umc.answers_from_dict(form_flags)) is Causality.UNASSESSABLE
    assert who_umc.answers_from_dict(data | {"definitive": "no"}).definitive is False
    with pytest.raises(UnknownChoice, match="definitive"):
        who_umc.answers_from_dict(data | {"definitive": "maybe"})


def test_questions_cover_every_answer_in_both_languages() -> None:
    keys = [question.key for question in who_umc.QUESTIONS]
    assert keys == list(Answers.__dataclass_fields__)
    kinds = {
        "time_relationship": TimeRelationship,
        "alternative_causes": AlternativeCause,
        "dechallenge": Challenge,
        "rechallenge": Challenge,
    }
    for question in who_umc.QUESTIONS:
        assert set(question.text) == {"en", "zh"}
        for label in question.choices.values():
            assert set(label) == {"en", "zh"}
        if question.key in kinds:
            assert set(question.choices) == {m.value for m in kinds[question.key]}
