"""Time-to-event endpoints compared between arms: a Kaplan–Meier curve per arm with its numbers
at risk and landmark estimates, and the log-rank test between two arms.

Sources: the protocols' analyses. The recurrence study: "3-year cumulative recurrence rate
(Kaplan-Meier method + Log-rank test)", i.e. 1 − S(3 years) of the time to recurrence
(:func:`cumulative_rate`; the event is recurrence only, a death without recurrence is
censored: :func:`forms.survival.time_to_recurrence`). NCT07553767: RFS and OS at years 1, 2,
3 and 5, i.e. S(t) at those landmarks. Estimates: :mod:`forms.kaplan_meier` (Kaplan and Meier
1958, Greenwood 1926); test: :mod:`forms.logrank` (Collett 2015, §2.6.2).

A subject's time is its :class:`forms.survival.SurvivalTime` in days; a year on the time axis
is 365.25 days (the mean calendar year), so a landmark of 3 years is day 1095.75. An estimate
at a landmark beyond the longest follow-up of an arm is not given (the curve does not reach
it).

Public names: :data:`DAYS_PER_YEAR`, :class:`Estimate`, :class:`LandmarkEstimate`,
:class:`ArmCurve`, :class:`CurveComparison`, :func:`compare_arms`, :func:`cumulative_rate`,
:func:`at_risk_ticks`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from forms.kaplan_meier import KaplanMeier, kaplan_meier
from forms.logrank import LogRank, log_rank
from forms.survival import SurvivalTime

DAYS_PER_YEAR = 365.25
Scale = Literal["survival", "cumulative"]
"""``survival``: S(t) (RFS, OS); ``cumulative``: 1 − S(t) (cumulative recurrence)."""


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence limits."""

    value: float
    lower: float
    upper: float


@dataclass(frozen=True)
class LandmarkEstimate:
    """The estimate ``years`` after the start (None when the follow-up does not reach it) and
    the number still at risk then."""

    years: int
    estimate: Estimate | None
    at_risk: int


@dataclass(frozen=True)
class ArmCurve:
    """One arm's Kaplan–Meier curve, its landmark estimates on the comparison's scale and its
    numbers at risk at the comparison's ticks."""

    arm: str
    curve: KaplanMeier
    landmarks: tuple[LandmarkEstimate, ...]
    at_risk: tuple[int, ...]

    def value_at(self, days: float, scale: Scale) -> Estimate:
        """The curve at ``days`` on ``scale`` with its limits."""
        survival = self.curve.survival_at(days)
        lower, upper = self.curve.interval_at(days)
        if scale == "cumulative":
            return Estimate(1 - survival, 1 - upper, 1 - lower)
        return Estimate(survival, lower, upper)


@dataclass(frozen=True)
class CurveComparison:
    """Every arm's curve on one scale, the ticks (days) of the numbers at risk, and the
    log-rank test when there are exactly two arms with subjects."""

    scale: Scale
    arms: tuple[ArmCurve, ...]
    ticks: tuple[float, ...]
    log_rank: LogRank | None


def at_risk_ticks(longest_days: float) -> tuple[float, ...]:
    """Times (days) under the axis where the numbers at risk are given: every 6 months up to
    2 years of follow-up, every year beyond, up to the longest follow-up rounded up."""
    step = DAYS_PER_YEAR / 2 if longest_days <= 2 * DAYS_PER_YEAR else DAYS_PER_YEAR
    count = max(1, math.ceil(longest_days / step))
    return tuple(i * step for i in range(count + 1))


def cumulative_rate(curve: KaplanMeier, years: float) -> Estimate | None:
    """The cumulative event rate ``years`` after the start: 1 − S(t) with limits 1 − upper,
    1 − lower (the recurrence study's "3-year cumulative recurrence rate"); None when the
    follow-up does not reach it."""
    days = years * DAYS_PER_YEAR
    if not curve.steps or curve.last_time < days:
        return None
    lower, upper = curve.interval_at(days)
    return Estimate(1 - curve.survival_at(days), 1 - upper, 1 - lower)


def _landmark(curve: KaplanMeier, years: int, scale: Scale) -> LandmarkEstimate:
    days = years * DAYS_PER_YEAR
    at_risk = curve.at_risk(days)
    if not curve.steps or curve.last_time < days:
        return LandmarkEstimate(years, None, at_risk)
    if scale == "cumulative":
        return LandmarkEstimate(years, cumulative_rate(curve, years), at_risk)
    lower, upper = curve.interval_at(days)
    return LandmarkEstimate(years, Estimate(curve.survival_at(days), lower, upper), at_risk)


def compare_arms(
    times: Mapping[str, Sequence[SurvivalTime]],
    *,
    landmark_years: Sequence[int],
    scale: Scale = "survival",
    confidence: float = 0.95,
) -> CurveComparison:
    """A Kaplan–Meier curve per arm (in the mapping's order) with its landmark estimates, and
    the log-rank test when exactly two arms have subjects.

    Args:
        times: each arm's subjects' times (an arm may have none).
        landmark_years: the protocol's landmarks (e.g. 1, 2, 3, 5).
        scale: ``"survival"`` or ``"cumulative"`` (1 − S(t)) for the landmark estimates.
        confidence: of the limits (default 0.95).
    """
    curves = {
        arm: kaplan_meier([t.days for t in ts], [t.event for t in ts], confidence=confidence)
        for arm, ts in times.items()
    }
    longest = max((c.last_time for c in curves.values()), default=0.0)
    ticks = at_risk_ticks(longest)
    arms = tuple(
        ArmCurve(
            arm,
            curve,
            tuple(_landmark(curve, y, scale) for y in landmark_years),
            tuple(curve.at_risk(t) for t in ticks),
        )
        for arm, curve in curves.items()
    )
    filled = [ts for ts in times.values() if ts]
    test = None
    if len(filled) == 2:
        first, second = filled
        test = log_rank(
            [t.days for t in first],
            [t.event for t in first],
            [t.days for t in second],
            [t.event for t in second],
        )
    return CurveComparison(scale, arms, ticks, test)
