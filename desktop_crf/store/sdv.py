"""Source data verification: which revision of each item value a monitor verified (table
``sdv``, migration ``m007_monitoring``), and the counts and lists the monitor's screens need.

A value is *verified* while its revision in ``item_values`` is the one verified (or lower),
*changed since verified* once a later change raised it, and *to verify* otherwise. Whether a
value is critical data is the study's plan (``forms.monitoring``), turned here into SQL over
``item_values`` (alias ``v``) from the same fields.

Writes run inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from desktop_crf.model import FormKey
from forms.monitoring import Monitoring

ACTION = "sdv.verify"
#: One value verified: item group, group repeat, item, the revision it had.
Verified = tuple[str, int, str, int]
_KEY = ("subject_id", "event", "event_repeat", "form", "item_group", "group_repeat", "item")
_JOIN = " AND ".join(f"s.{c} = v.{c}" for c in _KEY)
_UPSERT = (
    "INSERT INTO sdv (subject_id, event, event_repeat, form, item_group, group_repeat, item, "
    "rev, verified_at, verified_by, device, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (subject_id, event, event_repeat, form, item_group, group_repeat, item) "
    "DO UPDATE SET rev = excluded.rev, verified_at = excluded.verified_at, "
    "verified_by = excluded.verified_by, device = excluded.device, seq = excluded.seq "
    "WHERE excluded.rev > sdv.rev OR (excluded.rev = sdv.rev AND "
    "(excluded.verified_at, excluded.device, excluded.seq) > "
    "(sdv.verified_at, sdv.device, sdv.seq))"
)


def record(
    db: sqlite_utils.Database,
    key: FormKey,
    items: Iterable[Verified],
    *,
    at: str,
    by: str,
    device: str,
    seq: int,
) -> None:
    """Record ``items`` of the form ``key`` as verified by the entry (``device``, ``seq``); a
    row already verified at a higher revision stays (entries may arrive in any order)."""
    place = [key.subject_id, key.event, key.event_repeat, key.form]
    db.conn.executemany(
        _UPSERT,
        [
            [*place, group, repeat, item, rev, at, by, device, seq]
            for group, repeat, item, rev in items
        ],
    )


def apply_entry(db: sqlite_utils.Database, entry: Mapping[str, Any]) -> None:
    """What an ``sdv.verify`` entry (this device's or pulled) does here."""
    detail = json.loads(str(entry["detail"]))
    key = FormKey(
        str(entry["subject"]), str(entry["event"]), str(entry["form"]), int(entry["event_repeat"])
    )
    items = [(str(g), int(r), str(i), int(rev)) for g, r, i, rev in detail["items"]]
    record(
        db, key, items, at=entry["ts"], by=entry["user"], device=entry["device"], seq=entry["seq"]
    )


@dataclass(frozen=True)
class ItemSdv:
    """One value's verification: the revision verified, who and when, and its current one."""

    item_group: str
    group_repeat: int
    item: str
    verified_rev: int
    verified_at: str
    verified_by: str
    rev: int

    @property
    def changed(self) -> bool:
        """Changed since verified: a later change raised the value's revision."""
        return self.rev > self.verified_rev


def form_sdv(db: sqlite_utils.Database, key: FormKey) -> dict[tuple[str, int, str], ItemSdv]:
    """The verified values of one form, by (group, repeat, item)."""
    rows = db.execute(
        "SELECT s.item_group, s.group_repeat, s.item, s.rev, s.verified_at, s.verified_by, "
        f"coalesce(v.rev, s.rev) FROM sdv s LEFT JOIN item_values v ON {_JOIN} "
        "WHERE s.subject_id = ? AND s.event = ? AND s.event_repeat = ? AND s.form = ?",
        [key.subject_id, key.event, key.event_repeat, key.form],
    ).fetchall()
    return {(r[0], r[1], r[2]): ItemSdv(*r) for r in rows}


# -- critical data as SQL ----------------------------------------------------------------------


def critical_sql(plan: Monitoring) -> tuple[str, list[Any]]:
    """A SQL condition on ``item_values v``: the value is critical data (``forms.monitoring``).
    ``0`` when the plan names none. It starts with the critical forms (``v.form IN (…)``), so
    that SQLite reads only those forms' values through the ``item_values_form`` index."""
    clauses: list[str] = []
    params: list[Any] = []
    forms = sorted({f for critical in plan.critical for f in critical.forms})
    for critical in plan.critical:
        parts = [f"v.form IN ({_marks(critical.forms)})"]
        params.extend(critical.forms)
        for column, names in (("event", critical.visits), ("item", critical.items)):
            if names:
                parts.append(f"v.{column} IN ({_marks(names)})")
                params.extend(names)
        if critical.when is not None:
            parts.append(
                "EXISTS (SELECT 1 FROM item_values w WHERE w.subject_id = v.subject_id AND "
                "w.event = v.event AND w.event_repeat = v.event_repeat AND w.form = v.form AND "
                "w.item_group = v.item_group AND w.group_repeat = v.group_repeat AND "
                f"w.item = ? AND w.value IN ({_marks(critical.when.values)}))"
            )
            params.extend([critical.when.item, *critical.when.values])
        clauses.append("(" + " AND ".join(parts) + ")")
    if not clauses:
        return "0", []
    return f"(v.form IN ({_marks(forms)}) AND ({' OR '.join(clauses)}))", [*forms, *params]


def _marks(names: Sequence[str]) -> str:
    return ", ".join("?" for _ in names)


# -- progress ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Values entered, verified and changed since verified; the same of critical data."""

    values: int = 0
    verified: int = 0
    changed: int = 0
    critical: int = 0
    critical_verified: int = 0
    critical_changed: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        return (
            self.values,
            self.verified,
            self.changed,
            self.critical,
            self.critical_verified,
            self.critical_changed,
        )


def progress(
    db: sqlite_utils.Database, plan: Monitoring, *, subject: str | None = None
) -> dict[str, Counts]:
    """Per subject: the SDV counts (``Counts``)."""
    where, only = ("v.subject_id = ?", [subject]) if subject is not None else ("1", [])
    found = _counts(db, plan, ("subject_id",), where, only)
    return {str(k[0]): c for k, c in found.items()}


def form_progress(
    db: sqlite_utils.Database, plan: Monitoring, subject: str
) -> dict[tuple[str, int, str], Counts]:
    """One subject's SDV counts per form: (event, event repeat, form) → ``Counts``."""
    found = _counts(db, plan, ("event", "event_repeat", "form"), "v.subject_id = ?", [subject])
    return {(str(k[0]), int(k[1]), str(k[2])): c for k, c in found.items()}


def _counts(
    db: sqlite_utils.Database,
    plan: Monitoring,
    group: tuple[str, ...],
    where: str,
    params: list[Any],
) -> dict[tuple[Any, ...], Counts]:
    """Three passes, none a scan of the values' table: the values entered (the narrow
    ``item_values_entered`` index), the critical ones (the critical forms' values only, by the
    ``item_values_form`` index), and the verified ones (the ``sdv`` rows, each joined to its
    value)."""
    critical, crit_params = critical_sql(plan)
    columns = ", ".join(f"v.{c}" for c in group)
    entered = db.execute(
        f"SELECT {columns}, count(*) FROM item_values v "
        f"WHERE v.value IS NOT NULL AND {where} GROUP BY {columns}",
        params,
    ).fetchall()
    critical_rows: list[Any] = []
    if critical != "0":
        critical_rows = db.execute(
            f"SELECT {columns}, count(*) FROM item_values v "
            f"WHERE v.value IS NOT NULL AND {critical} AND {where} GROUP BY {columns}",
            [*crit_params, *params],
        ).fetchall()
    verified = db.execute(
        f"SELECT {columns}, "
        "sum(v.value IS NOT NULL AND s.rev >= v.rev), sum(s.rev < v.rev), "
        f"sum(v.value IS NOT NULL AND s.rev >= v.rev AND {critical}), "
        f"sum(s.rev < v.rev AND {critical}) "
        f"FROM sdv s JOIN item_values v ON {_JOIN} WHERE {where.replace('v.', 's.')} "
        f"GROUP BY {columns}",
        [*crit_params, *crit_params, *params],
    ).fetchall()
    width = len(group)
    found = {tuple(r[:width]): int(r[width]) for r in entered}
    crit = {tuple(r[:width]): int(r[width]) for r in critical_rows}
    done = {tuple(r[:width]): [int(x or 0) for x in r[width:]] for r in verified}
    out: dict[tuple[Any, ...], Counts] = {}
    for key in found.keys() | done.keys():
        ver, chg, cver, cchg = done.get(key, [0, 0, 0, 0])
        out[key] = Counts(found.get(key, 0), ver, chg, crit.get(key, 0), cver, cchg)
    return out


@dataclass(frozen=True)
class ChangedValue:
    """A value changed since a monitor verified it."""

    key: FormKey
    item_group: str
    group_repeat: int
    item: str
    value: str | None
    verified_rev: int
    rev: int
    verified_at: str
    verified_by: str
    changed_at: str
    changed_by: str


def changed_values(db: sqlite_utils.Database, *, subject: str | None = None) -> list[ChangedValue]:
    """Every value changed since verified (or one subject's), oldest change first."""
    where, params = ("AND s.subject_id = ?", [subject]) if subject is not None else ("", [])
    rows = db.execute(
        "SELECT s.subject_id, s.event, s.event_repeat, s.form, s.item_group, s.group_repeat, "
        "s.item, v.value, s.rev, v.rev, s.verified_at, s.verified_by, v.updated_at, "
        f"v.updated_by FROM sdv s JOIN item_values v ON {_JOIN} WHERE s.rev < v.rev {where} "
        "ORDER BY v.updated_at",
        params,
    ).fetchall()
    return [ChangedValue(FormKey(r[0], r[1], r[3], r[2]), r[4], r[5], r[6], *r[7:]) for r in rows]


@dataclass(frozen=True)
class FormDue:
    """A form whose critical values are not all verified: how many, since when entered."""

    key: FormKey
    to_verify: int
    since: str


def critical_due(
    db: sqlite_utils.Database, plan: Monitoring, *, subject: str | None = None
) -> list[FormDue]:
    """Forms with critical values never verified (a changed one is ``changed_values``'s),
    oldest first."""
    critical, params = critical_sql(plan)
    if critical == "0":
        return []
    where, only = ("AND v.subject_id = ?", [subject]) if subject is not None else ("", [])
    rows = db.execute(
        "SELECT v.subject_id, v.event, v.event_repeat, v.form, count(*), min(v.updated_at) "
        f"FROM item_values v WHERE v.value IS NOT NULL AND {critical} {where} "
        f"AND NOT EXISTS (SELECT 1 FROM sdv s WHERE {_JOIN}) "
        "GROUP BY v.subject_id, v.event, v.event_repeat, v.form ORDER BY min(v.updated_at)",
        [*params, *only],
    ).fetchall()
    return [FormDue(FormKey(r[0], r[1], r[3], r[2]), int(r[4]), str(r[5])) for r in rows]


def verified_between(
    db: sqlite_utils.Database, *, by: str, since: str, until: str | None = None
) -> list[tuple[str, str, int, str, int]]:
    """The forms ``by`` verified from ``since`` (to ``until``): (subject, event, repeat, form,
    values verified), from the ``sdv.verify`` entries of the trail (any computer's)."""
    sql = (
        "SELECT subject, event, event_repeat, form, detail FROM audit "
        "WHERE action = ? AND user = ? AND ts >= ?"
    )
    params: list[Any] = [ACTION, by, since]
    if until is not None:
        sql += " AND ts <= ?"
        params.append(until)
    found: dict[tuple[str, str, int, str], set[tuple[str, int, str]]] = {}
    for subject, event, repeat, form, detail in db.execute(sql + " ORDER BY ts", params):
        rows = json.loads(detail)["items"]
        found.setdefault((subject, event, repeat, form), set()).update(
            (g, r, i) for g, r, i, _ in rows
        )
    return [(*place, len(items)) for place, items in found.items()]
