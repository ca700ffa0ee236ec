"""Lab → AE suggestions: the saved values of a lab form graded by CTCAE v5.0 against the lab's
own limits and the subject's baseline as the study defines it (``Study.baseline``). The limits
are the sample's own LLN/ULN where entered, else the laboratory's recorded reference range for
the sample (``services.lab_limits``).

A value recorded before treatment (at a baseline visit, or sampled before the first dose) is
never suggested: it is the baseline, not an adverse event. Grades below the study's reporting
threshold (``Study.ae_min_grade``: grade 2 in the recurrence study) are not suggested either.

An AE created from a suggestion stays linked to its lab value (``I.AELABSRC`` and the value it
was created from, ``I.AELABVAL``, on the AE form, so the link is audited, signed and synced with
the AE): that value is never offered again, and when it changes the AE is flagged for review
with old → new (:class:`LinkReview`) until someone reviews it.

Public API:

- :func:`lab_suggestions` ``(session, key) -> list[Suggestion]``
- :func:`suggestion_values` ``(suggestion) -> dict[str, str]``: the AE form values an accepted
  suggestion fills in (the link, and the sample date as onset).
- :func:`linked_ae_reviews` ``(session, subject_id) -> list[LinkReview]``: the AEs whose lab
  value changed since they were created or last reviewed.
- :func:`review_linked_ae` ``(session, subject_id, repeat, *, reason, grade=None) -> Changes``
- :func:`decline_suggestion` ``(session, key, suggestion, *, reason) -> Changes``: the
  decision not to add a suggested AE, kept as an audit entry (``ae.suggestion.decline``: who,
  when, why), which sync carries to the other computers like any change. A declined value is
  not offered again (a changed value is).
- :func:`declined_suggestions` ``(session, subject_id) -> list[DeclinedSuggestion]``
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from desktop_crf.errors import InvalidInput, NotFound, ReasonRequired
from desktop_crf.instruments import load_ctcae_dictionary
from desktop_crf.model import Changes, FormKey, StoredValue
from desktop_crf.services.ae_log import AE_GROUP, ae_key, ae_repeats
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.lab_limits import form_limits
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import subject_entries
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

#: The audit action of a declined suggestion.
DECLINE_ACTION = "ae.suggestion.decline"

Saved = dict[tuple[str, int, str], StoredValue]
_SOURCE = re.compile(r"^(SE\.[A-Z0-9_]+)\[(\d+)\]/(F\.[A-Z0-9_]+)/(I\.[A-Z0-9_.]+)$")


def _subject(session: Session, subject_id: str) -> dict[str, Any]:
    subject = repo.get_subject(session.db, subject_id)
    if subject is None:
        raise NotFound(f"There is no subject {subject_id}.")
    return subject


def _date_of(value: str | None) -> date | None:
    with contextlib.suppress(ValueError, TypeError):
        return date.fromisoformat(value or "")
    return None


def _first_dose_date(session: Session, subject: dict[str, Any], study: Study) -> date | None:
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


def _before_treatment(
    session: Session, subject: dict[str, Any], study: Study, key: FormKey, saved: Saved
) -> bool:
    """True for a form of a baseline visit, or one dated before the first dose."""
    if study.is_baseline(key.event):
        return True
    form = load_form(key.form)
    dated = _date_of(_value(saved, form, form.date_item)) if form.date_item else None
    first = _first_dose_date(session, subject, study)
    return dated is not None and first is not None and dated < first


def _lab_values(form: FormDef, saved: Saved) -> dict[str, LabValue]:
    return {
        item: LabValue(stored.value, stored.unit)
        for (_group, rep, item), stored in saved.items()
        if item in LAB_TERMS and rep == 1 and stored.value is not None
    }


def _ranges(session: Session, key: FormKey, items: list[str]) -> dict[str, ReferenceRange]:
    """Each value's LLN/ULN: the sample's own when entered, else the laboratory's recorded
    range for the sample (``services.lab_limits``)."""
    limits = form_limits(session, key).analytes
    return {
        item: ReferenceRange(found.lln, found.uln, found.unit)
        for item in items
        if (found := limits.get(item)) is not None
    }


def _baseline_values(
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


def _shown(value: str | None, unit: str | None) -> str | None:
    return None if value is None else (f"{value} {unit}" if unit else value)


def _graded(
    session: Session, subject: dict[str, Any], study: Study, key: FormKey
) -> list[Suggestion]:
    """Every grade ≥ 1 of one lab form's values, each with where it came from."""
    saved = repo.form_values(session.db, key)
    if _before_treatment(session, subject, study, key, saved):
        return []
    form = load_form(key.form)
    values = _lab_values(form, saved)
    ranges = _ranges(session, key, list(values))
    baseline = _baseline_values(session, study, key, list(values))
    sample = _value(saved, form, form.date_item) if form.date_item else None
    return [
        replace(
            s,
            event=key.event,
            event_repeat=key.event_repeat,
            form=key.form,
            value=str(values[s.item].value),
            unit=values[s.item].unit,
            sample_date=sample,
        )
        for s in suggest_adverse_events(values, ranges, baseline)
    ]


def linked_sources(session: Session, subject_id: str) -> dict[str, int]:
    """The lab values AEs of the subject were created from: source → AE repeat."""
    session.require(Permission.VIEW_DATA)
    return {
        str(v["I.AELABSRC"]): rep
        for rep, v in ae_repeats(session, subject_id).items()
        if v.get("I.AELABSRC")
    }


def lab_suggestions(session: Session, key: FormKey) -> list[Suggestion]:
    """CTCAE suggestions for the saved lab values of one lab form: grades from the study's
    reporting threshold up (``Study.ae_min_grade``), none for a form recorded before
    treatment, none for a value an AE of the log was created from or that was declined."""
    session.require(Permission.VIEW_DATA)
    subject = _subject(session, key.subject_id)
    study = load_study(subject["study_id"], subject["study_version"])
    linked = linked_sources(session, key.subject_id)
    declined = {d.decided for d in _declined(session, key.subject_id)}
    return [
        s
        for s in _graded(session, subject, study, key)
        # "≥ grade 1" may well reach the threshold: the investigator grades it.
        if (s.grade >= study.ae_min_grade or s.at_least)
        and s.source not in linked
        and _decided(s) not in declined
    ]


def suggestion_values(suggestion: Suggestion) -> dict[str, str]:
    """The AE form values an accepted lab suggestion fills in: term, code, grade (when the
    value decides it), the rule, the link to the value and the sample date as onset."""
    return ae_values(suggestion, load_ctcae_dictionary())


@dataclass(frozen=True)
class LinkReview:
    """An AE whose lab value changed since the AE was created or last reviewed.

    ``old``: the value the AE rests on; ``new``: the value now (None: deleted);
    ``suggestion``: what the value now grades (None: no grade ≥ 1 by the lab criterion).
    """

    repeat: int
    source: str
    old: str | None
    new: str | None
    suggestion: Suggestion | None


def _current(session: Session, subject_id: str, source: str) -> tuple[FormKey, str, str | None]:
    match = _SOURCE.match(source)
    if match is None:
        raise InvalidInput(f"{source!r} does not name a laboratory value.")
    event, repeat, form_oid, item = match.groups()
    key = FormKey(subject_id, event, form_oid, int(repeat))
    form = load_form(form_oid)
    stored = repo.form_values(session.db, key).get((form.group_of(item).oid, 1, item))
    return key, item, None if stored is None else _shown(stored.value, stored.unit)


def link_reviews(session: Session, subject_id: str) -> dict[int, LinkReview]:
    """The linked AEs to review, by AE repeat."""
    session.require(Permission.VIEW_DATA)
    repeats = ae_repeats(session, subject_id)
    if not any(v.get("I.AELABSRC") for v in repeats.values()):
        return {}
    subject = _subject(session, subject_id)
    study = load_study(subject["study_id"], subject["study_version"])
    reviews = {}
    for rep, v in repeats.items():
        source = v.get("I.AELABSRC")
        if not source or not _SOURCE.match(source):
            continue
        key, item, now = _current(session, subject_id, source)
        if now == v.get("I.AELABVAL"):
            continue
        graded = _graded(session, subject, study, key) if now is not None else []
        regrade = next((s for s in graded if s.item == item), None)
        reviews[rep] = LinkReview(rep, source, v.get("I.AELABVAL"), now, regrade)
    return reviews


def linked_ae_reviews(session: Session, subject_id: str) -> list[LinkReview]:
    """The subject's AEs flagged for review: their lab value changed (old → new) since they
    were created from it or last reviewed."""
    session.require(Permission.VIEW_DATA)
    return list(link_reviews(session, subject_id).values())


def review_linked_ae(
    session: Session, subject_id: str, repeat: int, *, reason: str, grade: str | None = None
) -> Changes:
    """Review an AE flagged because its lab value changed: the AE now rests on the new value
    (and its rule), with the grade the reviewer chose (``None`` keeps it). One save of the
    AE log, audited with the reason.

    Raises:
        InvalidInput: no reason, or the AE is not flagged for review.
        ClinicalContradiction: a grade CTCAE does not define for the AE's term.
    """
    session.require(Permission.ENTER_DATA)
    why = reason.strip()
    if not why:
        raise InvalidInput("Give the reason for the review: it is kept in the audit trail.")
    review = link_reviews(session, subject_id).get(repeat)
    if review is None:
        raise InvalidInput(
            f"AE #{repeat} has nothing to review: its laboratory value has not changed since "
            "the event was created from it or last reviewed."
        )
    rule = review.suggestion.rule if review.suggestion is not None else None
    items = [
        ItemInput(AE_GROUP, "I.AELABVAL", review.new, group_repeat=repeat),
        ItemInput(AE_GROUP, "I.AELABRULE", rule, group_repeat=repeat),
    ]
    if grade is not None:
        items.append(ItemInput(AE_GROUP, "I.AEGRADE", grade, group_repeat=repeat))
    return save_form(session, ae_key(subject_id), items, reason=why)


@dataclass(frozen=True)
class DeclinedSuggestion:
    """A suggestion someone decided not to add to the AE log: who, when (UTC), why, and what
    was suggested from which value."""

    user: str
    role: str
    at: str
    reason: str
    source: str
    value: str
    term: str
    grade: int
    at_least: bool

    @property
    def decided(self) -> tuple[str, str, int, bool]:
        return (self.source, self.value, self.grade, self.at_least)


def _decided(suggestion: Suggestion) -> tuple[str, str, int, bool]:
    """What a decision is about: the value (where and as entered) and what it suggested."""
    return (
        suggestion.source or "",
        suggestion.shown_value or "",
        suggestion.grade,
        suggestion.at_least,
    )


def _declined(session: Session, subject_id: str) -> list[DeclinedSuggestion]:
    found = []
    for entry in subject_entries(session.db, subject_id, DECLINE_ACTION):
        try:
            detail = json.loads(entry.get("detail") or "{}")
            found.append(
                DeclinedSuggestion(
                    user=str(entry["user"]),
                    role=str(entry["role"]),
                    at=str(entry["ts"]),
                    reason=str(entry.get("reason") or ""),
                    source=str(detail["source"]),
                    value=str(entry.get("new") or ""),
                    term=str(detail["term"]),
                    grade=int(detail["grade"]),
                    at_least=bool(detail.get("at_least", False)),
                )
            )
        except (ValueError, KeyError, TypeError):
            continue  # not one this version wrote: kept in the trail, not read here
    return found


def declined_suggestions(session: Session, subject_id: str) -> list[DeclinedSuggestion]:
    """The subject's declined suggestions, oldest first, from every computer of the site."""
    session.require(Permission.VIEW_DATA)
    return _declined(session, subject_id)


def decline_suggestion(
    session: Session, key: FormKey, suggestion: Suggestion, *, reason: str
) -> Changes:
    """Record that ``suggestion`` (from the lab form ``key``) is not an adverse event, and why.

    The decision is one audit entry (``ae.suggestion.decline``): the user, the time and the
    reason, with the value and the suggested term and grade. The same value is not suggested
    again; a changed value is a new question.

    Raises:
        ReasonRequired: no reason.
        InvalidInput: the value no longer gives this suggestion (changed meanwhile).
    """
    session.require(Permission.ENTER_DATA)
    why = reason.strip()
    if not why:
        raise ReasonRequired(suggestion.item)
    offered = {_decided(s): s for s in lab_suggestions(session, key)}
    current = offered.get(_decided(suggestion))
    if current is None:
        raise InvalidInput(
            f"The suggested {suggestion.term} is no longer offered for this value (it changed, "
            "is in the AE log or was declined already): look at the lab form again."
        )
    form = load_form(key.form)
    detail = {
        "source": current.source,
        "term": current.term,
        "grade": current.grade,
        "at_least": current.at_least,
        "rule": current.rule,
    }
    with session.write() as audit:
        audit.append(
            DECLINE_ACTION,
            **key.audit_place(),
            item_group=form.group_of(current.item).oid,
            group_repeat=1,
            item=current.item,
            new=current.shown_value,
            reason=why,
            detail=json.dumps(detail, sort_keys=True, ensure_ascii=False),
        )
    return Changes(
        key.subject_id, key.event, key.form, (current.item,), event_repeat=key.event_repeat
    )
