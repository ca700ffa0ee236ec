"""Saving as a nurse who confirms the unusual values she meant to enter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop_crf.model import Changes, FormKey
from desktop_crf.services.data_entry import ItemInput, WarningsNotConfirmed, save_form
from desktop_crf.services.session import Session


def save_confirmed(
    session: Session, key: FormKey, items: Sequence[ItemInput], **options: Any
) -> Changes:
    """``save_form``; when the service asks to confirm warnings, confirm exactly those it
    named and save again (what the form view's confirmation box does)."""
    try:
        return save_form(session, key, items, **options)
    except WarningsNotConfirmed as asked:
        return save_form(session, key, items, accepted_warnings=asked.findings, **options)
