"""Curves per arm: landmark estimates on the survival and cumulative scales, numbers at risk
at the ticks, the log-rank test between two arms, and the recurrence study's 3-year
cumulative recurrence rate."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from forms.kaplan_meier import kaplan_meier
from forms.logrank import log_rank
from forms.survival import SurvivalTime
from forms.survival_curves import (
    DAYS_PER_YEAR,
    at_risk_ticks,
    compare_arms,
    cumulative_rate,
)

START = date(2024, 1, 1)


def _time(days: int, event: bool) -> SurvivalTime:
    return SurvivalTime(START, START + timedelta(days=days), event)


def test_three_year_cumulative_recurrence_is_one_minus_km_at_three_years() -> None:
    # 10 subjects: recurrences at 200, 500, 900 days, one at 1200 (after 3 years), the rest
    # censored after 3 years
    times = [_time(d, True) for d in (200, 500, 900, 1200)] + [_time(1300, False)] * 6
    curve = kaplan_meier([t.days for t in times], [t.event for t in times])
    rate = cumulative_rate(curve, 3)
    assert rate is not None
    assert rate.value == pytest.approx(1 - 7 / 10)  # three recurrences of ten by day 1095.75
    lower, upper = curve.interval_at(3 * DAYS_PER_YEAR)
    assert (rate.lower, rate.upper) == pytest.approx((1 - upper, 1 - lower))
    short = kaplan_meier([100, 400], [True, False])
    assert cumulative_rate(short, 3) is None  # the follow-up does not reach 3 years


def test_compare_arms_gives_landmarks_at_risk_and_the_log_rank_test() -> None:
    peg = [_time(d, e) for d, e in ((100, True), (400, False), (800, True), (1500, False))]
    na = [_time(d, e) for d, e in ((50, True), (300, True), (700, True), (1200, False))]
    result = compare_arms({"PEG_NA": peg, "NA": na}, landmark_years=(1, 2, 5), scale="survival")
    assert [a.arm for a in result.arms] == ["PEG_NA", "NA"]
    assert result.ticks == at_risk_ticks(1500)
    assert result.ticks[:3] == (0.0, DAYS_PER_YEAR, 2 * DAYS_PER_YEAR)
    first = result.arms[0]
    assert first.at_risk[0] == 4
    assert first.at_risk[1] == 3
    one_year = first.landmarks[0]
    assert one_year.years == 1
    assert one_year.estimate is not None
    assert one_year.estimate.value == pytest.approx(3 / 4)
    assert first.landmarks[2].estimate is None  # no one followed for 5 years
    expected = log_rank(
        [100, 400, 800, 1500],
        [True, False, True, False],
        [50, 300, 700, 1200],
        [True, True, True, False],
    )
    assert result.log_rank == expected
    cumulative = compare_arms({"PEG_NA": peg, "NA": na}, landmark_years=(1,), scale="cumulative")
    estimate = cumulative.arms[0].landmarks[0].estimate
    assert estimate is not None
    assert estimate.value == pytest.approx(1 / 4)
    assert cumulative.arms[0].value_at(365, "cumulative").value == pytest.approx(1 / 4)


def test_one_arm_without_subjects_has_no_test() -> None:
    result = compare_arms({"PEG_NA": [_time(10, True)], "NA": []}, landmark_years=(1,))
    assert result.log_rank is None
    assert result.arms[1].at_risk == (0,) * len(result.ticks)


def test_ticks_every_half_year_for_short_follow_up() -> None:
    assert at_risk_ticks(300) == (0.0, DAYS_PER_YEAR / 2, DAYS_PER_YEAR)
    assert at_risk_ticks(0) == (0.0, DAYS_PER_YEAR / 2)
