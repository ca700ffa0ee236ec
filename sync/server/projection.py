"""The projection of current item values, with a revision per item and item-level conflicts.

Rules (DESIGN.md "Sync"): an ``item.set`` whose ``base_rev`` equals the item's current revision
applies and raises the revision by one; one that carries the value the item already has is a
duplicate; any other is a conflict: both values are kept, the item is marked, and a query is
opened. While an item is in conflict every further change joins the conflict; only a
``conflict.resolve`` entry (a new change with a reason) ends it. Nothing is decided by time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sync.canonical import compact_encoder
from sync.entries import PATH_FIELDS
from sync.queries import ConflictValue, Query, conflict_opened, resolved, value_of, with_value
from sync.server.db import Tx

ITEM_ACTIONS = frozenset({"item.set", "conflict.resolve"})
_CHUNK = 400

#: ``json.dumps`` with compact separators, its encoder made once (this runs per entry).
_compact_json = compact_encoder()


@dataclass
class ItemState:
    value: str | None
    unit: str | None
    rev: int
    device: str
    seq: int
    query_id: int | None


class Outcome(NamedTuple):
    """What an item entry did: ``applied``, ``duplicate``, ``conflict`` or ``resolved``
    (a tuple: one is made per item entry of every upload)."""

    outcome: str
    rev: int
    query_id: int | None = None


def item_path(entry: Mapping[str, Any]) -> str:
    """Return the key of the item an entry changes (canonical JSON of its ODM path)."""
    return _compact_json([entry.get(f) for f in PATH_FIELDS])


def project_entries(
    tx: Tx, site: str, entries: Sequence[Mapping[str, Any]], *, now: str
) -> tuple[list[Outcome | None], list[Query]]:
    """Apply the item changes of ``entries`` to the projection.

    Returns:
        One outcome per entry (None for entries that change no item) and the queries that were
        opened, extended or closed (to be put on the feed).
    """
    keys = [item_path(e) if _is_item_change(e) else None for e in entries]
    states = _load(tx, site, sorted({k for k in keys if k is not None}))
    touched: dict[str, ItemState] = {}
    queries: dict[int, Query] = {}
    outcomes: list[Outcome | None] = []
    subjects: dict[str, str | None] = {}
    for entry, path in zip(entries, keys, strict=True):
        if path is None:
            outcomes.append(None)
            continue
        subjects[path] = _text(entry.get("subject"))
        state = states.get(path)
        outcome, new_state = _decide(tx, site, entry, state, queries, now=now)
        if new_state is not None:
            states[path] = touched[path] = new_state
        outcomes.append(outcome)
    _store(tx, site, touched, subjects)
    changed = list(queries.values())
    save_queries(tx, changed)
    return outcomes, changed


def _is_item_change(entry: Mapping[str, Any]) -> bool:
    return entry.get("action") in ITEM_ACTIONS and entry.get("item") is not None


def _decide(
    tx: Tx,
    site: str,
    entry: Mapping[str, Any],
    state: ItemState | None,
    queries: dict[int, Query],
    *,
    now: str,
) -> tuple[Outcome, ItemState | None]:
    rev = state.rev if state else 0
    new, unit = _text(entry.get("new")), _text(entry.get("unit"))
    device, seq = str(entry["device"]), int(entry["seq"])
    if entry["action"] == "conflict.resolve":
        if state and state.query_id is not None:
            query = _query(tx, state.query_id, queries)
            resolution = value_of(entry).model_copy(update={"rev": rev + 1})
            queries[state.query_id] = resolved(query, resolution, at=now)
        return Outcome("resolved", rev + 1), ItemState(new, unit, rev + 1, device, seq, None)
    if state is not None and state.query_id is not None:
        query = _query(tx, state.query_id, queries)
        queries[state.query_id] = with_value(query, value_of(entry))
        return Outcome("conflict", rev, state.query_id), None
    if (entry.get("base_rev") or 0) == rev:
        return Outcome("applied", rev + 1), ItemState(new, unit, rev + 1, device, seq, None)
    if state is not None and (state.value, state.unit) == (new, unit):
        return Outcome("duplicate", rev), None
    query_id = _open_conflict(tx, site, entry, state, queries, now=now)
    assert state is not None or rev == 0
    kept = state or ItemState(None, None, 0, device, seq, None)
    kept.query_id = query_id
    return Outcome("conflict", rev, query_id), kept


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _open_conflict(
    tx: Tx,
    site: str,
    entry: Mapping[str, Any],
    state: ItemState | None,
    queries: dict[int, Query],
    *,
    now: str,
) -> int:
    row = tx.one(
        "INSERT INTO queries (site, subject, path, kind, status, body, opened_at) "
        "VALUES (?, ?, ?, 'conflict', 'open', '{}', ?) RETURNING id",
        (site, entry.get("subject"), item_path(entry), now),
    )
    assert row is not None
    query_id = int(row[0])
    current = (
        ConflictValue(
            value=state.value, unit=state.unit, device=state.device, seq=state.seq, rev=state.rev
        )
        if state
        else ConflictValue()
    )
    queries[query_id] = conflict_opened(
        query_id=query_id, site=site, entry=entry, current=current, opened_at=now
    )
    return query_id


def _query(tx: Tx, query_id: int, queries: dict[int, Query]) -> Query:
    if query_id not in queries:
        row = tx.one("SELECT body FROM queries WHERE id = ?", (query_id,))
        assert row is not None
        queries[query_id] = Query.from_record(json.loads(row[0]))
    return queries[query_id]


def save_queries(tx: Tx, queries: Sequence[Query]) -> None:
    """Store the new state of ``queries`` (the caller puts them on the feed)."""
    for query in queries:
        tx.execute(
            "UPDATE queries SET status = ?, body = ?, closed_at = ? WHERE id = ?",
            (query.status, json.dumps(query.to_record()), query.closed_at, query.id),
        )


def _load(tx: Tx, site: str, paths: list[str]) -> dict[str, ItemState]:
    states: dict[str, ItemState] = {}
    for start in range(0, len(paths), _CHUNK):
        chunk = paths[start : start + _CHUNK]
        columns = "SELECT path, value, unit, rev, device, seq, query_id FROM items WHERE site = ?"
        if tx.dialect == "postgresql":
            # Exact primary-key lookups, pipelined: a long IN list is planned as a scan of the
            # whole site while the table's statistics lag behind its growth.
            rows = tx.all_many(f"{columns} AND path = ?", [(site, p) for p in chunk])
        else:
            marks = ",".join("?" * len(chunk))
            rows = tx.all(f"{columns} AND path IN ({marks})", (site, *chunk))
        for path, value, unit, rev, device, seq, query_id in rows:
            states[path] = ItemState(value, unit, int(rev), device, int(seq), query_id)
    return states


def _store(
    tx: Tx, site: str, touched: dict[str, ItemState], subjects: Mapping[str, str | None]
) -> None:
    tx.many(
        "INSERT INTO items (site, path, subject, value, unit, rev, device, seq, query_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site, path) DO UPDATE SET "
        "value = excluded.value, unit = excluded.unit, rev = excluded.rev, "
        "device = excluded.device, seq = excluded.seq, query_id = excluded.query_id",
        [
            (site, path, subjects.get(path), s.value, s.unit, s.rev, s.device, s.seq, s.query_id)
            for path, s in touched.items()
        ],
    )
