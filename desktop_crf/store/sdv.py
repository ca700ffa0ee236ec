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
from forms.monitoring import CriticalData, Monitoring

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


def _in(column: str, names: Sequence[str]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' for _ in names)})", list(names)


def _whole_forms(critical: CriticalData) -> bool:
    """Every value of its forms (at its visits): counted from ``form_counts``."""
    return not critical.items and critical.when is None


def _values_sql(critical: CriticalData) -> tuple[str, list[Any]]:
    """``FROM … WHERE …`` of the values of an item or ``when`` set (alias ``v``), each found
    through the ``item_values_form`` index or, for ``when``, from the items that decide it."""
    where, params = _in("v.form", critical.forms)
    clauses = [where]
    for column, names in (("v.event", critical.visits), ("v.item", critical.items)):
        if names:
            clause, more = _in(column, names)
            clauses.append(clause)
            params += more
    source = "item_values v"
    if critical.when is not None:
        decide, values = _in("w.value", critical.when.values)
        forms, form_params = _in("w.form", critical.forms)
        source = (
            "item_values w JOIN item_values v ON v.subject_id = w.subject_id AND "
            "v.event = w.event AND v.event_repeat = w.event_repeat AND v.form = w.form AND "
            "v.item_group = w.item_group AND v.group_repeat = w.group_repeat"
        )
        clauses = [forms, "w.item = ?", decide, *clauses]
        params = [*form_params, critical.when.item, *values, *params]
    return f"FROM {source} WHERE v.value IS NOT NULL AND " + " AND ".join(clauses), params


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
    where, only = ("subject_id = ?", [subject]) if subject is not None else ("1", [])
    found = _counts(db, plan, ("subject_id",), where, only)
    return {str(k[0]): c for k, c in found.items()}


def form_progress(
    db: sqlite_utils.Database, plan: Monitoring, subject: str
) -> dict[tuple[str, int, str], Counts]:
    """One subject's SDV counts per form: (event, event repeat, form) → ``Counts``."""
    found = _counts(db, plan, ("event", "event_repeat", "form"), "subject_id = ?", [subject])
    return {(str(k[0]), int(k[1]), str(k[2])): c for k, c in found.items()}


def _counts(
    db: sqlite_utils.Database,
    plan: Monitoring,
    group: tuple[str, ...],
    where: str,
    params: list[Any],
) -> dict[tuple[Any, ...], Counts]:
    """All values from ``form_counts`` (a row per form, kept by triggers); critical data from
    it too where a set takes whole forms, else from the set's own values (by index)."""
    columns = ", ".join(group)
    width = len(group)
    totals: dict[tuple[Any, ...], list[int]] = {}

    def add(rows: list[Any], offset: int) -> None:
        for row in rows:
            counts = totals.setdefault(tuple(row[:width]), [0] * 6)
            for n, value in enumerate(row[width:]):
                counts[offset + n] += int(value or 0)

    sums = "sum(entered), sum(verified), sum(changed)"
    add(
        db.execute(
            f"SELECT {columns}, {sums} FROM form_counts WHERE {where} GROUP BY {columns}", params
        ).fetchall(),
        0,
    )
    for critical in plan.critical:
        if _whole_forms(critical):
            forms, more = _in("form", critical.forms)
            clause = forms
            if critical.visits:
                visits, extra = _in("event", critical.visits)
                clause, more = f"{forms} AND {visits}", more + extra
            sql = f"SELECT {columns}, {sums} FROM form_counts WHERE {clause} AND {where} "
            add(db.execute(sql + f"GROUP BY {columns}", [*more, *params]).fetchall(), 3)
            continue
        add(_critical_rows(db, critical, group, where, params), 3)
    return {key: Counts(*values) for key, values in totals.items()}


def _critical_rows(
    db: sqlite_utils.Database,
    critical: CriticalData,
    group: tuple[str, ...],
    where: str,
    params: list[Any],
) -> list[Any]:
    """Per group: a set's values, those verified, those changed since verified."""
    source, more = _values_sql(critical)
    source = source.replace(" WHERE ", f" LEFT JOIN sdv s ON {_JOIN} WHERE ", 1)
    own = ", ".join(f"v.{c}" for c in group)
    mine = where.replace("subject_id", "v.subject_id")
    return db.execute(
        f"SELECT {own}, count(*), sum(s.rev >= v.rev), sum(s.rev < v.rev) {source} "
        f"AND {mine} GROUP BY {own}",
        [*more, *params],
    ).fetchall()


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
    """Every value changed since verified (or one subject's), oldest change first: only the
    forms whose count says they hold one are read."""
    where, params = ("AND f.subject_id = ?", [subject]) if subject is not None else ("", [])
    rows = db.execute(
        "SELECT s.subject_id, s.event, s.event_repeat, s.form, s.item_group, s.group_repeat, "
        "s.item, v.value, s.rev, v.rev, s.verified_at, s.verified_by, v.updated_at, "
        "v.updated_by FROM form_counts f JOIN sdv s ON s.subject_id = f.subject_id AND "
        "s.event = f.event AND s.event_repeat = f.event_repeat AND s.form = f.form "
        f"JOIN item_values v ON {_JOIN} WHERE f.changed > 0 AND s.rev < v.rev {where} "
        "ORDER BY v.updated_at",
        params,
    ).fetchall()
    return [ChangedValue(FormKey(r[0], r[1], r[3], r[2]), r[4], r[5], r[6], *r[7:]) for r in rows]


@dataclass(frozen=True)
class FormDue:
    """A form whose critical values are not all verified: how many, since when (the form's
    last save)."""

    key: FormKey
    to_verify: int
    since: str


def critical_due(
    db: sqlite_utils.Database, plan: Monitoring, *, subject: str | None = None
) -> list[FormDue]:
    """Forms with critical values never verified (a changed one is ``changed_values``'s),
    oldest first."""
    where, only = ("subject_id = ?", [subject]) if subject is not None else ("1", [])
    due: dict[tuple[str, str, int, str], int] = {}
    for critical in plan.critical:
        if _whole_forms(critical):
            clause, params = _in("form", critical.forms)
            if critical.visits:
                visits, more = _in("event", critical.visits)
                clause, params = f"{clause} AND {visits}", params + more
            rows = db.execute(
                "SELECT subject_id, event, event_repeat, form, entered - verified - changed "
                f"FROM form_counts WHERE {clause} AND {where} AND entered > verified + changed",
                [*params, *only],
            ).fetchall()
        else:
            source, params = _values_sql(critical)
            mine = where.replace("subject_id", "v.subject_id")
            rows = db.execute(
                f"SELECT v.subject_id, v.event, v.event_repeat, v.form, count(*) {source} "
                f"AND {mine} AND NOT EXISTS (SELECT 1 FROM sdv s WHERE {_JOIN}) "
                "GROUP BY v.subject_id, v.event, v.event_repeat, v.form",
                [*params, *only],
            ).fetchall()
        for subject_id, event, repeat, form, count in rows:
            place = (str(subject_id), str(event), int(repeat), str(form))
            due[place] = due.get(place, 0) + int(count)
    found = [
        FormDue(FormKey(s, e, f, r), n, _saved_at(db, FormKey(s, e, f, r)))
        for (s, e, r, f), n in due.items()
        if n > 0
    ]
    return sorted(found, key=lambda d: (d.since, d.key.subject_id, d.key.event, d.key.form))


def _saved_at(db: sqlite_utils.Database, key: FormKey) -> str:
    row = db.execute(
        "SELECT updated_at FROM form_instances WHERE subject_id = ? AND event = ? "
        "AND event_repeat = ? AND form = ?",
        [key.subject_id, key.event, key.event_repeat, key.form],
    ).fetchone()
    return str(row[0]) if row else ""


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
