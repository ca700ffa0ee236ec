"""The shared entry schema: what it refuses (the poison entries that froze other devices'
pulls, entries whose types a device would change), and what the server refuses with it."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.changeset import ChangeSetError, build_changesets, parse_changeset, parse_envelope
from sync.client import ChangeSetRefused, SyncClient
from sync.entries import ENTRY_FIELDS, PATH_FIELDS
from sync.entry_schema import (
    ENTRY_ACTIONS,
    _model_problem,
    check_place,
    entry_problem,
    is_timestamp,
    plain_item_set,
)
from tests.sync.sync_support import FAST, enrol_device, make_entry, new_key, rechain

#: Valid entries of the kinds that carry a payload, one per action family.
VALID: dict[str, dict] = {
    "item.set": {},
    "subject.create": {
        "action": "subject.create",
        "event": None,
        "event_repeat": None,
        "form": None,
        "item_group": None,
        "group_repeat": None,
        "item": None,
        "new": json.dumps({"study_id": "NCT07553767", "status": "screening"}),
    },
    "form.status": {
        "action": "form.status",
        "item_group": None,
        "group_repeat": None,
        "item": None,
        "new": "complete",
        "old": "draft",
    },
    "query.answer": {"action": "query.answer", "detail": json.dumps({"query_id": 4})},
    "session.login": {
        "action": "session.login",
        **dict.fromkeys(("subject", "event", "event_repeat", "form", "item_group"), None),
        **dict.fromkeys(("group_repeat", "item", "new"), None),
    },
}

#: Finding 1 of issue 11: each of these was stored by the server with 201, and then broke the
#: pull of every other device of the site (NOT NULL constraints) or changed type on it.
POISON: dict[str, dict] = {
    "user null": {"user": None},
    "ts null": {"ts": None},
    "role null": {"role": None},
    "event_repeat not a number": {"event_repeat": "abc"},
    "item.set without subject": {"subject": None},
    "item.set without event": {"event": None},
    "item.set without item group": {"item_group": None},
    "subject.create with a list": {**VALID["subject.create"], "new": "[1]"},
    "integer ts": {"ts": 1767225600},
    "integer subject": {"subject": 7},
    "event_repeat as text": {"event_repeat": "2"},
    "ts that is no time": {"ts": "yesterday"},
    "ts not in UTC": {"ts": "2026-01-01T08:00:00+08:00"},
    "ts that is no date": {"ts": "2026-02-30T00:00:00Z"},
    "negative group repeat": {"group_repeat": -5},
    "huge event repeat": {"event_repeat": 2**40},
    "unknown role": {"role": "sponsor"},
    "unknown action": {"action": "item.delete"},
    "negative base revision": {"base_rev": -1},
    "item.set without base revision": {"base_rev": None},
    "form.status to something else": {**VALID["form.status"], "new": "signed"},
    "answer naming no query": {**VALID["query.answer"], "detail": "{}"},
    "login with a place": {**VALID["session.login"], "subject": "S-001"},
}


def _entry(**fields) -> dict:
    return make_entry("nurse-pc", 1, "0" * 64, **fields)


@pytest.mark.parametrize("fields", VALID.values(), ids=list(VALID))
def test_the_entries_a_site_writes_fit(fields) -> None:
    assert entry_problem(_entry(**fields)) is None


@pytest.mark.parametrize("fields", POISON.values(), ids=list(POISON))
def test_poison_entries_do_not_fit(fields) -> None:
    assert entry_problem(_entry(**fields)) is not None


@pytest.mark.parametrize("fields", POISON.values(), ids=list(POISON))
def test_a_set_with_a_poison_entry_is_refused_naming_the_entry(fields) -> None:
    entries = rechain([make_entry("nurse-pc", 1, "0" * 64), _entry(**fields) | {"seq": 2}])
    (signed,) = build_changesets(
        entries, study="S", site="101", private_key=new_key(), created_at="2026-01-01T00:00:00Z"
    )
    obj, _ = parse_envelope(signed.envelope())
    with pytest.raises(ChangeSetError) as refused:
        parse_changeset(obj)
    assert refused.value.code == "schema"
    assert "entry 1 (#2)" in refused.value.message


def _place_problem_by_definition(place: dict) -> str | None:
    """The place rule as the schema states it: each field needs the one above it, then each
    repeated level its repeat (the first broken rule in that order)."""
    parents = {
        "event": "subject",
        "event_repeat": "event",
        "form": "event",
        "item_group": "form",
        "group_repeat": "item_group",
        "item": "item_group",
    }
    for name, parent in parents.items():
        if place.get(name) is not None and place.get(parent) is None:
            return f"{name} needs {parent}"
    for name, repeat in (("event", "event_repeat"), ("item_group", "group_repeat")):
        if place.get(name) is not None and place.get(repeat) is None:
            return f"{name} needs {repeat}"
    return None


def test_the_place_check_answers_as_its_definition_for_every_pattern_of_nulls() -> None:
    for mask in range(2 ** len(PATH_FIELDS)):
        place = {name: (None if mask >> bit & 1 else "x") for bit, name in enumerate(PATH_FIELDS)}
        assert check_place(place) == _place_problem_by_definition(place), place


def test_every_action_the_app_writes_has_a_model() -> None:
    assert {
        "item.set",
        "conflict.resolve",
        "form.status",
        "form.sign",
        "subject.create",
        "subject.update",
        "query.raise",
        "query.answer",
        "query.close",
        "query.reopen",
        "ae.suggestion.decline",
        "user.add",
        "session.login",
        "audit.export",
        "sync.enrol",
    } <= ENTRY_ACTIONS


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2026-11-22T09:14:03.120031Z", True),
        ("2026-11-22T09:14:03Z", True),
        ("2026-11-22 09:14:03Z", False),
        ("2026-11-22T09:14:03", False),
        ("2026-13-01T00:00:00Z", False),
        ("yesterday", False),
        (20261122, False),
    ],
)
def test_entry_times_are_rfc3339_utc_that_parse(text, ok) -> None:
    assert is_timestamp(text) is ok


def _strptime_rule(value: str) -> bool:
    """The rule as first written: the pattern, then ``strptime`` over its first 19
    characters (what every device and server so far accepted)."""
    if re.fullmatch(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,9})?Z", value) is None:
        return False
    try:
        datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return False
    return True


_digits = st.sampled_from("0123456789٣۹０")  # ASCII, Arabic-Indic, fullwidth


def _field(width: int) -> st.SearchStrategy[str]:
    return st.lists(_digits, min_size=width, max_size=width).map("".join)


_near_times = st.builds(
    lambda y, mo, d, h, mi, sec, frac: f"{y}-{mo}-{d}T{h}:{mi}:{sec}{frac}Z",
    _field(4),
    st.one_of(_field(2), st.integers(0, 13).map("{:02d}".format)),
    st.one_of(_field(2), st.integers(0, 32).map("{:02d}".format)),
    st.one_of(_field(2), st.integers(0, 25).map("{:02d}".format)),
    st.one_of(_field(2), st.integers(0, 61).map("{:02d}".format)),
    st.one_of(_field(2), st.integers(0, 62).map("{:02d}".format)),
    st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=10).map(".{}".format)),
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_near_times, st.text(max_size=30)))
def test_entry_times_are_judged_as_strptime_judged_them(text: str) -> None:
    assert is_timestamp(text) is _strptime_rule(text)


@pytest.mark.parametrize("name", ["user null", "event_repeat as text", "ts that is no time"])
def test_the_server_refuses_a_poison_set_and_stores_nothing(http, database, name) -> None:
    identity, store = enrol_device(http, database, "nurse-pc")
    store.add(2)
    store.entries[1].update(POISON[name])
    store.entries[:] = rechain(store.entries)
    with (
        SyncClient("http://unused", identity, http=http, retry=FAST) as client,
        pytest.raises(ChangeSetRefused) as refused,
    ):
        client.sync_round(store)
    assert (refused.value.code, refused.value.status) == ("schema", 422)
    assert store.ack == 0
    audit = http.get(
        "/v1/sites/101/audit",
        headers={"Authorization": "Bearer admin-secret", "X-CRF-Protocol": "2"},
    )
    assert audit.text == ""


class _Text(str):
    """A text of a subclass of ``str`` (the models take it; the written-out check sends it to
    them)."""


#: Values near every edge the ``item.set`` model draws: types, lengths, ranges, patterns.
_EDGES: list = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2,
    10_000,
    10_001,
    2**53 - 1,
    2**53,
    2**70,
    1.0,
    float("nan"),
    [1],
    {"a": 1},
    "",
    "x",
    "x" * 200,
    "x" * 201,
    "y" * 65_536,
    "y" * 65_537,
    "\ud800",
    "caf\u00e9",
    "a\n",
    "nurse",
    "monitor",
    "patient",
    "admin ",
    "item.set",
    "conflict.resolve",
    "form.status",
    "0" * 64,
    "0" * 64 + "\n",
    "A" * 64,
    "f" * 63,
    "2026-01-01T10:00:00Z",
    "2026-02-30T10:00:00Z",
    "2026-01-01T10:00:00.5Z",
    "2026-01-01T10:00:00+00:00",
    "nurse-pc",
    "-pc",
    "pc:1.a_b",
    _Text("x"),
    _Text("nurse"),
    _Text("item.set"),
    _Text("0" * 64),
]
_WIRE_KEYS = sorted((*ENTRY_FIELDS, "hash"))


def _judged_alike(entry: dict) -> None:
    """The written-out check takes only what the model takes, and ``entry_problem`` answers
    as the model does."""
    if plain_item_set(entry):
        assert _model_problem(entry) is None, entry
    assert entry_problem(entry) == _model_problem(entry)


@pytest.mark.parametrize("name", [*_WIRE_KEYS, "extra"])
def test_the_written_out_item_set_check_takes_no_value_the_model_refuses(name: str) -> None:
    base = make_entry("nurse-pc", 3, "0" * 64, old="1.0", unit="g/L", reason="typo")
    for value in _EDGES:
        _judged_alike({**base, name: value})
    _judged_alike({k: v for k, v in base.items() if k != name})


@settings(max_examples=1000, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(_WIRE_KEYS),
        st.one_of(st.sampled_from(_EDGES), st.text(max_size=8), st.integers()),
        max_size=3,
    )
)
def test_the_written_out_item_set_check_agrees_with_the_model(changed: dict) -> None:
    _judged_alike({**make_entry("nurse-pc", 3, "0" * 64), **changed})


def test_an_ordinary_item_set_is_taken_by_the_written_out_check() -> None:
    entry = make_entry("nurse-pc", 3, "0" * 64, old="1.0", unit="g/L", reason="typo")
    assert plain_item_set(entry)
    assert _model_problem(entry) is None
    assert not plain_item_set({**entry, "action": "conflict.resolve"})
