"""Change sets: a contiguous, signed run of one device's audit entries.

A change set is the unit of upload. Its canonical bytes (RFC 8785) are signed with the device's
Ed25519 key over a domain-separated message, so a signature made for something else (another
protocol, a request) can never be replayed as a change set. Its id is the SHA-256 of the
canonical bytes and serves as the idempotency key: resending the same set is harmless.

The module is pure: no network, no database, no files.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sync.canonical import canonical_bytes, sha256_hex
from sync.entries import ENTRY_FIELDS, GENESIS_HASH, entry_hash, find_chain_break

#: The format tag of change sets written by this version.
FORMAT = "desktop-crf.changeset/1"
#: Prefix of the signed message; the NUL keeps it from being a prefix of any JSON text.
SIGNING_DOMAIN = b"desktop-crf changeset signature v1\x00"
#: A set holds at most this many entries ...
MAX_ENTRIES = 500
#: ... and its canonical bytes at most this many.
MAX_BYTES = 1024 * 1024

HEADER_FIELDS: tuple[str, ...] = (
    "format",
    "study",
    "site",
    "device",
    "key_id",
    "seq_from",
    "seq_to",
    "prev_hash",
    "created_at",
)
_SET_FIELDS = frozenset((*HEADER_FIELDS, "entries"))
_ENTRY_KEYS = frozenset((*ENTRY_FIELDS, "hash"))
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MAX_SAFE_INT = 2**53 - 1
_MAX_TEXT = 65536
# Header overhead of a set in canonical bytes, generous, used when splitting a run by size.
_HEADER_BUDGET = 1024


class ChangeSetError(ValueError):
    """A change set that cannot be accepted; ``code`` is a stable machine-readable reason."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class SchemaError(ChangeSetError):
    def __init__(self, message: str) -> None:
        super().__init__("schema", message)


class SignatureError(ChangeSetError):
    def __init__(self, message: str = "the signature does not match the change set") -> None:
        super().__init__("bad_signature", message)


class ChainError(ChangeSetError):
    def __init__(self, message: str) -> None:
        super().__init__("chain_break", message)


@dataclass(frozen=True)
class ChangeSet:
    """The signed content: a header and a contiguous run of one device's entries."""

    study: str
    site: str
    device: str
    key_id: str
    seq_from: int
    seq_to: int
    prev_hash: str
    entries: tuple[Mapping[str, Any], ...]
    created_at: str
    format: str = FORMAT

    def to_object(self) -> dict[str, Any]:
        """Return the JSON object that is canonicalised, signed and sent."""
        obj: dict[str, Any] = {name: getattr(self, name) for name in HEADER_FIELDS}
        obj["entries"] = [dict(entry) for entry in self.entries]
        return obj

    def canonical(self) -> bytes:
        """Return the RFC 8785 bytes of the set (the signed and hashed bytes)."""
        return changeset_bytes(self.to_object())

    @property
    def id(self) -> str:
        """The SHA-256 of the canonical bytes: the idempotency key of an upload."""
        return sha256_hex(self.canonical())


@dataclass(frozen=True)
class SignedChangeSet:
    """A change set with its canonical bytes and the device's signature over them."""

    changeset: ChangeSet
    body: bytes
    signature: bytes

    @property
    def id(self) -> str:
        return sha256_hex(self.body)

    def envelope(self) -> bytes:
        """Return the upload body: ``{"changeset": {...}, "signature": base64}`` as JSON."""
        sig = base64.b64encode(self.signature)
        return b'{"changeset":' + self.body + b',"signature":"' + sig + b'"}'


def changeset_bytes(obj: Mapping[str, Any]) -> bytes:
    """Return the RFC 8785 bytes of a change-set object.

    Why not ``rfc8785.dumps`` directly: the general encoder is slow on hundreds of entries, and
    each entry is a flat object that ``canonical_bytes`` encodes fast. The keys of the set are
    ASCII, so sorting them as Python strings is the RFC 8785 order, and gluing the parts with
    ``,`` and ``:`` gives byte-for-byte what the general encoder gives (a test checks this).
    """
    try:
        return _changeset_bytes(obj)
    except rfc8785.CanonicalizationError as exc:
        raise SchemaError(f"a value cannot be encoded as canonical JSON: {exc}") from exc


def _changeset_bytes(obj: Mapping[str, Any]) -> bytes:
    if set(obj) != _SET_FIELDS or not isinstance(obj.get("entries"), list):
        return rfc8785.dumps(obj)
    parts = []
    for key in sorted(obj):
        value = obj[key]
        if key == "entries":
            encoded = b"[" + b",".join(canonical_bytes(e) for e in value) + b"]"
        else:
            encoded = rfc8785.dumps(value)
        parts.append(rfc8785.dumps(key) + b":" + encoded)
    return b"{" + b",".join(parts) + b"}"


def key_id(public_key: Ed25519PublicKey) -> str:
    """Return the id of a device key: the hex SHA-256 of its 32 raw bytes."""
    return sha256_hex(public_key_bytes(public_key))


def public_key_bytes(public_key: Ed25519PublicKey) -> bytes:
    """Return the 32 raw bytes of an Ed25519 public key."""
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def load_public_key(raw: bytes) -> Ed25519PublicKey:
    """Return the Ed25519 public key of 32 raw bytes.

    Raises:
        SchemaError: if the bytes are not a public key.
    """
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise SchemaError("the public key is not 32 bytes of an Ed25519 key") from exc


def signing_message(body: bytes) -> bytes:
    """Return the message that is signed for canonical change-set bytes ``body``."""
    return SIGNING_DOMAIN + body


def sign_changeset(changeset: ChangeSet, private_key: Ed25519PrivateKey) -> SignedChangeSet:
    """Sign ``changeset`` with the device key and return it with its bytes and signature."""
    body = changeset.canonical()
    return SignedChangeSet(changeset, body, private_key.sign(signing_message(body)))


def build_changesets(
    entries: Sequence[Mapping[str, Any]],
    *,
    study: str,
    site: str,
    private_key: Ed25519PrivateKey,
    created_at: str,
    max_entries: int = MAX_ENTRIES,
    max_bytes: int = MAX_BYTES,
) -> list[SignedChangeSet]:
    """Split a contiguous run of one device's entries into signed sets within the limits.

    Entries must carry their ``hash``. Each set starts where the previous one ended, so the
    sets can be uploaded one at a time in order.

    Raises:
        SchemaError: if the run is empty of a device, mixes devices or an entry alone is too big.
    """
    kid = key_id(private_key.public_key())
    sets: list[SignedChangeSet] = []
    for run in split_run(entries, max_entries=max_entries, max_bytes=max_bytes):
        first = run[0]
        changeset = ChangeSet(
            study=study,
            site=site,
            device=str(first["device"]),
            key_id=kid,
            seq_from=int(first["seq"]),
            seq_to=int(run[-1]["seq"]),
            prev_hash=str(first.get("prev_hash") or GENESIS_HASH),
            entries=tuple(_wire_entry(e) for e in run),
            created_at=created_at,
        )
        sets.append(sign_changeset(changeset, private_key))
    return sets


def split_run(
    entries: Sequence[Mapping[str, Any]], *, max_entries: int, max_bytes: int
) -> list[list[Mapping[str, Any]]]:
    """Cut ``entries`` into runs of at most ``max_entries`` whose sets fit ``max_bytes``."""
    runs: list[list[Mapping[str, Any]]] = []
    current: list[Mapping[str, Any]] = []
    size = _HEADER_BUDGET
    for entry in entries:
        cost = len(canonical_bytes(_wire_entry(entry))) + 1
        if cost + _HEADER_BUDGET > max_bytes:
            raise SchemaError(f"entry {entry.get('device')}#{entry.get('seq')} alone is too big")
        if current and (len(current) >= max_entries or size + cost > max_bytes):
            runs.append(current)
            current, size = [], _HEADER_BUDGET
        current.append(entry)
        size += cost
    if current:
        runs.append(current)
    return runs


def _wire_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    wire = {name: entry.get(name) for name in ENTRY_FIELDS}
    wire["hash"] = entry.get("hash") or entry_hash(wire)
    return wire


def parse_envelope(raw: bytes) -> tuple[dict[str, Any], bytes]:
    """Parse an upload body into (change-set object, signature bytes).

    Raises:
        SchemaError: if the bytes are not JSON of the envelope's shape.
    """
    obj = parse_json(raw)
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


def parse_json(raw: bytes) -> Any:
    """Parse JSON that must carry no floats, NaN or Infinity (signed data never does).

    Raises:
        SchemaError: for invalid JSON, floats, or text that is not UTF-8.
    """

    def refuse(text: str) -> Any:
        raise SchemaError(f"numbers must be integers (values travel as strings): {text[:20]}")

    try:
        return json.loads(raw, parse_float=refuse, parse_constant=refuse)
    except SchemaError:
        raise
    except (ValueError, RecursionError) as exc:
        raise SchemaError(f"the body is not valid JSON: {str(exc)[:200]}") from exc


def parse_changeset(obj: Mapping[str, Any]) -> ChangeSet:
    """Check the shape of a change-set object and return it as a ``ChangeSet``.

    Raises:
        SchemaError: naming the first field that is missing, unknown or of the wrong type.
    """
    keys = set(obj)
    if keys != _SET_FIELDS:
        missing, extra = sorted(_SET_FIELDS - keys), sorted(keys - _SET_FIELDS)
        raise SchemaError(f"change-set fields wrong: missing {missing}, unknown {extra}")
    if obj["format"] != FORMAT:
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
    checked = tuple(_check_entry(e, i, obj["device"]) for i, e in enumerate(entries))
    return ChangeSet(
        study=obj["study"],
        site=obj["site"],
        device=obj["device"],
        key_id=obj["key_id"],
        seq_from=seq_from,
        seq_to=seq_to,
        prev_hash=obj["prev_hash"],
        entries=checked,
        created_at=obj["created_at"],
    )


def verify_changeset(
    obj: Mapping[str, Any], signature: bytes, public_key: Ed25519PublicKey
) -> tuple[ChangeSet, bytes]:
    """Verify a received change set and return it with its canonical bytes.

    Checks, in order: the shape, the size limit, the key id, the signature over the canonical
    bytes, then that the entries are contiguous from ``seq_from`` and each links to the one
    before by its hash. Whether ``seq_from`` follows what the server already holds is the
    server's check, not this one.

    Raises:
        SchemaError, SignatureError, ChainError: with the reason.
    """
    changeset = parse_changeset(obj)
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
    _, problem = find_chain_break(
        changeset.entries, start_seq=changeset.seq_from, start_hash=changeset.prev_hash
    )
    if problem is not None:
        raise ChainError(str(problem))


def last_hash(changeset: ChangeSet) -> str:
    """Return the hash of the last entry of the set (the next set's ``prev_hash``)."""
    return str(changeset.entries[-1]["hash"])


def _need_text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value or len(value) > 200:
        raise SchemaError(f"{name} must be a non-empty string of at most 200 characters")
    return value


def _need_seq(value: Any, name: str) -> int:
    if type(value) is not int or not 1 <= value <= _MAX_SAFE_INT:
        raise SchemaError(f"{name} must be a positive integer")
    return value


def _check_entry(entry: Any, index: int, device: str) -> Mapping[str, Any]:
    if not isinstance(entry, dict):
        raise SchemaError(f"entry {index} is not an object")
    keys = set(entry)
    if keys != _ENTRY_KEYS:
        missing, extra = sorted(_ENTRY_KEYS - keys), sorted(keys - _ENTRY_KEYS)
        raise SchemaError(f"entry {index}: fields wrong: missing {missing}, unknown {extra}")
    for name, value in entry.items():
        if value is None or (type(value) is str and len(value) <= _MAX_TEXT):
            continue
        if type(value) is int and -_MAX_SAFE_INT <= value <= _MAX_SAFE_INT:
            continue
        raise SchemaError(f"entry {index}: {name} must be a string, an integer or null")
    if entry["device"] != device:
        raise SchemaError(f"entry {index} belongs to another device")
    if type(entry["seq"]) is not int:
        raise SchemaError(f"entry {index}: seq must be an integer")
    if not isinstance(entry["action"], str) or not entry["action"]:
        raise SchemaError(f"entry {index}: action must be a non-empty string")
    if entry["base_rev"] is not None and type(entry["base_rev"]) is not int:
        raise SchemaError(f"entry {index}: base_rev must be an integer or null")
    for name in ("hash", "prev_hash"):
        if not isinstance(entry[name], str) or not _HEX64.fullmatch(entry[name]):
            raise SchemaError(f"entry {index}: {name} must be 64 lowercase hex digits")
    return entry


def entries_of(changesets: Iterable[SignedChangeSet]) -> list[Mapping[str, Any]]:
    """Return the entries of several sets in order (for tests and the benchmark)."""
    return [entry for signed in changesets for entry in signed.changeset.entries]
