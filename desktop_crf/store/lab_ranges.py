"""Each laboratory's reference ranges (table ``lab_ranges``, migration ``m003_lab_ranges``).

A range changes only through an audit entry, here and on every other computer of the site
alike: ``labrange.set`` (``new``: the whole range as JSON; ``old``: the one it corrects) and
``labrange.remove`` (``old``: the range). :func:`apply_entry` puts an entry's effect into the
table, whether the entry was written here or pulled from another device; of two entries about
one range, the later one (time, device, sequence) wins, so every computer ends the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pydantic
import sqlite_utils

from forms.lab_ranges import LabRange, laboratory_key

SET_ACTION = "labrange.set"
REMOVE_ACTION = "labrange.remove"
ACTIONS = (SET_ACTION, REMOVE_ACTION)

_RANGE_COLUMNS = ("laboratory", "analyte", "unit", "sex", "age_min", "age_max", "lln", "uln")
_COLUMNS = (*_RANGE_COLUMNS, "valid_from", "changed_at", "changed_by", "removed")


@dataclass(frozen=True)
class StoredRange:
    """A recorded range with who last set it and when (UTC, as in the audit trail)."""

    lab_range: LabRange
    changed_at: str
    changed_by: str
    removed: bool = False


def range_key(lab_range: LabRange) -> str:
    """The table's key of a range (see ``LabRange.key``)."""
    return json.dumps(list(lab_range.key), ensure_ascii=False, separators=(",", ":"))


def range_json(lab_range: LabRange) -> str:
    """A range as the audit entry holds it: small, deterministic JSON."""
    doc = lab_range.model_dump(mode="json", exclude_none=True)
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def range_of_json(text: str | None) -> LabRange | None:
    """The range an entry holds, or None when it holds none this version can read."""
    if not text:
        return None
    try:
        return LabRange.model_validate_json(text)
    except pydantic.ValidationError:
        return None


def _stored(row: Mapping[str, Any]) -> StoredRange:
    fields = {name: row[name] for name in (*_RANGE_COLUMNS, "valid_from")}
    return StoredRange(
        LabRange.model_validate(fields), row["changed_at"], row["changed_by"], bool(row["removed"])
    )


def list_ranges(
    db: sqlite_utils.Database,
    *,
    laboratory: str | None = None,
    analytes: Iterable[str] | None = None,
    removed: bool = False,
) -> list[StoredRange]:
    """The recorded ranges (of one laboratory, of some analytes), by laboratory, analyte,
    valid from, sex and age; removed ones only when asked."""
    where, params = [] if removed else ["removed = 0"], []
    if laboratory is not None:
        where.append("laboratory_key = ?")
        params.append(laboratory_key(laboratory))
    if analytes is not None:
        wanted = list(analytes)
        where.append(f"analyte IN ({', '.join('?' for _ in wanted)})")
        params.extend(wanted)
    sql = f"SELECT {', '.join(_COLUMNS)} FROM lab_ranges"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY laboratory_key, analyte, valid_from, sex, age_min, age_max"
    rows = db.execute(sql, params).fetchall()
    return [_stored(dict(zip(_COLUMNS, row, strict=True))) for row in rows]


def get_range(db: sqlite_utils.Database, lab_range: LabRange) -> StoredRange | None:
    """The recorded range with the key of ``lab_range`` (removed or not), or None."""
    row = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM lab_ranges WHERE range_key = ?", [range_key(lab_range)]
    ).fetchone()
    return None if row is None else _stored(dict(zip(_COLUMNS, row, strict=True)))


def laboratories(db: sqlite_utils.Database) -> list[str]:
    """The names of the laboratories with recorded ranges, as last written, sorted."""
    rows = db.execute(
        "SELECT laboratory_key, laboratory FROM lab_ranges WHERE removed = 0 "
        "ORDER BY laboratory_key, changed_at DESC"
    ).fetchall()
    names: dict[str, str] = {}
    for key, name in rows:
        names.setdefault(key, name)
    return sorted(names.values(), key=str.casefold)


def apply_entry(db: sqlite_utils.Database, entry: Mapping[str, Any]) -> bool:
    """Put a range entry's effect into the table (inside the caller's transaction).

    Returns:
        Whether the table changed: False for an entry older than the row's last change, or
        one this version cannot read (it stays in the audit trail).
    """
    action = entry.get("action")
    if action == SET_ACTION:
        lab_range, removed = range_of_json(entry.get("new")), 0
    elif action == REMOVE_ACTION:
        lab_range, removed = range_of_json(entry.get("old")), 1
    else:
        return False
    if lab_range is None:
        return False
    order = (str(entry.get("ts")), str(entry.get("device")), int(entry.get("seq") or 0))
    held = db.execute(
        "SELECT changed_at, changed_device, changed_seq FROM lab_ranges WHERE range_key = ?",
        [range_key(lab_range)],
    ).fetchone()
    if held is not None and tuple(held) >= order:
        return False
    _write(db, lab_range, removed=removed, entry=entry, order=order)
    return True


def _write(
    db: sqlite_utils.Database,
    lab_range: LabRange,
    *,
    removed: int,
    entry: Mapping[str, Any],
    order: tuple[str, str, int],
) -> None:
    values = lab_range.model_dump(mode="json")
    columns = ["range_key", "laboratory_key", *_RANGE_COLUMNS, "valid_from", "removed"]
    columns += ["changed_at", "changed_by", "changed_device", "changed_seq"]
    row: list[Any] = [range_key(lab_range), laboratory_key(lab_range.laboratory)]
    row += [values[name] for name in (*_RANGE_COLUMNS, "valid_from")]
    row += [removed, order[0], str(entry.get("user")), order[1], order[2]]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
    db.execute(
        f"INSERT INTO lab_ranges ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT (range_key) DO UPDATE SET {updates}",
        row,
    )
