"""The audit entry's canonical bytes and chain hash."""

from __future__ import annotations

import json

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.canonical import canonical_bytes, compact_encoder, encode_in_order
from sync.entries import (
    ENTRY_FIELDS,
    GENESIS_HASH,
    entry_body,
    entry_canonical_bytes,
    entry_hash,
    find_chain_break,
)

_values = st.one_of(
    st.none(),
    st.text(),
    st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),
)


@settings(max_examples=1000)
@given(st.fixed_dictionaries(dict.fromkeys(ENTRY_FIELDS, _values)))
def test_fast_entry_bytes_equal_rfc8785(entry: dict) -> None:
    try:
        expected = rfc8785.dumps(entry_body(entry))
    except rfc8785.CanonicalizationError:
        return  # lone surrogates: no canonical form, and the fast path must not invent one
    assert entry_canonical_bytes(entry) == expected
    assert canonical_bytes(entry_body(entry)) == expected
    in_order = dict(sorted(entry.items()))
    assert encode_in_order(in_order) == rfc8785.dumps(in_order)  # the server's short way


@given(st.dictionaries(st.text(max_size=5), _values, max_size=6))
def test_flat_fast_path_equals_rfc8785(obj: dict) -> None:
    try:
        expected = rfc8785.dumps(obj)
    except rfc8785.CanonicalizationError:
        return
    assert canonical_bytes(obj) == expected
    # keys already in order (an entry parsed from canonical bytes) take the unsorted encoder
    in_order = dict(sorted(obj.items()))
    assert canonical_bytes(in_order) == expected
    assert canonical_bytes(dict(reversed(in_order.items()))) == expected


@given(st.dictionaries(st.text(max_size=5), st.booleans(), max_size=4))
def test_flat_booleans_equal_rfc8785(obj: dict) -> None:
    try:
        expected = rfc8785.dumps(obj)
    except rfc8785.CanonicalizationError:
        return
    assert canonical_bytes(dict(sorted(obj.items()))) == expected


_json_values = st.recursive(
    _values | st.booleans() | st.floats(allow_nan=True),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=12,
)


@given(_json_values)
def test_the_compact_encoder_writes_what_json_dumps_writes(value) -> None:
    assert compact_encoder()(value) == json.dumps(value, separators=(",", ":"))


def _chain(n: int) -> list[dict]:
    entries, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        entry = {
            "device": "D1",
            "seq": seq,
            "action": "item.set",
            "new": str(seq),
            "prev_hash": prev,
        }
        entry["hash"] = entry_hash(entry)
        entries.append(entry)
        prev = entry["hash"]
    return entries


def test_chain_verifies_and_names_the_first_changed_entry() -> None:
    entries = _chain(5)
    assert find_chain_break(entries) == (5, None)
    entries[2]["new"] = "tampered"
    count, broken = find_chain_break(entries)
    assert count == 2
    assert (broken.seq, broken.reason) == (3, "content does not match its hash")


def test_a_reordered_or_missing_entry_breaks_the_chain() -> None:
    entries = _chain(4)
    _, broken = find_chain_break([entries[0], entries[2], entries[3]])
    assert broken.seq == 3
    assert "sequence gap" in broken.reason
