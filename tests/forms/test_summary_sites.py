"""Per-site rows of the sponsor's report: entry lag (median, 90th percentile by nearest rank),
screen failures and SAEs counted at their own site, query ageing and the last change set."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from forms.endpoint_data import SubjectData
from forms.summary import DeviceFacts, QueryFacts, SubjectFacts, VisitEntry
from forms.summary.safety import SaeRow
from forms.summary.sites import site_rows

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _subject(site: str, sid: str, status: str = "enrolled") -> SubjectFacts:
    arm = None if status == "screening" else "NA"
    data = SubjectData((), {}, ())
    return SubjectFacts(sid, site, status, arm, None, None, None, data)


def _sae(site: str, state: str) -> SaeRow:
    return SaeRow("X-1", site, "NA", "Fever", 3, None, None, None, state, None)


def test_each_site_counts_only_its_own() -> None:
    subjects = [
        _subject("A", "S-1"),
        _subject("A", "S-2", "screening"),
        _subject("B", "S-2", "screening"),
    ]
    visit = date(2026, 10, 1)
    lags = [0, 1, 2, 3, 4, 5, 6, 7, 8, 30]  # the 90th percentile by nearest rank is 8
    entries = [
        VisitEntry("A", "S-1", f"SE.V{n}", visit, datetime(2026, 10, 1 + lag, 9, tzinfo=UTC))
        for n, lag in enumerate(lags)
    ]
    queries = [
        QueryFacts("A", "S-1", "monitor", "open", NOW - timedelta(days=40)),
        QueryFacts("A", "S-1", "monitor", "answered", NOW - timedelta(days=2)),
        QueryFacts("B", "S-2", "conflict", "open", NOW - timedelta(days=3)),
    ]
    devices = [
        DeviceFacts("A", "A-1", "active", NOW - timedelta(days=1)),
        DeviceFacts("A", "A-2", "active", NOW - timedelta(hours=2)),
    ]
    rows = site_rows(
        ["A", "B"],
        subjects,
        queries,
        entries,
        devices,
        screen_failed=frozenset({("B", "S-2")}),
        saes=[_sae("A", "on_time"), _sae("A", "overdue"), _sae("B", "late")],
        now=NOW,
    )
    a, b = rows
    assert (a.site, a.enrolled, a.screening, a.screen_failed) == ("A", 1, 1, 0)
    assert (b.enrolled, b.screening, b.screen_failed) == (0, 1, 1)
    assert a.visits_entered == 10
    assert a.entry_lag_median == 4.5
    assert a.entry_lag_p90 == 8
    assert b.entry_lag_median is None
    assert (a.open_queries, a.queries_over_30_days, a.oldest_query_days) == (1, 1, 40)
    assert (b.open_queries, b.queries_over_30_days) == (1, 0)
    assert (a.saes_on_time, a.saes_overdue, a.saes_late) == (1, 1, 0)
    assert b.saes_late == 1
    assert a.devices == 2
    assert a.last_seen == NOW - timedelta(hours=2)
    assert (b.devices, b.last_seen) == (0, None)
