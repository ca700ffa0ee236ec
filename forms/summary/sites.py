"""Per-site rows of the sponsor's report: enrolment, screen failures, data entry lag, query
ageing, SAE timeliness and when each site's computers last sent their changes.

Data entry lag is the number of days from a visit's date to the first time that date was
entered (a site that enters visits late shows it here; the median and the 90th percentile,
nearest rank). SAE timeliness counts the serious AEs reported within their 24 hours, reported
late, overdue (not reported and past the deadline) and still within their clock
(:mod:`forms.summary.safety`).

Public names: :class:`SiteRow`, :func:`site_rows`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from forms.summary.facts import DeviceFacts, QueryFacts, SubjectFacts, VisitEntry
from forms.summary.queries import AGE_BANDS, query_ageing
from forms.summary.safety import SaeRow


@dataclass(frozen=True)
class SiteRow:
    """One site's figures."""

    site: str
    enrolled: int
    screening: int
    screen_failed: int
    visits_entered: int
    entry_lag_median: float | None
    entry_lag_p90: int | None
    open_queries: int
    queries_over_30_days: int
    oldest_query_days: int | None
    saes_on_time: int
    saes_late: int
    saes_overdue: int
    saes_pending: int
    devices: int
    last_seen: datetime | None


def _p90(values: Sequence[int]) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def site_rows(
    sites: Sequence[str],
    subjects: Sequence[SubjectFacts],
    queries: Sequence[QueryFacts],
    entries: Sequence[VisitEntry],
    devices: Sequence[DeviceFacts],
    *,
    screen_failed: frozenset[tuple[str, str]],
    saes: Sequence[SaeRow],
    now: datetime,
) -> tuple[SiteRow, ...]:
    """One row per site, in the order given; ``screen_failed`` ((site, subject id)) and
    ``saes`` come from the study summary of the same subjects."""
    rows = []
    for site in sites:
        mine = [s for s in subjects if s.site == site]
        lags = [(e.entered_at.date() - e.visit_date).days for e in entries if e.site == site]
        ageing = query_ageing([q for q in queries if q.site == site], now=now)
        states = [s.state for s in saes if s.site == site]
        computers = [d for d in devices if d.site == site]
        seen = [d.last_seen for d in computers if d.last_seen is not None]
        rows.append(
            SiteRow(
                site,
                sum(1 for s in mine if s.enrolled),
                sum(1 for s in mine if s.status == "screening"),
                sum(1 for s in mine if (site, s.subject_id) in screen_failed),
                len(lags),
                float(median(lags)) if lags else None,
                _p90(lags),
                ageing.open,
                ageing.bands[len(AGE_BANDS)],
                ageing.oldest_days,
                states.count("on_time"),
                states.count("late"),
                states.count("overdue"),
                states.count("pending"),
                len(computers),
                max(seen, default=None),
            )
        )
    return tuple(rows)
