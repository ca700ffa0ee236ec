"""Values below or above quantification are kept as entered and compared by what they tell."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.errors import ValueNotUnderstood
from forms.quantities import Qualifier, parse_decimal, parse_quantity


@pytest.mark.parametrize(
    ("text", "qualifier", "value", "unit"),
    [
        ("<0.05 IU/mL", Qualifier.BELOW, "0.05", "IU/mL"),
        ("<10", Qualifier.BELOW, "10", None),
        ("target not detected", Qualifier.NOT_DETECTED, None, None),
        ("Target Not Detected", Qualifier.NOT_DETECTED, None, None),
        ("未检出", Qualifier.NOT_DETECTED, None, None),
        (">1.7E+08 IU/mL", Qualifier.ABOVE, "170000000", "IU/mL"),
        ("1.7×10^8", Qualifier.EXACT, "170000000", None),
        ("≤20", Qualifier.AT_MOST, "20", None),
        (">= 5", Qualifier.AT_LEAST, "5", None),
        ("＜10", Qualifier.BELOW, "10", None),
        ("1999.99", Qualifier.EXACT, "1999.99", None),
    ],
)
def test_entries_as_written_on_lab_reports(
    text: str, qualifier: Qualifier, value: str | None, unit: str | None
) -> None:
    quantity = parse_quantity(text)
    assert quantity.qualifier is qualifier
    assert quantity.value == (None if value is None else Decimal(value))
    assert quantity.unit == unit


@pytest.mark.parametrize("text", ["", "abc", "-1", "1..2", "<", "10 <", "1e99", "NaN", "inf"])
def test_what_is_not_a_result(text: str) -> None:
    with pytest.raises(ValueNotUnderstood):
        parse_quantity(text)


def test_below_the_lloq_is_below_a_cut_off_at_or_above_it_and_never_a_number() -> None:
    ten = Decimal(10)
    assert parse_quantity("<10").is_below(ten) is True
    assert parse_quantity("target not detected").is_below(ten) is True
    assert parse_quantity("<20").is_below(ten) is None  # cannot tell: no made-up number
    assert parse_quantity("10").is_below(ten) is False
    assert parse_quantity("9.99").is_below(ten) is True
    assert parse_quantity(">1.7E+08").is_above(Decimal(2000)) is True
    assert parse_quantity(">1000").is_below(Decimal(2000)) is None


def test_compare_uses_exact_decimals() -> None:
    assert parse_quantity("2000").compare("<", Decimal(2000)) is False
    assert parse_quantity("1999.99").compare("<", Decimal(2000)) is True
    assert parse_quantity("0.05").compare(">=", Decimal("0.05")) is True
    assert parse_quantity("<0.05").compare(">=", Decimal("0.05")) is False
    assert parse_quantity("<0.05").compare("==", Decimal("0.01")) is None
    assert parse_quantity("3.0").compare("==", Decimal(3)) is True


def test_plain_decimals() -> None:
    assert parse_decimal("-1.5") == Decimal("-1.5")
    with pytest.raises(ValueNotUnderstood):
        parse_decimal("<1")


@given(st.text(max_size=40))
def test_parsing_any_text_either_reads_it_or_says_why(text: str) -> None:
    try:
        quantity = parse_quantity(text)
    except ValueNotUnderstood as exc:
        message = str(exc)
        quantity = None
    else:
        message = ""
    assert (quantity is None and "expected" in message) or (
        quantity is not None and (quantity.value is None or quantity.value >= 0)
    )
