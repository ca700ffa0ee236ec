"""Queries on a site's data: a monitor's, and those the projection opens for conflicts.

A monitor's query is ``open`` when raised, ``answered`` once the site answers it, and
``closed`` when the monitor accepts the answer; the monitor may reopen an answered or closed
one. The site answers with an audit entry (action ``query.answer``, ``detail`` naming the query
id) that travels in a change set like any other change, so an answer is signed, chained and
kept in the ledger. A conflict's query is opened and closed by the projection only (closing it
takes a ``conflict.resolve`` entry that sets the value); answers to it are kept but do not
change its status.

Every change of a query is put on the feed whole, so the site's devices hold its latest state.
An answer to a query the server does not know for the device's site is stored with its change
set (the entry is in the ledger and the feed) and changes no query; an answer to a closed query
is kept on it and leaves it closed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sync.entries import answer_record
from sync.server.db import Database, Tx
from sync.server.errors import ApiError
from sync.server.projection import PATH_FIELDS, item_path
from sync.server.registry import iso, utc_now

ANSWER_ACTION = "query.answer"
STATUSES = ("open", "answered", "closed")
MAX_ID = 2**62  # ids are BIGINT: anything larger names no query (and must not reach SQL)


def open_query(
    db: Database, site: str, target: Mapping[str, Any], *, text: str, opened_by: str
) -> dict[str, Any]:
    """Open a monitor's query on a subject or item; it reaches the site's devices by pull."""
    now = iso(utc_now())
    with db.transaction() as tx:
        tx.lock_site(site)
        row = tx.one(
            "INSERT INTO queries (site, subject, path, kind, status, body, opened_at) "
            "VALUES (?, ?, ?, 'monitor', 'open', '{}', ?) RETURNING id",
            (site, target.get("subject"), item_path(target), now),
        )
        assert row is not None
        query: dict[str, Any] = {
            "id": int(row[0]),
            "site": site,
            **{f: target.get(f) for f in PATH_FIELDS},
            "kind": "monitor",
            "status": "open",
            "opened_at": now,
            "opened_by": opened_by,
            "text": text,
            "values": [],
            "answers": [],
            "history": [],
        }
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
    return _move(db, site, query_id, to="closed", allowed=("open", "answered"), text=text, by=by)


def reopen_query(db: Database, site: str, query_id: int, *, text: str, by: str) -> dict[str, Any]:
    """Reopen a monitor's answered or closed query, saying what is still needed.

    Raises:
        ApiError: 404 ``query_not_found``; 409 ``conflict_query``; 409 ``query_state`` if open.
    """
    return _move(db, site, query_id, to="open", allowed=("answered", "closed"), text=text, by=by)


def project_answers(
    tx: Tx, site: str, entries: Sequence[Mapping[str, Any]], changed: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Record the site's answers among ``entries`` on their queries (inside the upload's
    transaction).

    Args:
        changed: the queries the projection already changed in this upload (latest state).

    Returns:
        Every query changed by the upload, each once in its final state, for the feed.
    """
    queries = {int(q["id"]): q for q in changed}
    answered: set[int] = set()
    for entry in entries:
        query_id = _answered_query_id(entry)
        if query_id is None:
            continue
        query = queries.get(query_id) or _load(tx, site, query_id)
        if query is None:
            continue  # unknown to this site: the entry is stored and changes nothing
        _add_answer(query, entry)
        queries[query_id] = query
        answered.add(query_id)
    for query_id in answered:
        query = queries[query_id]
        tx.execute(
            "UPDATE queries SET status = ?, body = ? WHERE id = ?",
            (query["status"], json.dumps(query), query_id),
        )
    return list(queries.values())


def _answered_query_id(entry: Mapping[str, Any]) -> int | None:
    if entry.get("action") != ANSWER_ACTION or not isinstance(entry.get("detail"), str):
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


def _move(
    db: Database,
    site: str,
    query_id: int,
    *,
    to: str,
    allowed: tuple[str, ...],
    text: str,
    by: str,
) -> dict[str, Any]:
    now = iso(utc_now())
    with db.transaction() as tx:
        tx.lock_site(site)
        query = _load(tx, site, query_id)
        if query is None:
            raise ApiError(404, "query_not_found", f"site {site} has no query {query_id}")
        if query.get("kind") == "conflict":
            raise ApiError(
                409,
                "conflict_query",
                f"query {query_id} is a conflict: it closes when the site saves the right "
                "value with a reason",
            )
        if query.get("status") not in allowed:
            raise ApiError(409, "query_state", f"query {query_id} is {query.get('status')} already")
        query["status"] = to
        closing = to == "closed"
        query.update(
            closed_at=now if closing else None,
            closed_by=by if closing else None,
            close_text=text if closing else None,
        )
        query.setdefault("history", []).append({"status": to, "by": by, "at": now, "text": text})
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
