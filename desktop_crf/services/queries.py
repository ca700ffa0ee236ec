"""Queries on this site's data: a monitor's, or a conflict's.

Queries reach the device by pull and are kept in the store's ``queries`` table
(``desktop_crf.store.queries``) as the server last sent them. What anyone does about them here
is a new audit entry, which goes up with the next change set like any other change, and shows
on this device at once. The rules (states, who may take which step, the records each step
makes) are ``sync.queries``, the same as the server's; the names the UI needs are re-exported
here (``Query``, ``may_answer``, ``may_move``, ``may_resolve``, ``CLOSE``, ``REOPEN``):

- a monitor's query is answered with text (``query.answer``, ``detail`` = ``{"query_id": N}``);
  the device shows it ``answered`` at once, and the server's copy says so after the next sync;
- a monitor visiting the site raises a query (``query.raise``), offline if need be: it waits
  with ``id`` None (``is_pending``) and its origin until the server's copy comes down; a
  monitor closes or reopens a query the server knows (``query.close``, ``query.reopen``,
  ``detail`` = ``{"query_id": N}``), here or on the server;
- a conflict is resolved by a new value with a reason (``conflict.resolve``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop_crf.errors import InvalidInput, NotFound, ReasonRequired
from desktop_crf.model import Changes, FormKey, StoredValue
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import queries as local_queries
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import utc_now
from sync.queries import (
    ANSWER,
    CLOSE,
    RAISE,
    REOPEN,
    ConflictValue,
    Origin,
    Query,
    Refusal,
    answer_of,
    detail_for,
    may_answer,
    may_move,
    may_resolve,
    moved,
    raised,
    refusal,
    step_of,
    with_answer,
)

__all__ = [
    "CLOSE",
    "MAX_ANSWER",
    "REOPEN",
    "AnswerRequired",
    "AnswerTooLong",
    "ConflictNeedsValue",
    "ConflictValue",
    "Query",
    "QueryClosed",
    "QueryIsConflict",
    "QueryNotFound",
    "QueryPending",
    "QueryRef",
    "QuerySubjectNotFound",
    "QueryTarget",
    "QueryTargetIncomplete",
    "QueryTextRequired",
    "QueryTextTooLong",
    "QueryWrongState",
    "answer_query",
    "close_query",
    "is_pending",
    "may_answer",
    "may_move",
    "may_resolve",
    "query_ref",
    "raise_query",
    "reopen_query",
    "resolve_conflict",
    "server_queries",
]


def server_queries(session: Session, subject_id: str | None = None) -> list[Query]:
    """The site's queries (monitors' and conflicts), optionally of one subject: those from the
    server by id, then those raised here and not yet on the server, in the order raised."""
    session.require(Permission.VIEW_DATA)
    return local_queries.list_queries(session.db, subject=subject_id)


def is_pending(query: Query) -> bool:
    """Whether ``query`` was raised on this site and has not reached the server yet: it has
    no id yet, and is named by its origin (``query_ref``) until a sync brings the server's
    copy. It is answered, closed and reopened here all the same."""
    return query.is_pending


#: How a step names a query: its server id, or the ``query.raise`` entry of a pending query.
QueryRef = int | Origin


def query_ref(query: Query) -> QueryRef:
    """The name the steps on ``query`` use: its id, or its origin while it is pending."""
    if query.id is not None:
        return query.id
    assert query.origin is not None  # a query without an id was raised at this site
    return query.origin


def _ref_text(ref: QueryRef) -> str:
    return str(ref) if isinstance(ref, int) else "raised on this computer"


MAX_ANSWER = 4000


class AnswerRequired(InvalidInput):
    def __init__(self) -> None:
        super().__init__("Write an answer to the query before sending it.")


class AnswerTooLong(InvalidInput):
    def __init__(self) -> None:
        super().__init__(
            f"The answer is longer than {MAX_ANSWER} characters. Shorten it, or answer in parts."
        )


class QueryNotFound(NotFound):
    def __init__(self, query_id: QueryRef) -> None:
        what = f"Query {query_id}" if isinstance(query_id, int) else "This query"
        super().__init__(f"{what} is not on this computer. Sync, then open it from the subject.")


class QueryClosed(InvalidInput):
    def __init__(self, query_id: QueryRef) -> None:
        super().__init__(
            f"Query {_ref_text(query_id)} was closed by the monitor, so it cannot be answered. "
            "Ask the monitor to reopen it if something is still to be said."
        )


class QueryPending(InvalidInput):
    """Kept for callers that still name a pending query by an id it does not have."""

    def __init__(self) -> None:
        super().__init__(
            "This query was raised on this computer and is not on the server yet: open it "
            "from the subject's queries to answer, close or reopen it."
        )


class ConflictNeedsValue(InvalidInput):
    def __init__(self, query_id: QueryRef) -> None:
        super().__init__(
            f"Query {query_id} is a conflict between two devices: it is answered by choosing "
            "the right value and saving it with a reason."
        )


def answer_query(session: Session, query_id: QueryRef, text: str) -> Changes:
    """Answer a monitor's query from the site; the answer goes up with the next sync.

    One transaction: the audit entry ``query.answer`` (on the query's subject, event, form and
    item; ``new`` = the answer, ``detail`` = ``{"query_id": N}``, or for a query raised here
    and not on the server yet ``{"query_origin": {...}}``) and the local query marked
    ``answered`` with the answer added.

    Args:
        query_id: the query's id, or its origin while it is pending (``query_ref``).

    Raises:
        PermissionDenied: a monitor, an admin or a patient. AnswerRequired: empty text.
        AnswerTooLong, QueryNotFound, QueryClosed, ConflictNeedsValue. QueryPending: None
        given for a query's id.
    """
    session.require(Permission.ANSWER_QUERY)
    answer = _checked_text(text, AnswerRequired, AnswerTooLong)
    if query_id is None:
        raise QueryPending()
    with session.write() as audit:
        query = _stored(session, query_id)
        session.require_subject(str(query.subject), query.form)
        why = refusal(query, ANSWER)
        if why is Refusal.CONFLICT:
            raise ConflictNeedsValue(query_id)
        if why is not None:
            raise QueryClosed(query_id)
        entry = audit.append(ANSWER, new=answer, detail=detail_for(query), **query.place)
        local_queries.put_query(session.db, with_answer(query, answer_of(entry)))
    return _changes(query.place)


@dataclass(frozen=True)
class QueryTarget:
    """What a monitor's query is about: a subject, or one of its visits, forms or items.

    An event's repeat and an item group's repeat default to 1, so that a query on an item
    names the item exactly as its values do.
    """

    subject: str
    event: str | None = None
    event_repeat: int | None = None
    form: str | None = None
    item_group: str | None = None
    group_repeat: int | None = None
    item: str | None = None

    @classmethod
    def on_item(cls, key: FormKey, item_group: str, group_repeat: int, item: str) -> QueryTarget:
        """One item of one form."""
        return cls(
            key.subject_id, key.event, key.event_repeat, key.form, item_group, group_repeat, item
        )

    def fields(self) -> dict[str, Any]:
        """The audit entry's place fields (subject, event, form, item and their repeats)."""
        return {
            "subject": self.subject,
            "event": self.event,
            "event_repeat": self.event_repeat or 1 if self.event else None,
            "form": self.form,
            "item_group": self.item_group,
            "group_repeat": self.group_repeat or 1 if self.item_group else None,
            "item": self.item,
        }


class QueryTextRequired(InvalidInput):
    def __init__(self) -> None:
        super().__init__("Write the text of the query (what the site should check or do).")


class QueryTextTooLong(InvalidInput):
    def __init__(self) -> None:
        super().__init__(
            f"The text is longer than {MAX_ANSWER} characters. Shorten it, or split the "
            "query in two."
        )


class QueryTargetIncomplete(InvalidInput):
    def __init__(self, missing: str, named: str) -> None:
        super().__init__(f"A query on {named} must also name its {missing}.")


class QuerySubjectNotFound(NotFound):
    def __init__(self, subject_id: str) -> None:
        super().__init__(
            f"There is no subject {subject_id} on this computer. Check the number, or sync "
            "if the subject was entered on another computer."
        )


class QueryIsConflict(InvalidInput):
    def __init__(self, query_id: QueryRef) -> None:
        super().__init__(
            f"Query {query_id} is a conflict between two devices: it closes by itself when "
            "the site saves the right value with a reason, and cannot be closed or reopened."
        )


class QueryWrongState(InvalidInput):
    def __init__(self, query_id: QueryRef, status: str, action: str) -> None:
        allowed = "open or answered" if action == CLOSE else "answered or closed"
        verb = "closed" if action == CLOSE else "reopened"
        super().__init__(
            f"Query {_ref_text(query_id)} is {status}: only an {allowed} query can be {verb}. "
            "Sync to see its latest state."
        )


def raise_query(session: Session, target: QueryTarget, text: str) -> Changes:
    """Raise a monitor's query at the site, offline if need be; it reaches the server with the
    next sync, which gives it its id.

    One transaction: the audit entry ``query.raise`` (the target's subject, event, form and
    item; ``new`` = the text) and the pending query (``sync.queries.raised``): ``id`` None,
    ``origin`` = ``{"device", "seq"}`` of the entry, ``kind`` ``monitor``, ``status`` ``open``,
    ``opened_at`` / ``opened_by`` of the entry, the text, empty ``values``, ``answers`` and
    ``history``. The server's copy replaces it when it comes down.

    Raises:
        PermissionDenied: anyone but a monitor. QueryTextRequired, QueryTextTooLong,
        QueryTargetIncomplete (an item without its form and group, a form without its visit),
        QuerySubjectNotFound.
    """
    session.require(Permission.RAISE_QUERY)
    body = _checked_text(text)
    place = target.fields()
    _check_target(place)
    with session.write() as audit:
        if repo.get_subject(session.db, target.subject) is None:
            raise QuerySubjectNotFound(target.subject)
        session.require_subject(target.subject, target.form)
        entry = audit.append(RAISE, new=body, **place)
        local_queries.put_query(session.db, raised(entry, site=session.site.site_code))
    return _changes(place)


def close_query(session: Session, query_id: QueryRef, text: str) -> Changes:
    """Close a monitor's open or answered query at the site, with the monitor's remark.

    One transaction: the audit entry ``query.close`` (``detail`` = ``{"query_id": N}``, ``new``
    = the text) and the local query ``closed`` at once (``closed_at``, ``closed_by``,
    ``close_text``, a ``history`` step ``{status, by, at, text, device, seq}``), as the server
    records it when the entry arrives.

    A query raised here and not on the server yet is named by its origin (``query_ref``).

    Raises:
        PermissionDenied: anyone but a monitor. QueryTextRequired, QueryTextTooLong,
        QueryPending (None given for an id), QueryNotFound, QueryIsConflict, QueryWrongState.
    """
    return _move(session, query_id, text, CLOSE)


def reopen_query(session: Session, query_id: QueryRef, text: str) -> Changes:
    """Reopen a monitor's answered or closed query at the site, saying what is still needed.

    Like ``close_query``, with the entry ``query.reopen``; the query is ``open`` again and its
    ``closed_*`` fields are cleared.

    Raises:
        PermissionDenied: anyone but a monitor. QueryTextRequired, QueryTextTooLong,
        QueryPending, QueryNotFound, QueryIsConflict, QueryWrongState.
    """
    return _move(session, query_id, text, REOPEN)


def _move(session: Session, query_id: QueryRef, text: str, action: str) -> Changes:
    session.require(Permission.RAISE_QUERY)
    body = _checked_text(text)
    if query_id is None:
        raise QueryPending()
    with session.write() as audit:
        query = _stored(session, query_id)
        why = refusal(query, action)
        if why is Refusal.CONFLICT:
            raise QueryIsConflict(query_id)
        if why is not None:
            raise QueryWrongState(query_id, query.status, action)
        entry = audit.append(action, new=body, detail=detail_for(query), **query.place)
        local_queries.put_query(session.db, moved(query, step_of(entry)))
    return _changes(query.place)


def _stored(session: Session, query_id: QueryRef) -> Query:
    if isinstance(query_id, Origin):
        query = local_queries.get_pending(session.db, query_id)
        # a sync may have brought the server's copy meanwhile: it took the pending one's place
        query = query or local_queries.get_by_origin(session.db, query_id)
    else:
        query = local_queries.get_query(session.db, query_id)
    if query is None:
        raise QueryNotFound(query_id)
    return query


def _checked_text(
    text: str,
    missing: type[InvalidInput] = QueryTextRequired,
    too_long: type[InvalidInput] = QueryTextTooLong,
) -> str:
    """The text of an answer, a query or a monitor's remark, stripped: required, and at most
    ``MAX_ANSWER`` characters."""
    body = text.strip()
    if not body:
        raise missing()
    if len(body) > MAX_ANSWER:
        raise too_long()
    return body


def _check_target(place: Mapping[str, Any]) -> None:
    for field, needs in (("item", "item_group"), ("item_group", "form"), ("form", "event")):
        if place.get(field) and not place.get(needs):
            raise QueryTargetIncomplete(needs.replace("_", " "), field.replace("_", " "))


def _changes(place: Mapping[str, Any]) -> Changes:
    item = place.get("item")
    return Changes(
        place["subject"], place.get("event"), place.get("form"), (item,) if item else (), "query"
    )


def resolve_conflict(
    session: Session,
    key: FormKey,
    *,
    item_group: str,
    item: str,
    value: str | None,
    reason: str,
    unit: str | None = None,
    group_repeat: int = 1,
) -> Changes:
    """Resolve an item in conflict with the value a person chose, and the reason.

    The resolution is a new change (audit action ``conflict.resolve``); once it reaches the
    server the conflict query is closed on every device.

    Raises:
        ReasonRequired: no reason given. InvalidInput: the item is not in conflict.
    """
    session.require(Permission.ENTER_DATA)
    session.require_subject(key.subject_id, key.form)
    if not reason.strip():
        raise ReasonRequired(item)
    with session.write() as audit:
        current = repo.form_values(session.db, key).get((item_group, group_repeat, item))
        if current is None or current.conflict is None:
            raise InvalidInput(f"{item} is not in conflict; change it as usual.")
        stored = StoredValue(item_group, group_repeat, item, value, unit, current.rev + 1)
        repo.write_value(
            session.db, key, stored, updated_at=utc_now(), updated_by=session.actor.user
        )
        audit.append(
            "conflict.resolve",
            **key.audit_place(),
            item_group=item_group,
            group_repeat=group_repeat,
            item=item,
            old=current.value,
            new=value,
            unit=unit,
            reason=reason.strip(),
            base_rev=current.rev,
            detail=current.conflict,
        )
    return Changes(key.subject_id, key.event, key.form, (item,))
