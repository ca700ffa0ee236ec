"""Open queries by age: how long the site's questions have waited for an answer.

A query is open from the moment it was raised (by a monitor, or by the server for a conflict)
until the site answers it (a monitor's query becomes "answered") or resolves it (a conflict);
an answered query waits for the monitor instead. Ages are whole days from the opening time to
``now``; the bands (≤ 7, 8–14, 15–30, > 30 days) are the usual ageing bands of data
management reports.

Public names: :data:`AGE_BANDS`, :class:`QueryAgeing`, :func:`query_ageing`.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from forms.summary.facts import QueryFacts

AGE_BANDS: tuple[int, ...] = (7, 14, 30)
"""Upper bounds (days, inclusive) of the age bands; the last band is everything older."""


@dataclass(frozen=True)
class QueryAgeing:
    """Open queries by age band (one count per band of :data:`AGE_BANDS`, then older), by kind
    (``monitor``, ``conflict``), with the median and oldest age, and the answered queries that
    wait for the monitor."""

    open: int
    bands: tuple[int, ...]
    by_kind: tuple[tuple[str, int], ...]
    median_days: float | None
    oldest_days: int | None
    answered: int


def _band(days: int) -> int:
    return next((i for i, bound in enumerate(AGE_BANDS) if days <= bound), len(AGE_BANDS))


def query_ageing(queries: Sequence[QueryFacts], *, now: datetime) -> QueryAgeing:
    """Age the open queries at ``now`` (time-zone aware; a query without an opening time is
    counted as opened now)."""
    bands = [0] * (len(AGE_BANDS) + 1)
    ages, kinds = [], {"monitor": 0, "conflict": 0}
    for query in queries:
        if query.status != "open":
            continue
        age = 0 if query.opened_at is None else max(0, (now - query.opened_at).days)
        ages.append(age)
        bands[_band(age)] += 1
        kinds[query.kind] = kinds.get(query.kind, 0) + 1
    answered = sum(1 for q in queries if q.status == "answered")
    return QueryAgeing(
        len(ages),
        tuple(bands),
        tuple(kinds.items()),
        statistics.median(ages) if ages else None,
        max(ages, default=None),
        answered,
    )
