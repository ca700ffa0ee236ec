"""Errors raised by the clinical instruments.

``forms`` imports no package of ours, so these do not derive from ``desktop_crf.errors``; the
desktop services turn them into the application's ``InvalidInput`` where needed. Every class
derives from ``ValueError`` because each one is a value that cannot be accepted.
"""

from __future__ import annotations


class InstrumentError(ValueError):
    """Base of every error raised by ``forms.instruments``; the message says what to fix."""


class InvalidNumber(InstrumentError):
    """A value that should be a number is empty, not a number, negative or infinite."""

    def __init__(self, name: str, value: object) -> None:
        self.name = name
        self.value = value
        super().__init__(
            f"{name}: {value!r} is not a valid number. Enter the value as written on the lab "
            "report, for example 1.8."
        )


class UnknownUnit(InstrumentError):
    """A unit that the instrument does not grade in."""

    def __init__(self, name: str, unit: object, allowed: tuple[str, ...]) -> None:
        self.name = name
        self.unit = unit
        self.allowed = allowed
        super().__init__(
            f"{name}: unit {unit!r} is not supported; use one of {', '.join(allowed)}."
        )


class UnknownChoice(InstrumentError):
    """A coded answer that is not one of the instrument's choices."""

    def __init__(self, name: str, value: object, allowed: tuple[str, ...]) -> None:
        self.name = name
        self.value = value
        self.allowed = allowed
        super().__init__(f"{name}: {value!r} is not one of {', '.join(allowed)}.")


class InvalidAnswer(InstrumentError):
    """A questionnaire answer outside its item's answer scale, or an item that does not exist."""

    def __init__(self, instrument: str, item: object, answer: object, why: str) -> None:
        self.instrument = instrument
        self.item = item
        self.answer = answer
        super().__init__(f"{instrument} item {item}: {why}")


class UnknownTerm(InstrumentError):
    """A CTCAE term that is not in the dictionary or has no laboratory grading."""

    def __init__(self, term: object, why: str) -> None:
        self.term = term
        super().__init__(f"CTCAE term {term!r}: {why}")


class ReasonRequired(InstrumentError):
    """An investigator's override of a suggested value without a reason."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}: give the reason, so that it can be reviewed.")


class GradeNotAvailable(InstrumentError):
    """A grade that CTCAE v5.0 does not define for the term (a "-" in the source)."""

    def __init__(self, term: str, grade: object, available: tuple[int, ...]) -> None:
        self.term = term
        self.grade = grade
        self.available = available
        shown = ", ".join(str(g) for g in available)
        super().__init__(
            f"CTCAE v5.0 has no grade {grade} for {term!r}; choose one of grades {shown}."
        )


class DictionaryInvalid(InstrumentError):
    """The CTCAE dictionary or synonym data does not have the expected shape."""

    def __init__(self, why: str) -> None:
        super().__init__(f"The CTCAE dictionary data is not valid: {why}.")


class NaiveTime(InstrumentError):
    """A time without a time zone, which cannot be placed on the 24-hour reporting clock."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} has no time zone, so the 24-hour deadline cannot be computed. Record the "
            "time with the site's time zone."
        )
