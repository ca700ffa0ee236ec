"""The log-rank test comparing the survival of two groups.

Sources: Mantel N. Evaluation of survival data and two new rank order statistics arising in
its consideration. Cancer Chemother Rep 1966;50:163–170; Peto R, Peto J. Asymptotically
efficient rank invariant test procedures. J R Stat Soc A 1972;135:185–207; as set out in
Collett D. Modelling Survival Data in Medical Research, 3rd ed. 2015, §2.6.2, and Klein JP,
Moeschberger ML. Survival Analysis, 2nd ed. 2003, §7.3.

At each distinct event time t_j of the pooled data, with n_j at risk (n_1j in group 1) and
d_j events (d_1j in group 1):

- expected events in group 1: e_1j = n_1j d_j / n_j;
- hypergeometric variance: v_1j = n_1j (n_j − n_1j) d_j (n_j − d_j) / (n_j² (n_j − 1)).

U = Σ (d_1j − e_1j), V = Σ v_1j, and U²/V follows a χ² distribution with one degree of
freedom under the null hypothesis of equal survival; the p-value is two-sided,
P(χ²₁ ≥ U²/V) = erfc(√(U²/(2V))). A subject censored at an event time is at risk for it.

Public names: :class:`LogRank`, :func:`log_rank`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LogRank:
    """The log-rank comparison of group 1 with group 2.

    Attributes:
        observed: events seen in (group 1, group 2).
        expected: events expected under equal survival in (group 1, group 2).
        variance: V, the variance of observed − expected in group 1.
        statistic: U²/V (χ² with 1 degree of freedom); None without any event.
        p_value: two-sided; None without any event (nothing to compare).
    """

    observed: tuple[int, int]
    expected: tuple[float, float]
    variance: float
    statistic: float | None
    p_value: float | None


def _check(durations: Sequence[float], events: Sequence[bool]) -> None:
    if len(durations) != len(events):
        raise ValueError("durations and events must have the same length")
    if any(not math.isfinite(t) or t < 0 for t in durations):
        raise ValueError("every duration must be a finite number ≥ 0")


def log_rank(
    durations_1: Sequence[float],
    events_1: Sequence[bool],
    durations_2: Sequence[float],
    events_2: Sequence[bool],
) -> LogRank:
    """Compare two groups' survival with the log-rank test (Collett 2015, §2.6.2).

    Args:
        durations_1, events_1: group 1's times and event indicators (True: event).
        durations_2, events_2: the same for group 2.

    Raises:
        ValueError: a group's sequences differ in length, or a time is negative.
    """
    _check(durations_1, events_1)
    _check(durations_2, events_2)
    pooled = [(float(t), bool(e), 0) for t, e in zip(durations_1, events_1, strict=True)]
    pooled += [(float(t), bool(e), 1) for t, e in zip(durations_2, events_2, strict=True)]
    pooled.sort(key=lambda row: row[0])
    at_risk = [len(durations_1), len(durations_2)]
    observed, expected, variance = [0, 0], [0.0, 0.0], 0.0
    index = 0
    while index < len(pooled):
        time = pooled[index][0]
        died, left = [0, 0], [0, 0]
        while index < len(pooled) and pooled[index][0] == time:
            _t, event, group = pooled[index]
            died[group] += event
            left[group] += 1
            index += 1
        n, d = at_risk[0] + at_risk[1], died[0] + died[1]
        if d:
            for group in (0, 1):
                expected[group] += at_risk[group] * d / n
                observed[group] += died[group]
            if n > 1:
                variance += at_risk[0] * at_risk[1] * d * (n - d) / (n * n * (n - 1))
        at_risk = [at_risk[0] - left[0], at_risk[1] - left[1]]
    if variance <= 0:
        return LogRank((observed[0], observed[1]), (expected[0], expected[1]), 0.0, None, None)
    statistic = (observed[0] - expected[0]) ** 2 / variance
    p_value = math.erfc(math.sqrt(statistic / 2))
    return LogRank(
        (observed[0], observed[1]), (expected[0], expected[1]), variance, statistic, p_value
    )
