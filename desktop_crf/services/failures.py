"""Failures of the environment that escape a read (a damaged page found while reading, a disk
that filled up): the known error a person can act on, for the CLI and the UI's one error
display. A write already raises them (``store.database.transaction``)."""

from __future__ import annotations

from desktop_crf.errors import KnownError

__all__ = ["known_failure"]


def known_failure(exc: BaseException) -> KnownError | None:
    """The ``KnownError`` that ``exc`` means (``exc`` itself if it is one), or None for a bug."""
    if isinstance(exc, KnownError):
        return exc
    # Imported here: the error display is installed before the unlock window, which comes up
    # without the database code (the store worker has imported it before it can fail).
    from desktop_crf.store.database import known_error

    return known_error(exc, "the site folder")
