"""Change sets: canonical bytes, signatures, verification and splitting."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import rfc8785
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sync.authorship import Authority, SignerKey, UserSigner, sign_group
from sync.canonical import canonical_bytes, sha256_hex
from sync.changeset import (
    FORMAT,
    FORMAT_1,
    ChainError,
    ChangeSet,
    SchemaError,
    SignatureError,
    build_changesets,
    changeset_bytes,
    parse_changeset,
    parse_envelope,
    sign_changeset,
    verify_changeset,
)
from sync.changeset.model import hashed_bytes, key_id, signing_message
from sync.changeset.verification import verify_parsed
from sync.entries import (
    ENTRY_FIELDS,
    GENESIS_HASH,
    entry_canonical_bytes,
    entry_hash,
    find_chain_break,
)
from tests.sync.sync_support import make_entries, new_key, rechain

NOW = "2026-01-01T00:00:00Z"


def _one(entries, key=None):
    key = key or new_key()
    (signed,) = build_changesets(entries, study="S1", site="101", private_key=key, created_at=NOW)
    return signed, key


def test_id_is_sha256_of_canonical_bytes_and_bytes_are_rfc8785() -> None:
    signed, _ = _one(make_entries("dev-a", 3))
    obj = signed.changeset.to_object()
    assert signed.body == rfc8785.dumps(obj)
    assert signed.id == sha256_hex(rfc8785.dumps(obj))
    assert obj["format"] == FORMAT
    assert (obj["seq_from"], obj["seq_to"]) == (1, 3)


text = st.one_of(st.none(), st.text(max_size=20), st.integers(-(2**53) + 1, 2**53 - 1))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.sampled_from(["new", "old", "detail", "unit"]), text),
        min_size=1,
        max_size=5,
    )
)
def test_fast_changeset_bytes_equal_general_encoder(changes) -> None:
    entries = make_entries("dev-a", len(changes))
    entries = rechain([{**e, **c} for e, c in zip(entries, changes, strict=True)])
    signed, _ = _one(entries)
    assert changeset_bytes(signed.changeset.to_object()) == rfc8785.dumps(
        signed.changeset.to_object()
    )


def test_round_trip_through_the_envelope_verifies() -> None:
    signed, key = _one(make_entries("dev-a", 5))
    obj, signature = parse_envelope(signed.envelope())
    changeset, body = verify_changeset(obj, signature, key.public_key())
    assert body == signed.body
    assert changeset.seq_to == 5


def _tampered(mutate):
    signed, key = _one(make_entries("dev-a", 4))
    obj, signature = parse_envelope(signed.envelope())
    signature = mutate(obj, signature) or signature
    return obj, signature, key


@pytest.mark.parametrize(
    ("mutate", "error"),
    [
        (lambda o, s: o["entries"][1].__setitem__("new", "999"), SignatureError),
        (lambda o, s: o.__setitem__("seq_from", 2) or o.__setitem__("seq_to", 5), SignatureError),
        (lambda o, s: bytes([s[0] ^ 1]) + s[1:], SignatureError),
        (lambda o, s: o.__setitem__("device", "dev-b"), SchemaError),
        (lambda o, s: o["entries"][0].__setitem__("extra", "x"), SchemaError),
        (lambda o, s: o.__setitem__("format", "v0"), SchemaError),
    ],
)
def test_altered_sets_are_refused_with_a_reason(mutate, error) -> None:
    obj, signature, key = _tampered(mutate)
    with pytest.raises(error):
        verify_changeset(obj, signature, key.public_key())


def test_a_validly_signed_broken_chain_is_refused() -> None:
    entries = make_entries("dev-a", 3)
    entries[1] = {**entries[1], "new": "changed"}  # hash no longer matches content
    key = new_key()
    (signed,) = build_changesets(entries, study="S1", site="101", private_key=key, created_at=NOW)
    obj, signature = parse_envelope(signed.envelope())
    with pytest.raises(ChainError, match="#2"):
        verify_changeset(obj, signature, key.public_key())


def test_another_devices_key_does_not_verify() -> None:
    signed, _ = _one(make_entries("dev-a", 2))
    obj, signature = parse_envelope(signed.envelope())
    with pytest.raises(SignatureError):
        verify_changeset(obj, signature, new_key().public_key())


def test_signature_is_domain_separated() -> None:
    signed, key = _one(make_entries("dev-a", 2))
    raw_sig = key.sign(signed.body)  # the same bytes signed without the domain
    obj, _ = parse_envelope(signed.envelope())
    with pytest.raises(SignatureError):
        verify_changeset(obj, raw_sig, key.public_key())


def test_floats_are_refused() -> None:
    signed, _ = _one(make_entries("dev-a", 1))
    env = json.loads(signed.envelope())
    env["changeset"]["entries"][0]["new"] = 1.5
    with pytest.raises(SchemaError, match="integers"):
        parse_envelope(json.dumps(env).encode())


def test_splitting_respects_both_limits_and_stays_contiguous() -> None:
    entries = make_entries("dev-a", 4203)
    key = new_key()
    sets = build_changesets(entries, study="S1", site="101", private_key=key, created_at=NOW)
    assert [len(s.changeset.entries) for s in sets] == [2000, 2000, 203]
    assert sets[1].changeset.prev_hash == sets[0].changeset.entries[-1]["hash"]
    big = make_entries("dev-a", 40, detail="x" * 60000)
    sets = build_changesets(big, study="S1", site="101", private_key=key, created_at=NOW)
    assert all(len(s.body) <= 1024 * 1024 for s in sets)
    assert len(sets) == 3
    assert sum(len(s.changeset.entries) for s in sets) == 40
    for signed in sets:
        obj, signature = parse_envelope(signed.envelope())
        verify_changeset(obj, signature, key.public_key())


def test_sign_is_deterministic_for_the_same_bytes() -> None:
    signed, key = _one(make_entries("dev-a", 2))
    assert sign_changeset(signed.changeset, key).signature == signed.signature


_field = st.one_of(
    st.none(), st.text(max_size=30), st.integers(-(2**53) + 1, 2**53 - 1), st.booleans()
)


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(dict.fromkeys(ENTRY_FIELDS, _field)),
    st.one_of(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64), _field),
)
def test_the_hashed_bytes_cut_from_an_entry_are_rfc8785s(entry, digest) -> None:
    """The chain check's bytes, cut out of the entry's bytes in the set, are the RFC 8785 bytes
    of the entry without its hash, for any values (or the general verifier is asked)."""
    wire = {**entry, "hash": digest}
    cut = hashed_bytes(wire, canonical_bytes(wire))
    if cut is not None:
        assert cut == rfc8785.dumps(entry) == entry_canonical_bytes(entry)
    else:
        assert not (isinstance(digest, str) and len(digest) == 64)


@settings(max_examples=150, deadline=None)
@given(
    at=st.integers(min_value=0, max_value=3),
    field=st.sampled_from(["new", "seq", "prev_hash", "hash", "user"]),
    value=st.one_of(_field, st.just("0" * 64), st.just("f" * 64)),
    rehash=st.sampled_from(["no", "own link", "true link"]),
)
def test_a_tampered_chain_gets_the_general_verifiers_answer(at, field, value, rehash) -> None:
    """Entries altered inside a validly signed set: refused exactly when ``find_chain_break``
    finds a break, with its reason; an untouched chain passes."""
    assume(field != "seq" or type(value) is int)  # parse_changeset refuses any other seq
    entries = make_entries("dev-a", 4)
    entries[at] = {**entries[at], field: value}
    true_link = entries[at - 1]["hash"] if at else GENESIS_HASH
    if rehash == "own link" and field != "hash" and value in ("0" * 64, "f" * 64):
        entries[at]["hash"] = entry_hash(entries[at])  # over the link the entry names
    elif rehash == "true link" and field != "hash":  # forged: over the true link's bytes
        body = rfc8785.dumps({name: entries[at][name] for name in ENTRY_FIELDS})
        entries[at]["hash"] = sha256_hex(bytes.fromhex(true_link) + body)
    key = new_key()
    changeset = ChangeSet(
        study="S1",
        site="101",
        device="dev-a",
        key_id=key_id(key.public_key()),
        seq_from=1,
        seq_to=4,
        prev_hash=GENESIS_HASH,
        entries=tuple(entries),
        created_at=NOW,
    )
    _, expected = find_chain_break(entries)
    body = changeset.canonical()
    signature = key.sign(signing_message(body))
    if expected is None:
        verify_parsed(changeset, body, signature, key.public_key())
    else:
        with pytest.raises(ChainError) as refused:
            verify_parsed(changeset, body, signature, key.public_key())
        assert refused.value.message == str(expected)


def _signed_groups(device: str, sizes: list[int]) -> tuple[list[dict], UserSigner]:
    """Entries whose runs of ``sizes`` are each signed by one author, as the app seals a save
    (the last entry of a group carries its signature record)."""
    nurse = UserSigner.generate("nurse1")
    entries = make_entries(device, sum(sizes))
    start = 0
    for size in sizes:
        group = entries[start : start + size]
        group[-1]["signature"] = sign_group(nurse, group).to_record()
        start += size
    return entries, nurse


def test_signed_groups_travel_whole_in_sets_whose_entries_are_encoded_once() -> None:
    entries, nurse = _signed_groups("dev-a", [3, 4, 2, 5, 1, 3])
    key = new_key()
    sets = build_changesets(
        entries, study="S1", site="101", private_key=key, created_at=NOW, max_entries=7
    )
    assert len(sets) > 1
    held = 0
    for signed in sets:
        changeset = signed.changeset
        # the set's bytes glued from each entry's bytes made once are RFC 8785's of the set
        assert signed.body == rfc8785.dumps(changeset.to_object())
        obj, signature = parse_envelope(signed.envelope())
        parsed, body = verify_changeset(obj, signature, key.public_key())
        assert body == signed.body
        ends = {s.seq_to for s in parsed.entry_signatures()}
        assert parsed.seq_to in ends  # no group is cut between two sets
        authority = Authority("dev-a")
        authority.keys[nurse.key_id] = SignerKey(
            nurse.key_id, nurse.public_key, "nurse1", "nurse", "dev-a"
        )
        authority.signed_yet = True
        # every entry is covered by its author's signature, checked as the server checks it
        authority.admit(parsed.entries, parsed.entry_signatures(), unsigned_through=0)
        held += len(parsed.entries)
    assert held == len(entries)


def test_a_set_of_format_1_verifies_from_the_servers_ledger_but_is_never_an_upload() -> None:
    signed, key = _one(make_entries("dev-a", 4))
    old = replace(signed.changeset, format=FORMAT_1, signatures=())
    stored = sign_changeset(old, key)
    obj = json.loads(stored.body)
    assert "signatures" not in obj
    assert stored.body == rfc8785.dumps(obj)
    with pytest.raises(SchemaError, match="signatures"):
        verify_changeset(obj, stored.signature, key.public_key())
    changeset, body = verify_changeset(obj, stored.signature, key.public_key(), stored=True)
    assert (changeset.format, body) == (FORMAT_1, stored.body)
    with pytest.raises(SignatureError):  # still the device's signature over those bytes
        verify_changeset({**obj, "site": "102"}, stored.signature, key.public_key(), stored=True)


_text_value = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(
        st.fixed_dictionaries(
            {"new": st.none() | _text_value, "old": st.none() | _text_value},
            optional={"item": _text_value.filter(bool), "base_rev": st.integers(0, 2**53 - 1)},
        ),
        min_size=1,
        max_size=6,
    ),
    other=st.booleans(),
)
def test_a_parsed_set_holds_each_entrys_rfc8785_bytes(values, other) -> None:
    """Plain item changes take the server's short way to their bytes; any other entry, the
    general one: both give RFC 8785's bytes."""
    entries = make_entries("dev-a", 1)
    for fields in values:
        entries += make_entries("dev-a", 1, start_seq=len(entries) + 1, **fields)
    if other:  # not an item change: the general check and encoder
        status = {"action": "form.status", "new": "complete", "item": None}
        status.update(item_group=None, group_repeat=None)
        entries += make_entries("dev-a", 1, start_seq=len(entries) + 1, **status)
    entries = rechain(entries)
    signed, key = _one(entries)
    obj, signature = parse_envelope(signed.envelope())
    changeset = parse_changeset(obj)
    expected = tuple(rfc8785.dumps(dict(e)) for e in changeset.entries)
    assert changeset.entry_bytes == expected
    verify_parsed(changeset, changeset.canonical(), signature, key.public_key())
