"""The server's queries on a site's data: its storage, its admin steps, and the projection of
the site's query entries.

The rules (states, allowed moves, the records answers and steps make) are ``sync.queries``,
shared with the devices. A monitor raises, closes and reopens here (the admin endpoints and
``crf-server query``) or from the site's own app, offline: then it is an audit entry
(``query.raise``, ``query.close``, ``query.reopen``) that travels in a change set like any other
change. The site answers with an audit entry too (``query.answer``). Entries that name a query
carry its id in ``detail`` (``{"query_id": N}``), or, for a step taken at the site before the
query reached the server, the ``query.raise`` entry that opened it (``{"query_origin": ...}``),
so every step is signed, chained and kept in the ledger. A conflict's query is opened and
closed by the projection only (``sync.server.projection``).

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
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sync.entry_schema import MAX_REPEAT, check_place
from sync.queries import (
    ANSWER,
    CLOSE,
    MONITOR_ROLE,
    MOVES,
    RAISE,
    REOPEN,
    Query,
    Refusal,
    answer_of,
    moved,
    named_origin,
    named_query_id,
    opened,
    raised,
    refusal,
    server_step,
    step_of,
    with_answer,
    with_step,
)
from sync.server.db import Database, Tx
from sync.server.errors import ApiError
from sync.server.projection import item_path, save_queries
from sync.server.registry import iso, utc_now

__all__ = [
    "QueryRequest",
    "close_query",
    "list_queries",
    "open_query",
    "project_queries",
    "reopen_query",
]


_Name = Annotated[str, Field(min_length=1, max_length=200)]
_Repeat = Annotated[int, Field(ge=1, le=MAX_REPEAT)]


class QueryRequest(BaseModel):
    """A monitor's query as the admin endpoint and ``crf-server query open`` take it: a place
    that is a path from the subject down (an item needs its group, form and visit), repeats
    between 1 and 10,000 (1 when a visit or group is named without one)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    subject: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=4000)
    opened_by: _Name
    event: _Name | None = None
    event_repeat: _Repeat | None = None
    form: _Name | None = None
    item_group: _Name | None = None
    group_repeat: _Repeat | None = None
    item: _Name | None = None

    @model_validator(mode="after")
    def _path(self) -> QueryRequest:
        problem = check_place(self.target())
        if problem is not None:
            raise ValueError(f"the query's place is not a path from the subject: {problem}")
        return self

    def target(self) -> dict[str, Any]:
        """The query's place, with repeat 1 where a visit or group was named without one."""
        place = self.model_dump(exclude={"text", "opened_by"})
        for name, repeat in (("event", "event_repeat"), ("item_group", "group_repeat")):
            if place[name] is not None and place[repeat] is None:
                place[repeat] = 1
        return place


def open_query(
    db: Database, site: str, target: Mapping[str, Any], *, text: str, opened_by: str
) -> Query:
    """Open a monitor's query on a subject or item; it reaches the site's devices by pull."""
    with db.transaction() as tx:
        tx.lock_site(site)
        query = _insert(
            tx, opened(site=site, place=target, text=text, opened_by=opened_by, opened_at=_now())
        )
        _save(tx, site, query)
    return query


def list_queries(db: Database, site: str, *, status: str | None = None) -> list[Query]:
    """Return the site's queries (conflicts and monitors'), oldest first, optionally by status."""
    sql = "SELECT body FROM queries WHERE site = ?"
    params: tuple[Any, ...] = (site,)
    if status is not None:
        sql, params = sql + " AND status = ?", (site, status)
    with db.transaction() as tx:
        rows = tx.all(sql + " ORDER BY id", params)
    return [Query.from_record(json.loads(r[0])) for r in rows]


def close_query(db: Database, site: str, query_id: int, *, text: str, by: str) -> Query:
    """Close a monitor's query (answered or not), with the monitor's closing remark.

    Raises:
        ApiError: 404 ``query_not_found``; 409 ``conflict_query`` for a conflict's query (the
            site closes it by resolving the item); 409 ``query_state`` if already closed.
    """
    return _move(db, site, query_id, CLOSE, text=text, by=by)


def reopen_query(db: Database, site: str, query_id: int, *, text: str, by: str) -> Query:
    """Reopen a monitor's answered or closed query, saying what is still needed.

    Raises:
        ApiError: 404 ``query_not_found``; 409 ``conflict_query``; 409 ``query_state`` if open.
    """
    return _move(db, site, query_id, REOPEN, text=text, by=by)


def project_queries(
    tx: Tx, site: str, entries: Sequence[Mapping[str, Any]], changed: Sequence[Query]
) -> list[Query]:
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
    queries = {_id(q): q for q in changed}
    touched: set[int] = set()
    for entry in entries:
        query = _project_entry(tx, site, entry, queries)
        if query is not None:
            queries[_id(query)] = query
            touched.add(_id(query))
    save_queries(tx, [queries[query_id] for query_id in sorted(touched)])
    return list(queries.values())


def _project_entry(
    tx: Tx, site: str, entry: Mapping[str, Any], queries: Mapping[int, Query]
) -> Query | None:
    """Apply one entry; return the query it changed, or None if it changed none."""
    action = entry.get("action")
    if action == ANSWER:
        query = _named_query(tx, site, entry, queries)
        return None if query is None else with_answer(query, answer_of(entry))
    if action not in (RAISE, *MOVES) or entry.get("role") != MONITOR_ROLE:
        return None
    if action == RAISE:
        return _raise(tx, site, entry)
    query = _named_query(tx, site, entry, queries)
    return None if query is None else with_step(query, step_of(entry))


def _named_query(
    tx: Tx, site: str, entry: Mapping[str, Any], queries: Mapping[int, Query]
) -> Query | None:
    """The query of this site that the entry's ``detail`` names (its latest state), or None:
    by its id, or by its origin (a step taken at the site before the query reached here)."""
    query_id = named_query_id(entry)
    if query_id is None:
        return _by_origin(tx, site, entry, queries)
    return queries.get(query_id) or _load(tx, site, query_id)


def _by_origin(
    tx: Tx, site: str, entry: Mapping[str, Any], queries: Mapping[int, Query]
) -> Query | None:
    """The monitor's query raised by the entry the step's ``detail`` names: the step carries
    the query's place, so only that place's queries are read."""
    origin = named_origin(entry)
    if origin is None:
        return None
    for query in queries.values():
        if query.origin == origin:
            return query
    rows = tx.all(
        "SELECT body FROM queries WHERE site = ? AND kind = 'monitor' AND path = ? ORDER BY id",
        (site, item_path(entry)),
    )
    for (body,) in rows:
        query = Query.from_record(json.loads(body))
        if query.origin == origin:
            return query
    return None


def _raise(tx: Tx, site: str, entry: Mapping[str, Any]) -> Query | None:
    """Open the monitor's query that a ``query.raise`` entry asks for, once per entry."""
    subject, text = entry.get("subject"), entry.get("new")
    if not isinstance(subject, str) or not subject or not isinstance(text, str) or not text:
        return None
    query = raised(entry, site=site)
    if _raised_already(tx, site, query):
        return None
    return _insert(tx, query)


def _raised_already(tx: Tx, site: str, query: Query) -> bool:
    """Whether this entry's query exists: the ledger stores a set once, so this only guards
    against a projection run twice over the same entries."""
    rows = tx.all(
        "SELECT body FROM queries WHERE site = ? AND kind = 'monitor' AND path = ? "
        "AND opened_at = ?",
        (site, item_path(query.place), query.opened_at),
    )
    return any(Query.from_record(json.loads(r[0])).origin == query.origin for r in rows)


def _insert(tx: Tx, query: Query) -> Query:
    """Give a new monitor's query its id (its body is stored with its final state)."""
    row = tx.one(
        "INSERT INTO queries (site, subject, path, kind, status, body, opened_at) "
        "VALUES (?, ?, ?, 'monitor', 'open', '{}', ?) RETURNING id",
        (query.site, query.subject, item_path(query.place), query.opened_at),
    )
    assert row is not None
    return query.model_copy(update={"id": int(row[0])})


def _move(db: Database, site: str, query_id: int, action: str, *, text: str, by: str) -> Query:
    step = server_step(action, by=by, at=_now(), text=text)
    with db.transaction() as tx:
        tx.lock_site(site)
        query = _load(tx, site, query_id)
        if query is None:
            raise ApiError(404, "query_not_found", f"site {site} has no query {query_id}")
        why = refusal(query, action)
        if why is Refusal.CONFLICT:
            raise ApiError(
                409,
                "conflict_query",
                f"query {query_id} is a conflict: it closes when the site saves the right "
                "value with a reason",
            )
        if why is not None:
            raise ApiError(409, "query_state", f"query {query_id} is {query.status} already")
        query = moved(query, step)
        _save(tx, site, query)
    return query


def _load(tx: Tx, site: str, query_id: int) -> Query | None:
    row = tx.one("SELECT body FROM queries WHERE id = ? AND site = ?", (query_id, site))
    return None if row is None else Query.from_record(json.loads(row[0]))


def _save(tx: Tx, site: str, query: Query) -> None:
    """Store the query's new state and put it on the site's feed."""
    save_queries(tx, [query])
    tx.execute(
        "INSERT INTO feed (site, kind, device, seq, body) VALUES (?, 'query', NULL, NULL, ?)",
        (site, _body(query)),
    )


def _body(query: Query) -> str:
    return json.dumps(query.to_record())


def _id(query: Query) -> int:
    assert query.id is not None  # every query on the server has its id
    return query.id


def _now() -> str:
    return iso(utc_now())
