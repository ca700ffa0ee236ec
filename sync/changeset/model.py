"""The change-set format: its fields and limits, its errors, the ``ChangeSet`` and
``SignedChangeSet`` models, their canonical bytes (RFC 8785) and the device keys.

The signed message is ``SIGNING_DOMAIN + canonical bytes``, so a signature made for something
else (another protocol, a request) can never be replayed as a change set. Pure: no network, no
database, no files.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sync.authorship import EntrySignature
from sync.canonical import canonical_bytes, sha256_hex
from sync.entries import ENTRY_FIELDS

#: The format tag of change sets written by this version (2: the authors' signatures travel
#: with their entries, ``signatures``).
FORMAT = "desktop-crf.changeset/2"
#: The format of the sets a server of protocol 1 accepted (no ``signatures``): never taken in an
#: upload, but a server's ledger from before user signatures holds them, and ``crf-server
#: verify`` still checks them there.
FORMAT_1 = "desktop-crf.changeset/1"
#: Prefix of the signed message; the NUL keeps it from being a prefix of any JSON text.
SIGNING_DOMAIN = b"desktop-crf changeset signature v1\x00"
#: A set holds at most this many entries (the server announces it with the device's state) ...
MAX_ENTRIES = 2000
#: ... a server that announces no limit (one from before the limit was announced) takes at most
#: this many ...
BASE_MAX_ENTRIES = 500
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
SET_FIELDS = frozenset((*HEADER_FIELDS, "entries", "signatures"))
#: The fields of a ``FORMAT_1`` set.
SET_FIELDS_1 = frozenset((*HEADER_FIELDS, "entries"))
_HEX64 = re.compile(r"[0-9a-f]{64}")
ENTRY_KEYS = frozenset((*ENTRY_FIELDS, "hash"))


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
    #: The authors' signatures over runs of these entries (``sync.authorship``), in order.
    signatures: tuple[Mapping[str, Any], ...] = ()

    def to_object(self) -> dict[str, Any]:
        """Return the JSON object that is canonicalised, signed and sent."""
        obj: dict[str, Any] = {name: getattr(self, name) for name in HEADER_FIELDS}
        obj["entries"] = [dict(entry) for entry in self.entries]
        if self.format != FORMAT_1:  # a set of protocol 1 had no signatures
            obj["signatures"] = [dict(sig) for sig in self.signatures]
        return obj

    def entry_signatures(self) -> list[EntrySignature]:
        """The authors' signatures, read (the set was parsed strictly: they are well formed)."""
        return [EntrySignature.from_record(self.device, record) for record in self.signatures]

    def canonical(self) -> bytes:
        """Return the RFC 8785 bytes of the set (the signed and hashed bytes)."""
        # ``to_object`` without copying each entry: their bytes (``entry_bytes``) stand for them
        obj: dict[str, Any] = {name: getattr(self, name) for name in HEADER_FIELDS}
        obj["entries"] = list(self.entries)
        if self.format != FORMAT_1:
            obj["signatures"] = list(self.signatures)
        return changeset_bytes(obj, entry_bytes=self.entry_bytes)

    @cached_property
    def entry_bytes(self) -> tuple[bytes, ...]:
        """Each entry's RFC 8785 bytes, ``hash`` included: the set's bytes are made of them,
        and the chain check takes each entry's hashed bytes from them (``hashed_bytes``).

        Raises:
            SchemaError: for a value canonical JSON cannot carry.
        """
        return tuple(map(encode_entry, self.entries))

    def keep_entry_bytes(self, encoded: tuple[bytes, ...]) -> None:
        """Take the entries' bytes already made (each exactly ``encode_entry``'s, in order):
        ``entry_bytes`` returns them instead of encoding the entries again."""
        vars(self)["entry_bytes"] = encoded  # where ``cached_property`` keeps its value

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

    @cached_property
    def id(self) -> str:
        """The SHA-256 of ``body`` (hashed once: a set is named in its request and receipt)."""
        return sha256_hex(self.body)

    def envelope(self) -> bytes:
        """Return the upload body: ``{"changeset": {...}, "signature": base64}`` as JSON."""
        return envelope_bytes(self.body, self.signature)


def envelope_bytes(body: bytes, signature: bytes) -> bytes:
    """The upload body of a set's canonical bytes and signature, as the app writes it."""
    sig = base64.b64encode(signature)
    return b'{"changeset":' + body + b',"signature":"' + sig + b'"}'


def changeset_bytes(obj: Mapping[str, Any], *, entry_bytes: Sequence[bytes] | None = None) -> bytes:
    """Return the RFC 8785 bytes of a change-set object.

    Why not ``rfc8785.dumps`` directly: the general encoder is slow on hundreds of entries, and
    each entry (and each author's signature record) is a flat object that ``canonical_bytes``
    encodes fast. The keys of the set are
    ASCII, so sorting them as Python strings is the RFC 8785 order, and gluing the parts with
    ``,`` and ``:`` gives byte-for-byte what the general encoder gives (a test checks this).
    ``entry_bytes``, when given, are the entries' canonical bytes already made.
    """
    try:
        return _changeset_bytes(obj, entry_bytes)
    except rfc8785.CanonicalizationError as exc:
        raise SchemaError(f"a value cannot be encoded as canonical JSON: {exc}") from exc


def _changeset_bytes(obj: Mapping[str, Any], entry_bytes: Sequence[bytes] | None) -> bytes:
    if set(obj) not in (SET_FIELDS, SET_FIELDS_1) or not isinstance(obj.get("entries"), list):
        return rfc8785.dumps(obj)
    parts = []
    for key in sorted(obj):
        value = obj[key]
        if key == "entries":
            if entry_bytes is None:
                entry_bytes = [canonical_bytes(e) for e in value]
            encoded = b"[" + b",".join(entry_bytes) + b"]"
        elif key == "signatures" and isinstance(value, list):  # flat records: the fast path
            encoded = b"[" + b",".join(canonical_bytes(record) for record in value) + b"]"
        else:
            encoded = rfc8785.dumps(value)
        parts.append(rfc8785.dumps(key) + b":" + encoded)
    return b"{" + b",".join(parts) + b"}"


def encode_entry(entry: Mapping[str, Any]) -> bytes:
    """An entry's RFC 8785 bytes.

    Raises:
        SchemaError: for a value canonical JSON cannot carry.
    """
    try:
        return canonical_bytes(entry)
    except rfc8785.CanonicalizationError as exc:
        raise SchemaError(f"a value cannot be encoded as canonical JSON: {exc}") from exc


def hashed_bytes(entry: Mapping[str, Any], encoded: bytes) -> bytes | None:
    """The canonical bytes an entry's hash covers (every field but ``hash``), cut out of
    ``encoded``, its canonical bytes with the hash; None if its ``hash`` is not 64 hex digits.

    Exact: the keys are sorted and ``hash`` is never first, so its pair is written as
    ``,"hash":"…"``; no string value can hold that text, since canonical JSON escapes every
    quote inside a string. Removing the pair leaves the canonical bytes of the other fields
    (a property test compares them with ``entry_canonical_bytes``).
    """
    digest = entry.get("hash")
    if type(digest) is not str or _HEX64.fullmatch(digest) is None:
        return None
    pair = b',"hash":"' + digest.encode("ascii") + b'"'
    if encoded.count(pair) != 1:
        return None
    return encoded.replace(pair, b"", 1)


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


def last_hash(changeset: ChangeSet) -> str:
    """Return the hash of the last entry of the set (the next set's ``prev_hash``)."""
    return str(changeset.entries[-1]["hash"])


def entries_of(changesets: Iterable[SignedChangeSet]) -> list[Mapping[str, Any]]:
    """Return the entries of several sets in order (for tests and the benchmark)."""
    return [entry for signed in changesets for entry in signed.changeset.entries]
