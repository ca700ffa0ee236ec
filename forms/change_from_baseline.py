"""Endpoints that compare each assessment with baseline: Child-Pugh deterioration and the
change of the EORTC QLQ-C30 scores.

Sources: the recurrence study's "Liver Function Deterioration Rate" (a rise of the Child-Pugh
score of ≥ 2 points over baseline; clinical.md, "Child-Pugh") and "Quality of Life Change"
(change from baseline of the QLQ-C30 scores). Scores come from the instruments
(:mod:`forms.instruments.child_pugh`, :mod:`forms.instruments.qlq_c30`); nothing is re-scored
here.

Public names: :func:`child_pugh_points`, :class:`Deterioration`,
:func:`child_pugh_deterioration`, :class:`QolChange`, :func:`qlq_c30_changes`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from forms.derivations import derive
from forms.instruments.child_pugh import DETERIORATION_POINTS
from forms.instruments.qlq_c30 import score as score_qlq_c30
from forms.schema import FormDef
from forms.values import Entry


def child_pugh_points(form: FormDef, values: Mapping[str, Entry]) -> int | None:
    """The Child-Pugh score of one ``F.CHILD_PUGH`` form, or None when it cannot be computed."""
    points = derive(form, values).get("I.CP_SCORE")
    return None if points is None else int(points)


@dataclass(frozen=True)
class Deterioration:
    """Child-Pugh deterioration: baseline score, and the first assessment ≥ 2 points above."""

    baseline_on: date
    baseline_points: int
    on: date
    points: int


def child_pugh_deterioration(
    assessments: Sequence[tuple[date, int | None]], *, rise: int = DETERIORATION_POINTS
) -> Deterioration | None:
    """The first assessment whose score is ≥ ``rise`` points above baseline.

    Args:
        assessments: (date, Child-Pugh score or None) in any order; the first dated assessment
            with a score is the baseline.
        rise: the protocol's rise (2 points).
    """
    scored = sorted((on, p) for on, p in assessments if p is not None)
    if not scored:
        return None
    (base_on, base), *later = scored
    for on, points in later:
        if points - base >= rise:
            return Deterioration(base_on, base, on, points)
    return None


@dataclass(frozen=True)
class QolChange:
    """QLQ-C30 scores at one assessment and their change from baseline (None when either the
    score or its baseline is missing)."""

    on: date
    scores: dict[str, float | None]
    change: dict[str, float | None]


def _minus(value: float | None, base: float | None) -> float | None:
    return None if value is None or base is None else value - base


def qlq_c30_changes(
    assessments: Sequence[tuple[date, Mapping[int, int | None]]],
) -> list[QolChange]:
    """Score each QLQ-C30 assessment (item number → answer) and subtract the baseline (the
    first assessment) scale by scale, in date order.

    Raises:
        InstrumentError: an answer outside its item's range (from the scoring).
    """
    ordered = sorted(assessments, key=lambda a: a[0])
    scored = [(on, score_qlq_c30(responses)) for on, responses in ordered]
    if not scored:
        return []
    baseline = scored[0][1]
    changes = []
    for on, scores in scored:
        change = {key: _minus(value, baseline.get(key)) for key, value in scores.items()}
        changes.append(QolChange(on, scores, change))
    return changes
