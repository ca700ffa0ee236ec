"""The sponsor's study report: one self-contained HTML page for a whole study across its
sites, computed from what the server holds (the feed of every site's entries, the projection
of current values, the queries and the ledger) by the same pure code as the desktop's
dashboard (:func:`forms.summary.summarise`), plus a row per site.

``crf-server report --data DIR --study ID --out FILE.html`` writes it.

Public names: :func:`build_report`, :func:`write_report`, :class:`DefinitionsNotFound`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from forms.summary import StudySummary, summarise
from forms.summary.sites import SiteRow, site_rows
from sync.server.db import Database
from sync.server.report.definitions import DefinitionsNotFound, load_definitions
from sync.server.report.facts import gather
from sync.server.report.page import render_page

__all__ = ["DefinitionsNotFound", "build_report", "write_report"]


def build_report(
    db: Database,
    study_id: str,
    *,
    today: date,
    now: datetime,
    definitions: Path | None = None,
) -> tuple[StudySummary, tuple[SiteRow, ...], str]:
    """The study's summary, its per-site rows and the HTML page.

    Args:
        now: time-zone aware; SAE clocks read the AE form's times in its zone.

    Raises:
        DefinitionsNotFound: the study's definitions cannot be loaded.
    """
    loaded = load_definitions(study_id, definitions)
    facts = gather(db, loaded)
    summary = summarise(
        loaded.study, loaded.forms, facts.subjects, facts.queries, today=today, now=now
    )
    rows = site_rows(
        facts.sites,
        facts.subjects,
        facts.queries,
        facts.entries,
        facts.devices,
        screen_failed=summary.screening.failed,
        saes=summary.safety.saes,
        now=now,
    )
    return summary, rows, render_page(summary, rows)


def write_report(
    db: Database,
    study_id: str,
    out: Path,
    *,
    today: date,
    now: datetime,
    definitions: Path | None = None,
) -> StudySummary:
    """Write the report of ``study_id`` to ``out`` (UTF-8); return its summary."""
    summary, _rows, page = build_report(db, study_id, today=today, now=now, definitions=definitions)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return summary
