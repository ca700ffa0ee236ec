"""Lab results as entered, including values below or above the limits of quantification.

``"<0.05 IU/mL"``, ``"<10"``, ``"target not detected"`` and ``">1.7E+08 IU/mL"`` are valid
results (DESIGN.md: never a made-up number). :func:`parse_quantity` reads such text into a
:class:`Quantity` that keeps what it says — a bound, not a value — and answers threshold
questions in three-valued logic: ``True``/``False`` when the entry decides, ``None`` when it
cannot (``"<20"`` against a cut-off of 10). A result below the LLOQ therefore counts as below
any cut-off at or above that LLOQ, and never as a number. Numbers are exact ``Decimal``.

Public names: :class:`Qualifier`, :class:`Quantity`, :func:`parse_quantity`,
:func:`parse_decimal`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from forms.errors import ValueNotUnderstood

_NOT_DETECTED = frozenset(
    {"target not detected", "not detected", "tnd", "undetectable", "未检出", "未检测到"}
)
_PREFIXES = {"<": "<", "<=": "<=", "≤": "<=", ">": ">", ">=": ">=", "≥": ">="}
_NUMBER = r"\d+(?:\.\d*)?|\.\d+"
_QUANTITY = re.compile(
    rf"^(?P<prefix><=|>=|<|>|≤|≥)?\s*(?P<number>{_NUMBER})"
    r"(?:\s*(?:[eE](?P<exp>[+-]?\d+)|[x×*]\s*10\^?(?P<pow>[+-]?\d+)))?"
    r"(?:\s*(?P<unit>(?:[^\W\d_]|[µ%/]|10\^).*))?$"
)
_DECIMAL = re.compile(rf"^[+-]?(?:{_NUMBER})(?:[eE][+-]?\d+)?$")
_MAX_MAGNITUDE = 30
EXPECTED = "a number, optionally with <, >, <= or >= (e.g. <10, >1.7E+08), or 'target not detected'"


class Qualifier(StrEnum):
    """What an entry says about the true value."""

    EXACT = "="
    BELOW = "<"
    AT_MOST = "<="
    ABOVE = ">"
    AT_LEAST = ">="
    NOT_DETECTED = "not detected"


@dataclass(frozen=True)
class Quantity:
    """A parsed lab result: qualifier, number (None when not detected) and unit if written."""

    qualifier: Qualifier
    value: Decimal | None
    unit: str | None = None

    @property
    def is_exact(self) -> bool:
        """True for a plain number; False for a bound or "not detected"."""
        return self.qualifier is Qualifier.EXACT

    @property
    def below_quantification(self) -> bool:
        """True for ``<x``, ``<=x`` and "target not detected"."""
        return self.qualifier in (Qualifier.BELOW, Qualifier.AT_MOST, Qualifier.NOT_DETECTED)

    def converted(self, convert: Callable[[Decimal], Decimal], unit: str | None) -> Quantity:
        """The same entry in another unit: ``convert`` applied to the number (or bound)."""
        value = None if self.value is None else convert(self.value)
        return replace(self, value=value, unit=unit)

    def is_below(self, threshold: Decimal) -> bool | None:
        """Is the true value < ``threshold``? None when the entry cannot tell."""
        q, v = self.qualifier, self.value
        if q is Qualifier.NOT_DETECTED:
            return threshold > 0
        assert v is not None
        if q is Qualifier.EXACT:
            return v < threshold
        if q is Qualifier.BELOW:
            return True if v <= threshold else None
        if q is Qualifier.AT_MOST:
            return True if v < threshold else None
        return False if v >= threshold else None

    def is_above(self, threshold: Decimal) -> bool | None:
        """Is the true value > ``threshold``? None when the entry cannot tell."""
        q, v = self.qualifier, self.value
        if q is Qualifier.NOT_DETECTED:
            return False if threshold >= 0 else None
        assert v is not None
        if q is Qualifier.EXACT:
            return v > threshold
        if q is Qualifier.ABOVE:
            return True if v >= threshold else None
        if q is Qualifier.AT_LEAST:
            return True if v > threshold else None
        return False if v <= threshold else None

    def compare(self, op: str, threshold: Decimal) -> bool | None:
        """Evaluate ``true value op threshold`` for op in <, <=, >, >=, ==; None if undecided."""
        if op == "<":
            return self.is_below(threshold)
        if op == ">":
            return self.is_above(threshold)
        if op in ("<=", ">="):
            opposite = self.is_above(threshold) if op == "<=" else self.is_below(threshold)
            return None if opposite is None else not opposite
        if self.is_exact and self.value is not None:
            return self.value == threshold
        return False if self.is_below(threshold) or self.is_above(threshold) else None


def _normalise(text: str) -> str:
    # Full-width forms (＜, ．, ＩＵ) come from Chinese input methods.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def parse_quantity(text: str) -> Quantity:
    """Read a lab result as entered.

    Accepts ``12.5``, ``<10``, ``< 0.05 IU/mL``, ``<=20``, ``>1.7E+08 IU/mL``, ``1.7×10^8``,
    ``target not detected`` (also ``not detected``, ``TND``, ``未检出``). Negative numbers are
    not results.

    Raises:
        ValueNotUnderstood: the text is none of the above.
    """
    clean = _normalise(text)
    if clean.lower() in _NOT_DETECTED:
        return Quantity(Qualifier.NOT_DETECTED, None)
    match = _QUANTITY.match(clean)
    if match is None:
        raise ValueNotUnderstood(text, EXPECTED)
    try:
        value = Decimal(match["number"])
        exponent = match["exp"] or match["pow"]
        if exponent is not None:
            value = value.scaleb(int(exponent))
    except (InvalidOperation, ValueError, OverflowError):
        raise ValueNotUnderstood(text, EXPECTED) from None
    # No lab result needs more than 30 digits or 10^±30; beyond that arithmetic could overflow.
    if (
        not value.is_finite()
        or abs(value.adjusted()) > _MAX_MAGNITUDE
        or len(value.as_tuple().digits) > 30
    ):
        raise ValueNotUnderstood(text, EXPECTED)
    qualifier = Qualifier(_PREFIXES.get(match["prefix"] or "", "="))
    unit = match["unit"].strip() if match["unit"] else None
    return Quantity(qualifier, value, unit)


def parse_decimal(text: str) -> Decimal:
    """Read a plain decimal number (no qualifier, no unit), e.g. ``"-1.5"`` or ``"170"``.

    Raises:
        ValueNotUnderstood: the text is not a finite decimal number.
    """
    clean = _normalise(text)
    if not _DECIMAL.match(clean):
        raise ValueNotUnderstood(text, "a number such as 1.8")
    try:
        number = Decimal(clean)
    except InvalidOperation:
        raise ValueNotUnderstood(text, "a number such as 1.8") from None
    if not number.is_finite() or abs(number.adjusted()) > _MAX_MAGNITUDE:
        raise ValueNotUnderstood(text, "a number such as 1.8")
    return number
