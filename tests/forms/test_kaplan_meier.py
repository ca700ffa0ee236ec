"""Kaplan–Meier by hand (censoring and ties), Greenwood's variance, numbers at risk, and the
log-rank test; then both against ``lifelines`` on generated data."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from forms.kaplan_meier import kaplan_meier, normal_quantile
from forms.logrank import log_rank

# Ten subjects: (time, event). At t=2 two events and a censoring share the time, at t=6 an
# event and a censoring: the censored subjects are at risk for those events.
HAND = [(1, 1), (2, 1), (2, 1), (2, 0), (3, 0), (4, 1), (5, 0), (6, 1), (6, 0), (8, 0)]


def _km(data=HAND, **kw):
    return kaplan_meier([t for t, _ in data], [bool(e) for _, e in data], **kw)


def test_product_limit_by_hand_with_events_before_censorings_at_tied_times() -> None:
    km = _km()
    table = [(s.time, s.at_risk, s.events, s.censored) for s in km.steps]
    assert table == [
        (1, 10, 1, 0),
        (2, 9, 2, 1),  # the subject censored at 2 is still at risk at 2
        (3, 6, 0, 1),
        (4, 5, 1, 0),
        (5, 4, 0, 1),
        (6, 3, 1, 1),
        (8, 1, 0, 1),
    ]
    # S = 9/10 · 7/9 · 4/5 · 2/3, worked exactly
    expected = {
        1: Fraction(9, 10),
        2: Fraction(7, 10),
        3: Fraction(7, 10),
        4: Fraction(14, 25),
        5: Fraction(14, 25),
        6: Fraction(28, 75),
        8: Fraction(28, 75),
    }
    for step in km.steps:
        assert step.survival == pytest.approx(float(expected[int(step.time)]), abs=1e-15)
    assert km.survival_at(0.5) == 1.0
    assert km.survival_at(2) == pytest.approx(0.7)  # right-continuous: the drop counts at t
    assert km.survival_at(1.99) == pytest.approx(0.9)
    assert km.median() == 6  # the first time S ≤ 0.5
    assert km.events == 5
    assert km.subjects == 10


def test_greenwood_variance_and_log_log_limits_by_hand() -> None:
    km = _km()
    # Σ d/(n(n−d)) up to t=6: 1/(10·9) + 2/(9·7) + 1/(5·4) + 1/(3·2) = 327/1260
    greenwood = Fraction(1, 90) + Fraction(2, 63) + Fraction(1, 20) + Fraction(1, 6)
    assert greenwood == Fraction(327, 1260)
    s6 = Fraction(28, 75)
    step = km.steps[5]
    assert step.variance == pytest.approx(float(s6 * s6 * greenwood), rel=1e-12)
    z = 1.959963984540054
    centre = math.log(-math.log(float(s6)))
    spread = z * math.sqrt(float(greenwood)) / abs(math.log(float(s6)))
    assert step.lower == pytest.approx(math.exp(-math.exp(centre + spread)), rel=1e-12)
    assert step.upper == pytest.approx(math.exp(-math.exp(centre - spread)), rel=1e-12)
    assert step.lower < step.survival < step.upper
    plain = _km(method="plain").steps[5]
    half = z * float(s6) * math.sqrt(float(greenwood))
    assert plain.lower == pytest.approx(float(s6) - half)
    assert plain.upper == pytest.approx(float(s6) + half)


def test_numbers_at_risk_count_everyone_whose_time_is_not_yet_passed() -> None:
    km = _km()
    assert [km.at_risk(t) for t in (0, 1, 2, 2.5, 6, 7, 8, 9)] == [10, 10, 9, 6, 3, 1, 1, 0]


def test_edge_cases() -> None:
    empty = kaplan_meier([], [])
    assert empty.steps == ()
    assert empty.survival_at(10) == 1.0
    assert empty.at_risk(0) == 0
    all_die = kaplan_meier([1, 2], [True, True])
    assert all_die.steps[-1].survival == 0.0
    assert (all_die.steps[-1].lower, all_die.steps[-1].upper) == (0.0, 0.0)
    censored = kaplan_meier([3, 4], [False, False])
    assert censored.survival_at(5) == 1.0
    assert censored.median() is None
    with pytest.raises(ValueError, match="same length"):
        kaplan_meier([1], [])
    with pytest.raises(ValueError, match="≥ 0"):
        kaplan_meier([-1], [True])
    assert normal_quantile(0.95) == pytest.approx(1.959963984540054)
    with pytest.raises(ValueError, match="confidence"):
        normal_quantile(1.0)


def test_log_rank_by_hand() -> None:
    # group 1: events at 1 and 3; group 2: an event at 2, censored at 4
    result = log_rank([1, 3], [True, True], [2, 4], [True, False])
    # t=1: n=4 (2+2), d=1 → e1 = 2/4, v = 2·2·1·3/(16·3) = 1/4
    # t=2: n=3 (1+2), d=1 → e1 = 1/3, v = 1·2·1·2/(9·2) = 2/9
    # t=3: n=2 (1+1), d=1 → e1 = 1/2, v = 1·1·1·1/(4·1) = 1/4
    e1 = 1 / 2 + 1 / 3 + 1 / 2
    v = 1 / 4 + 2 / 9 + 1 / 4
    assert result.observed == (2, 1)
    assert result.expected[0] == pytest.approx(e1)
    assert result.expected[0] + result.expected[1] == pytest.approx(3)
    assert result.variance == pytest.approx(v)
    assert result.statistic == pytest.approx((2 - e1) ** 2 / v)
    assert result.p_value == pytest.approx(math.erfc(math.sqrt((2 - e1) ** 2 / v / 2)))
    nothing = log_rank([1, 2], [False, False], [3], [False])
    assert nothing.statistic is None
    assert nothing.p_value is None


# -- against lifelines ------------------------------------------------------------------------


def _generated(seed: int, n: int, scale: float) -> tuple[list[float], list[bool]]:
    """Exponential times, uniform censoring, rounded to whole days so that times tie; the
    longest time is a censoring, so that the curve never reaches 0."""
    rng = random.Random(seed)
    durations, events = [], []
    for _ in range(n):
        event_time = rng.expovariate(1 / scale)
        censor_time = rng.uniform(30, 3 * scale)
        durations.append(float(round(min(event_time, censor_time))))
        events.append(event_time <= censor_time)
    longest = max(durations)
    durations.append(longest + 1)
    events.append(False)
    return durations, events


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_estimates_and_limits_agree_with_lifelines(seed: int) -> None:
    lifelines = pytest.importorskip("lifelines")
    durations, events = _generated(seed, 120, 400)
    ours = kaplan_meier(durations, events)
    fitter = lifelines.KaplanMeierFitter().fit(durations, events, alpha=0.05)
    theirs = fitter.survival_function_.iloc[:, 0]
    limits = fitter.confidence_interval_
    at_risk = fitter.event_table["at_risk"]
    for step in ours.steps:
        assert step.survival == pytest.approx(theirs.loc[step.time], abs=1e-12)
        assert step.at_risk == at_risk.loc[step.time]
        if step.survival < 1:
            assert step.lower == pytest.approx(limits.iloc[:, 0].loc[step.time], abs=1e-9)
            assert step.upper == pytest.approx(limits.iloc[:, 1].loc[step.time], abs=1e-9)
    assert ours.median() == fitter.median_survival_time_


@pytest.mark.parametrize("seed", [11, 12, 13, 14, 15])
def test_log_rank_agrees_with_lifelines(seed: int) -> None:
    statistics = pytest.importorskip("lifelines.statistics")
    a_times, a_events = _generated(seed, 90, 300)
    b_times, b_events = _generated(seed + 100, 110, 500)
    ours = log_rank(a_times, a_events, b_times, b_events)
    theirs = statistics.logrank_test(a_times, b_times, a_events, b_events)
    assert ours.statistic == pytest.approx(theirs.test_statistic, rel=1e-9)
    assert ours.p_value == pytest.approx(theirs.p_value, rel=1e-9, abs=1e-15)
