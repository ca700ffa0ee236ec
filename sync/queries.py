"""The life cycle of a query: one set of rules for the server, the devices and the app.

A query is a question on a subject or one of its items. Two kinds:

- ``monitor``: raised by a monitor (on the server, or from a site's app with a ``query.raise``
  entry). ``open`` when raised, ``answered`` once the site answers (``query.answer``),
  ``closed`` when the monitor accepts (``query.close``); the monitor may close an open query
  too, and reopen (``query.reopen``) an answered or closed one. The site may answer again
  while it is not closed.
- ``conflict``: opened by the server when two devices changed an item from the same revision;
  ``open`` until a ``conflict.resolve`` entry (a value chosen with a reason) closes it. A
  monitor never closes or reopens it, and the site answers it by choosing the value: an answer
  that reaches it anyway is kept and changes nothing.

Every step is an audit entry, so the records a query lists are made from entries, the same way
on the server and on every device: ``answer_of`` (an answer), ``step_of`` (a close or reopen in
``history``), ``raised`` (a monitor's query opened by a site's entry). The step functions
(``with_answer``, ``moved``, ``with_step``) return a new ``Query``; ``refusal`` says why a step
may not be taken (``may_answer``, ``may_move`` as booleans). Pure: no database, no network.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from sync.entries import PATH_FIELDS

ANSWER = "query.answer"
RAISE = "query.raise"
CLOSE = "query.close"
REOPEN = "query.reopen"
#: Every audit action about a query; ``raise`` opens one, the others name it in ``detail``.
ACTIONS: tuple[str, ...] = (ANSWER, RAISE, CLOSE, REOPEN)
#: The actions taken on a query that exists.
STEPS: tuple[str, ...] = (ANSWER, CLOSE, REOPEN)
#: Only entries made in this role raise, close or reopen a query.
MONITOR_ROLE = "monitor"
#: Query ids are below this (BIGINT on the server): anything larger names no query.
MAX_ID = 2**62

Status = Literal["open", "answered", "closed"]
Kind = Literal["monitor", "conflict"]
STATUSES: tuple[Status, ...] = ("open", "answered", "closed")
KINDS: tuple[Kind, ...] = ("monitor", "conflict")

#: A monitor's move: the status it leads to, and the statuses it may start from.
MOVES: Mapping[str, tuple[Status, frozenset[Status]]] = {
    CLOSE: ("closed", frozenset({"open", "answered"})),
    REOPEN: ("open", frozenset({"answered", "closed"})),
}
#: The site may answer (again) until the monitor closes the query.
ANSWERABLE: frozenset[Status] = frozenset({"open", "answered"})

_FROZEN = ConfigDict(frozen=True)


class Refusal(StrEnum):
    """Why a step may not be taken on a query; the values are the server's error codes."""

    #: raised at a site and not on the server yet (no longer a refusal: its steps name it by
    #: its origin; kept as the server's error code)
    PENDING = "query_pending"
    #: a conflict's query: closed by resolving the item, never moved or answered by hand
    CONFLICT = "conflict_query"
    #: the query's status does not allow the step (closing a closed query, …)
    STATE = "query_state"


class Origin(BaseModel):
    """The ``query.raise`` entry that opened a query raised from a site's app."""

    model_config = _FROZEN

    device: str
    seq: int


class Answer(BaseModel):
    """The site's answer, from its ``query.answer`` entry (``answer_of``)."""

    model_config = _FROZEN

    text: str | None = None
    by: str | None = None
    role: str | None = None
    at: str | None = None
    device: str | None = None
    seq: int | None = None

    @property
    def entry(self) -> tuple[str | None, int | None]:
        """The entry that made it: (device, seq)."""
        return (self.device, self.seq)


class Step(BaseModel):
    """A monitor's close or reopen in a query's ``history``. ``device`` and ``seq`` name the
    entry when the step was made from a site's app; a step made on the server has neither."""

    model_config = _FROZEN

    status: Status
    by: str | None = None
    at: str | None = None
    text: str | None = None
    device: str | None = None
    seq: int | None = None

    @property
    def entry(self) -> tuple[str | None, int | None]:
        """The entry that made it: (device, seq), or (None, None) for a server step."""
        return (self.device, self.seq)

    @property
    def action(self) -> str:
        """``query.close`` or ``query.reopen``."""
        return CLOSE if self.status == "closed" else REOPEN

    @model_serializer(mode="wrap")
    def _record(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        record: dict[str, Any] = handler(self)
        if self.device is None and self.seq is None:
            record.pop("device", None)
            record.pop("seq", None)
        return record


class ConflictValue(BaseModel):
    """A value kept on a conflict's query (or its ``resolution``): what an entry set, or what
    the item held. Its record lists exactly the fields it was made with."""

    model_config = _FROZEN

    value: str | None = None
    unit: str | None = None
    device: str | None = None
    seq: int | None = None
    user: str | None = None
    ts: str | None = None
    base_rev: int | None = None
    reason: str | None = None
    rev: int | None = None

    @property
    def is_empty(self) -> bool:
        """Made with no field: the item held nothing when the conflict began."""
        return not self.model_fields_set

    @model_serializer(mode="wrap")
    def _record(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        record: dict[str, Any] = handler(self)
        return {k: v for k, v in record.items() if k in self.model_fields_set}


class Query(BaseModel):
    """A query as the server sends it and every device keeps it.

    ``id`` is None while a query raised at a site waits for the server (``is_pending``); its
    ``origin`` names the ``query.raise`` entry, and the server's copy carries it too.
    ``to_record()`` is the JSON object of the protocol (``origin`` and ``resolution`` only when
    set); ``from_record`` reads one, older records with missing fields included.
    """

    model_config = _FROZEN

    id: int | None = None
    site: str | None = None
    subject: str | None = None
    event: str | None = None
    event_repeat: int | None = None
    form: str | None = None
    item_group: str | None = None
    group_repeat: int | None = None
    item: str | None = None
    kind: Kind = "monitor"
    status: Status = "open"
    opened_at: str | None = None
    opened_by: str | None = None
    text: str | None = None
    values: tuple[ConflictValue, ...] = ()
    answers: tuple[Answer, ...] = ()
    history: tuple[Step, ...] = ()
    closed_at: str | None = None
    closed_by: str | None = None
    close_text: str | None = None
    origin: Origin | None = None
    resolution: ConflictValue | None = None

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Query:
        """Read a query record (raises pydantic's ``ValidationError`` if it is not one)."""
        return cls.model_validate(record)

    def to_record(self) -> dict[str, Any]:
        """The query as the JSON object of the protocol."""
        return self.model_dump(mode="json")

    @model_serializer(mode="wrap")
    def _record(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        record: dict[str, Any] = handler(self)
        for optional in ("origin", "resolution"):
            if record.get(optional) is None:
                record.pop(optional, None)
        return record

    @property
    def is_pending(self) -> bool:
        """Raised at this site and not on the server yet: no id, so no step can name it."""
        return self.id is None

    @property
    def is_conflict(self) -> bool:
        return self.kind == "conflict"

    @property
    def place(self) -> dict[str, Any]:
        """Where it is: the place fields of an entry about it (``sync.entries.PATH_FIELDS``)."""
        return {name: getattr(self, name) for name in PATH_FIELDS}


# -- who may do what --------------------------------------------------------------------------


def refusal(query: Query, action: str) -> Refusal | None:
    """Why the site may not take ``action`` on ``query`` now, or None if it may.

    A query raised at this site and not on the server yet is answered, closed and reopened
    like any other (its steps name it by its origin: ``detail_for``), so that a query raised
    on a computer that never syncs still runs its whole life there.

    Args:
        action: ``query.answer``, ``query.close`` or ``query.reopen``.

    Raises:
        ValueError: another action (``query.raise`` opens a new query).
    """
    if action not in STEPS:
        raise ValueError(f"not a step on a query: {action}")
    if query.is_conflict:
        return Refusal.CONFLICT
    allowed = ANSWERABLE if action == ANSWER else MOVES[action][1]
    return None if query.status in allowed else Refusal.STATE


def may_answer(query: Query) -> bool:
    """Whether the site may answer ``query``: a monitor's query on the server, not closed."""
    return refusal(query, ANSWER) is None


def may_move(query: Query, action: str) -> bool:
    """Whether a monitor may close (``query.close``) or reopen (``query.reopen``) ``query``."""
    if action not in MOVES:
        raise ValueError(f"not a move: {action}")
    return refusal(query, action) is None


def may_resolve(query: Query) -> bool:
    """Whether ``query`` is an open conflict, which the site resolves by choosing the value."""
    return query.is_conflict and query.status == "open"


# -- the records that entries make -------------------------------------------------------------


def answer_of(entry: Mapping[str, Any]) -> Answer:
    """The answer a ``query.answer`` entry makes: the same record on the server and devices."""
    return Answer(
        text=entry.get("new"),
        by=entry.get("user"),
        role=entry.get("role"),
        at=entry.get("ts"),
        device=entry["device"],
        seq=entry["seq"],
    )


def step_of(entry: Mapping[str, Any]) -> Step:
    """The history step a monitor's ``query.close`` / ``query.reopen`` entry makes."""
    return Step(
        status=MOVES[str(entry.get("action"))][0],
        by=entry.get("user"),
        at=entry.get("ts"),
        text=entry.get("new"),
        device=entry["device"],
        seq=entry["seq"],
    )


def server_step(action: str, *, by: str, at: str, text: str) -> Step:
    """A close or reopen made on the server (its admin endpoints), not by an entry."""
    return Step(status=MOVES[action][0], by=by, at=at, text=text)


def raised(entry: Mapping[str, Any], *, site: str | None) -> Query:
    """The monitor's query a ``query.raise`` entry opens, still without its server id."""
    return opened(
        site=site,
        place=entry,
        text=str(entry.get("new") or ""),
        opened_by=str(entry.get("user")),
        opened_at=str(entry.get("ts")),
        origin=Origin(device=str(entry["device"]), seq=int(entry["seq"])),
    )


def opened(
    *,
    site: str | None,
    place: Mapping[str, Any],
    text: str,
    opened_by: str,
    opened_at: str,
    origin: Origin | None = None,
    query_id: int | None = None,
) -> Query:
    """A monitor's new query, ``open``, on the place that ``place``'s fields name."""
    return Query(
        id=query_id,
        site=site,
        **{name: place.get(name) for name in PATH_FIELDS},
        kind="monitor",
        status="open",
        opened_at=opened_at,
        opened_by=opened_by,
        text=text,
        origin=origin,
    )


def detail_of(query_id: int) -> str:
    """The ``detail`` of an entry about query ``query_id``."""
    return json.dumps({"query_id": query_id})


def detail_for(query: Query) -> str:
    """The ``detail`` of an entry about ``query``: ``{"query_id": N}`` once the server gave it
    its id, else ``{"query_origin": {"device": D, "seq": S}}``, its ``query.raise`` entry (which
    reaches the server first: same device, lower sequence number)."""
    if query.id is not None:
        return detail_of(query.id)
    assert query.origin is not None  # a query without an id was raised at a site
    return json.dumps({"query_origin": query.origin.model_dump()})


def named_origin(entry: Mapping[str, Any]) -> Origin | None:
    """The origin an entry's ``detail`` names its query by (``detail_for``), or None."""
    if not isinstance(entry.get("detail"), str):
        return None
    try:
        detail = json.loads(entry["detail"])
    except ValueError:
        return None
    origin = detail.get("query_origin") if isinstance(detail, dict) else None
    if not isinstance(origin, dict) or set(origin) != {"device", "seq"}:
        return None
    device, seq = origin["device"], origin["seq"]
    if not isinstance(device, str) or type(seq) is not int or not 0 < seq < MAX_ID:
        return None
    return Origin(device=device, seq=seq)


def named_query_id(entry: Mapping[str, Any]) -> int | None:
    """The query id an entry's ``detail`` names, or None if it names none (or nonsense)."""
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


# -- the steps ------------------------------------------------------------------------------


def with_answer(query: Query, answer: Answer) -> Query:
    """The query with ``answer`` added (once per entry); a monitor's ``open`` query becomes
    ``answered``. An answer to a closed query or a conflict's is kept and moves nothing."""
    if any(a.entry == answer.entry for a in query.answers):
        return query
    status = query.status
    if query.kind == "monitor" and status == "open":
        status = "answered"
    return query.model_copy(update={"answers": (*query.answers, answer), "status": status})


def moved(query: Query, step: Step) -> Query:
    """The query after a close or reopen ``step``, unchecked (see ``refusal``): ``closed_*``
    set on closing and cleared on reopening, the step added to ``history``."""
    closing = step.status == "closed"
    return query.model_copy(
        update={
            "status": step.status,
            "closed_at": step.at if closing else None,
            "closed_by": step.by if closing else None,
            "close_text": step.text if closing else None,
            "history": (*query.history, step),
        }
    )


def with_step(query: Query, step: Step) -> Query | None:
    """The query after a monitor's ``step``, or None if the query's kind or state refuses it,
    the step has no text, or the step's entry is on the query already."""
    if not step.text or refusal(query, step.action) is not None:
        return None
    if step.device is not None and any(h.entry == step.entry for h in query.history):
        return None
    return moved(query, step)


def with_local_changes(
    server_copy: Query, held: Query | None, *, device: str, acked_seq: int
) -> Query:
    """What a device keeps of its own changes when ``server_copy`` of a query comes down.

    ``held`` is the device's copy. Its answers the server's copy does not list yet reach the
    server with a later change set, so they are kept. This device's closes and reopens are
    kept while their entry is not acknowledged (seq above ``acked_seq``); once acknowledged,
    the server's copy is the truth (a move the server could no longer make is dropped here
    too). Kept changes are applied in the order they were made, by the rules above.
    """
    if held is None:
        return server_copy
    answers = {a.entry for a in server_copy.answers}
    steps = {h.entry for h in server_copy.history}
    local: list[Answer | Step] = [a for a in held.answers if a.entry not in answers]
    local += [
        h
        for h in held.history
        if h.device == device and (h.seq or 0) > acked_seq and h.entry not in steps
    ]
    merged = server_copy
    for change in sorted(local, key=lambda c: c.seq or 0):
        if isinstance(change, Answer):
            merged = with_answer(merged, change)
        elif refusal(merged, change.action) is None:
            merged = moved(merged, change)
    return merged


# -- conflicts ------------------------------------------------------------------------------


def value_of(entry: Mapping[str, Any]) -> ConflictValue:
    """The value an item entry set, as a conflict's query keeps it."""
    return ConflictValue(
        value=entry.get("new"),
        unit=entry.get("unit"),
        device=entry["device"],
        seq=entry["seq"],
        user=entry.get("user"),
        ts=entry.get("ts"),
        base_rev=entry.get("base_rev"),
        reason=entry.get("reason"),
    )


def conflict_opened(
    *,
    query_id: int,
    site: str,
    entry: Mapping[str, Any],
    current: ConflictValue,
    opened_at: str,
) -> Query:
    """The query the server opens when ``entry`` changes an item from a revision that is not
    the item's current one (``current``: what the item holds, empty if nothing)."""
    return Query(
        id=query_id,
        site=site,
        **{name: entry.get(name) for name in PATH_FIELDS},
        kind="conflict",
        status="open",
        opened_at=opened_at,
        opened_by="server",
        text=(
            f"Two devices changed {entry.get('item')} of subject {entry.get('subject')} from "
            "the same starting value. Both values are kept below: decide which is right and "
            "save it again with a reason."
        ),
        values=(current, value_of(entry)),
    )


def with_value(query: Query, value: ConflictValue) -> Query:
    """A conflict's query with one more value that changed the item while in conflict."""
    return query.model_copy(update={"values": (*query.values, value)})


def resolved(query: Query, resolution: ConflictValue, *, at: str) -> Query:
    """A conflict's query closed by a ``conflict.resolve`` entry (``resolution``: its value and
    the item's new revision ``rev``)."""
    return query.model_copy(update={"status": "closed", "closed_at": at, "resolution": resolution})
