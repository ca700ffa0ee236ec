"""Queries on a site's data: a monitor's, and those the projection opens for conflicts.

A monitor's query is ``open`` when raised, ``answered`` once the site answers it, and
``closed`` when the monitor accepts the answer; the monitor may reopen an answered or closed
one. A monitor raises, closes and reopens either here (the admin endpoints and ``crf-server
query``) or from the site's own app, offline: then it is an audit entry (``query.raise``,
``query.close``, ``query.reopen``) that travels in a change set like any other change. The site
answers with an audit entry too (``query.answer``). Entries that name a query carry its id in
``detail`` (``{"query_id": N}``), so every step is signed, chained and kept in the ledger. A
conflict's query is opened and closed by the projection only (closing it takes a
``conflict.resolve`` entry that sets the value); answers to it are kept but do not change its
status.

Every change of a query is put on the feed whole, so the site's devices hold its latest state.
Nothing a query entry says ever makes an upload fail: an entry that names a query the server
does not know for the device's site, asks for a move the query's state does not allow, or
raises, closes or reopens without the monitor's role is stored with its change set (it is in
the ledger and the feed) and changes no query. An answer to a closed query is kept on it and
leaves it closed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sync.entries import PATH_FIELDS, answer_record, move_step, moved
from sync.server.db import Database, Tx
from sync.server.errors import ApiError
from sync.server.projection import item_path
from sync.server.registry import iso, utc_now

ANSWER_ACTION = "query.answer"
RAISE_ACTION = "query.raise"
CLOSE_ACTION = "query.close"
REOPEN_ACTION = "query.reopen"
#: Only entries made in this role raise, close or reopen a query.
MONITOR_ROLE = "monitor"
STATUSES = ("open", "answered", "closed")
MAX_ID = 2**62  # ids are BIGINT: anything larger names no query (and must not reach SQL)
#: A move: the status it leads to and the statuses it may start from.
_CLOSE = ("closed", ("open", "answered"))
_REOPEN = ("open", ("answered", "closed"))
_MOVES = {CLOSE_ACTION: _CLOSE, REOPEN_ACTION: _REOPEN}


def open_query(
    db: Database, site: str, target: Mapping[str, Any], *, text: str, opened_by: str
) -> dict[str, Any]:
    """Open a monitor's query on a subject or item; it reaches the site's devices by pull."""
    with db.transaction() as tx:
        tx.lock_site(site)
        query = _insert_monitor_query(
            tx, site, target, text=text, opened_by=opened_by, opened_at=iso(utc_now())
        )
        _save(tx, site, query)
    return query


def list_queries(db: Database, site: str, *, status: str | None = None) -> list[dict[str, Any]]:
    """Return the site's queries (conflicts and monitors'), oldest first, optionally by status."""
    sql = "SELECT body FROM queries WHERE site = ?"
    params: tuple[Any, ...] = (site,)
    if status is not None:
        sql, params = sql + " AND status = ?", (site, status)
    with db.transaction() as tx:
        rows = tx.all(sql + " ORDER BY id", params)
    return [json.loads(r[0]) for r in rows]


def close_query(db: Database, site: str, query_id: int, *, text: str, by: str) -> dict[str, Any]:
    """Close a monitor's query (answered or not), with the monitor's closing remark.

    Raises:
        ApiError: 404 ``query_not_found``; 409 ``conflict_query`` for a conflict's query (the
            site closes it by resolving the item); 409 ``query_state`` if already closed.
    """
    return _move(db, site, query_id, _CLOSE, text=text, by=by)


def reopen_query(db: Database, site: str, query_id: int, *, text: str, by: str) -> dict[str, Any]:
    """Reopen a monitor's answered or closed query, saying what is still needed.

    Raises:
        ApiError: 404 ``query_not_found``; 409 ``conflict_query``; 409 ``query_state`` if open.
    """
    return _move(db, site, query_id, _REOPEN, text=text, by=by)


def project_queries(
    tx: Tx, site: str, entries: Sequence[Mapping[str, Any]], changed: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Apply the site's query entries among ``entries`` (inside the upload's transaction).

    In entry order: ``query.answer`` adds the answer to its query; from an entry made in the
    monitor's role, ``query.raise`` opens a monitor's query (with the entry's ``origin``) and
    ``query.close`` / ``query.reopen`` move the query as the admin endpoints do, the step dated
    by the entry. An entry that cannot apply is kept in the ledger and changes nothing.

    Args:
        changed: the queries the projection already changed in this upload (latest state).

    Returns:
        Every query changed by the upload, each once in its final state, for the feed.
    """
    queries = {int(q["id"]): q for q in changed}
    touched: set[int] = set()
    for entry in entries:
        query = _project_entry(tx, site, entry, queries)
        if query is not None:
            queries[int(query["id"])] = query
            touched.add(int(query["id"]))
    for query_id in sorted(touched):
        query = queries[query_id]
        tx.execute(
            "UPDATE queries SET status = ?, body = ?, closed_at = ? WHERE id = ?",
            (query["status"], json.dumps(query), query.get("closed_at"), query_id),
        )
    return list(queries.values())


def _project_entry(
    tx: Tx, site: str, entry: Mapping[str, Any], queries: Mapping[int, dict[str, Any]]
) -> dict[str, Any] | None:
    """Apply one entry; return the query it changed, or None if it changed none."""
    action = entry.get("action")
    if action == ANSWER_ACTION:
        query = _named_query(tx, site, entry, queries)
        if query is not None:
            _add_answer(query, entry)
        return query
    if action not in (RAISE_ACTION, *_MOVES) or entry.get("role") != MONITOR_ROLE:
        return None
    if action == RAISE_ACTION:
        return _raise(tx, site, entry)
    query = _named_query(tx, site, entry, queries)
    if query is None or not _move_by_entry(query, entry, _MOVES[str(action)]):
        return None
    return query


def _named_query(
    tx: Tx, site: str, entry: Mapping[str, Any], queries: Mapping[int, dict[str, Any]]
) -> dict[str, Any] | None:
    """The query of this site that the entry's ``detail`` names (its latest state), or None."""
    query_id = _detail_query_id(entry)
    if query_id is None:
        return None
    return queries.get(query_id) or _load(tx, site, query_id)


def _detail_query_id(entry: Mapping[str, Any]) -> int | None:
    if not isinstance(entry.get("detail"), str):
        return None
    try:
        detail = json.loads(entry["detail"])
    except ValueError:
        return None
    query_id = detail.get("query_id") if isinstance(detail, dict) else None
    if isinstance(query_id, bool) or not isinstance(query_id, int):
        return None
    return query_id if 0 < query_id < MAX_ID else None


def _add_answer(query: dict[str, Any], entry: Mapping[str, Any]) -> None:
    answers: list[dict[str, Any]] = query.setdefault("answers", [])
    if any((a["device"], a["seq"]) == (entry["device"], entry["seq"]) for a in answers):
        return
    answers.append(answer_record(entry))
    if query.get("kind") == "monitor" and query.get("status") == "open":
        query["status"] = "answered"


def _raise(tx: Tx, site: str, entry: Mapping[str, Any]) -> dict[str, Any] | None:
    """Open the monitor's query that a ``query.raise`` entry asks for, once per entry."""
    subject, text = entry.get("subject"), entry.get("new")
    if not isinstance(subject, str) or not subject or not isinstance(text, str) or not text:
        return None
    origin = {"device": entry["device"], "seq": entry["seq"]}
    opened_at = str(entry.get("ts"))
    if _raised_already(tx, site, item_path(entry), opened_at, origin):
        return None
    return _insert_monitor_query(
        tx,
        site,
        entry,
        text=text,
        opened_by=str(entry.get("user")),
        opened_at=opened_at,
        origin=origin,
    )


def _raised_already(
    tx: Tx, site: str, path: str, opened_at: str, origin: Mapping[str, Any]
) -> bool:
    """Whether this entry's query exists: the ledger stores a set once, so this only guards
    against a projection run twice over the same entries."""
    rows = tx.all(
        "SELECT body FROM queries WHERE site = ? AND kind = 'monitor' AND path = ? "
        "AND opened_at = ?",
        (site, path, opened_at),
    )
    return any(json.loads(r[0]).get("origin") == origin for r in rows)


def _insert_monitor_query(
    tx: Tx,
    site: str,
    target: Mapping[str, Any],
    *,
    text: str,
    opened_by: str,
    opened_at: str,
    origin: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    row = tx.one(
        "INSERT INTO queries (site, subject, path, kind, status, body, opened_at) "
        "VALUES (?, ?, ?, 'monitor', 'open', '{}', ?) RETURNING id",
        (site, target.get("subject"), item_path(target), opened_at),
    )
    assert row is not None
    query: dict[str, Any] = {
        "id": int(row[0]),
        "site": site,
        **{f: target.get(f) for f in PATH_FIELDS},
        "kind": "monitor",
        "status": "open",
        "opened_at": opened_at,
        "opened_by": opened_by,
        "text": text,
        "values": [],
        "answers": [],
        "history": [],
    }
    if origin is not None:
        query["origin"] = dict(origin)
    return query


def _move_by_entry(
    query: dict[str, Any], entry: Mapping[str, Any], move: tuple[str, tuple[str, ...]]
) -> bool:
    """Move the query as a monitor's ``query.close``/``query.reopen`` entry asks, if the
    query's kind and state allow it (and the entry is not on it already)."""
    text = entry.get("new")
    if not isinstance(text, str) or not text or _move_refusal(query, move) is not None:
        return False
    step = (entry["device"], entry["seq"])
    if any((h.get("device"), h.get("seq")) == step for h in query.get("history") or []):
        return False
    query.update(moved(query, move_step(entry, move[0])))
    return True


def _move_refusal(query: Mapping[str, Any], move: tuple[str, tuple[str, ...]]) -> str | None:
    """Why the move may not be made (``conflict_query`` or ``query_state``), or None."""
    if query.get("kind") == "conflict":
        return "conflict_query"
    if query.get("status") not in move[1]:
        return "query_state"
    return None


def _move(
    db: Database,
    site: str,
    query_id: int,
    move: tuple[str, tuple[str, ...]],
    *,
    text: str,
    by: str,
) -> dict[str, Any]:
    now = iso(utc_now())
    with db.transaction() as tx:
        tx.lock_site(site)
        query = _load(tx, site, query_id)
        if query is None:
            raise ApiError(404, "query_not_found", f"site {site} has no query {query_id}")
        refusal = _move_refusal(query, move)
        if refusal == "conflict_query":
            raise ApiError(
                409,
                "conflict_query",
                f"query {query_id} is a conflict: it closes when the site saves the right "
                "value with a reason",
            )
        if refusal == "query_state":
            raise ApiError(409, "query_state", f"query {query_id} is {query.get('status')} already")
        query.update(moved(query, {"status": move[0], "by": by, "at": now, "text": text}))
        _save(tx, site, query)
    return query


def _load(tx: Tx, site: str, query_id: int) -> dict[str, Any] | None:
    row = tx.one("SELECT body FROM queries WHERE id = ? AND site = ?", (query_id, site))
    return None if row is None else dict(json.loads(row[0]))


def _save(tx: Tx, site: str, query: Mapping[str, Any]) -> None:
    """Store the query's new state and put it on the site's feed."""
    body = json.dumps(query)
    tx.execute(
        "UPDATE queries SET status = ?, body = ?, closed_at = ? WHERE id = ?",
        (query["status"], body, query.get("closed_at"), query["id"]),
    )
    tx.execute(
        "INSERT INTO feed (site, kind, device, seq, body) VALUES (?, 'query', NULL, NULL, ?)",
        (site, body),
    )
