"""Canonical JSON bytes (RFC 8785) for the audit trail and change sets.

Audit entries are flat objects of strings, integers and nulls. For those, Python's ``json``
with sorted keys produces exactly the RFC 8785 bytes and is about four times faster than the
general ``rfc8785`` encoder, which matters because chain verification hashes every entry.
Anything outside that shape (nested values, floats, big integers, lone surrogates, non-ASCII
keys whose UTF-16 order could differ) goes through ``rfc8785`` itself, and a property test keeps
the two paths byte-identical.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from json.encoder import (  # type: ignore[attr-defined]
    c_make_encoder,
    encode_basestring,
    encode_basestring_ascii,
)
from typing import Any

import rfc8785

_MAX_SAFE_INT = 2**53 - 1


def compact_encoder(*, ensure_ascii: bool, sort_keys: bool = False) -> Callable[[Any], str]:
    """``json.dumps(obj, separators=(",", ":"), ensure_ascii=…, sort_keys=…)`` with ``json``'s C
    encoder made once (``JSONEncoder.encode`` makes one per call, a good part of encoding a
    small value). For acyclic values only: it does not look for cycles."""
    encoder = json.JSONEncoder(
        ensure_ascii=ensure_ascii, sort_keys=sort_keys, separators=(",", ":")
    )
    if c_make_encoder is None:  # a Python without the C accelerator: the same, slower
        return encoder.encode
    encode = c_make_encoder(
        None,
        encoder.default,
        encode_basestring_ascii if ensure_ascii else encode_basestring,
        None,
        ":",
        ",",
        sort_keys,
        False,
        True,
    )
    return lambda obj: "".join(encode(obj, 0))


# Strings as RFC 8785 writes them (no ASCII escaping); only for the flat objects
# ``_is_flat_simple`` admits (no floats, so NaN never comes up).
_encode_flat = compact_encoder(ensure_ascii=False, sort_keys=True)
#: The same for an object whose keys are in order already (an entry parsed from canonical
#: bytes, or built in that order): the encoder need not sort them again.
_encode_in_order = compact_encoder(ensure_ascii=False)


def _is_flat_simple(obj: Mapping[str, Any]) -> bool:
    """Flat, with ASCII keys, and only strings, nulls, booleans and safe integers."""
    for value in obj.values():
        kind = type(value)
        if kind is str or value is None or kind is bool:
            continue
        if kind is not int or not -_MAX_SAFE_INT <= value <= _MAX_SAFE_INT:
            return False
    try:
        return "".join(obj).isascii()
    except TypeError:  # a key that is not a string
        return False


def canonical_bytes(obj: Any) -> bytes:
    """Return the RFC 8785 canonical encoding of ``obj``.

    Raises:
        rfc8785.CanonicalizationError: for values JSON cannot carry (e.g. NaN, lone surrogates).
    """
    if isinstance(obj, dict) and _is_flat_simple(obj):
        keys = list(obj)
        encode = _encode_in_order if keys == sorted(keys) else _encode_flat
        try:
            return encode(obj).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: let rfc8785 name the problem
            pass
    return rfc8785.dumps(obj)


def sha256_hex(data: bytes) -> str:
    """Return the lowercase hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
