"""A proportion with its Wilson score confidence interval.

Source: Wilson EB. Probable inference, the law of succession, and statistical inference. J Am
Stat Assoc 1927;22:209–212; recommended over the Wald interval by Newcombe RG. Two-sided
confidence intervals for the single proportion: comparison of seven methods. Stat Med
1998;17:857–872 (method 3, without continuity correction), whose worked examples the tests
reproduce. With p = x/n and z the normal quantile:

    (p + z²/2n ± z √(p(1 − p)/n + z²/4n²)) / (1 + z²/n)

The interval never leaves [0, 1] and is not degenerate at 0/n or n/n.

Public names: :class:`Proportion`, :func:`wilson`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from forms.kaplan_meier import normal_quantile


@dataclass(frozen=True)
class Proportion:
    """``successes`` of ``total``, the estimate and its confidence limits (None of 0)."""

    successes: int
    total: int
    estimate: float | None
    lower: float | None
    upper: float | None


def wilson(successes: int, total: int, *, confidence: float = 0.95) -> Proportion:
    """The proportion ``successes``/``total`` with its Wilson score interval (Wilson 1927).

    Raises:
        ValueError: a count is negative, or ``successes`` exceeds ``total``.
    """
    if successes < 0 or total < 0 or successes > total:
        raise ValueError(f"not a proportion: {successes} of {total}")
    if total == 0:
        return Proportion(0, 0, None, None, None)
    z = normal_quantile(confidence)
    p = successes / total
    z2n = z * z / total
    centre = p + z2n / 2
    half = z * math.sqrt(p * (1 - p) / total + z2n / (4 * total))
    lower = 0.0 if successes == 0 else (centre - half) / (1 + z2n)
    upper = 1.0 if successes == total else (centre + half) / (1 + z2n)
    return Proportion(successes, total, p, lower, upper)
