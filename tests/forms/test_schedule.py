"""The visit schedule: target dates, windows and states from the anchor date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_crf.studies import load_study
from forms.schedule import PlannedVisit, VisitState, next_visit, plan_visits, track_visits
from forms.study import Study

ANCHOR = date(2026, 4, 1)


@pytest.fixture(scope="module")
def nct() -> Study:
    return load_study("NCT07553767")


@pytest.fixture(scope="module")
def recurrence() -> Study:
    return load_study("PEG-HCC-RECUR-3Y")


def test_nct_weeks_match_the_protocol(nct: Study) -> None:
    weeks = [v.day // 7 for v in nct.visits if v.oid.startswith("SE.W")]
    assert weeks == [0, 12, 24, 36, 48, 60, 72, 96, 120, 144, 168, 192, 216, 240]
    years = [v.oid for v in nct.visits if v.oid.startswith("SE.Y")]
    assert years == ["SE.Y1", "SE.Y2", "SE.Y3", "SE.Y5"]


def test_default_window_is_used_where_the_protocol_gives_none(nct: Study) -> None:
    w12 = next(p for p in plan_visits(nct, ANCHOR) if p.oid == "SE.W12")
    assert w12.target == ANCHOR + timedelta(days=84)
    assert (w12.earliest, w12.latest) == (w12.target - timedelta(7), w12.target + timedelta(7))


def test_recurrence_study_has_mri_every_12_weeks_for_3_years(recurrence: Study) -> None:
    plan = plan_visits(recurrence, ANCHOR)
    mri = [p for p in plan if "F.IMAGING" in p.forms and p.oid != "SE.BASELINE"]
    assert [p.day for p in mri] == [84 * n for n in range(1, 14)]
    assert all(p.latest - p.target == timedelta(7) == p.target - p.earliest for p in mri)


def test_cytokines_and_stool_only_at_baseline_week_24_and_48(nct: Study) -> None:
    with_cytokines = [v.oid for v in nct.visits if "F.LAB_CYTOKINES" in v.forms]
    with_stool = [v.oid for v in nct.visits if "F.STOOL" in v.forms]
    assert with_cytokines == with_stool == ["SE.W0", "SE.W24", "SE.W48"]


def _states(study: Study, today: date, done: dict[str, date]) -> dict[str, VisitState]:
    return {t.planned.oid: t.state for t in track_visits(study, ANCHOR, today=today, done=done)}


def test_states_follow_the_window(recurrence: Study) -> None:
    w12 = ANCHOR + timedelta(days=84)
    done = {"SE.BASELINE": ANCHOR}
    assert _states(recurrence, w12 - timedelta(8), done)["SE.W12"] is VisitState.UPCOMING
    assert _states(recurrence, w12 - timedelta(7), done)["SE.W12"] is VisitState.OPEN
    assert _states(recurrence, w12 + timedelta(7), done)["SE.W12"] is VisitState.OPEN
    assert _states(recurrence, w12 + timedelta(8), done)["SE.W12"] is VisitState.OVERDUE
    assert _states(recurrence, w12, done)["SE.BASELINE"] is VisitState.DONE


def test_a_visit_is_missed_once_the_next_window_opens_or_a_later_visit_is_done(
    recurrence: Study,
) -> None:
    w24_opens = ANCHOR + timedelta(days=168 - 7)
    assert _states(recurrence, w24_opens - timedelta(1), {})["SE.W12"] is VisitState.OVERDUE
    assert _states(recurrence, w24_opens, {})["SE.W12"] is VisitState.MISSED
    later_done = {"SE.W24": ANCHOR + timedelta(days=100)}
    assert _states(recurrence, ANCHOR + timedelta(100), later_done)["SE.W12"] is VisitState.MISSED


def test_unscheduled_visits_are_allowed_in_both_studies(nct: Study, recurrence: Study) -> None:
    assert nct.unscheduled.allowed
    assert recurrence.unscheduled.allowed
    assert "F.VISIT" in recurrence.unscheduled.forms


def _state_by_definition(
    plan: list[PlannedVisit], index: int, today: date, done: dict[str, date]
) -> VisitState:
    """A visit's state read straight from the rule, looking at every later visit."""
    visit, later = plan[index], plan[index + 1 :]
    if visit.oid in done:
        return VisitState.DONE
    if today < visit.earliest:
        return VisitState.UPCOMING
    if today <= visit.latest:
        return VisitState.OPEN
    if any(v.oid in done for v in later) or (later and today >= later[0].earliest):
        return VisitState.MISSED
    return VisitState.OVERDUE


@settings(max_examples=200, deadline=None)
@given(
    days=st.integers(min_value=-30, max_value=2000),
    done=st.sets(st.integers(min_value=0, max_value=18)),
)
def test_states_equal_the_rule_read_visit_by_visit(days: int, done: set[int]) -> None:
    nct = load_study("NCT07553767")
    plan = plan_visits(nct, ANCHOR)
    done_on = {plan[i].oid: ANCHOR for i in done if i < len(plan)}
    today = ANCHOR + timedelta(days=days)
    tracked = track_visits(nct, ANCHOR, today=today, done=done_on)
    assert [t.state for t in tracked] == [
        _state_by_definition(plan, i, today, done_on) for i in range(len(plan))
    ]


@settings(max_examples=200, deadline=None)
@given(
    study=st.sampled_from(["NCT07553767", "PEG-HCC-RECUR-3Y"]),
    days=st.integers(min_value=-30, max_value=2000),
    done=st.sets(st.integers(min_value=0, max_value=40)),
)
def test_the_next_visit_is_the_first_still_to_do(study: str, days: int, done: set[int]) -> None:
    loaded = load_study(study)
    plan = plan_visits(loaded, ANCHOR)
    done_on = {plan[i].oid: ANCHOR for i in done if i < len(plan)}
    today = ANCHOR + timedelta(days=days)
    pending = (VisitState.UPCOMING, VisitState.OPEN, VisitState.OVERDUE)
    tracked = track_visits(loaded, ANCHOR, today=today, done=done_on)
    expected = next((v for v in tracked if v.state in pending), None)
    assert next_visit(loaded, ANCHOR, today=today, done=done_on) == expected
