"""Exporting the visits done between two dates: what a data manager asks for ("the visits of
the first quarter"). A visit is in range when the date recorded on its visit form
(``F.VISIT`` / ``I.VISIT_DATE``) falls between the two dates, both included; a visit with no
visit date yet, and the running logs (which have none), are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date

from odm.model import SubjectRecord

VISIT_FORM, VISIT_DATE = "F.VISIT", "I.VISIT_DATE"

#: A visit: (subject, event, event repeat).
Visit = tuple[str, str, int]


@dataclass(frozen=True)
class VisitRange:
    """Visits dated from ``start`` to ``end``, both included (either may be open)."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(
                f"the range starts on {self.start} after it ends on {self.end}: "
                "give the earlier date first"
            )

    def holds(self, text: str | None) -> bool:
        """Whether a visit date as entered (ISO 8601) is in the range."""
        try:
            day = date.fromisoformat(str(text))
        except ValueError:
            return False
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def describe(self) -> str:
        """The range in words, for a file's description."""
        start = self.start.isoformat() if self.start else "the first"
        end = self.end.isoformat() if self.end else "the last"
        return f"visits dated {start} to {end}"

    def detail(self) -> dict[str, str]:
        """The range as the export's audit entry records it."""
        found = {}
        if self.start is not None:
            found["visits_from"] = self.start.isoformat()
        if self.end is not None:
            found["visits_to"] = self.end.isoformat()
        return found


def visits_in(subject: SubjectRecord, visits: VisitRange) -> set[tuple[str, int]]:
    """The subject's visits, (event, repeat), whose visit date is in ``visits``."""
    return {
        (form.event, form.event_repeat)
        for form in subject.forms
        if form.form == VISIT_FORM
        for value in form.values
        if value.item == VISIT_DATE and visits.holds(value.value)
    }


def within(subject: SubjectRecord, visits: VisitRange) -> SubjectRecord | None:
    """The subject with only the forms of its visits in range (None if it has none)."""
    kept = visits_in(subject, visits)
    forms = tuple(f for f in subject.forms if (f.event, f.event_repeat) in kept)
    return replace(subject, forms=forms) if forms else None


def subjects_within(
    subjects: Iterable[SubjectRecord], visits: VisitRange | None
) -> Iterator[SubjectRecord]:
    """Each subject with only its visits in range, those with none left out (all of them
    whole when ``visits`` is None)."""
    for subject in subjects:
        kept = subject if visits is None else within(subject, visits)
        if kept is not None:
            yield kept


def dated_visits(
    rows: Iterable[tuple[str, str, int, str | None]], visits: VisitRange
) -> set[Visit]:
    """The visits in range among ``rows`` of (subject, event, repeat, visit date)."""
    return {(s, e, int(r)) for s, e, r, day in rows if visits.holds(day)}


def entry_in(entry: dict[str, object], visits: set[Visit]) -> bool:
    """Whether an audit entry concerns one of ``visits`` (entries about no visit do not)."""
    subject, event, repeat = entry.get("subject"), entry.get("event"), entry.get("event_repeat")
    if subject is None or event is None:
        return False
    return (str(subject), str(event), int(str(repeat or 1))) in visits
