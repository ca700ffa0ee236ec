"""Dates as entered: full ISO dates and partial dates with an unknown day or month.

History (diagnosis date, start of an NA) is often known only to the month or year. A
:class:`PartialDate` keeps what is known (``"2019"``, ``"2019-03"``, or ``"2019-UN-UN"`` /
``"2019-03-UN"`` in the CDISC style) and compares only as far as it can: it is *definitely*
before another date when its latest possible day is.

Public names: :func:`parse_date`, :class:`PartialDate`, :func:`parse_partial_date`,
:func:`add_months`, :func:`add_years`, :func:`years_between`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from forms.errors import ValueNotUnderstood

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}|UN|UNK))?(?:-(\d{2}|UN|UNK))?$", re.IGNORECASE)
DATE_EXPECTED = "a date as YYYY-MM-DD, e.g. 2026-03-31"
PARTIAL_EXPECTED = "a date as YYYY-MM-DD, or YYYY-MM / YYYY when the day or month is unknown"


def parse_date(text: str) -> date:
    """Read a full date written YYYY-MM-DD.

    Raises:
        ValueNotUnderstood: another format, or a day that does not exist (2026-02-30).
    """
    match = _ISO.match(text.strip())
    if match is None:
        raise ValueNotUnderstood(text, DATE_EXPECTED)
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueNotUnderstood(text, DATE_EXPECTED) from None


@dataclass(frozen=True)
class PartialDate:
    """A date whose month and/or day may be unknown (a known day needs a known month)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def earliest(self) -> date:
        """The first day the date can be."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        """The last day the date can be."""
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def definitely_before(self, other: PartialDate) -> bool:
        """True when every day this can be is before every day ``other`` can be."""
        return self.latest < other.earliest

    @classmethod
    def of(cls, day: date) -> PartialDate:
        """The partial date of a full date."""
        return cls(day.year, day.month, day.day)


def parse_partial_date(text: str) -> PartialDate:
    """Read ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``YYYY-MM-UN`` or ``YYYY-UN-UN``.

    Raises:
        ValueNotUnderstood: another format, a known day with an unknown month, or a day or
            month that does not exist.
    """
    match = _PARTIAL.match(text.strip())
    if match is None:
        raise ValueNotUnderstood(text, PARTIAL_EXPECTED)
    year = int(match[1])
    month = int(match[2]) if match[2] and match[2].isdigit() else None
    day = int(match[3]) if match[3] and match[3].isdigit() else None
    if day is not None and month is None:
        raise ValueNotUnderstood(text, PARTIAL_EXPECTED)
    try:
        PartialDate(year, month, day).latest  # noqa: B018 (checks the day exists)
        date(year, month or 1, day or 1)
    except ValueError:
        raise ValueNotUnderstood(text, PARTIAL_EXPECTED) from None
    return PartialDate(year, month, day)


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months; the 31st becomes the month's last day when needed."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """``day`` plus calendar years (29 February becomes 28 February in common years)."""
    return add_months(day, 12 * years)


def years_between(start: date, end: date) -> int:
    """Completed years from ``start`` to ``end`` (age on ``end`` of someone born on ``start``)."""
    years = end.year - start.year
    return years - 1 if (end.month, end.day) < (start.month, start.day) else years
