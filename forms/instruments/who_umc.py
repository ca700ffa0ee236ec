"""WHO-UMC causality assessment of a suspected adverse reaction, one drug at a time.

Source: Uppsala Monitoring Centre, *The use of the WHO-UMC system for standardised case causality
assessment* (WHO Collaborating Centre for International Drug Monitoring), as summarised in
clinical.md, "WHO-UMC causality categories". The system is a judgement scale, not an algorithm:
all points of a category should be reasonably met. So the answers to the guided questions only
*suggest* a category; the investigator confirms it or chooses another with a reason, and the
answers, the suggestion and the final category are all kept.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, Final

from forms.instruments.errors import ReasonRequired, UnknownChoice


class Causality(StrEnum):
    """The six WHO-UMC causality categories."""

    CERTAIN = "certain"
    PROBABLE = "probable"
    POSSIBLE = "possible"
    UNLIKELY = "unlikely"
    CONDITIONAL = "conditional"
    UNASSESSABLE = "unassessable"


CATEGORY_LABELS: Final[dict[Causality, dict[str, str]]] = {
    Causality.CERTAIN: {"en": "Certain", "zh": "肯定有关"},
    Causality.PROBABLE: {"en": "Probable/Likely", "zh": "很可能有关"},
    Causality.POSSIBLE: {"en": "Possible", "zh": "可能有关"},
    Causality.UNLIKELY: {"en": "Unlikely", "zh": "可能无关"},
    Causality.CONDITIONAL: {"en": "Conditional/Unclassified", "zh": "待评价"},
    Causality.UNASSESSABLE: {"en": "Unassessable/Unclassifiable", "zh": "无法评价"},
}
"""Display names; the English ones are WHO-UMC's own."""


class TimeRelationship(StrEnum):
    """Is the time from drug intake to the event plausible?"""

    PLAUSIBLE = "plausible"
    IMPROBABLE = "improbable"
    UNKNOWN = "unknown"


class AlternativeCause(StrEnum):
    """Can the disease or other drugs explain the event?"""

    EXCLUDED = "excluded"  # cannot be explained by disease or other drugs
    UNLIKELY = "unlikely"  # unlikely to be attributed to disease or other drugs
    POSSIBLE = "possible"  # could also be explained by disease or other drugs
    PLAUSIBLE = "plausible"  # disease or other drugs provide plausible explanations


class Challenge(StrEnum):
    """Response to withdrawal (dechallenge) or to re-administration (rechallenge)."""

    POSITIVE = "positive"  # the event abated on withdrawal / recurred on re-administration
    NEGATIVE = "negative"
    NOT_DONE = "not_done"  # not done, not applicable, or unclear


@dataclass(frozen=True, slots=True)
class Question:
    """One guided question with its answer choices, in English and Simplified Chinese."""

    key: str
    text: dict[str, str]
    choices: dict[str, dict[str, str]]


_YES_NO: Final = {"yes": {"en": "Yes", "zh": "是"}, "no": {"en": "No", "zh": "否"}}

QUESTIONS: Final[tuple[Question, ...]] = (
    Question(
        "time_relationship",
        {
            "en": "Is the time from drug intake to the event plausible?",
            "zh": "用药与不良事件出现的时间关系是否合理？",
        },
        {
            "plausible": {"en": "Plausible", "zh": "合理"},
            "improbable": {
                "en": "Improbable (but not impossible)",
                "zh": "不太可能（但非不可能）",
            },
            "unknown": {"en": "Unknown", "zh": "不详"},
        },
    ),
    Question(
        "alternative_causes",
        {
            "en": "Can the disease or other drugs explain the event?",
            "zh": "原患疾病或其他药物能否解释该事件？",
        },
        {
            "excluded": {"en": "No, cannot be explained by them", "zh": "不能解释"},
            "unlikely": {"en": "Unlikely", "zh": "不太可能"},
            "possible": {"en": "Could also explain it", "zh": "也可能解释"},
            "plausible": {"en": "Provide a plausible explanation", "zh": "可合理解释"},
        },
    ),
    Question(
        "dechallenge",
        {
            "en": "Did the event abate when the drug was withdrawn or reduced (dechallenge)?",
            "zh": "停药或减量后事件是否减轻或消失（去激发）？",
        },
        {
            "positive": {"en": "Yes", "zh": "是"},
            "negative": {"en": "No", "zh": "否"},
            "not_done": {"en": "Not done or unclear", "zh": "未停药或不明"},
        },
    ),
    Question(
        "rechallenge",
        {
            "en": "Did the event recur when the drug was given again (rechallenge)?",
            "zh": "再次用药后事件是否再次出现（再激发）？",
        },
        {
            "positive": {"en": "Yes", "zh": "是"},
            "negative": {"en": "No", "zh": "否"},
            "not_done": {"en": "Not done or not required", "zh": "未再次用药或无需再激发"},
        },
    ),
    Question(
        "definitive",
        {
            "en": "Is the event definitive pharmacologically or phenomenologically (a recognised "
            "reaction to this drug, or an objective and specific disorder)?",
            "zh": "该事件在药理学或现象学上是否明确（已知的该药反应，或客观且特异的疾病）？",
        },
        _YES_NO,
    ),
    Question(
        "information_sufficient",
        {
            "en": "Is the information sufficient and consistent to judge causality?",
            "zh": "现有信息是否充分且一致，足以评价因果关系？",
        },
        _YES_NO,
    ),
    Question(
        "more_data_pending",
        {
            "en": "Are more data awaited or under examination?",
            "zh": "是否正在等待或审查更多资料？",
        },
        _YES_NO,
    ),
)
"""The guided questions, in the order the assessment screen asks them."""


@dataclass(frozen=True, slots=True)
class Answers:
    """The investigator's answers to :data:`QUESTIONS`."""

    time_relationship: TimeRelationship
    alternative_causes: AlternativeCause
    dechallenge: Challenge
    rechallenge: Challenge
    definitive: bool
    information_sufficient: bool = True
    more_data_pending: bool = False


def suggest(answers: Answers) -> Causality:
    """Suggest the WHO-UMC category whose points the answers reasonably meet.

    - More data awaited → Conditional/Unclassified; otherwise insufficient or contradictory
      information, or an unknown time relationship → Unassessable/Unclassifiable.
    - An improbable time relationship → Unlikely.
    - A plausible time relationship with an explanation by disease or other drugs that is
      possible or plausible, or a withdrawal response that is negative or unknown, or a negative
      rechallenge → Possible.
    - Otherwise (alternative causes unlikely or excluded, positive dechallenge): Certain when
      alternative causes are excluded and the event is pharmacologically or phenomenologically
      definitive (rechallenge satisfactory if done); else Probable/Likely.
    """
    if answers.more_data_pending:
        return Causality.CONDITIONAL
    if not answers.information_sufficient or answers.time_relationship is TimeRelationship.UNKNOWN:
        return Causality.UNASSESSABLE
    if answers.time_relationship is TimeRelationship.IMPROBABLE:
        return Causality.UNLIKELY
    if (
        answers.alternative_causes in (AlternativeCause.POSSIBLE, AlternativeCause.PLAUSIBLE)
        or answers.dechallenge is not Challenge.POSITIVE
        or answers.rechallenge is Challenge.NEGATIVE
    ):
        return Causality.POSSIBLE
    if answers.alternative_causes is AlternativeCause.EXCLUDED and answers.definitive:
        return Causality.CERTAIN
    return Causality.PROBABLE


@dataclass(frozen=True, slots=True)
class Assessment:
    """One drug's causality assessment: answers, suggestion, final category and reason."""

    drug: str
    answers: Answers
    suggested: Causality
    final: Causality
    reason: str | None = None

    @property
    def overridden(self) -> bool:
        """True when the investigator chose a category other than the suggestion."""
        return self.final is not self.suggested

    def to_dict(self) -> dict[str, Any]:
        """Return the assessment as plain JSON-ready values, for saving with the AE."""
        return asdict(self)


def assess(
    drug: str, answers: Answers, *, final: Causality | None = None, reason: str | None = None
) -> Assessment:
    """Record an assessment: the suggestion confirmed, or overridden with a reason.

    Args:
        drug: the study drug assessed, e.g. "Peg-IFN-α-2b".
        answers: the answers to the guided questions.
        final: the investigator's category; ``None`` confirms the suggestion.
        reason: why the final category differs from the suggestion.

    Raises:
        ReasonRequired: the final category differs from the suggestion and no reason is given.
    """
    suggested = suggest(answers)
    chosen = suggested if final is None else _enum(Causality, "final", final)
    text = (reason or "").strip() or None
    if chosen is not suggested and text is None:
        raise ReasonRequired(
            f"The causality for {drug} ({CATEGORY_LABELS[chosen]['en']}) differs from the "
            f"suggestion ({CATEGORY_LABELS[suggested]['en']})"
        )
    return Assessment(drug=drug, answers=answers, suggested=suggested, final=chosen, reason=text)


def _enum(kind: type[StrEnum], key: str, value: object) -> Any:
    try:
        return kind(str(value))
    except ValueError:
        raise UnknownChoice(key, value, tuple(member.value for member in kind)) from None


_FLAGS: Final = {"y": True, "yes": True, "true": True, "n": False, "no": False, "false": False}


def _flag(key: str, value: object) -> bool:
    """Read a yes/no answer: a boolean, or "Y"/"N", "yes"/"no", "true"/"false" as on forms."""
    if isinstance(value, bool):
        return value
    flag = _FLAGS.get(str(value).strip().casefold())
    if flag is None:
        raise UnknownChoice(key, value, ("Y", "N"))
    return flag


def answers_from_dict(data: dict[str, Any]) -> Answers:
    """Read answers saved by :meth:`Assessment.to_dict` (or entered on a form).

    Raises:
        UnknownChoice: an answer that is not one of its question's choices.
    """
    return Answers(
        time_relationship=_enum(TimeRelationship, "time_relationship", data["time_relationship"]),
        alternative_causes=_enum(
            AlternativeCause, "alternative_causes", data["alternative_causes"]
        ),
        dechallenge=_enum(Challenge, "dechallenge", data["dechallenge"]),
        rechallenge=_enum(Challenge, "rechallenge", data["rechallenge"]),
        definitive=_flag("definitive", data["definitive"]),
        information_sufficient=_flag(
            "information_sufficient", data.get("information_sufficient", True)
        ),
        more_data_pending=_flag("more_data_pending", data.get("more_data_pending", False)),
    )


def assessment_from_dict(data: dict[str, Any]) -> Assessment:
    """Read an assessment saved by :meth:`Assessment.to_dict`, keeping its recorded suggestion."""
    return Assessment(
        drug=str(data["drug"]),
        answers=answers_from_dict(data["answers"]),
        suggested=_enum(Causality, "suggested", data["suggested"]),
        final=_enum(Causality, "final", data["final"]),
        reason=data.get("reason"),
    )
