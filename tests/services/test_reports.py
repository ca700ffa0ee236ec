"""The dashboard's numbers on the demo site, each against a direct count of the database, and
the recurrence study's 3-year cumulative recurrence on a site built by hand."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from desktop_crf.errors import PermissionDenied
from desktop_crf.model import FormKey
from desktop_crf.services import reports, site
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.demo import DEMO_PASSWORD, create_demo_site
from desktop_crf.services.endpoints import subject_data
from desktop_crf.services.queries import server_queries
from desktop_crf.services.reports import site_summary
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_fail, screen_subject
from desktop_crf.store import repository as repo
from desktop_crf.studies import bundled_forms, load_form, load_study
from forms.kaplan_meier import kaplan_meier
from forms.summary import QueryFacts, StudySummary, SubjectDigest, SubjectFacts, summarise
from forms.survival_curves import DAYS_PER_YEAR
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import copy_site

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reports") / "demo"
    create_demo_site(root, subjects=24, today=TODAY, progress=lambda _: None)
    return root


@pytest.fixture(scope="module")
def demo(demo_root: Path) -> tuple[Session, StudySummary]:
    session = site.unlock(demo_root, "investigator", DEMO_PASSWORD)
    summary = site_summary(session, today=TODAY, now=NOW)
    yield session, summary
    session.close()


def _rows(session: Session, sql: str, *params: object) -> list[tuple]:
    return session.db.execute(sql, list(params)).fetchall()


def test_enrolment_per_arm_against_the_target(demo) -> None:
    session, summary = demo
    counted = dict(
        _rows(session, "SELECT arm, count(*) FROM subjects WHERE status = 'enrolled' GROUP BY arm")
    )
    assert {a.arm: a.enrolled for a in summary.enrolment.arms} == counted
    assert summary.enrolment.enrolled == 24
    assert summary.enrolment.target == 156
    screening = _rows(session, "SELECT count(*) FROM subjects WHERE status = 'screening'")[0][0]
    assert summary.enrolment.screening == screening == 3
    assert summary.enrolment.by_month[-1][1] == 24


def test_screen_failures_by_criterion(demo) -> None:
    session, summary = demo
    failing = {
        ("I.HBSAG", "2650"): "IN04",
        ("I.PLT", "82"): "EX03",
        ("I.RECURRENT_OR_METASTATIC", "Y"): "EX01",
    }
    saved = _rows(
        session,
        "SELECT v.subject_id, v.item, v.value FROM item_values v JOIN subjects s "
        "USING (subject_id) WHERE s.status = 'screening' AND v.event = 'SE.SCREENING'",
    )
    expected = Counter(failing[(item, value)] for _s, item, value in saved)
    found = {c.id: c.failed for c in summary.screening.criteria if c.failed}
    assert found == dict(expected)
    assert summary.screening.failed == {("DEMO", s) for s, _i, _v in saved}
    assert summary.screening.pending == 3 - len(summary.screening.failed)


def test_visit_compliance_at_week_12(demo) -> None:
    session, summary = demo
    study = load_study("NCT07553767")
    window = study.window_of(study.visit("SE.W12"))
    done = _rows(
        session,
        "SELECT s.anchor_date, v.value FROM item_values v JOIN subjects s USING (subject_id) "
        "WHERE v.event = 'SE.W12' AND v.form = 'F.VISIT' AND v.item = 'I.VISIT_DATE'",
    )
    in_window = late = 0
    for anchor, visit_date in done:
        target = date.fromisoformat(anchor) + timedelta(days=84)
        offset = (date.fromisoformat(visit_date) - target).days
        in_window += -window.before <= offset <= window.after
        late += offset > window.after
    week12 = next(v for v in summary.visits.visits if v.oid == "SE.W12")
    assert (week12.in_window, week12.late, week12.early) == (in_window, late, 0)
    assert week12.in_window + week12.late > 0
    assert all(o.days_overdue > 0 for o in summary.visits.overdue)


def test_adverse_events_by_term_and_arm_and_the_saes(demo) -> None:
    session, summary = demo
    aes = _rows(
        session,
        "SELECT s.arm, v.value FROM item_values v JOIN subjects s USING (subject_id) "
        "WHERE v.form = 'F.AE' AND v.item = 'I.AETERM'",
    )
    counted = Counter(aes)
    found = {(c.arm, row.term): c.events for row in summary.safety.rows for c in row.arms}
    assert {k: n for k, n in found.items() if n} == dict(counted)
    assert summary.safety.min_grade == 1  # NCT07553767 records every grade
    serious = _rows(
        session,
        "SELECT count(*) FROM item_values WHERE form = 'F.AE' AND item = 'I.AESER' AND value = 'Y'",
    )[0][0]
    assert len(summary.safety.saes) == serious > 0
    assert {s.state for s in summary.safety.saes} <= {"on_time", "late", "pending", "overdue"}


def test_open_queries_by_age(demo) -> None:
    _session, summary = demo
    assert summary.queries.open == 2  # the monitor's two queries of the demo
    assert sum(summary.queries.bands) == 2


def test_survival_curves_count_each_arms_deaths_and_recurrences(demo) -> None:
    session, summary = demo
    arms = dict(_rows(session, "SELECT subject_id, arm FROM subjects WHERE status = 'enrolled'"))
    deaths = Counter(
        arms[s]
        for (s,) in _rows(
            session,
            "SELECT subject_id FROM item_values WHERE item = 'I.EOS_STATUS' AND value = 'DEATH'",
        )
    )
    recurred = {
        s
        for (s,) in _rows(
            session,
            "SELECT subject_id FROM item_values WHERE form = 'F.IMAGING' "
            "AND item = 'I.RECURRENCE' AND value = 'Y'",
        )
    }
    os_curves = next(c for c in summary.curves if c.id == "os")
    rfs = next(c for c in summary.curves if c.id == "rfs")
    for curve in os_curves.comparison.arms:
        assert curve.curve.events == deaths.get(curve.arm, 0)
        assert curve.curve.subjects == sum(1 for a in arms.values() if a == curve.arm)
    for curve in rfs.comparison.arms:
        assert curve.curve.events == sum(1 for s in recurred if arms[s] == curve.arm)
    assert rfs.comparison.log_rank is not None
    assert [c.id for c in summary.curves] == ["rfs", "os"]


def test_hbsag_loss_per_arm_at_each_visit(demo) -> None:
    session, summary = demo
    loss = next(m for m in summary.markers if m.id == "hbsag_loss")
    for point in loss.points:
        rows = _rows(
            session,
            "SELECT s.arm, v.value FROM item_values v JOIN subjects s USING (subject_id) "
            "WHERE v.event = ? AND v.item = 'I.HBSAG' AND s.status = 'enrolled'",
            point.visit,
        )
        for arm, proportion in point.arms:
            values = [v for a, v in rows if a == arm]
            assert proportion.total == len(values)
            assert proportion.successes == values.count("<0.05")
    assert any(p.successes for point in loss.points for _a, p in point.arms)


def test_the_dashboard_needs_clinical_data_rights(demo_root: Path) -> None:
    nurse = site.unlock(demo_root, "nurse", DEMO_PASSWORD)
    try:
        assert site_summary(nurse, today=TODAY, now=NOW).enrolment.enrolled == 24
    finally:
        nurse.close()
    admin = site.unlock(demo_root, "admin", DEMO_PASSWORD)
    try:
        with pytest.raises(PermissionDenied):
            site_summary(admin, today=TODAY, now=NOW)
    finally:
        admin.close()


# -- the recurrence study: 3-year cumulative recurrence, deaths without recurrence censored ---


def _save(session: Session, sid: str, event: str, form: str, **values: str) -> None:
    definition = load_form(form)
    items = [
        ItemInput(definition.group_of(f"I.{item}").oid, f"I.{item}", value)
        for item, value in values.items()
    ]
    save_confirmed(session, FormKey(sid, event, form), items)


def _recurrence_subject(
    nurse: Session, arm: str, radical: date, scans: list[tuple[str, int, bool]]
) -> str:
    sid = screen_subject(nurse, study_version="1.0", screened_on=radical.isoformat()).subject_id
    assert sid is not None
    enroll_subject(nurse, sid, Enrolment(arm=arm, anchor_date=radical.isoformat(), na_drug="ETV"))
    _save(nurse, sid, "SE.BASELINE", "F.HCC_HISTORY", RADICAL_DATE=radical.isoformat())
    for event, day, recurred in scans:
        on = (radical + timedelta(days=day)).isoformat()
        scan = [
            ItemInput("IG.SCAN", "I.SCAN_DATE", on),
            ItemInput("IG.SCAN", "I.NEW_LESION", "Y" if recurred else "N"),
            ItemInput("IG.SCAN", "I.RECURRENCE", "Y" if recurred else "N"),
        ]
        if recurred:  # a new LI-RADS 5 lesion: the protocol's recurrence
            scan += [
                ItemInput("IG.LESION", "I.LIRADS", "LR5"),
                ItemInput("IG.LESION", "I.LESION_SEGMENT", "S4"),
            ]
        save_confirmed(nurse, FormKey(sid, event, "F.IMAGING"), scan)
    return sid


def test_recurrence_study_cumulative_recurrence_counts_recurrence_only(recurrence_nurse) -> None:
    nurse = recurrence_nurse
    radical = date(2023, 6, 1)
    # NA: recurrences at days 170 and 340; one followed 3 years without; one who died
    # without recurrence (censored at the last scan, not an event)
    _recurrence_subject(nurse, "NA", radical, [("SE.W24", 170, True)])
    _recurrence_subject(nurse, "NA", radical, [("SE.W48", 340, True)])
    _recurrence_subject(nurse, "NA", radical, [("SE.W156", 1100, False)])
    dead = _recurrence_subject(nurse, "NA", radical, [("SE.W36", 250, False)])
    _save(
        nurse,
        dead,
        "SE.LOG",
        "F.END_OF_STUDY",
        EOS_DATE="2024-05-01",
        EOS_STATUS="DEATH",
        EOS_DEATH_DATE="2024-04-20",
        EOS_LAST_CONTACT="2024-04-20",
    )
    # NAs + Peg-IFN: one recurrence at day 600, two followed 3 years without
    _recurrence_subject(nurse, "PEG_NA", radical, [("SE.W84", 600, True)])
    _recurrence_subject(nurse, "PEG_NA", radical, [("SE.W156", 1100, False)])
    _recurrence_subject(nurse, "PEG_NA", radical, [("SE.W156", 1100, False)])

    summary = site_summary(nurse, today=date(2026, 11, 1), now=NOW)
    curves = next(c for c in summary.curves if c.id == "recurrence_3y")
    assert curves.comparison.scale == "cumulative"
    by_arm = {a.arm: a for a in curves.comparison.arms}
    assert by_arm["NA"].curve.events == 2  # the death is not a recurrence
    expected = kaplan_meier([170, 340, 1100, 250], [True, True, False, False])
    three_years = by_arm["NA"].landmarks[2]
    assert three_years.years == 3
    assert three_years.estimate is not None
    assert three_years.estimate.value == pytest.approx(1 - expected.survival_at(3 * DAYS_PER_YEAR))
    assert three_years.estimate.value == pytest.approx(1 - (3 / 4) * (1 / 2))
    peg = by_arm["PEG_NA"].landmarks[2].estimate
    assert peg is not None
    assert peg.value == pytest.approx(1 / 3)
    assert curves.comparison.log_rank is not None
    assert summary.safety.min_grade == 2  # the recurrence study reports from grade 2


def test_what_the_summary_reads_is_all_it_needs(demo) -> None:
    """The service reads only ``forms.summary.facts.READS`` (and dates, and screening forms of
    subjects screening): summarising every saved value of every subject gives the same."""
    session, summary = demo
    facts = []
    for row in repo.list_subjects(session.db):
        data = subject_data(session, row["subject_id"])
        anchor = date.fromisoformat(row["anchor_date"]) if row["anchor_date"] else None
        facts.append(
            SubjectFacts(
                row["subject_id"],
                "DEMO",
                row["status"],
                row["arm"],
                date.fromisoformat(row["screened_on"]),
                date.fromisoformat(row["enrolled_on"]) if row["enrolled_on"] else None,
                anchor,
                data,
            )
        )
    queries = [
        QueryFacts("DEMO", q.subject, q.kind, q.status, datetime.fromisoformat(q.opened_at))
        for q in server_queries(session)
    ]
    everything = summarise(
        load_study("NCT07553767"), bundled_forms(), facts, queries, today=TODAY, now=NOW
    )
    assert everything == summary


def _kept(session: Session) -> dict[str, SubjectDigest]:
    return {s: digest for s, (_v, digest) in session.kept[reports.__name__].by_subject.items()}


def test_a_subject_is_read_again_after_any_change_to_it_and_only_then(
    demo_root: Path, tmp_path: Path
) -> None:
    """The session keeps each subject's digest with the subject's version: a subject whose
    values or row changed is read again, no other is, and the summary is the one a new
    session computes from nothing."""
    root = copy_site(demo_root, tmp_path / "demo")
    nurse = site.unlock(root, "nurse", DEMO_PASSWORD)
    try:
        before = site_summary(nurse, today=TODAY, now=NOW)
        kept = _kept(nurse)
        dead = "SELECT subject_id FROM item_values WHERE value IN ('DEATH', 'DEAD')"
        dying = _rows(
            nurse,
            "SELECT subject_id FROM subjects WHERE status = 'enrolled' "
            f"AND subject_id NOT IN ({dead}) ORDER BY anchor_date LIMIT 1",
        )[0][0]
        screening = next(
            s
            for s, d in kept.items()
            if d.status == "screening" and ("DEMO", s) not in before.screening.failed
        )
        day = (TODAY - timedelta(days=1)).isoformat()
        _save(nurse, dying, "SE.LOG", "F.END_OF_STUDY", EOS_DATE=day, EOS_STATUS="DEATH",
              EOS_DEATH_DATE=day, EOS_LAST_CONTACT=day)  # fmt: skip
        screen_fail(nurse, screening, reason="declined the scan")
        after = site_summary(nurse, today=TODAY, now=NOW)
        again = _kept(nurse)
        assert {s for s in kept if again[s] is not kept[s]} == {dying, screening}
        assert site_summary(nurse, today=TODAY, now=NOW) == after
        assert _kept(nurse) == again
    finally:
        nurse.close()
    fresh = site.unlock(root, "investigator", DEMO_PASSWORD)
    try:
        assert site_summary(fresh, today=TODAY, now=NOW) == after
    finally:
        fresh.close()
    arm = kept[dying].arm

    def deaths(summary: StudySummary) -> int:
        os_curves = next(c for c in summary.curves if c.id == "os")
        return next(a.curve.events for a in os_curves.comparison.arms if a.arm == arm)

    assert deaths(after) == deaths(before) + 1
    assert after.screening.failed == {*before.screening.failed, ("DEMO", screening)}
    assert after.screening.pending == before.screening.pending - 1


def test_a_recorded_screen_failure_counts_and_a_discarded_screening_does_not(nurse) -> None:
    from desktop_crf.services.subjects import discard_screening

    subjects = [
        screen_subject(nurse, study_version="1.0", screened_on="2026-11-01").subject_id
        for _ in range(3)
    ]
    failed, discarded, pending = subjects
    assert failed is not None
    assert discarded is not None
    assert pending is not None
    screen_fail(nurse, failed, reason="withdrew consent before the scan")  # no data saved
    discard_screening(nurse, discarded, reason="opened by mistake")
    summary = site_summary(nurse, today=TODAY, now=NOW)
    code = nurse.site.site_code
    assert summary.screening.failed == {(code, failed)}
    assert summary.screening.pending == 1
    assert summary.enrolment.enrolled == 0
