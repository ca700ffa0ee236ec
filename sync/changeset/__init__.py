"""Change sets: a contiguous, signed run of one device's audit entries.

A change set is the unit of upload. Its canonical bytes (RFC 8785) are signed with the device's
Ed25519 key over a domain-separated message, so a signature made for something else (another
protocol, a request) can never be replayed as a change set. Its id is the SHA-256 of the
canonical bytes and serves as the idempotency key: resending the same set is harmless.

The package is pure: no network, no database, no files. ``model`` holds the format, its errors
and the models; ``building`` what the device does (cut and sign); ``verification`` what the
receiver does (parse strictly, verify). Import the names from here.
"""

from sync.changeset.building import build_changesets, sign_changeset, split_run
from sync.changeset.model import (
    BASE_MAX_ENTRIES,
    FORMAT,
    FORMAT_1,
    HEADER_FIELDS,
    MAX_BYTES,
    MAX_ENTRIES,
    SIGNING_DOMAIN,
    ChainError,
    ChangeSet,
    ChangeSetError,
    SchemaError,
    SignatureError,
    SignedChangeSet,
    changeset_bytes,
    entries_of,
    envelope_bytes,
    key_id,
    last_hash,
    load_public_key,
    public_key_bytes,
    signing_message,
)
from sync.changeset.verification import (
    parse_changeset,
    parse_envelope,
    parse_json,
    verify_changeset,
    verify_parsed,
)

__all__ = [
    "BASE_MAX_ENTRIES",
    "FORMAT",
    "FORMAT_1",
    "HEADER_FIELDS",
    "MAX_BYTES",
    "MAX_ENTRIES",
    "SIGNING_DOMAIN",
    "ChainError",
    "ChangeSet",
    "ChangeSetError",
    "SchemaError",
    "SignatureError",
    "SignedChangeSet",
    "build_changesets",
    "changeset_bytes",
    "entries_of",
    "envelope_bytes",
    "key_id",
    "last_hash",
    "load_public_key",
    "parse_changeset",
    "parse_envelope",
    "parse_json",
    "public_key_bytes",
    "sign_changeset",
    "signing_message",
    "split_run",
    "verify_changeset",
    "verify_parsed",
]
