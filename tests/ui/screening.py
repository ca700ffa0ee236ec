"""Screening data of an eligible subject of NCT07553767 (the reference subject), saved through
the services so a test can start from a screened subject."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from desktop_crf.model import FormKey
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.session import Session
from desktop_crf.studies import load_form
from tests.helpers.eligible import ELIGIBLE
from tests.helpers.saving import save_confirmed


def screening_with(**changes: str) -> dict[str, dict[str, Any]]:
    """The eligible data with some items changed, e.g. ``screening_with(**{"I.ALT": "400"})``."""
    data = deepcopy(ELIGIBLE)
    for item, value in changes.items():
        for form in data.values():
            if item in form:
                form[item] = value
    return data


def save_screening(
    session: Session, subject_id: str, data: dict[str, dict[str, Any]], skip: tuple[str, ...] = ()
) -> None:
    for form_oid, values in data.items():
        if form_oid in skip:
            continue
        form = load_form(form_oid)
        items = [ItemInput(form.group_of(item).oid, item, value) for item, value in values.items()]
        save_confirmed(session, FormKey(subject_id, "SE.SCREENING", form_oid), items)
