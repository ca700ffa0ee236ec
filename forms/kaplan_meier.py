"""The Kaplan–Meier product-limit estimate with Greenwood confidence intervals and numbers at
risk.

Sources:

- Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat Assoc
  1958;53:457–481: S(t) = ∏_{t_j ≤ t} (1 − d_j / n_j) over the distinct times t_j, with d_j
  events among the n_j subjects at risk just before t_j. Where events and censorings share a
  time, the events are taken to come first: a subject censored at t_j is still at risk for
  the events at t_j (Kaplan and Meier, section 2; Collett D. Modelling Survival Data in
  Medical Research, 3rd ed. 2015, §2.1.2).
- Greenwood M. The natural duration of cancer. Reports on Public Health and Medical Subjects
  1926;33:1–26: var S(t) = S(t)² Σ_{t_j ≤ t} d_j / (n_j (n_j − d_j)).
- Confidence limits on the log(−log S) scale (Kalbfleisch JD, Prentice RL. The Statistical
  Analysis of Failure Time Data, 1980; Collett 2015, §2.2.3), which stay inside (0, 1); the
  linear ("plain") Greenwood limits S ± z·se(S), cut to [0, 1], on request.

Times are numbers (days in this application); an estimate is a right-continuous step
function of them. Pure Python, exact to floating point; the tests check it against a worked
example and against ``lifelines``.

Public names: :class:`KmStep`, :class:`KaplanMeier`, :func:`kaplan_meier`,
:func:`normal_quantile`.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from statistics import NormalDist
from typing import Literal

ConfidenceMethod = Literal["log-log", "plain"]


def normal_quantile(confidence: float) -> float:
    """The two-sided standard normal quantile z for ``confidence`` (1.959964 for 0.95).

    Raises:
        ValueError: ``confidence`` is not strictly between 0 and 1.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


@dataclass(frozen=True)
class KmStep:
    """One distinct time of the data: who was at risk just before it, what happened at it, and
    the estimate from it on.

    Attributes:
        time: the time t_j.
        at_risk: n_j, the subjects whose time is ≥ t_j.
        events: d_j, the events at t_j.
        censored: the subjects censored at t_j (at risk for its events).
        survival: S(t_j).
        variance: Greenwood's variance of S(t_j) (infinite once S reaches 0).
        lower, upper: the confidence limits of S(t_j).
    """

    time: float
    at_risk: int
    events: int
    censored: int
    survival: float
    variance: float
    lower: float
    upper: float


@dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan–Meier estimate: the steps at every distinct time, in time order."""

    steps: tuple[KmStep, ...]
    subjects: int
    confidence: float
    method: ConfidenceMethod

    @property
    def events(self) -> int:
        """The number of events."""
        return sum(s.events for s in self.steps)

    @cached_property
    def _times(self) -> list[float]:
        return [s.time for s in self.steps]

    def _last_at_or_before(self, time: float) -> KmStep | None:
        index = bisect.bisect_right(self._times, time)
        return self.steps[index - 1] if index else None

    def survival_at(self, time: float) -> float:
        """S(time): 1 before the first event (right-continuous: a drop at t counts at t)."""
        step = self._last_at_or_before(time)
        return 1.0 if step is None else step.survival

    def interval_at(self, time: float) -> tuple[float, float]:
        """The confidence limits of S(time); (1, 1) before the first time."""
        step = self._last_at_or_before(time)
        return (1.0, 1.0) if step is None else (step.lower, step.upper)

    def at_risk(self, time: float) -> int:
        """The number at risk at ``time``: subjects whose time is ≥ ``time``."""
        index = bisect.bisect_left(self._times, time)
        return self.steps[index].at_risk if index < len(self.steps) else 0

    def median(self) -> float | None:
        """The median survival time: the first time at which S(t) ≤ 0.5 (None if never)."""
        return next((s.time for s in self.steps if s.survival <= 0.5), None)

    @property
    def last_time(self) -> float:
        """The longest follow-up (0 without subjects)."""
        return self.steps[-1].time if self.steps else 0.0


def _limits(
    survival: float, greenwood_sum: float, z: float, method: ConfidenceMethod
) -> tuple[float, float]:
    if survival <= 0.0:
        return 0.0, 0.0
    if survival >= 1.0 or greenwood_sum == 0.0:
        return survival, survival
    if method == "plain":
        half = z * survival * math.sqrt(greenwood_sum)
        return max(0.0, survival - half), min(1.0, survival + half)
    # log(−log S) ± z·se, se = sqrt(Σ d/(n(n−d))) / |log S|; the map back reverses the order.
    log_s = math.log(survival)
    centre = math.log(-log_s)
    spread = z * math.sqrt(greenwood_sum) / abs(log_s)
    return math.exp(-math.exp(centre + spread)), math.exp(-math.exp(centre - spread))


def kaplan_meier(
    durations: Sequence[float],
    events: Sequence[bool],
    *,
    confidence: float = 0.95,
    method: ConfidenceMethod = "log-log",
) -> KaplanMeier:
    """Estimate S(t) from right-censored data (Kaplan and Meier 1958; Greenwood 1926).

    Args:
        durations: each subject's time to the event or to censoring (≥ 0).
        events: for each subject, True for an event, False for censoring.
        confidence: of the pointwise limits (default 0.95).
        method: ``"log-log"`` (default) or ``"plain"`` Greenwood limits.

    Raises:
        ValueError: the sequences differ in length, a time is negative or not finite.
    """
    if len(durations) != len(events):
        raise ValueError("durations and events must have the same length")
    if any(not math.isfinite(t) or t < 0 for t in durations):
        raise ValueError("every duration must be a finite number ≥ 0")
    z = normal_quantile(confidence)
    tally: dict[float, list[int]] = {}
    for time, event in zip(durations, events, strict=True):
        counts = tally.setdefault(float(time), [0, 0])
        counts[0 if event else 1] += 1
    at_risk, survival, greenwood_sum = len(durations), 1.0, 0.0
    steps = []
    for time in sorted(tally):
        died, censored = tally[time]
        if died:
            survival *= 1.0 - died / at_risk
            greenwood_sum += died / (at_risk * (at_risk - died)) if at_risk > died else math.inf
        variance = survival * survival * greenwood_sum if survival > 0 else math.inf
        lower, upper = _limits(survival, greenwood_sum, z, method)
        steps.append(KmStep(time, at_risk, died, censored, survival, variance, lower, upper))
        at_risk -= died + censored
    return KaplanMeier(tuple(steps), len(durations), confidence, method)
