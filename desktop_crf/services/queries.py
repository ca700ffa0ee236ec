"""Queries on this site's data that came from the server: a monitor's, or a conflict's.

Queries reach the device by pull (``desktop_crf.services.sync_store``) and are kept in
``sync_state`` under ``query:<id>``, exactly as the server last sent them. What the site does
about them is a new audit entry, which goes up with the next change set like any other change:
a conflict is resolved by a new value with a reason (``conflict.resolve``).
"""

from __future__ import annotations

from typing import Any

from desktop_crf.errors import InvalidInput, ReasonRequired
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Changes, Session
from desktop_crf.services.sync_store import QUERY_PREFIX, prefixed_records
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import utc_now


def server_queries(session: Session, subject_id: str | None = None) -> list[dict[str, Any]]:
    """Queries that came from the server (monitors' and conflicts), optionally of one subject."""
    session.require(Permission.VIEW_DATA)
    queries = prefixed_records(session.db, QUERY_PREFIX)
    return [q for q in queries if subject_id is None or q.get("subject") == subject_id]


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
