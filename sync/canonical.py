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
from collections.abc import Mapping
from typing import Any

import rfc8785

_MAX_SAFE_INT = 2**53 - 1
_encode_flat = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode


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
    if isinstance(obj, Mapping) and _is_flat_simple(obj):
        try:
            return _encode_flat(obj).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: let rfc8785 name the problem
            pass
    return rfc8785.dumps(obj)


def sha256_hex(data: bytes) -> str:
    """Return the lowercase hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
