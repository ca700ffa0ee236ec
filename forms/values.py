"""Reading an entered value as the type its item expects, in the item's own unit.

Entered values are strings exactly as typed, optionally with a unit (:class:`ItemValue`); the
unit may also be written in the text (``"<0.05 IU/mL"``). :func:`read_quantity` converts a
measured value into the item's unit with the item's exact conversion factor; everything else is
read by :func:`read_typed`. Both raise specific errors a nurse can act on; validation turns
those into findings.

Public names: :data:`Entry`, :func:`as_item_value`, :func:`is_blank`, :func:`entry_text`,
:func:`normalise_unit`, :func:`read_quantity`, :func:`read_typed`, :func:`split_codes`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from forms.dates import PartialDate, parse_date, parse_partial_date
from forms.errors import UnknownUnit, ValueNotUnderstood
from forms.quantities import Qualifier, Quantity, parse_decimal, parse_quantity
from forms.schema import DataType, ItemDef, ItemValue

Entry = str | ItemValue
"""What callers pass for one item: the text, or the text with its unit."""

Typed = Quantity | date | PartialDate | str | tuple[str, ...] | int
_INTEGER = re.compile(r"^[+-]?\d{1,12}$")
BOOLEAN_CODES = ("Y", "N")


def as_item_value(entry: Entry) -> ItemValue:
    """Wrap plain text into an :class:`ItemValue` (no unit)."""
    return entry if isinstance(entry, ItemValue) else ItemValue(text=entry)


def is_blank(entry: Entry | None) -> bool:
    """True when nothing was entered (missing, empty or only spaces)."""
    if entry is None:
        return True
    return not (entry if isinstance(entry, str) else entry.text).strip()


def entry_text(entry: Entry | None) -> str | None:
    """The text entered, stripped; None when nothing was (see :func:`is_blank`)."""
    if entry is None:
        return None
    return (entry if isinstance(entry, str) else entry.text).strip() or None


def normalise_unit(unit: str) -> str:
    """Compare units loosely: case, spaces, full-width forms and µ/u do not matter."""
    folded = unicodedata.normalize("NFKC", unit).replace("µ", "u").replace("μ", "u")
    return "".join(folded.split()).lower()


def _unit_of(item: ItemDef, text: str, given: str | None, written: str | None) -> str | None:
    if given and written and normalise_unit(given) != normalise_unit(written):
        raise ValueNotUnderstood(text, f"one unit, not both {given} and {written}")
    return given or written or item.unit


def read_quantity(item: ItemDef, entry: Entry) -> Quantity:
    """Read a numeric item's value, converted into the item's own unit.

    Raises:
        ValueNotUnderstood: not a number (or, for quantities, not a lab result).
        UnknownUnit: a unit the item does not accept.
    """
    # the text and unit as they are: wrapping a plain text into an ItemValue validates a model
    text, given = (entry, None) if isinstance(entry, str) else (entry.text, entry.unit)
    if item.data_type is DataType.QUANTITY:
        parsed = parse_quantity(text)
    elif item.data_type is DataType.INTEGER:
        if not _INTEGER.match(text.strip()):
            raise ValueNotUnderstood(text, "a whole number such as 3")
        parsed = Quantity(Qualifier.EXACT, Decimal(text.strip()))
    else:
        parsed = Quantity(Qualifier.EXACT, parse_decimal(text))
    unit = _unit_of(item, text, given, parsed.unit)
    if unit is None or item.unit is None:
        if unit != item.unit:
            raise UnknownUnit(item.oid, unit or "", item.units or ("no unit",))
        return parsed
    if unit == item.unit or normalise_unit(unit) == normalise_unit(item.unit):
        return Quantity(parsed.qualifier, parsed.value, item.unit)
    for alt in item.alt_units:
        if normalise_unit(unit) == normalise_unit(alt.unit):
            return parsed.converted(alt.to_item_unit, item.unit)
    raise UnknownUnit(item.oid, unit, item.units)


def split_codes(text: str) -> tuple[str, ...]:
    """The codes of a multi-choice value, stored comma-separated (``"ANA,AMA"``)."""
    return tuple(code.strip() for code in text.split(",") if code.strip())


def _read_codes(item: ItemDef, text: str) -> tuple[str, ...]:
    codes = split_codes(text)
    allowed = tuple(c.code for c in item.choices)
    if not codes or any(code not in allowed for code in codes) or len(set(codes)) != len(codes):
        raise ValueNotUnderstood(text, f"one or more of {', '.join(allowed)}, separated by commas")
    return codes


def read_typed(item: ItemDef, entry: Entry) -> Typed:
    """Read ``entry`` as ``item``'s data type.

    Returns a :class:`Quantity` (numeric items, in the item's unit), ``date``,
    :class:`PartialDate`, the choice code, a tuple of codes (multi-choice), ``"Y"``/``"N"``
    (boolean) or the text.

    Raises:
        ValueNotUnderstood: the text is not of the expected type.
        UnknownUnit: a numeric value in a unit the item does not accept.
    """
    text = as_item_value(entry).text
    kind = item.data_type
    if kind in (DataType.INTEGER, DataType.DECIMAL, DataType.QUANTITY):
        return read_quantity(item, entry)
    if kind is DataType.DATE:
        return parse_date(text)
    if kind is DataType.PARTIAL_DATE:
        return parse_partial_date(text)
    if kind is DataType.CHOICE:
        allowed = tuple(c.code for c in item.choices)
        if text.strip() not in allowed:
            raise ValueNotUnderstood(text, f"one of {', '.join(allowed)}")
        return text.strip()
    if kind is DataType.MULTI_CHOICE:
        return _read_codes(item, text)
    if kind is DataType.BOOLEAN:
        if text.strip() not in BOOLEAN_CODES:
            raise ValueNotUnderstood(text, "Y (yes) or N (no)")
        return text.strip()
    if item.max_length is not None and len(text) > item.max_length:
        raise ValueNotUnderstood(text[:40], f"at most {item.max_length} characters")
    return text
