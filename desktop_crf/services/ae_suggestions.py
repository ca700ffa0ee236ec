"""Lab → AE suggestions: the saved values of a lab form graded by CTCAE v5.0 against the lab's
own limits and the subject's baseline as the study defines it (``Study.baseline``).

A value recorded before treatment (at a baseline visit, or sampled before the first dose) is
never suggested: it is the baseline, not an adverse event. Grades below the study's reporting
threshold (``Study.ae_min_grade``: grade 2 in the recurrence study) are not suggested either.

Public API:

- :func:`lab_suggestions` ``(session, key) -> list[Suggestion]``
- :func:`suggestion_values` ``(suggestion) -> dict[str, str]``: the AE form values an accepted
  suggestion fills in.
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from desktop_crf.errors import NotFound
from desktop_crf.instruments import load_ctcae_dictionary
from desktop_crf.model import FormKey, StoredValue
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.studies import load_form, load_study
from forms.instruments.lab_suggestions import (
    LAB_TERMS,
    LabValue,
    ReferenceRange,
    Suggestion,
    ae_values,
    suggest_adverse_events,
)
from forms.schema import FormDef
from forms.study import Study

#: Where the first dose of study treatment is recorded.
FIRST_DOSE = ("F.TREATMENT", "I.FIRST_DOSE_DATE")

Saved = dict[tuple[str, int, str], StoredValue]


def _subject(session: Session, subject_id: str) -> dict[str, Any]:
    subject = repo.get_subject(session.db, subject_id)
    if subject is None:
        raise NotFound(f"There is no subject {subject_id}.")
    return subject


def _date_of(value: str | None) -> date | None:
    with contextlib.suppress(ValueError, TypeError):
        return date.fromisoformat(value or "")
    return None


def first_dose_date(session: Session, subject: dict[str, Any], study: Study) -> date | None:
    """The date of the first dose of study treatment: the treatment form's, or the subject's
    anchor date in a study whose anchor is the first dose; None while not known."""
    rows = session.db.execute(
        "SELECT value FROM item_values WHERE subject_id = ? AND form = ? AND item = ?",
        [subject["subject_id"], *FIRST_DOSE],
    ).fetchall()
    found = [d for (value,) in rows if (d := _date_of(value)) is not None]
    if found:
        return min(found)
    return _date_of(subject.get("anchor_date")) if study.anchor.kind == "first_dose" else None


def _value(saved: Saved, form: FormDef, item: str) -> str | None:
    stored = saved.get((form.group_of(item).oid, 1, item))
    return None if stored is None else stored.value


def before_treatment(
    session: Session, subject: dict[str, Any], study: Study, key: FormKey, saved: Saved
) -> bool:
    """True for a form of a baseline visit, or one dated before the first dose."""
    if study.is_baseline(key.event):
        return True
    form = load_form(key.form)
    dated = _date_of(_value(saved, form, form.date_item)) if form.date_item else None
    first = first_dose_date(session, subject, study)
    return dated is not None and first is not None and dated < first


def _lab_values(form: FormDef, saved: Saved) -> dict[str, LabValue]:
    return {
        item: LabValue(stored.value, stored.unit)
        for (_group, rep, item), stored in saved.items()
        if item in LAB_TERMS and rep == 1 and stored.value is not None
    }


def _ranges(form: FormDef, saved: Saved, items: list[str]) -> dict[str, ReferenceRange]:
    ranges = {}
    for item in items:
        found = {bound: _value(saved, form, oid) for bound, oid in form.limits_of(item).items()}
        ranges[item] = ReferenceRange(found.get("LLN"), found.get("ULN"), form.items()[item].unit)
    return ranges


def baseline_values(
    session: Session, study: Study, key: FormKey, items: list[str]
) -> dict[str, LabValue]:
    """The baseline of each lab item: its value at the latest baseline visit that has it."""
    found: dict[str, LabValue] = {}
    for event in reversed(study.baseline.visits):
        saved = repo.form_values(session.db, FormKey(key.subject_id, event, key.form))
        for item, value in _lab_values(load_form(key.form), saved).items():
            if item in items:
                found.setdefault(item, value)
    return found


def lab_suggestions(session: Session, key: FormKey) -> list[Suggestion]:
    """CTCAE suggestions for the saved lab values of one lab form: grades from the study's
    reporting threshold up (``Study.ae_min_grade``), none for a form recorded before
    treatment."""
    session.require(Permission.VIEW_DATA)
    subject = _subject(session, key.subject_id)
    study = load_study(subject["study_id"], subject["study_version"])
    saved = repo.form_values(session.db, key)
    if before_treatment(session, subject, study, key, saved):
        return []
    form = load_form(key.form)
    values = _lab_values(form, saved)
    ranges = _ranges(form, saved, list(values))
    baseline = baseline_values(session, study, key, list(values))
    found = suggest_adverse_events(values, ranges, baseline)
    # "≥ grade 1" may well reach the threshold: the investigator grades it.
    return [s for s in found if s.grade >= study.ae_min_grade or s.at_least]


def suggestion_values(suggestion: Suggestion) -> dict[str, str]:
    """The AE form values an accepted lab suggestion fills in."""
    return ae_values(suggestion, load_ctcae_dictionary())
