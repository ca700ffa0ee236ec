"""A monitor's queries raised, closed and reopened in the site's app (real encrypted site): who
may, what the text needs, which states allow which move, and the pending query until the
server's copy comes down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_crf.errors import PermissionDenied
from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services.data_entry import ItemInput, load_form, save_form
from desktop_crf.services.queries import (
    MAX_ANSWER,
    Query,
    QueryIsConflict,
    QueryNotFound,
    QuerySubjectNotFound,
    QueryTarget,
    QueryTargetIncomplete,
    QueryTextRequired,
    QueryTextTooLong,
    QueryWrongState,
    answer_query,
    close_query,
    is_pending,
    query_ref,
    raise_query,
    reopen_query,
    server_queries,
)
from desktop_crf.services.session import Session
from desktop_crf.services.sync_store import SiteSyncStore
from desktop_crf.store import sync_state
from tests.helpers.sites import login
from tests.sync.sync_support import make_entries, rechain

ALT = {"event": "SE.W0", "form": "F.LAB_VIRO", "item_group": "IG.V", "item": "I.ALT"}


def _server_query(subject: str, query_id: int, **fields) -> dict:
    """A query as the server sends it down."""
    return {
        "id": query_id,
        "site": "NB02",
        "subject": subject,
        "event": "SE.W0",
        "event_repeat": 1,
        "form": "F.LAB_VIRO",
        "item_group": "IG.V",
        "group_repeat": 1,
        "item": "I.ALT",
        "kind": "monitor",
        "status": "open",
        "opened_at": "2026-10-02T08:00:00.000000Z",
        "opened_by": "monitor.li",
        "text": "Please confirm ALT.",
        "values": [],
        "answers": [],
        "history": [],
        **fields,
    }


def _pull(session: Session, *queries: dict, entries: tuple[dict, ...] = ()) -> None:
    records = [{"kind": "entry", "entry": e} for e in entries]
    records += [{"kind": "query", "query": q} for q in queries]
    store = SiteSyncStore(session)
    store.apply_pulled(records, store.pull_cursor() + len(records))


def _pending(session: Session) -> list[tuple[str, int]]:
    """The origins of the pending queries, as the store keeps them."""
    rows = session.db.execute(
        "SELECT origin_device, origin_seq FROM queries WHERE id IS NULL ORDER BY origin_seq"
    )
    return [tuple(r) for r in rows.fetchall()]


def _entries(session: Session, action: str) -> list[tuple]:
    return session.db.execute(
        "SELECT subject, event, event_repeat, form, item_group, group_repeat, item, new, detail, "
        "user, role FROM audit WHERE action = ? ORDER BY seq",
        [action],
    ).fetchall()


def test_only_a_monitor_raises_closes_or_reopens(
    site_dir: Path, nurse: Session, subject: str
) -> None:
    _pull(nurse, _server_query(subject, 7))
    target = QueryTarget(subject, **ALT)
    others = [login(site_dir, "investigator"), login(site_dir, "admin")]
    patient = site.open_patient_session(nurse, subject)
    try:
        for session in (nurse, *others, patient):
            with pytest.raises(PermissionDenied):
                raise_query(session, target, "Please confirm.")
            with pytest.raises(PermissionDenied):
                close_query(session, 7, "Fine.")
            with pytest.raises(PermissionDenied):
                reopen_query(session, 7, "More.")
    finally:
        for session in others:
            session.close()
    actions = ("query.raise", "query.close", "query.reopen")
    assert not any(_entries(nurse, a) for a in actions)
    assert [q.status for q in server_queries(nurse)] == ["open"]


def test_the_text_is_required_and_limited(monitor: Session, subject: str) -> None:
    target = QueryTarget(subject, **ALT)
    _pull(monitor, _server_query(subject, 7))
    for text in ("", "  \n\t"):
        with pytest.raises(QueryTextRequired):
            raise_query(monitor, target, text)
        with pytest.raises(QueryTextRequired):
            close_query(monitor, 7, text)
    with pytest.raises(QueryTextTooLong):
        raise_query(monitor, target, "x" * (MAX_ANSWER + 1))
    with pytest.raises(QueryTextTooLong):
        reopen_query(monitor, 7, "x" * (MAX_ANSWER + 1))
    assert server_queries(monitor) == [Query.from_record(_server_query(subject, 7))]
    raise_query(monitor, target, "  " + "x" * MAX_ANSWER + "  ")
    assert server_queries(monitor)[1].text == "x" * MAX_ANSWER


def test_the_subject_must_exist_and_an_item_names_its_place(monitor: Session, subject) -> None:
    with pytest.raises(QuerySubjectNotFound, match="NB02-9999"):
        raise_query(monitor, QueryTarget("NB02-9999"), "Where is this subject?")
    with pytest.raises(QueryTargetIncomplete, match="item group"):
        raise_query(
            monitor, QueryTarget(subject, event="SE.W0", form="F.LAB_VIRO", item="I.ALT"), "?"
        )
    with pytest.raises(QueryTargetIncomplete, match="event"):
        raise_query(monitor, QueryTarget(subject, form="F.LAB_VIRO"), "?")
    assert _entries(monitor, "query.raise") == []
    assert server_queries(monitor) == []


def test_a_raised_query_is_an_audit_entry_and_a_pending_record(
    monitor: Session, subject: str
) -> None:
    _pull(monitor, _server_query(subject, 12), _server_query(subject, 3))
    changes = raise_query(monitor, QueryTarget(subject, **ALT), " ALT 410 U/L: confirm. ")
    assert (changes.subject_id, changes.event, changes.form, changes.items, changes.kind) == (
        subject,
        "SE.W0",
        "F.LAB_VIRO",
        ("I.ALT",),
        "query",
    )
    raise_query(monitor, QueryTarget(subject), "Consent form date missing.")
    ((*place, new, detail, user, role), _) = _entries(monitor, "query.raise")
    assert place == [subject, "SE.W0", 1, "F.LAB_VIRO", "IG.V", 1, "I.ALT"]
    assert (new, detail, user, role) == ("ALT 410 U/L: confirm.", None, "monitor", "monitor")
    seq, ts = monitor.db.execute(
        "SELECT seq, ts FROM audit WHERE action = 'query.raise' ORDER BY seq LIMIT 1"
    ).fetchone()
    device = monitor.site.device
    queries = server_queries(monitor)
    assert [q.id for q in queries] == [3, 12, None, None]  # pending last, in order raised
    assert [is_pending(q) for q in queries] == [False, False, True, True]
    assert queries[2].to_record() == {
        "id": None,
        "site": "NB02",
        "subject": subject,
        "event": "SE.W0",
        "event_repeat": 1,
        "form": "F.LAB_VIRO",
        "item_group": "IG.V",
        "group_repeat": 1,
        "item": "I.ALT",
        "kind": "monitor",
        "status": "open",
        "opened_at": ts,
        "opened_by": "monitor",
        "text": "ALT 410 U/L: confirm.",
        "values": [],
        "answers": [],
        "history": [],
        "closed_at": None,
        "closed_by": None,
        "close_text": None,
        "origin": {"device": device, "seq": seq},
    }
    assert queries[3].event is queries[3].event_repeat is queries[3].item is None
    assert _pending(monitor) == [(device, seq), (device, seq + 1)]
    assert [q.id for q in server_queries(monitor, "NB02-9999")] == []


def test_a_pending_query_is_answered_closed_and_reopened_where_it_was_raised(
    site_dir: Path, monitor: Session, subject: str
) -> None:
    """The demo site never syncs: a query raised there must run its whole life there."""
    raise_query(monitor, QueryTarget(subject, **ALT), "Please confirm.")
    (pending,) = server_queries(monitor)
    ref = query_ref(pending)
    assert ref == pending.origin
    nurse = login(site_dir, "nurse")
    try:
        answer_query(nurse, ref, "Confirmed against the lab report.")
    finally:
        nurse.close()
    (answered,) = server_queries(monitor)
    assert (answered.status, answered.id) == ("answered", None)
    assert [a.text for a in answered.answers] == ["Confirmed against the lab report."]
    close_query(monitor, ref, "Thank you.")
    reopen_query(monitor, ref, "Which report date?")
    (reopened,) = server_queries(monitor)
    assert reopened.status == "open"
    assert [h.status for h in reopened.history] == ["closed", "open"]
    origin = {"query_origin": {"device": pending.origin.device, "seq": pending.origin.seq}}
    for action in ("query.answer", "query.close", "query.reopen"):
        ((*_, detail, _, _),) = _entries(monitor, action)
        assert json.loads(detail) == origin  # the step names the query by its raise entry
    with pytest.raises(QueryWrongState):
        reopen_query(monitor, ref, "Again.")  # the same state rules as a synced query
    assert _pending(monitor) == [(pending.origin.device, pending.origin.seq)]


def test_close_and_reopen_follow_the_servers_state_rules(monitor: Session, subject: str) -> None:
    _pull(monitor, _server_query(subject, 7))
    with pytest.raises(QueryWrongState, match="only an answered or closed query can be reopened"):
        reopen_query(monitor, 7, "More.")
    with pytest.raises(QueryNotFound):
        close_query(monitor, 8, "Fine.")
    changes = close_query(monitor, 7, " Resolved at the visit. ")
    assert (changes.subject_id, changes.items, changes.kind) == (subject, ("I.ALT",), "query")
    (closed,) = server_queries(monitor)
    ((*place, new, detail, user, _),) = _entries(monitor, "query.close")
    assert place == [subject, "SE.W0", 1, "F.LAB_VIRO", "IG.V", 1, "I.ALT"]
    assert (new, json.loads(detail), user) == ("Resolved at the visit.", {"query_id": 7}, "monitor")
    seq, ts = monitor.db.execute(
        "SELECT seq, ts FROM audit WHERE action = 'query.close'"
    ).fetchone()
    step = {"status": "closed", "by": "monitor", "at": ts, "text": "Resolved at the visit."}
    step.update(device=monitor.site.device, seq=seq)
    assert closed.to_record() == _server_query(
        subject,
        7,
        status="closed",
        closed_at=ts,
        closed_by="monitor",
        close_text="Resolved at the visit.",
        history=[step],
    )
    with pytest.raises(QueryWrongState, match="is closed: only an open or answered"):
        close_query(monitor, 7, "Again.")
    reopen_query(monitor, 7, "Also the report date, please.")
    (reopened,) = server_queries(monitor)
    assert (reopened.status, reopened.closed_at, reopened.closed_by) == ("open", None, None)
    assert reopened.close_text is None
    assert [(h.status, h.text) for h in reopened.history] == [
        ("closed", "Resolved at the visit."),
        ("open", "Also the report date, please."),
    ]
    _pull(monitor, _server_query(subject, 8, status="answered"))
    reopen_query(monitor, 8, "The answer does not say which report.")
    assert server_queries(monitor)[1].status == "open"


def test_a_conflicts_query_is_closed_by_resolving_the_value(monitor: Session, subject) -> None:
    conflict = _server_query(subject, 9, kind="conflict", opened_by="server")
    _pull(monitor, conflict)
    for move in (close_query, reopen_query):
        with pytest.raises(QueryIsConflict, match="saves the right value"):
            move(monitor, 9, "Decided.")
    assert _entries(monitor, "query.close") == []


def test_the_servers_copy_takes_the_place_of_the_pending_query(
    monitor: Session, subject: str
) -> None:
    raise_query(monitor, QueryTarget(subject, **ALT), "Please confirm.")
    (pending,) = server_queries(monitor)
    elsewhere = {**pending.to_record(), "id": 41, "origin": {"device": "NB02-TABLET", "seq": 1}}
    _pull(monitor, elsewhere)  # raised on another device: this one's stays pending
    assert [q.id for q in server_queries(monitor)] == [41, None]
    mine = {**pending.to_record(), "id": 42}
    _pull(monitor, mine)
    # no duplicate of the pending one
    assert server_queries(monitor) == [Query.from_record(elsewhere), Query.from_record(mine)]
    assert _pending(monitor) == []
    close_query(monitor, 42, "Fine.")  # with its id, the monitor can move it
    assert server_queries(monitor)[1].status == "closed"


def test_the_servers_copy_keeps_what_was_done_to_the_pending_query(
    monitor: Session, subject: str
) -> None:
    raise_query(monitor, QueryTarget(subject, **ALT), "Please confirm.")
    (pending,) = server_queries(monitor)
    close_query(monitor, query_ref(pending), "Resolved at the visit.")
    # the server has the raise and not yet the close (sent with a later change set)
    _pull(monitor, {**pending.to_record(), "id": 42})
    (held,) = server_queries(monitor)
    assert (held.id, held.status, held.close_text) == (42, "closed", "Resolved at the visit.")
    assert _pending(monitor) == []
    assert [h.status for h in held.history] == ["closed"]


def test_a_local_move_survives_an_older_copy_until_its_entry_is_acknowledged(
    monitor: Session, subject: str
) -> None:
    _pull(monitor, _server_query(subject, 7, status="answered"))
    close_query(monitor, 7, "Thank you.")
    _pull(monitor, _server_query(subject, 7, status="answered", text="edited on the server"))
    held = server_queries(monitor)[0]
    assert (held.status, held.close_text, held.text) == (
        "closed",
        "Thank you.",
        "edited on the server",
    )
    seq = monitor.db.execute("SELECT seq FROM audit WHERE action = 'query.close'").fetchone()[0]
    assert held.history[0].seq == seq
    with monitor.write():
        sync_state.set_acknowledged_seq(monitor.db, seq)
    # acknowledged: a copy without the step means the server did not take it (closed there
    # first, say); the device follows the server
    closed_there = _server_query(subject, 7, status="closed", close_text="closed on the server")
    _pull(monitor, closed_there)
    assert server_queries(monitor) == [Query.from_record(closed_there)]


def test_pulled_query_entries_of_another_device_change_no_value(
    monitor: Session, nurse: Session, subject: str
) -> None:
    key = FormKey(subject, "SE.W0", "F.LAB_LIVER")
    save_form(nurse, key, [ItemInput("IG.LIVER", "I.ALT", "410", "U/L")])
    place = {"subject": subject, "event": "SE.W0", "event_repeat": 1, "form": "F.LAB_LIVER"}
    place.update(item_group="IG.LIVER", group_repeat=1, item="I.ALT", role="monitor", base_rev=None)
    entries = make_entries("NB02-TABLET", 3, **place, new="text")
    for entry, action in zip(entries, ("query.raise", "query.close", "query.reopen"), strict=True):
        entry["action"] = action
        if action != "query.raise":
            entry["detail"] = json.dumps({"query_id": 7})  # a step names its query
    entries = tuple(rechain(entries))
    _pull(monitor, entries=entries)
    stored = monitor.db.execute(
        "SELECT action FROM audit WHERE device = 'NB02-TABLET' ORDER BY seq"
    ).fetchall()
    assert [r[0] for r in stored] == ["query.raise", "query.close", "query.reopen"]
    value = load_form(monitor, key).values[("IG.LIVER", 1, "I.ALT")]
    assert (value.value, value.unit, value.rev) == ("410", "U/L", 1)
    assert server_queries(monitor) == []  # the queries themselves come down whole
