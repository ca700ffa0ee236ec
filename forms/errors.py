"""Errors raised by the study and form definitions, the value parser and the schedule.

``forms`` imports no package of ours, so these do not derive from ``desktop_crf.errors``; the
loader in ``desktop_crf.studies`` wraps them into the application's known errors. Each derives
from ``ValueError`` because each one is a value (an entry or a definition) that cannot be used.
"""

from __future__ import annotations


class FormsError(ValueError):
    """Base of every error raised on purpose by ``forms``; the message says what to fix."""


class DefinitionError(FormsError):
    """A study or form definition is inconsistent (e.g. a visit names an unknown form)."""


class ValueNotUnderstood(FormsError):
    """An entered value cannot be read as the type its item expects."""

    def __init__(self, text: str, expected: str) -> None:
        self.text = text
        self.expected = expected
        super().__init__(f"{text!r} cannot be read: expected {expected}.")


class UnknownUnit(FormsError):
    """A unit that the item neither uses nor lists as an alternative."""

    def __init__(self, item: str, unit: str, allowed: tuple[str, ...]) -> None:
        self.item = item
        self.unit = unit
        self.allowed = allowed
        super().__init__(f"{item}: unit {unit!r} is not accepted; use one of {', '.join(allowed)}.")
