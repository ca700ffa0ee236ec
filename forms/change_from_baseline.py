"""Endpoints that compare each assessment with baseline: Child-Pugh deterioration and the
change of the EORTC QLQ-C30 scores.

Sources: the recurrence study's "Liver Function Deterioration Rate" (a rise of the Child-Pugh
score of ≥ 2 points over baseline; clinical.md, "Child-Pugh") and "Quality of Life Change"
(change from baseline of the QLQ-C30 scores). Scores come from the instruments
(:mod:`forms.instruments.child_pugh`, :mod:`forms.instruments.qlq_c30`); nothing is re-scored
here.

Both start from the protocol's baseline and never from a later assessment: without a baseline
the endpoint is not evaluable.

Public names: :func:`child_pugh_points`, :class:`Deterioration`,
:func:`child_pugh_deterioration`, :class:`ChildPughDeterioration`,
:func:`assess_deterioration`, :class:`QolChange`, :func:`qlq_c30_changes`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

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
            is the baseline. A baseline that could not be scored leaves the endpoint not
            evaluable (None): a later assessment never takes its place.
        rise: the protocol's rise (2 points).
    """
    ordered = sorted(assessments, key=lambda a: a[0])
    if not ordered or ordered[0][1] is None:
        return None
    result = assess_deterioration((ordered[0][0], ordered[0][1]), ordered[1:], rise=rise)
    if result.status != "deteriorated":
        return None
    assert result.baseline_on is not None
    assert result.baseline_points is not None
    assert result.on is not None
    assert result.points is not None
    return Deterioration(result.baseline_on, result.baseline_points, result.on, result.points)


@dataclass(frozen=True)
class ChildPughDeterioration:
    """The deterioration endpoint of one subject.

    ``status``: ``"deteriorated"`` (``on``/``points``: the first assessment ≥ ``rise`` points
    above baseline), ``"not_deteriorated"`` (assessed after baseline, never that far above),
    or ``"not_evaluable"`` (no baseline score, or no scored assessment after it).
    """

    status: Literal["deteriorated", "not_deteriorated", "not_evaluable"]
    baseline_on: date | None = None
    baseline_points: int | None = None
    on: date | None = None
    points: int | None = None


def assess_deterioration(
    baseline: tuple[date, int] | None,
    later: Sequence[tuple[date, int | None]],
    *,
    rise: int = DETERIORATION_POINTS,
) -> ChildPughDeterioration:
    """Child-Pugh deterioration against the protocol's baseline: the recurrence study's
    "increase in Child-Pugh score of ≥ 2 points during treatment compared to the baseline".

    Args:
        baseline: (date, score) of the baseline assessment (the study's baseline visit), or
            None when it is missing or could not be scored: then the endpoint is not
            evaluable; a later assessment is never taken as the baseline instead.
        later: (date, score or None) of the assessments after baseline, any order.
        rise: the rise in points that counts as deterioration (the study file's parameter).
    """
    if baseline is None:
        return ChildPughDeterioration("not_evaluable")
    base_on, base = baseline
    scored = sorted((on, p) for on, p in later if p is not None)
    for on, points in scored:
        if points - base >= rise:
            return ChildPughDeterioration("deteriorated", base_on, base, on, points)
    status: Literal["not_deteriorated", "not_evaluable"] = (
        "not_deteriorated" if scored else "not_evaluable"
    )
    return ChildPughDeterioration(status, base_on, base)


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
    first assessment) scale by scale, in date order. The study endpoint takes its baseline
    from the study's baseline visit instead (:func:`forms.endpoints.qlq_c30_change`).

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
