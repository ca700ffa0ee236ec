"""Child-Pugh deterioration (≥ 2 points over baseline) and QLQ-C30 change from baseline."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_crf.studies import load_form
from forms.change_from_baseline import (
    Deterioration,
    child_pugh_deterioration,
    child_pugh_points,
    qlq_c30_changes,
)

BASE = date(2026, 1, 1)


def test_deterioration_needs_a_rise_of_two_points() -> None:
    history = [(date(2026, 7, 1), 6), (BASE, 5), (date(2026, 4, 1), None), (date(2026, 10, 1), 7)]
    assert child_pugh_deterioration(history) == Deterioration(BASE, 5, date(2026, 10, 1), 7)
    assert child_pugh_deterioration([(BASE, 5), (date(2026, 7, 1), 6)]) is None
    assert child_pugh_deterioration([]) is None


def test_points_come_from_the_form_through_the_instrument() -> None:
    form = load_form("F.CHILD_PUGH")
    values = {
        "I.CP_TBIL": "40",
        "I.CP_ALB": "30",
        "I.CP_INR": "1.2",
        "I.CP_ASCITES": "mild",
        "I.CP_ENCEPHALOPATHY": "none",
    }
    assert child_pugh_points(form, values) == 8
    assert child_pugh_points(form, {**values, "I.CP_INR": ""}) is None


def test_qlq_c30_change_from_baseline() -> None:
    baseline = dict.fromkeys(range(1, 29), 1) | {29: 4, 30: 4}
    later = baseline | {29: 7, 30: 7}
    missing = dict.fromkeys(range(1, 31))
    changes = qlq_c30_changes(
        [(date(2026, 4, 1), later), (BASE, baseline), (date(2026, 7, 1), missing)]
    )
    assert [c.on for c in changes] == [BASE, date(2026, 4, 1), date(2026, 7, 1)]
    assert changes[0].change["QL2"] == 0
    assert changes[1].change["QL2"] == pytest.approx(50.0)
    assert changes[1].change["PF2"] == 0
    assert changes[2].change["QL2"] is None


def test_a_missing_baseline_score_is_not_replaced_by_a_later_one() -> None:
    # The baseline assessment could not be scored: the next assessment must not become the
    # baseline (5 → 7 would read as deterioration).
    history = [(BASE, None), (date(2026, 4, 1), 5), (date(2026, 7, 1), 7)]
    assert child_pugh_deterioration(history) is None
