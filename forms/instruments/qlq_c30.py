"""Scoring of the EORTC QLQ-C30 version 3.0 quality-of-life questionnaire.

Sources: Fayers PM, Aaronson NK, Bjordal K, et al. *The EORTC QLQ-C30 Scoring Manual*, 3rd
edition, EORTC, Brussels 2001 (sections 2–4: scales, linear transformation, missing items); the
summary score: Giesinger JM, Kieffer JM, Fayers PM, et al. *Replication and validation of higher
order models demonstrated that a summary score for the EORTC QLQ-C30 is robust*, J Clin Epidemiol
2016;69:79–88. The project's reading of both is in clinical.md, "EORTC QLQ-C30 version 3.0".

Scores are returned unrounded; they are rounded only for display.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from forms.instruments.errors import InvalidAnswer

INSTRUMENT: Final = "QLQ-C30"
ITEMS: Final = range(1, 31)


@dataclass(frozen=True, slots=True)
class Scale:
    """One scale of the questionnaire (scoring manual, table 1)."""

    code: str
    name: str
    kind: Literal["global", "functional", "symptom"]
    items: tuple[int, ...]


SCALES: Final[tuple[Scale, ...]] = (
    Scale("QL2", "Global health status / QoL", "global", (29, 30)),
    Scale("PF2", "Physical functioning", "functional", (1, 2, 3, 4, 5)),
    Scale("RF2", "Role functioning", "functional", (6, 7)),
    Scale("EF", "Emotional functioning", "functional", (21, 22, 23, 24)),
    Scale("CF", "Cognitive functioning", "functional", (20, 25)),
    Scale("SF", "Social functioning", "functional", (26, 27)),
    Scale("FA", "Fatigue", "symptom", (10, 12, 18)),
    Scale("NV", "Nausea and vomiting", "symptom", (14, 15)),
    Scale("PA", "Pain", "symptom", (9, 19)),
    Scale("DY", "Dyspnoea", "symptom", (8,)),
    Scale("SL", "Insomnia", "symptom", (11,)),
    Scale("AP", "Appetite loss", "symptom", (13,)),
    Scale("CO", "Constipation", "symptom", (16,)),
    Scale("DI", "Diarrhoea", "symptom", (17,)),
    Scale("FI", "Financial difficulties", "symptom", (28,)),
)
"""The 15 scales, in the order of the scoring manual."""

SUMMARY_SCALES: Final = (
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
)
"""The 13 scales of the summary score (Giesinger et al. 2016): all but QL2 and FI."""

KEYS: Final = (*(scale.code for scale in SCALES), "SUM")


def answer_range(item: int) -> tuple[int, int]:
    """Return the lowest and highest answer of an item: 1–4, or 1–7 for items 29 and 30."""
    return (1, 7) if item in (29, 30) else (1, 4)


def item_oid(item: int) -> str:
    """Return the OID of a questionnaire item on the F.QLQC30 form, e.g. ``"I.QLQ07"``."""
    return f"I.QLQ{item:02d}"


def responses_from_values(values: Mapping[str, str | None]) -> dict[int, int | None]:
    """Read F.QLQC30 form values (item OID → answer code as entered) into responses.

    Blank or absent answers are missing (``None``); other items of the form are ignored.

    Raises:
        InvalidAnswer: an answer that is not a whole number.
    """
    responses: dict[int, int | None] = {}
    for item in ITEMS:
        text = (values.get(item_oid(item)) or "").strip()
        if not text:
            responses[item] = None
        elif text.isdigit():
            responses[item] = int(text)
        else:
            raise InvalidAnswer(INSTRUMENT, item, text, f"answer {text!r} is not a number")
    return responses


def _checked(responses: Mapping[int, int | None]) -> dict[int, int]:
    """Return the answered items, refusing unknown items and out-of-range answers."""
    answered: dict[int, int] = {}
    for item, answer in responses.items():
        if isinstance(item, bool) or not isinstance(item, int) or item not in ITEMS:
            raise InvalidAnswer(INSTRUMENT, item, answer, "there is no such item (items are 1–30)")
        if answer is None:
            continue
        low, high = answer_range(item)
        if isinstance(answer, bool) or not isinstance(answer, int) or not low <= answer <= high:
            raise InvalidAnswer(
                INSTRUMENT, item, answer, f"answer {answer!r} is outside {low}–{high}"
            )
        answered[item] = answer
    return answered


def _scale_score(scale: Scale, answered: Mapping[int, int]) -> float | None:
    """Score one scale by the scoring manual's linear transformation and half-item rule.

    The raw score is the mean of the answered items; it is used when at least half of the
    scale's items are answered (manual, section 4, "missing items"), so a single-item scale is
    missing when its item is.
    """
    values = [answered[item] for item in scale.items if item in answered]
    if 2 * len(values) < len(scale.items):
        return None
    low, high = answer_range(scale.items[0])
    raw = sum(values) / len(values)
    share = (raw - low) / (high - low) * 100
    return 100 - share if scale.kind == "functional" else share


def summary_score(scores: Mapping[str, float | None]) -> float | None:
    """Return the QLQ-C30 summary score, or ``None`` unless all 13 of its scales exist.

    Symptom scales are reversed (100 − score) so that, like the functional scales, a higher
    value is better (Giesinger et al. 2016). QL2 and FI are not part of it.
    """
    parts: list[float] = []
    for code in SUMMARY_SCALES:
        value = scores.get(code)
        if value is None:
            return None
        parts.append(value if code in ("PF2", "RF2", "EF", "CF", "SF") else 100 - value)
    return sum(parts) / len(parts)


def score(responses: Mapping[int, int | None]) -> dict[str, float | None]:
    """Score a completed QLQ-C30 (scoring manual, 3rd edition; summary score by Giesinger).

    Args:
        responses: item number (1–30) to answer; a missing answer is ``None`` or absent.

    Returns:
        The 15 scale scores and the summary score, keyed ``QL2 PF2 RF2 EF CF SF FA NV PA DY SL
        AP CO DI FI SUM``, unrounded on 0–100, ``None`` where the missing-item rules leave the
        score missing.

    Raises:
        InvalidAnswer: (a ``ValueError``) an item outside 1–30 or an answer outside its item's
            scale; the message names the item.
    """
    answered = _checked(responses)
    scores: dict[str, float | None] = {
        scale.code: _scale_score(scale, answered) for scale in SCALES
    }
    scores["SUM"] = summary_score(scores)
    return scores
