"""Property: whatever entry the server accepts (the shared entry schema), a device stores exactly
as it came (same values, same types) and that device's chain still verifies."""

from __future__ import annotations

import itertools
import json

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from desktop_crf.store.audit import COLUMNS, verify_chain
from desktop_crf.store.database import transaction
from desktop_crf.store.pulled import apply_pulled
from sync.entries import GENESIS_HASH, entry_hash
from sync.entry_schema import entry_problem
from tests.sync.sync_support import make_entry

_PLACE = ("subject", "event", "event_repeat", "form", "item_group", "group_repeat", "item")
#: One entry of each action family the site writes, to mutate.
TEMPLATES: list[dict] = [
    {},  # item.set
    {"action": "conflict.resolve", "reason": "lab report", "old": "4"},
    {"action": "form.status", "item_group": None, "group_repeat": None, "item": None,
     "new": "draft"},
    {"action": "subject.create", **dict.fromkeys(_PLACE[1:]),
     "new": json.dumps({"status": "screening", "study_id": "NCT07553767",
                        "study_version": "1.0"})},
    {"action": "subject.update", **dict.fromkeys(_PLACE[1:]),
     "old": json.dumps({"status": "screening"}), "new": json.dumps({"status": "enrolled"})},
    {"action": "query.answer", "detail": json.dumps({"query_id": 3}), "new": "confirmed"},
    {"action": "session.login", **dict.fromkeys((*_PLACE, "new"))},
    {"action": "form.sign", "item_group": None, "group_repeat": None, "item": None,
     "new": None, "detail": json.dumps({"signer": "inv", "signer_name": "Dr Fu",
                                        "meaning": "I approve", "signed_at": "t",
                                        "content_hash": "a" * 64})},
]  # fmt: skip

_MUTABLE = (
    "ts", "user", "role", *_PLACE, "old", "new", "unit", "reason", "base_rev", "detail",
)  # fmt: skip
_values = st.one_of(
    st.none(),
    st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),
    st.sampled_from([0, 1, 2, 10_000, 10_001]),
    st.text(max_size=12),
    st.sampled_from(["2", "1.50", "", " ", "NaN", "null", "[1]", "{}", "\x00", "中文", "é"]),
    st.sampled_from(["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.5Z", "yesterday"]),
)
_devices = itertools.count()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    template=st.sampled_from(TEMPLATES),
    changes=st.dictionaries(st.sampled_from(_MUTABLE), _values, max_size=4),
)
def test_what_the_schema_accepts_a_device_stores_exactly(nurse, template, changes) -> None:
    device = f"other-{next(_devices)}"
    entry = make_entry(device, 1, GENESIS_HASH, **{**template, **changes})
    try:
        entry["hash"] = entry_hash(entry)
    except ValueError:
        return  # no canonical form (a lone surrogate): refused before any schema check
    if entry_problem(entry) is not None:
        return
    event("accepted")
    record = {"kind": "entry", "pos": 1, "entry": entry, "outcome": "applied", "rev": 1}
    with transaction(nurse.db):
        apply_pulled(nurse.db, [record], 1, device=nurse.site.device)
    row = nurse.db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM audit WHERE device = ?", [device]
    ).fetchone()
    stored = dict(zip(COLUMNS, row, strict=True))
    assert stored == entry
    assert [type(v) for v in stored.values()] == [type(v) for v in entry.values()]
    assert verify_chain(nurse.db).ok
