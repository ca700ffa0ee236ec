"""The query life cycle (``sync.queries``): every state and kind against every step, the records
entries make, the steps, and what a device keeps of its own changes."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from sync.queries import (
    ANSWER,
    CLOSE,
    REOPEN,
    STEPS,
    ConflictValue,
    Origin,
    Query,
    Refusal,
    answer_of,
    conflict_opened,
    detail_of,
    may_answer,
    may_move,
    may_resolve,
    moved,
    named_query_id,
    raised,
    refusal,
    resolved,
    server_step,
    step_of,
    value_of,
    with_answer,
    with_local_changes,
    with_step,
    with_value,
)

PLACE = {
    "subject": "NB02-0007",
    "event": "SE.W0",
    "event_repeat": 1,
    "form": "F.LAB_VIRO",
    "item_group": "IG.V",
    "group_repeat": 1,
    "item": "I.ALT",
}
OK, CONFLICT, STATE = None, Refusal.CONFLICT, Refusal.STATE

#: (kind, status, pending) -> what the site may do: answer, close, reopen.
TABLE = [
    ("monitor", "open", False, {ANSWER: OK, CLOSE: OK, REOPEN: STATE}),
    ("monitor", "answered", False, {ANSWER: OK, CLOSE: OK, REOPEN: OK}),
    ("monitor", "closed", False, {ANSWER: STATE, CLOSE: STATE, REOPEN: OK}),
    # raised at a site and not on the server yet: the same steps (named by its origin)
    ("monitor", "open", True, {ANSWER: OK, CLOSE: OK, REOPEN: STATE}),
    ("monitor", "answered", True, {ANSWER: OK, CLOSE: OK, REOPEN: OK}),
    ("monitor", "closed", True, {ANSWER: STATE, CLOSE: STATE, REOPEN: OK}),
    ("conflict", "open", False, {ANSWER: CONFLICT, CLOSE: CONFLICT, REOPEN: CONFLICT}),
    ("conflict", "answered", False, {ANSWER: CONFLICT, CLOSE: CONFLICT, REOPEN: CONFLICT}),
    ("conflict", "closed", False, {ANSWER: CONFLICT, CLOSE: CONFLICT, REOPEN: CONFLICT}),
]


def _query(kind: str = "monitor", status: str = "open", *, pending: bool = False) -> Query:
    origin = Origin(device="NB02-PC", seq=5) if pending else None
    return Query.model_validate(
        {
            "id": None if pending else 4,
            "site": "NB02",
            **PLACE,
            "kind": kind,
            "status": status,
            "origin": origin,
        }
    )


def _entry(action: str, seq: int, new: str | None = "text", **fields: Any) -> dict[str, Any]:
    entry = {"device": "NB02-PC", "seq": seq, "ts": f"2026-10-02T08:00:{seq:02d}.000000Z"}
    entry.update(user="monitor", role="monitor", action=action, new=new, **PLACE)
    entry.update(detail=detail_of(4), **fields)
    return entry


@pytest.mark.parametrize(("kind", "status", "pending", "expected"), TABLE)
def test_every_state_against_every_step(kind, status, pending, expected) -> None:
    query = _query(kind, status, pending=pending)
    assert {action: refusal(query, action) for action in STEPS} == expected
    assert may_answer(query) is (expected[ANSWER] is None)
    assert may_move(query, CLOSE) is (expected[CLOSE] is None)
    assert may_move(query, REOPEN) is (expected[REOPEN] is None)
    assert may_resolve(query) is (kind == "conflict" and status == "open")


def test_raise_is_not_a_step_and_answer_is_not_a_move() -> None:
    with pytest.raises(ValueError, match="not a step"):
        refusal(_query(), "query.raise")
    with pytest.raises(ValueError, match="not a move"):
        may_move(_query(), ANSWER)


@pytest.mark.parametrize(
    ("kind", "status", "after"),
    [
        ("monitor", "open", "answered"),
        ("monitor", "answered", "answered"),
        ("monitor", "closed", "closed"),  # kept on it; the monitor may reopen
        ("conflict", "open", "open"),  # kept; a conflict is settled by a value
    ],
)
def test_an_answer_is_kept_and_moves_only_an_open_monitors_query(kind, status, after) -> None:
    query = _query(kind, status)
    answer = answer_of(_entry(ANSWER, 9, "Confirmed."))
    answered = with_answer(query, answer)
    assert answered.status == after
    assert answered.answers == (answer,)
    assert with_answer(answered, answer) == answered  # once per entry
    assert query.answers == ()  # queries are values: the step made a new one


def test_the_records_an_entry_makes() -> None:
    answer = answer_of(_entry(ANSWER, 9, "Confirmed."))
    assert answer.model_dump() == {
        "text": "Confirmed.",
        "by": "monitor",
        "role": "monitor",
        "at": "2026-10-02T08:00:09.000000Z",
        "device": "NB02-PC",
        "seq": 9,
    }
    step = step_of(_entry(CLOSE, 10, "Fine."))
    assert step.model_dump() == {
        "status": "closed",
        "by": "monitor",
        "at": "2026-10-02T08:00:10.000000Z",
        "text": "Fine.",
        "device": "NB02-PC",
        "seq": 10,
    }
    # a step made on the server names no entry, and its record has no device or seq
    on_server = server_step(REOPEN, by="monitor.li", at="t", text="More.")
    assert on_server.model_dump() == {
        "status": "open",
        "by": "monitor.li",
        "at": "t",
        "text": "More.",
    }
    pending = raised(_entry("query.raise", 3, "Please confirm."), site="NB02")
    assert pending.is_pending
    assert (pending.status, pending.kind, pending.text) == ("open", "monitor", "Please confirm.")
    assert pending.origin == Origin(device="NB02-PC", seq=3)
    assert pending.place == PLACE
    assert (pending.opened_by, pending.opened_at) == ("monitor", "2026-10-02T08:00:03.000000Z")


def test_close_and_reopen_set_and_clear_the_closing_fields() -> None:
    closed = moved(_query(status="answered"), step_of(_entry(CLOSE, 10, "Fine.")))
    assert (closed.status, closed.closed_by, closed.close_text) == ("closed", "monitor", "Fine.")
    assert closed.closed_at == "2026-10-02T08:00:10.000000Z"
    reopened = moved(closed, server_step(REOPEN, by="monitor.li", at="t", text="More."))
    assert (reopened.status, reopened.closed_at, reopened.closed_by, reopened.close_text) == (
        "open",
        None,
        None,
        None,
    )
    assert [h.status for h in reopened.history] == ["closed", "open"]


def test_with_step_refuses_what_the_rules_refuse() -> None:
    close = step_of(_entry(CLOSE, 10, "Fine."))
    assert with_step(_query(status="closed"), close) is None
    assert with_step(_query("conflict"), close) is None
    assert with_step(_query(), step_of(_entry(CLOSE, 10, ""))) is None  # no text
    closed = with_step(_query(), close)
    assert closed is not None
    assert closed.status == "closed"
    reopened = with_step(closed, step_of(_entry(REOPEN, 11, "More.")))
    assert reopened is not None
    assert with_step(reopened, close) is None  # the same entry twice


def test_a_query_record_round_trips_and_older_records_still_read() -> None:
    record = {
        "id": 4,
        "site": "NB02",
        **PLACE,
        "kind": "monitor",
        "status": "answered",
        "opened_at": "t0",
        "opened_by": "monitor.li",
        "text": "ALT?",
        "values": [],
        "answers": [answer_of(_entry(ANSWER, 9)).model_dump()],
        "history": [{"status": "closed", "by": "m", "at": "t1", "text": "ok"}],
        "closed_at": None,
        "closed_by": None,
        "close_text": None,
        "origin": {"device": "NB02-PC", "seq": 3},
    }
    assert Query.from_record(record).to_record() == record
    old = {"id": 9, "site": "NB02", "kind": "conflict", "status": "open", "subject": "S"}
    query = Query.from_record(old)
    assert (query.answers, query.history, query.closed_at) == ((), (), None)
    assert "origin" not in query.to_record()
    assert "resolution" not in query.to_record()
    for bad in ({"id": 1, "status": "lost"}, {"id": 1, "kind": "other"}, {"id": "x"}):
        with pytest.raises(ValidationError):
            Query.from_record(bad)


def test_a_conflicts_query_keeps_its_values_as_recorded_and_closes_by_resolution() -> None:
    entry = _entry("item.set", 7, "44", unit="U/L", base_rev=1, reason="lab report")
    query = conflict_opened(
        query_id=9, site="NB02", entry=entry, current=ConflictValue(), opened_at="t"
    )
    assert (query.kind, query.status, query.opened_by) == ("conflict", "open", "server")
    empty, value = query.to_record()["values"]
    assert empty == {}  # the item held nothing
    assert value == {
        "value": "44",
        "unit": "U/L",
        "device": "NB02-PC",
        "seq": 7,
        "user": "monitor",
        "ts": "2026-10-02T08:00:07.000000Z",
        "base_rev": 1,
        "reason": "lab report",
    }
    assert query.values[0].is_empty
    assert not query.values[1].is_empty
    later = with_value(query, value_of(_entry("item.set", 8, "45")))
    assert [v.value for v in later.values] == [None, "44", "45"]
    resolution = value_of(_entry("conflict.resolve", 9, "45")).model_copy(update={"rev": 3})
    done = resolved(later, resolution, at="t2")
    assert (done.status, done.closed_at, done.to_record()["resolution"]["rev"]) == (
        "closed",
        "t2",
        3,
    )
    assert Query.from_record(done.to_record()) == done


def test_the_query_an_entry_names() -> None:
    assert named_query_id({"detail": detail_of(12)}) == 12
    for detail in (None, "", "not json", "[]", '{"query_id": true}', '{"query_id": "3"}'):
        assert named_query_id({"detail": detail}) is None
    for query_id in (0, -1, 2**62):
        assert named_query_id({"detail": detail_of(query_id)}) is None


def test_a_device_keeps_its_changes_the_servers_copy_does_not_show_yet() -> None:
    held = _query()
    held = with_answer(held, answer_of(_entry(ANSWER, 20, "Mine, not sent yet.")))
    held = moved(held, step_of(_entry(CLOSE, 21, "Closing here.")))
    server_copy = _query().model_copy(update={"text": "edited on the server"})
    kept = with_local_changes(server_copy, held, device="NB02-PC", acked_seq=19)
    assert (kept.status, kept.text, kept.close_text) == (
        "closed",
        "edited on the server",
        "Closing here.",
    )
    assert [a.seq for a in kept.answers] == [20]
    # once its entry is acknowledged, a move the server's copy lacks is the server's decision
    acked = with_local_changes(server_copy, held, device="NB02-PC", acked_seq=21)
    assert (acked.status, acked.history) == ("answered", ())
    assert [a.seq for a in acked.answers] == [20]  # an answer is kept until the copy lists it
    # another device's steps are never kept from a local copy
    assert with_local_changes(server_copy, held, device="NB02-TABLET", acked_seq=0).history == ()
    assert with_local_changes(server_copy, None, device="NB02-PC", acked_seq=0) == server_copy


def test_a_kept_move_is_applied_by_the_rules() -> None:
    held = moved(_query(status="answered"), step_of(_entry(REOPEN, 21, "More.")))
    closed_there = _query(status="closed")
    # reopening a closed query is allowed: kept
    assert with_local_changes(closed_there, held, device="NB02-PC", acked_seq=0).status == "open"
    # the server's copy is a conflict now (cannot happen, but the rules decide): not applied
    conflict = _query("conflict")
    assert with_local_changes(conflict, held, device="NB02-PC", acked_seq=0) == conflict
