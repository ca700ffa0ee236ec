"""A subject's derived endpoints, as the study file declares them, from the saved data.

Public API:

- :func:`subject_endpoints` ``(session, subject_id) -> list[EndpointValue]``: every endpoint
  of the subject's study version (``Study.endpoints``, with the file's own parameters),
  derived by :func:`forms.endpoints.evaluate_endpoints`: HBsAg loss, seroconversion, confirmed
  loss and decline; undetectable HBV DNA; Child-Pugh deterioration; recurrence, time to
  recurrence, RFS and OS with their landmark years; QLQ-C30 change.
- :func:`subject_data` ``(session, subject_id) -> SubjectData``: what the endpoints read.

The start dates of time-to-event endpoints come from the forms where they are entered
(``forms.endpoint_defs.START_ITEMS``); the study's anchor date recorded at enrolment stands in
for its own kind while the form does not hold it yet.
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from desktop_crf.errors import NotFound
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.studies import bundled_forms, load_study
from forms.endpoint_data import FormRecord, SubjectData
from forms.endpoint_defs import START_ITEMS
from forms.endpoints import EndpointValue, evaluate_endpoints
from forms.schema import ItemValue, item_path
from forms.values import Entry

__all__ = ["EndpointValue", "subject_data", "subject_endpoints"]


def _subject(session: Session, subject_id: str) -> dict[str, Any]:
    subject = repo.get_subject(session.db, subject_id)
    if subject is None:
        raise NotFound(f"There is no subject {subject_id}.")
    return subject


def _records(session: Session, subject_id: str) -> list[FormRecord]:
    forms = bundled_forms()
    grouped: dict[tuple[str, int, str], dict[str, Entry]] = {}
    for event, ev_rep, form, group, rep, item, value, unit, _rev, _c in repo.subject_values(
        session.db, subject_id
    ):
        if value is None or form not in forms:
            continue
        repeating = any(g.oid == group and g.repeating for g in forms[form].item_groups)
        path = item_path(item, group_oid=group, repeat=rep) if repeating else item
        entry: Entry = ItemValue(text=value, unit=unit) if unit else value
        grouped.setdefault((event, ev_rep, form), {})[path] = entry
    return [FormRecord(e, r, f, values) for (e, r, f), values in grouped.items()]


def _starts(records: list[FormRecord], subject: dict[str, Any], anchor: str) -> dict[str, date]:
    starts: dict[str, date] = {}
    for kind, ref in START_ITEMS.items():
        form, item = ref.split("/")
        found = [d for r in records if r.form == form and (d := r.date(item)) is not None]
        if found:
            starts[kind] = min(found)
    if anchor not in starts and subject.get("anchor_date"):
        with contextlib.suppress(ValueError):
            starts[anchor] = date.fromisoformat(subject["anchor_date"])
    return starts


def subject_data(session: Session, subject_id: str) -> SubjectData:
    """Every saved form of the subject, with the study's baseline visits and start dates.

    Raises:
        NotFound: no such subject.
    """
    session.require(Permission.VIEW_DATA)
    subject = _subject(session, subject_id)
    study = load_study(subject["study_id"], subject["study_version"])
    records = _records(session, subject_id)
    starts = _starts(records, subject, study.anchor.kind)
    return SubjectData.of(study, bundled_forms(), records, starts=starts)


def subject_endpoints(session: Session, subject_id: str) -> list[EndpointValue]:
    """Every endpoint the subject's study declares, derived from the saved data.

    Raises:
        NotFound: no such subject.
    """
    data = subject_data(session, subject_id)
    subject = _subject(session, subject_id)
    return evaluate_endpoints(load_study(subject["study_id"], subject["study_version"]), data)
