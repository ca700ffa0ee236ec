"""Exact decimal reading of entered values.

Clinical cut-offs are compared in exact decimal arithmetic (clinical.md, "CTCAE v5.0 lab-based
grades"): in binary floats 1.5 × 1.2 is 1.7999999999999998, so a bilirubin of 1.8 with an upper
limit of 1.2 would wrongly be graded 2. Values are therefore read into ``decimal.Decimal`` from the
text that was entered; a float is read from its shortest round-trip text (``repr``), which is the
number a person typed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from forms.instruments.errors import InvalidNumber

Number = Decimal | str | int | float
"""What the instruments accept wherever a measured value or a limit is expected."""


def to_decimal(value: Number, *, name: str) -> Decimal:
    """Read ``value`` as an exact, finite, non-negative decimal.

    Args:
        value: the value as ``Decimal``, ``str``, ``int`` or ``float``.
        name: what the value is, used in the error message (e.g. ``"bilirubin"``).

    Returns:
        The exact decimal value.

    Raises:
        InvalidNumber: for booleans, empty or non-numeric text, NaN, infinities and negative
            values, none of which is a laboratory result.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | str | int | float):
        raise InvalidNumber(name, value)
    text = repr(value) if isinstance(value, float) else value
    try:
        number = Decimal(text.strip()) if isinstance(text, str) else Decimal(text)
    except InvalidOperation:
        raise InvalidNumber(name, value) from None
    if not number.is_finite() or number < 0:
        raise InvalidNumber(name, value)
    return number
