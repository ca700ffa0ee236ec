"""Wilson score intervals against the published worked examples."""

from __future__ import annotations

import pytest

from forms.proportions import wilson


@pytest.mark.parametrize(
    ("successes", "total", "lower", "upper"),
    [
        # Newcombe RG, Stat Med 1998;17:857-872: the four examples, method 3 (Wilson score
        # interval without continuity correction)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombe_1998(
    successes: int, total: int, lower: float, upper: float
) -> None:
    result = wilson(successes, total)
    assert result.estimate == pytest.approx(successes / total)
    assert result.lower == pytest.approx(lower, abs=5e-5)
    assert result.upper == pytest.approx(upper, abs=5e-5)


def test_wilson_interval_stays_in_zero_one_and_is_symmetric() -> None:
    everyone = wilson(20, 20)
    assert everyone.upper == 1.0
    assert 0.83 < everyone.lower < 0.84
    low, high = wilson(3, 10), wilson(7, 10)
    assert low.lower == pytest.approx(1 - high.upper)
    assert wilson(0, 0).estimate is None
    assert wilson(5, 10, confidence=0.99).lower < wilson(5, 10).lower
    with pytest.raises(ValueError, match="not a proportion"):
        wilson(3, 2)


def test_wilson_agrees_with_scipy_binomtest() -> None:
    stats = pytest.importorskip("scipy.stats")
    for successes, total in ((0, 7), (4, 31), (12, 40), (55, 56)):
        interval = stats.binomtest(successes, total).proportion_ci(method="wilson")
        ours = wilson(successes, total)
        assert ours.lower == pytest.approx(interval.low, abs=1e-12)
        assert ours.upper == pytest.approx(interval.high, abs=1e-12)
