"""The role × action table at the sync boundary: the server refuses a set whose entry breaks it
(422 ``forbidden_entry`` naming the entry's seq and the rule) and stores nothing of it."""

from __future__ import annotations

import json

import pytest

from sync.changeset import build_changesets
from sync.client import ChangeSetRefused, SyncClient
from sync.entry_schema import ENTRY_ACTIONS
from sync.rules import ACTION_PERMISSIONS, PATIENT_FORM, ROLE_PERMISSIONS, entry_refusal
from tests.sync.sync_support import ADMIN, FAST, enrol_device, make_entry

_SIGNATURE = json.dumps(
    {"signer": "nurse1", "signer_name": "W", "meaning": "ok", "signed_at": "t",
     "content_hash": "a" * 64}
)  # fmt: skip
_FORM = {"item_group": None, "group_repeat": None, "item": None}
_IMPORTED = json.dumps({"imported": {"file_oid": "ODM.1", "source": "SubjectData S-001"}})

#: Finding 2 of issue 11 (what the role alone decides) and the table's other edges.
FORBIDDEN = {
    "a monitor's lab value": {"role": "monitor", "user": "monitor.li"},
    "a nurse's signature": {"action": "form.sign", "detail": _SIGNATURE, "base_rev": None,
                            "new": None, **_FORM},
    "a patient's lab value": {"role": "patient", "user": "patient:S-001"},
    "a patient's questionnaire of another subject": {
        "role": "patient", "user": "patient:S-002", "form": PATIENT_FORM},
    "an admin's lab value": {"role": "admin", "user": "admin"},
    "a monitor's lab value said to be imported": {"role": "monitor", "user": "monitor.li",
                                                  "detail": _IMPORTED},
    "an admin's query said to be imported": {"action": "query.close", "role": "admin",
                                             "user": "admin", "base_rev": None,
                                             "detail": json.dumps({"query_id": 3,
                                                                   **json.loads(_IMPORTED)})},
    "a nurse closing a query": {"action": "query.close", "base_rev": None,
                                "detail": json.dumps({"query_id": 3})},
    "a monitor's answer": {"action": "query.answer", "role": "monitor", "base_rev": None,
                           "detail": json.dumps({"query_id": 3})},
    "a nurse adding a user": {"action": "user.add", "base_rev": None, "new": None,
                              "detail": json.dumps({"name": "x", "role": "investigator"}),
                              **dict.fromkeys(("subject", "event", "event_repeat", "form"),
                                              None), **_FORM},
}  # fmt: skip
ALLOWED = {
    "a nurse's lab value": {},
    "an investigator's lab value": {"role": "investigator", "user": "fu"},
    "an admin's lab value imported from a Snapshot": {"role": "admin", "user": "admin",
                                                      "detail": _IMPORTED},
    "an admin's imported signature": {"action": "form.sign", "role": "admin", "user": "admin",
                                      "base_rev": None, "new": None, **_FORM,
                                      "detail": json.dumps({**json.loads(_SIGNATURE),
                                                            **json.loads(_IMPORTED)})},
    "a patient's own questionnaire": {
        "role": "patient", "user": "patient:S-001", "form": PATIENT_FORM},
    "a monitor closing a query": {"action": "query.close", "role": "monitor", "base_rev": None,
                                  "detail": json.dumps({"query_id": 3})},
    "an investigator's signature": {"action": "form.sign", "role": "investigator",
                                    "detail": _SIGNATURE, "base_rev": None, "new": None,
                                    **_FORM},
}  # fmt: skip


@pytest.mark.parametrize("fields", FORBIDDEN.values(), ids=list(FORBIDDEN))
def test_what_a_role_may_not_do_is_named(fields) -> None:
    entry = make_entry("pc", 1, "0" * 64, **fields)
    assert entry_refusal(entry) is not None


@pytest.mark.parametrize("fields", ALLOWED.values(), ids=list(ALLOWED))
def test_what_a_role_may_do_passes(fields) -> None:
    assert entry_refusal(make_entry("pc", 1, "0" * 64, **fields)) is None


def test_every_action_of_the_schema_has_a_rule_and_every_role_a_row() -> None:
    assert set(ACTION_PERMISSIONS) == set(ENTRY_ACTIONS)
    assert set(ROLE_PERMISSIONS) == {"admin", "nurse", "investigator", "monitor", "patient"}


@pytest.mark.parametrize(
    "name", ["a monitor's lab value", "a nurse's signature", "a patient's lab value"]
)
def test_the_server_refuses_the_whole_set_naming_seq_and_rule(http, database, name) -> None:
    identity, store = enrol_device(http, database, "nurse-pc")
    store.add(1)
    store.add(1, **FORBIDDEN[name])
    store.add(1)
    with (
        SyncClient("http://unused", identity, http=http, retry=FAST) as client,
        pytest.raises(ChangeSetRefused) as refused,
    ):
        client.sync_round(store)
    assert (refused.value.code, refused.value.status) == ("forbidden_entry", 422)
    assert "entry nurse-pc#2" in str(refused.value)
    assert store.quarantined[0][1] == "forbidden_entry"
    assert store.ack == 0
    assert http.get("/v1/sites/101/audit", headers=ADMIN).text == ""
    (signed, *_) = build_changesets(
        store.entries,
        study=identity.study,
        site=identity.site,
        private_key=identity.private_key,
        created_at="2026-01-01T00:00:00Z",
    )
    answer = http.put(f"/v1/changesets/{signed.id}", content=signed.envelope())
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "forbidden_entry"
    assert error["details"]["seq"] == 2
    assert error["details"]["rule"] == entry_refusal(store.entries[1])
