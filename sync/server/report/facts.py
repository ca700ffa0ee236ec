"""What the server holds about a study, gathered for the report: each site's subjects (from the
``subject.create`` / ``subject.update`` entries of its feed, applied in order, as a device
applies them when it pulls), their current item values (the projection), the queries, when
each visit's date was first entered (the feed) and each device's last change set (the ledger).

Public names: :class:`StudyFacts`, :func:`gather`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from forms.endpoint_data import SubjectData, form_records, start_dates
from forms.summary import DeviceFacts, QueryFacts, SubjectFacts, VisitEntry
from forms.summary.facts import reads
from sync.server.db import Database, Tx
from sync.server.report.definitions import Definitions

_SUBJECT_ACTIONS = ("subject.create", "subject.update")
__all__ = ["StudyFacts", "gather"]


@dataclass(frozen=True)
class StudyFacts:
    """Everything the report is computed from."""

    sites: tuple[str, ...]
    subjects: tuple[SubjectFacts, ...]
    queries: tuple[QueryFacts, ...]
    entries: tuple[VisitEntry, ...]
    devices: tuple[DeviceFacts, ...]


def _date(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _moment(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


def _sites(tx: Tx, study: str) -> tuple[str, ...]:
    rows = tx.all(
        "SELECT code FROM sites WHERE study = ? UNION SELECT site FROM devices WHERE study = ?",
        (study, study),
    )
    return tuple(sorted({str(r[0]) for r in rows}))


#: What marks the entries the report reads, as they are written in the feed (canonical JSON):
#: a subject's creation or change, and a visit date set.
_SUBJECT_MARK, _VISIT_MARK = '"action":"subject.', '"item":"I.VISIT_DATE"'


def _entries(tx: Tx, site: str) -> list[dict[str, Any]]:
    """The site's feed entries about subjects or visit dates, in feed order (a substring
    test in the database, then the entries themselves are checked)."""
    find = "strpos(body, ?)" if tx.dialect == "postgresql" else "instr(body, ?)"
    rows = tx.all(
        f"SELECT body FROM feed WHERE site = ? AND kind = 'entry' AND ({find} > 0 "
        f"OR {find} > 0) ORDER BY pos",
        (site, _SUBJECT_MARK, _VISIT_MARK),
    )
    return [json.loads(r[0])["entry"] for r in rows]


def _subjects(entries: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each subject's fields, its subject entries applied in order (as a device does)."""
    found: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry.get("action") not in _SUBJECT_ACTIONS or not entry.get("subject"):
            continue
        try:
            changed = json.loads(entry.get("new") or "{}")
        except ValueError:
            continue
        if isinstance(changed, dict):
            found.setdefault(str(entry["subject"]), {}).update(changed)
    return {s: fields for s, fields in found.items() if fields.get("status")}


def _values(
    tx: Tx, site: str, read: dict[str, frozenset[str]], screening: str
) -> dict[str, list[tuple[str, int, str, str, int, str, str | None, str | None]]]:
    """Per subject, the current values the summary reads (``forms.summary.facts.READS``, the
    forms' dates, the screening visit). The projection's path is the JSON list of the ODM
    path, the item last: only the rows with a wanted item, or at screening, are parsed."""
    items = {item for wanted in read.values() for item in wanted}
    at_screening = f'"{screening}"'
    rows = tx.all(
        "SELECT path, value, unit FROM items WHERE site = ? AND value IS NOT NULL", (site,)
    )
    found: dict[str, list[tuple[str, int, str, str, int, str, str | None, str | None]]]
    found = defaultdict(list)
    for path, value, unit in rows:
        last = path[path.rfind(',"') + 2 : -2] if path.endswith('"]') else ""
        if last not in items and at_screening not in path:
            continue
        subject, event, ev_rep, form, group, rep, item = json.loads(path)
        if subject is None or event is None or form is None or item is None:
            continue
        if item not in read.get(form, ()) and event != screening:
            continue
        row = (str(event), int(ev_rep or 1), str(form), str(group or ""), int(rep or 1), str(item))
        found[str(subject)].append((*row, value, unit))
    return found


def _facts(
    definitions: Definitions,
    read: dict[str, frozenset[str]],
    site: str,
    subject_id: str,
    fields: dict[str, Any],
    rows: list[tuple[str, int, str, str, int, str, str | None, str | None]],
) -> SubjectFacts:
    study, forms = definitions.study, definitions.forms
    status = str(fields.get("status"))
    screening = study.visits[0].oid

    def wanted(row: tuple[str, int, str, str, int, str, str | None, str | None]) -> bool:
        return row[5] in read.get(row[2], ()) or (status == "screening" and row[0] == screening)

    records = form_records([r for r in rows if wanted(r)], forms)
    anchor = _date(fields.get("anchor_date"))
    starts = start_dates(records, anchor_kind=study.anchor.kind, anchor=anchor)
    return SubjectFacts(
        subject_id,
        site,
        status,
        fields.get("arm"),
        _date(fields.get("screened_on")),
        _date(fields.get("enrolled_on")),
        anchor,
        SubjectData.of(study, forms, records, starts=starts),
    )


def _visit_entries(site: str, entries: Iterable[dict[str, Any]]) -> list[VisitEntry]:
    """When each visit's date was first entered: the first ``item.set`` of its date."""
    first: dict[tuple[str, str, int], VisitEntry] = {}
    for entry in entries:
        if entry.get("action") != "item.set" or entry.get("item") != "I.VISIT_DATE":
            continue
        key = (
            str(entry.get("subject")),
            str(entry.get("event")),
            int(entry.get("event_repeat") or 1),
        )
        on, at = _date(entry.get("new")), _moment(entry.get("ts"))
        if key in first or on is None or at is None:
            continue
        first[key] = VisitEntry(site, key[0], key[1], on, at)
    return list(first.values())


def gather(db: Database, definitions: Definitions) -> StudyFacts:
    """Read what the server holds about ``definitions.study`` at every site, in one
    transaction."""
    study = definitions.study.id
    subjects, queries, entries, devices = [], [], [], []
    read = reads(definitions.forms)
    with db.transaction() as tx:
        sites = _sites(tx, study)
        screening = definitions.study.visits[0].oid
        for site in sites:
            values = _values(tx, site, read, screening)
            feed = _entries(tx, site)
            for subject_id, fields in sorted(_subjects(feed).items()):
                if fields.get("study_id") not in (None, study):
                    continue
                stored = values.get(subject_id, [])
                subjects.append(_facts(definitions, read, site, subject_id, fields, stored))
            for subject, kind, status, opened in tx.all(
                "SELECT subject, kind, status, opened_at FROM queries WHERE site = ?", (site,)
            ):
                queries.append(QueryFacts(site, subject, kind, status, _moment(opened)))
            entries += _visit_entries(site, feed)
        rows = tx.all("SELECT device, max(received_at) FROM changesets GROUP BY device")
        seen: dict[str, str] = {str(device): str(at) for device, at in rows}
        for device, site, status in tx.all("SELECT device, site, status FROM devices"):
            if site in sites:
                devices.append(DeviceFacts(site, device, status, _moment(seen.get(device))))
    return StudyFacts(sites, tuple(subjects), tuple(queries), tuple(entries), tuple(devices))
