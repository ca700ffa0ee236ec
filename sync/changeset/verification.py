"""Receiving change sets: parse the upload body strictly, then verify the set's key,
signature and hash chain. The server's continuity check (does the set follow what it holds) is
the server's own."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sync.authorship import EntrySignature
from sync.canonical import encode_in_order
from sync.changeset.model import (
    ENTRY_KEYS,
    FORMAT,
    FORMAT_1,
    MAX_BYTES,
    MAX_ENTRIES,
    SET_FIELDS,
    SET_FIELDS_1,
    ChainError,
    ChangeSet,
    SchemaError,
    SignatureError,
    encode_entry,
    hashed_bytes,
    key_id,
    signing_message,
)
from sync.entries import find_chain_break

_HEX64 = re.compile(r"[0-9a-f]{64}")
_MAX_SAFE_INT = 2**53 - 1


def parse_envelope(raw: bytes, *, unique_keys: bool = True) -> tuple[dict[str, Any], bytes]:
    """Parse an upload body into (change-set object, signature bytes).

    ``unique_keys=False`` skips the check that no object names a key twice (the caller checks
    otherwise, see ``parse_json``).

    Raises:
        SchemaError: if the bytes are not JSON of the envelope's shape.
    """
    obj = parse_json(raw, unique_keys=unique_keys)
    if not isinstance(obj, dict) or set(obj) != {"changeset", "signature"}:
        raise SchemaError('the body must be {"changeset": {...}, "signature": "..."}')
    if not isinstance(obj["changeset"], dict) or not isinstance(obj["signature"], str):
        raise SchemaError("changeset must be an object and signature a base64 string")
    try:
        signature = base64.b64decode(obj["signature"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SchemaError("the signature is not valid base64") from exc
    if len(signature) != 64:
        raise SchemaError("an Ed25519 signature is 64 bytes")
    return obj["changeset"], signature


def parse_json(raw: bytes, *, unique_keys: bool = True) -> Any:
    """Parse JSON that must carry no floats, NaN or Infinity (signed data never does).

    ``unique_keys=False`` leaves out the check that no object names a key twice (a Python call
    per object): for a caller that knows otherwise, e.g. that the bytes are the canonical
    encoding of what they parsed into, which never names a key twice.

    Raises:
        SchemaError: for invalid JSON, floats, a key named twice in one object, or bytes that
            are not UTF-8.
    """

    def refuse(text: str) -> Any:
        raise SchemaError(f"numbers must be integers (values travel as strings): {text[:20]}")

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            raise SchemaError("a JSON object names the same key twice")
        return obj

    try:
        text = raw.decode("utf-8")  # strict: UTF-16 or Latin-1 bodies are refused, never guessed
    except UnicodeDecodeError as exc:
        raise SchemaError("the body is not UTF-8") from exc
    try:
        if not unique_keys:
            return json.loads(text, parse_float=refuse, parse_constant=refuse)
        return json.loads(text, parse_float=refuse, parse_constant=refuse, object_pairs_hook=unique)
    except SchemaError:
        raise
    except (ValueError, RecursionError) as exc:
        raise SchemaError(f"the body is not valid JSON: {str(exc)[:200]}") from exc


def parse_changeset(obj: Mapping[str, Any], *, stored: bool = False) -> ChangeSet:
    """Check the shape of a change-set object and return it as a ``ChangeSet``.

    ``stored``: the set comes from the server's own ledger, which may hold sets of format 1
    (accepted before user signatures, with no ``signatures``); an upload is always ``FORMAT``.

    Raises:
        SchemaError: naming the first field that is missing, unknown or of the wrong type.
    """
    old = stored and obj.get("format") == FORMAT_1
    fields = SET_FIELDS_1 if old else SET_FIELDS
    keys = set(obj)
    if keys != fields:
        missing, extra = sorted(fields - keys), sorted(keys - fields)
        raise SchemaError(f"change-set fields wrong: missing {missing}, unknown {extra}")
    if obj["format"] != FORMAT and not old:
        raise SchemaError(f"unsupported format {str(obj['format'])[:40]!r}; expected {FORMAT}")
    for name in ("study", "site", "device", "created_at"):
        _need_text(obj[name], name)
    for name in ("key_id", "prev_hash"):
        if not isinstance(obj[name], str) or not _HEX64.fullmatch(obj[name]):
            raise SchemaError(f"{name} must be 64 lowercase hex digits")
    seq_from, seq_to = _need_seq(obj["seq_from"], "seq_from"), _need_seq(obj["seq_to"], "seq_to")
    entries = obj["entries"]
    if not isinstance(entries, list) or not entries:
        raise SchemaError("entries must be a non-empty list")
    if len(entries) > MAX_ENTRIES:
        raise SchemaError(f"a change set holds at most {MAX_ENTRIES} entries")
    if seq_to - seq_from + 1 != len(entries):
        raise SchemaError("seq_from..seq_to does not match the number of entries")
    from sync.entry_schema import plain_item_set  # its models are built on first use

    device = obj["device"]
    plain = [type(e) is dict and plain_item_set(e) and e["device"] == device for e in entries]
    checked = tuple(
        entry if fits else _check_entry(entry, index, device)
        for index, (entry, fits) in enumerate(zip(entries, plain, strict=True))
    )
    signatures = (
        () if old else _check_signatures(obj["signatures"], obj["device"], seq_from, seq_to)
    )
    changeset = ChangeSet(
        study=obj["study"],
        site=obj["site"],
        device=obj["device"],
        key_id=obj["key_id"],
        seq_from=seq_from,
        seq_to=seq_to,
        prev_hash=obj["prev_hash"],
        entries=checked,
        created_at=obj["created_at"],
        signatures=signatures,
        format=obj["format"],
    )
    # A plain item change (most of an upload) whose keys are in canonical order: its canonical
    # bytes are written as it is (``canonical_bytes`` checks and sorts first).
    changeset.keep_entry_bytes(
        tuple(
            encode_in_order(entry) if fits and tuple(entry) == _SORTED_KEYS else encode_entry(entry)
            for entry, fits in zip(checked, plain, strict=True)
        )
    )
    return changeset


#: An entry's keys in canonical order (those of a plain ``item.set`` are all of them).
_SORTED_KEYS = tuple(sorted(ENTRY_KEYS))


def verify_changeset(
    obj: Mapping[str, Any], signature: bytes, public_key: Ed25519PublicKey, *, stored: bool = False
) -> tuple[ChangeSet, bytes]:
    """Verify a received change set and return it with its canonical bytes.

    Checks, in order: the shape, the size limit, the key id, the signature over the canonical
    bytes, then that the entries are contiguous from ``seq_from`` and each links to the one
    before by its hash. Whether ``seq_from`` follows what the server already holds is the
    server's check, not this one. ``stored``: a set of the server's ledger (format 1 too, see
    ``parse_changeset``).

    Raises:
        SchemaError, SignatureError, ChainError: with the reason.
    """
    changeset = parse_changeset(obj, stored=stored)
    body = changeset.canonical()
    verify_parsed(changeset, body, signature, public_key)
    return changeset, body


def verify_parsed(
    changeset: ChangeSet, body: bytes, signature: bytes, public_key: Ed25519PublicKey
) -> None:
    """``verify_changeset`` for a set already parsed, with its canonical ``body``.

    Raises:
        SchemaError, SignatureError, ChainError: with the reason.
    """
    if len(body) > MAX_BYTES:
        raise SchemaError(f"a change set is at most {MAX_BYTES} bytes")
    if changeset.key_id != key_id(public_key):
        raise SignatureError("the change set names a key that is not this device's key")
    try:
        public_key.verify(signature, signing_message(body))
    except InvalidSignature as exc:
        raise SignatureError() from exc
    if _chain_holds(changeset):
        return
    _, problem = find_chain_break(
        changeset.entries, start_seq=changeset.seq_from, start_hash=changeset.prev_hash
    )
    if problem is not None:
        raise ChainError(str(problem))


def _chain_holds(changeset: ChangeSet) -> bool:
    """Whether the set's entries are contiguous and each hashes to its ``hash``, from the bytes
    already made for the set: no entry is encoded twice. False sends the set to
    ``find_chain_break``, which decides and names the problem."""
    sha256 = hashlib.sha256
    prev, expected = changeset.prev_hash, changeset.seq_from
    for entry, encoded in zip(changeset.entries, changeset.entry_bytes, strict=True):
        body = hashed_bytes(entry, encoded)
        if (
            body is None
            or entry.get("seq") != expected
            or entry.get("prev_hash") != prev
            or sha256(bytes.fromhex(prev) + body).hexdigest() != entry["hash"]
        ):
            return False
        prev, expected = entry["hash"], expected + 1
    return True


def _need_text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value or len(value) > 200:
        raise SchemaError(f"{name} must be a non-empty string of at most 200 characters")
    return value


def _need_seq(value: Any, name: str) -> int:
    if type(value) is not int or not 1 <= value <= _MAX_SAFE_INT:
        raise SchemaError(f"{name} must be a positive integer")
    return value


def _check_signatures(
    records: Any, device: str, seq_from: int, seq_to: int
) -> tuple[Mapping[str, Any], ...]:
    """The authors' signatures: well formed, each over a run inside the set, in order and not
    overlapping (which entries they must cover is ``sync.authorship``'s check)."""
    if not isinstance(records, list):
        raise SchemaError("signatures must be a list")
    after = seq_from - 1
    for index, record in enumerate(records):
        try:
            sig = EntrySignature.from_record(device, record)
        except ValueError as exc:
            raise SchemaError(f"signature {index}: {exc}") from exc
        if sig.seq_from <= after or sig.seq_to > seq_to:
            raise SchemaError(f"signature {index} covers entries outside the set or out of order")
        after = sig.seq_to
    return tuple(records)


def _check_entry(entry: Any, index: int, device: str) -> Mapping[str, Any]:
    if not isinstance(entry, dict):
        raise SchemaError(f"entry {index} is not an object")
    keys = set(entry)
    if keys != ENTRY_KEYS:
        missing, extra = sorted(ENTRY_KEYS - keys), sorted(keys - ENTRY_KEYS)
        raise SchemaError(f"entry {index}: fields wrong: missing {missing}, unknown {extra}")
    if entry["device"] != device:
        raise SchemaError(f"entry {index} belongs to another device")
    from sync.entry_schema import entry_problem  # its models are built on first use

    problem = entry_problem(entry)
    if problem is not None:
        raise SchemaError(f"entry {index} (#{str(entry.get('seq'))[:20]}): {problem}")
    return entry
