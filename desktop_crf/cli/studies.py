"""``crf`` commands to check the bundled protocols without the GUI: studies, schedule.

- ``crf studies [--json]``: each bundled study with its version, arms and visit count.
- ``crf schedule STUDY_ID --anchor YYYY-MM-DD [--version V] [--json]``: every scheduled visit
  with its target date and window; the default window is marked where the protocol gave none.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from desktop_crf.errors import InvalidInput
from desktop_crf.studies import bundled_studies, load_study
from forms.schedule import PlannedVisit, plan_visits
from forms.study import Study


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "studies",
        help="list the bundled studies",
        description="List each bundled study with its latest version, arms and number of "
        "scheduled visits.",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(handler=_run_studies)

    p = subparsers.add_parser(
        "schedule",
        help="print a study's visit schedule from an anchor date",
        description="Print every scheduled visit of STUDY_ID with its target date and window, "
        "counted from the anchor date (the study file says which date that is: radical "
        "treatment or first dose).",
    )
    p.add_argument("study_id", metavar="STUDY_ID", help="e.g. NCT07553767 or PEG-HCC-RECUR-3Y")
    p.add_argument("--anchor", required=True, metavar="YYYY-MM-DD", help="the anchor date")
    p.add_argument("--version", help="study version (default: the latest)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(handler=_run_schedule)


def _study_summary(study: Study) -> dict[str, Any]:
    return {
        "id": study.id,
        "version": study.version,
        "title": study.title.en,
        "target_enrollment": study.target_enrollment,
        "anchor": study.anchor.kind,
        "arms": [{"code": a.code, "label": a.label.en} for a in study.arms],
        "visits": len(study.visits),
        "unscheduled_visits": study.unscheduled.allowed,
    }


def _run_studies(args: argparse.Namespace) -> int:
    summaries = [_study_summary(s) for s in bundled_studies().values()]
    if args.json:
        print(json.dumps(summaries, ensure_ascii=False, indent=2))
        return 0
    for s in summaries:
        arms = "; ".join(f"{a['code']} ({a['label']})" for a in s["arms"])
        print(f"{s['id']}  version {s['version']}  target {s['target_enrollment']}")
        print(f"  {s['title']}")
        print(f"  arms: {arms}")
        print(f"  visits: {s['visits']} scheduled, anchored on {s['anchor'].replace('_', ' ')}")
    return 0


def _parse_anchor(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"--anchor {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31."
        ) from None


def _visit_row(study: Study, visit: PlannedVisit) -> dict[str, Any]:
    window = study.window_of(study.visit(visit.oid))
    return {
        "oid": visit.oid,
        "label": visit.label.en,
        "label_zh": visit.label.zh,
        "day": visit.day,
        "target": visit.target.isoformat(),
        "earliest": visit.earliest.isoformat(),
        "latest": visit.latest.isoformat(),
        "window_before": window.before,
        "window_after": window.after,
        "default_window": study.visit(visit.oid).window is None,
        "forms": list(visit.forms),
    }


def _run_schedule(args: argparse.Namespace) -> int:
    study = load_study(args.study_id, args.version)
    anchor = _parse_anchor(args.anchor)
    rows = [_visit_row(study, v) for v in plan_visits(study, anchor)]
    if args.json:
        document = {"study": study.id, "version": study.version, "anchor": anchor.isoformat()}
        print(json.dumps({**document, "visits": rows}, ensure_ascii=False, indent=2))
        return 0
    print(f"{study.id} version {study.version}: {study.anchor.label.en} = {anchor.isoformat()}")
    print(f"{'visit':<14}{'day':>6}  {'target':<12}{'window':<27}label")
    for row in rows:
        window = f"{row['earliest']} – {row['latest']}"
        mark = " *" if row["default_window"] else ""
        print(
            f"{row['oid']:<14}{row['day']:>6}  {row['target']:<12}{window:<27}{row['label']}{mark}"
        )
    if any(row["default_window"] for row in rows):
        print(f"* default window ± {study.default_window.before} days: {study.window_note.en}")
    return 0
