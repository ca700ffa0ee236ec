"""AE rules: seriousness, the grade-2 reporting threshold, the 24-hour SAE clock, term checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from desktop_crf.instruments import load_ctcae_dictionary
from forms.instruments import adverse_events as ae
from forms.instruments.errors import NaiveTime, UnknownChoice

CHINA = timezone(timedelta(hours=8))
AWARE = datetime(2026, 3, 2, 9, 30, tzinfo=CHINA)


def test_six_seriousness_criteria_each_make_an_event_serious() -> None:
    assert len(ae.Seriousness) == 6
    for criterion in ae.Seriousness:
        assert ae.is_serious([criterion.value])
        assert set(ae.SERIOUSNESS_LABELS[criterion]) == {"en", "zh"}
    assert not ae.is_serious([])
    assert ae.seriousness_of(["death", "hospitalisation", "death"]) == {
        ae.Seriousness.DEATH,
        ae.Seriousness.HOSPITALISATION,
    }
    with pytest.raises(UnknownChoice, match="seriousness"):
        ae.is_serious(["severe"])


@pytest.mark.parametrize(
    ("grade", "serious", "expected"),
    [(1, False, False), (2, False, True), (3, False, True), (1, True, True), (None, False, True)],
)
def test_recurrence_study_reports_from_grade_two(
    grade: int | None, serious: bool, expected: bool
) -> None:
    assert ae.is_reportable(grade, min_grade=2, serious=serious) is expected


def test_grade_one_reportable_where_the_study_reports_all_grades() -> None:
    assert ae.is_reportable(1, min_grade=1)


def test_clock_runs_24_hours_from_awareness() -> None:
    state = ae.sae_clock(AWARE, now=AWARE + timedelta(hours=5, minutes=15))
    assert state.deadline == datetime(2026, 3, 3, 9, 30, tzinfo=CHINA)
    assert state.remaining == timedelta(hours=18, minutes=45)
    assert not state.overdue
    assert state.describe() == "Report by 2026-03-03 09:30 (18 h 45 min left)"
    assert state.describe("zh") == "剩余 18 小时 45 分钟（截止 2026-03-03 09:30）"
    assert state.summary() == "18 h 45 min left"
    assert state.summary("zh") == "剩余 18 小时 45 分钟"


def test_clock_deadline_is_exact_and_zone_independent() -> None:
    in_utc = AWARE.astimezone(UTC)
    assert not ae.sae_clock(AWARE, now=in_utc + timedelta(hours=24)).overdue
    late = ae.sae_clock(AWARE, now=in_utc + timedelta(hours=24, seconds=1))
    assert late.overdue
    assert late.describe().startswith("Overdue by 0 h 0 min")


def test_overdue_clock_is_flagged() -> None:
    state = ae.sae_clock(AWARE, now=AWARE + timedelta(hours=27, minutes=5))
    assert state.overdue
    assert state.remaining == -timedelta(hours=3, minutes=5)
    assert state.describe() == "Overdue by 3 h 5 min (due 2026-03-03 09:30)"
    assert state.describe("zh").startswith("已超期 3 小时 5 分钟")
    assert state.summary() == "Overdue 3 h 5 min"
    assert state.summary("zh") == "已超期 3 小时 5 分钟"


def test_reported_clock_stops() -> None:
    on_time = ae.sae_clock(
        AWARE, now=AWARE + timedelta(days=3), reported_at=AWARE + timedelta(hours=20)
    )
    assert not on_time.overdue
    assert on_time.remaining is None
    assert on_time.describe() == "Reported on time (due 2026-03-03 09:30)"
    assert on_time.describe("zh").startswith("已按时报告")
    assert (on_time.summary(), on_time.summary("zh")) == ("Reported on time", "已按时报告")
    late = ae.sae_clock(
        AWARE, now=AWARE + timedelta(days=3), reported_at=AWARE + timedelta(hours=25)
    )
    assert late.overdue
    assert late.describe() == "Reported late (due 2026-03-03 09:30)"
    assert late.describe("zh").startswith("已于截止时间")
    assert (late.summary(), late.summary("zh")) == ("Reported late", "已逾期报告")


@pytest.mark.parametrize("which", ["aware_at", "now", "reported_at"])
def test_times_without_zone_are_refused(which: str) -> None:
    times = {"aware_at": AWARE, "now": AWARE, "reported_at": AWARE}
    times[which] = datetime(2026, 3, 2, 9, 30)
    with pytest.raises(NaiveTime, match="time zone"):
        ae.sae_clock(times["aware_at"], now=times["now"], reported_at=times["reported_at"])


def test_form_date_and_time_make_the_awareness_moment() -> None:
    assert ae.moment_of("2026-03-02", " 09:30 ", zone=CHINA) == AWARE
    assert ae.moment_of("2026-03-02", "0:05", zone=UTC).minute == 5


@pytest.mark.parametrize(
    ("day", "clock"),
    [
        ("2026-03", "09:30"),
        ("2026-03-02", "9.30"),
        ("2026-03-02", "9:3"),
        ("2026-03-02", "25:00"),
        ("x", "1:1"),
    ],
)
def test_unreadable_awareness_time_is_refused(day: str, clock: str) -> None:
    with pytest.raises(ae.TimeNotUnderstood, match="HH:MM"):
        ae.moment_of(day, clock, zone=CHINA)


def test_term_and_grade_checks() -> None:
    dictionary = load_ctcae_dictionary()
    assert ae.check_term_and_grade(dictionary, "Fatigue", 3, 10016256) == []
    unknown = ae.check_term_and_grade(dictionary, "Tiredness", 1)
    assert [f.item for f in unknown] == ["I.AETERM"]
    assert "不是CTCAE" in unknown[0].zh
    no_grade = ae.check_term_and_grade(dictionary, "Fatigue", 4)  # v5.0 Fatigue stops at 3
    assert [f.item for f in no_grade] == ["I.AEGRADE"]
    assert "choose one of 1, 2, 3" in no_grade[0].en
    wrong_code = ae.check_term_and_grade(dictionary, "Fatigue", None, 10035528)
    assert [f.item for f in wrong_code] == ["I.AEMEDDRA"]


def test_every_drug_and_choice_has_labels() -> None:
    assert set(ae.STUDY_DRUGS) == {"PEG", "NA"}
    assert [a.value for a in ae.DrugAction][:4] == [
        "none",
        "dose_reduced",
        "interrupted",
        "withdrawn",
    ]
    assert len(ae.Outcome) == 6
