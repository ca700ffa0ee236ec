"""Full and partial dates, and calendar arithmetic for windows and landmarks."""

from __future__ import annotations

from datetime import date

import pytest

from forms.dates import (
    PartialDate,
    add_months,
    add_years,
    parse_date,
    parse_partial_date,
    years_between,
)
from forms.errors import ValueNotUnderstood


def test_partial_dates_keep_what_is_known() -> None:
    assert parse_partial_date("2019") == PartialDate(2019)
    assert parse_partial_date("2019-03") == PartialDate(2019, 3)
    assert parse_partial_date("2019-03-UN") == PartialDate(2019, 3)
    assert parse_partial_date("2019-UN-UN") == PartialDate(2019)
    assert parse_partial_date("2019-03-15") == PartialDate(2019, 3, 15)
    assert PartialDate(2020, 2).latest == date(2020, 2, 29)
    assert PartialDate(2019).earliest == date(2019, 1, 1)


@pytest.mark.parametrize("text", ["2019-UN-15", "2019-13", "2019-02-29", "19-03-01", "", "x"])
def test_impossible_partial_dates(text: str) -> None:
    with pytest.raises(ValueNotUnderstood):
        parse_partial_date(text)


def test_partial_dates_compare_only_as_far_as_they_can() -> None:
    march = PartialDate(2019, 3)
    assert march.definitely_before(PartialDate.of(date(2019, 4, 1)))
    assert not march.definitely_before(PartialDate.of(date(2019, 3, 31)))
    assert not PartialDate.of(date(2019, 3, 31)).definitely_before(march)


def test_full_dates() -> None:
    assert parse_date("2026-03-31") == date(2026, 3, 31)
    for text in ("2026-02-30", "2026/03/31", "31-03-2026", "2026-3-1"):
        with pytest.raises(ValueNotUnderstood):
            parse_date(text)


def test_calendar_arithmetic() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert years_between(date(2008, 3, 31), date(2026, 3, 30)) == 17
    assert years_between(date(2008, 3, 31), date(2026, 3, 31)) == 18
