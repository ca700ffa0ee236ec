"""Queries on this site's data that came from the server: a monitor's, or a conflict's.

Queries reach the device by pull (``desktop_crf.services.sync_store``) and are kept in
``sync_state`` under ``query:<id>`` as the server last sent them. What the site does about
them is a new audit entry, which goes up with the next change set like any other change:

- a monitor's query is answered with text (``query.answer``, ``detail`` = ``{"query_id": N}``);
  the device shows it ``answered`` at once, and the server's copy says so after the next sync;
  only the monitor closes it (or reopens it), on the server;
- a conflict is resolved by a new value with a reason (``conflict.resolve``).

A query's ``status`` is ``open``, ``answered`` or ``closed``; ``answers`` lists the site's
answers (text, by, role, at, device, seq).
"""

from __future__ import annotations

import json
from typing import Any

from desktop_crf.errors import InvalidInput, NotFound, ReasonRequired
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Changes, Session
from desktop_crf.services.sync_store import (
    QUERY_PREFIX,
    prefixed_records,
    read_query,
    write_query,
)
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import utc_now
from sync.entries import answer_record


def server_queries(session: Session, subject_id: str | None = None) -> list[dict[str, Any]]:
    """Queries that came from the server (monitors' and conflicts), optionally of one subject."""
    session.require(Permission.VIEW_DATA)
    queries = prefixed_records(session.db, QUERY_PREFIX)
    return [q for q in queries if subject_id is None or q.get("subject") == subject_id]


ANSWER_ACTION = "query.answer"
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
    def __init__(self, query_id: int) -> None:
        super().__init__(
            f"Query {query_id} is not on this computer. Sync, then open it from the subject."
        )


class QueryClosed(InvalidInput):
    def __init__(self, query_id: int) -> None:
        super().__init__(
            f"Query {query_id} was closed by the monitor, so it cannot be answered. "
            "Ask the monitor to reopen it if something is still to be said."
        )


class ConflictNeedsValue(InvalidInput):
    def __init__(self, query_id: int) -> None:
        super().__init__(
            f"Query {query_id} is a conflict between two devices: it is answered by choosing "
            "the right value and saving it with a reason."
        )


def answer_query(session: Session, query_id: int, text: str) -> Changes:
    """Answer a monitor's query from the site; the answer goes up with the next sync.

    One transaction: the audit entry ``query.answer`` (on the query's subject, event, form and
    item; ``new`` = the answer, ``detail`` = ``{"query_id": N}``) and the local query marked
    ``answered`` with the answer added.

    Raises:
        PermissionDenied: a monitor, an admin or a patient. AnswerRequired: empty text.
        AnswerTooLong, QueryNotFound, QueryClosed, ConflictNeedsValue.
    """
    session.require(Permission.ANSWER_QUERY)
    answer = text.strip()
    if not answer:
        raise AnswerRequired()
    if len(answer) > MAX_ANSWER:
        raise AnswerTooLong()
    with session.write() as audit:
        query = read_query(session.db, query_id)
        if query is None:
            raise QueryNotFound(query_id)
        subject = query.get("subject")
        session.require_subject(str(subject), query.get("form"))
        if query.get("kind") == "conflict":
            raise ConflictNeedsValue(query_id)
        if query.get("status") == "closed":
            raise QueryClosed(query_id)
        entry = audit.append(
            ANSWER_ACTION,
            subject=subject,
            event=query.get("event"),
            event_repeat=query.get("event_repeat"),
            form=query.get("form"),
            item_group=query.get("item_group"),
            group_repeat=query.get("group_repeat"),
            item=query.get("item"),
            new=answer,
            detail=json.dumps({"query_id": query_id}),
        )
        query["answers"] = [*query.get("answers", []), answer_record(entry)]
        query["status"] = "answered"
        write_query(session.db, query)
    item = query.get("item")
    return Changes(subject, query.get("event"), query.get("form"), (item,) if item else (), "query")


def resolve_conflict(
    session: Session,
    key: repo.FormKey,
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
        stored = repo.StoredValue(item_group, group_repeat, item, value, unit, current.rev + 1)
        repo.write_value(
            session.db, key, stored, updated_at=utc_now(), updated_by=session.actor.user
        )
        audit.append(
            "conflict.resolve",
            subject=key.subject_id,
            event=key.event,
            event_repeat=key.event_repeat,
            form=key.form,
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
