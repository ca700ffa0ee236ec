"""Saving and loading form data: one save is one transaction with its audit entries.

A save obeys the rules of ``form_rules`` whoever calls it: values only where the form has a
place for them, "complete" only without errors, a warning on a changed value only once
confirmed (and the confirmation audited), and a per-sample LLN/ULN that differs from the
laboratory's recorded range only with a reason (``services.lab_limits``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from desktop_crf.errors import InvalidInput, KnownError, NotFound, ReasonRequired
from desktop_crf.instruments import load_ctcae_dictionary
from desktop_crf.model import Changes, FormKey, StoredValue
from desktop_crf.services.form_rules import (
    CLINICAL_CHECKS,
    DERIVED_REASON,
    AcceptedWarning,
    ClinicalContradiction,
    FormHasErrors,
    ImportSource,
    ItemReservedForRole,
    ItemsNotInForm,
    Place,
    WarningsNotConfirmed,
    accepted_set,
    check_places,
    confirmed,
    context_for,
    errors_of,
    form_entries,
    item_detail,
    refuse_contradictions,
    status_detail,
    stored_derivations,
    unconfirmed,
    value_path,
)
from desktop_crf.services.lab_limits import form_limits, overriding
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import AuditWriter, utc_now
from desktop_crf.studies import load_form as form_definition
from forms.lab_ranges import LAB_NAME_ITEM
from forms.schema import FormDef
from forms.validation import Finding, ValidationContext, validate

__all__ = [
    "CLINICAL_CHECKS",
    "AcceptedWarning",
    "ChangedElsewhere",
    "ClinicalContradiction",
    "FormData",
    "FormHasErrors",
    "FormSave",
    "ImportSource",
    "ItemInput",
    "ItemsNotInForm",
    "LimitOverrideNeedsReason",
    "PatientAnswerReasonRequired",
    "SubjectRecord",
    "WarningsNotConfirmed",
    "autosave",
    "form_findings",
    "load_form",
    "load_subject",
    "pending_autosave",
    "save_form",
    "save_forms",
    "validation_context",
]

MAX_VALUE_LENGTH = 4000


@dataclass(frozen=True)
class ItemInput:
    """One value as the user entered it: kept as the exact string, with its unit."""

    item_group: str
    item: str
    value: str | None
    unit: str | None = None
    group_repeat: int = 1
    reason: str | None = None
    base_rev: int | None = None  # the revision the user saw (0: empty); None: not checked
    imported: ImportSource | None = None  # the file row it comes from, kept in the audit entry


class ChangedElsewhere(KnownError):
    """Values the user changed were changed meanwhile by another computer (they came by sync
    while the form was open): saving would overwrite them unseen, so nothing is saved."""

    def __init__(self, items: Sequence[str]) -> None:
        self.items = tuple(items)
        super().__init__(
            f"{', '.join(self.items)} changed on another computer while this form was open. "
            "Nothing was saved: look at the new values, then save again."
        )


@dataclass(frozen=True)
class FormData:
    key: FormKey
    status: str | None  # None: not started; "draft"; "complete"
    values: dict[tuple[str, int, str], StoredValue]
    signature: dict[str, Any] | None  # with "state": "valid" or "broken"

    def value(self, item_group: str, item: str, group_repeat: int = 1) -> str | None:
        stored = self.values.get((item_group, group_repeat, item))
        return stored.value if stored else None


def _normalise(value: str | None) -> str | None:
    if value is None or value.strip() == "":
        return None
    if len(value) > MAX_VALUE_LENGTH:
        raise InvalidInput(f"A value may have at most {MAX_VALUE_LENGTH} characters.")
    return value


def _rev(stored: StoredValue | None) -> int:
    return stored.rev if stored else 0


def _check_access(session: Session, key: FormKey) -> None:
    if session.patient_subject is not None:
        session.require_form(key)
    else:
        session.require(Permission.ENTER_DATA)
    if repo.get_subject(session.db, key.subject_id) is None:
        raise NotFound(f"There is no subject {key.subject_id}.")


def save_form(
    session: Session,
    key: FormKey,
    items: Sequence[ItemInput],
    *,
    complete: bool | None = None,
    reason: str | None = None,
    accepted_warnings: Iterable[Finding | AcceptedWarning] = (),
) -> Changes:
    """Save entered values (and optionally the form status) in one transaction.

    A changed value that was saved before needs a reason (the item's own, or ``reason`` for all
    of them). Values are stored exactly as entered; the item's revision goes up by one and the
    audit entry records the revision the user saw (``base_rev``).

    An item given with ``base_rev`` is saved only if it is still at that revision: a sync may
    have brought another computer's value while the form was open.

    The form as it would be after the save (the stored values with the new ones) is validated
    with :func:`validation_context`. ``complete=True`` needs it free of errors; a draft
    (``complete`` None or False) is saved whatever it holds. A warning on a value this save
    changes needs a confirmation: ``accepted_warnings`` names the warnings the person confirmed,
    as (item path, finding key) pairs or as the ``Finding`` objects shown to them. Each
    ``item.set`` entry records in ``detail`` the warnings confirmed on it, and the
    ``form.status`` entry of a completion those of the whole form. A completed form that this
    save leaves with errors goes back to draft.

    Raises:
        NotFound: no such subject, or the form is not bundled. ItemsNotInForm: values for items
        the form has no place for. ReasonRequired: a saved value changes and no reason was
        given, or a per-sample LLN/ULN differs from the laboratory's recorded range for the
        sample and no reason was given (``LimitOverrideNeedsReason``). ChangedElsewhere:
        items are no longer at the revision the user saw.
        FormHasErrors: ``complete=True`` and errors remain. ClinicalContradiction: the values
        break a clinical cross-check of the form (a draft may leave one unanswered, never
        contradicted). WarningsNotConfirmed: a changed value has a warning that was not
        confirmed. Nothing is written in any of these cases.
    """
    form = _prepared(session, key, items)
    accepted = accepted_set(accepted_warnings)
    with session.write() as audit:
        return _save(session, audit, key, form, items, complete, reason, accepted)


@dataclass(frozen=True)
class FormSave:
    """One form's part of :func:`save_forms`: what :func:`save_form` takes."""

    key: FormKey
    items: Sequence[ItemInput]
    complete: bool | None = None
    reason: str | None = None
    accepted_warnings: Sequence[Finding | AcceptedWarning] = ()


def save_forms(session: Session, saves: Sequence[FormSave]) -> Changes:
    """Save several forms in one transaction, each by exactly the rules of :func:`save_form`:
    every form is saved, or (on the first refusal, raised as ``save_form`` raises it) none.

    Returns:
        What changed: one subject's forms, or ``subject_id`` None when several subjects'.
    """
    forms = [_prepared(session, save.key, save.items) for save in saves]
    done = []
    with session.write() as audit:
        for save, form in zip(saves, forms, strict=True):
            accepted = accepted_set(save.accepted_warnings)
            done.append(
                _save(
                    session, audit, save.key, form, save.items, save.complete, save.reason, accepted
                )
            )
    subjects = {c.subject_id for c in done}
    if len(done) == 1:
        return done[0]
    items = tuple(dict.fromkeys(item for c in done for item in c.items))
    return Changes(subjects.pop() if len(subjects) == 1 else None, items=items)


def _prepared(session: Session, key: FormKey, items: Sequence[ItemInput]) -> FormDef:
    _check_access(session, key)
    form = form_definition(key.form)
    check_places(form, [(i.item_group, i.group_repeat, i.item) for i in items])
    return form


def _save(
    session: Session,
    audit: AuditWriter,
    key: FormKey,
    form: FormDef,
    items: Sequence[ItemInput],
    complete: bool | None,
    reason: str | None,
    accepted: frozenset[AcceptedWarning],
) -> Changes:
    """The body of :func:`save_form`, inside the caller's transaction."""
    db = session.db
    # a patient-reported form changed by staff: every change says why
    always_why = form.reported_by == "patient" and session.patient_subject is None
    current = repo.form_values(db, key)
    _refuse_stale(items, current)
    planned = [c for c in (_planned(e, current, reason, always_why) for e in items) if c]
    _refuse_reserved(form, planned, session.role)
    after = {**current, **{c.new.path: c.new for c in planned}}
    _refuse_unexplained_overrides(session, key, form, planned, after)
    old_status = repo.get_form_status(db, key)
    stays = complete is True or (complete is None and old_status == "complete")
    derived = _derived(form, after, complete=stays)
    entries = form_entries(form, {**after, **{c.new.path: c.new for c in derived}}.values())
    context = _context(session, key, form)
    findings = validate(form, entries, context)
    errors = errors_of(findings)
    if complete and errors:
        raise FormHasErrors(form, errors)
    if stays and errors and planned and complete is None:  # it goes back to draft
        derived = _derived(form, after, complete=False)
    refuse_contradictions(form, entries, context, items)
    changed = [value_path(form, c.new) for c in planned]
    missing = unconfirmed(findings, changed, accepted)
    if missing:
        raise WarningsNotConfirmed(missing)
    warnings = confirmed(findings, accepted)
    now = utc_now()
    for change in [*planned, *derived]:
        detail = item_detail(value_path(form, change.new), warnings, change.imported)
        repo.write_value(db, key, change.new, updated_at=now, updated_by=session.actor.user)
        _audit_item(audit, key, change, detail)
    # only a save that changes values can take a completed form back to draft
    errors = errors if planned else []
    _save_status(session, audit, key, complete, now, warnings=warnings, errors=errors)
    repo.clear_autosave(db, session.actor.user, key)
    changed_items = tuple(c.new.item for c in [*planned, *derived])
    return Changes(key.subject_id, key.event, key.form, changed_items)


def _refuse_reserved(form: FormDef, planned: Sequence[_Change], role: str) -> None:
    """Items another role answers (``ItemDef.entered_by``) are changed only by that role."""
    items = form.items()
    reserved = [
        items[c.new.item]
        for c in planned
        if items[c.new.item].entered_by and role not in items[c.new.item].entered_by
    ]
    if reserved:
        raise ItemReservedForRole(
            [item.label.en for item in reserved], reserved[0].entered_by, role
        )


def _context(
    session: Session, key: FormKey, form: FormDef, today: date | None = None
) -> ValidationContext:
    """Today, the subject's consent date, and the CTCAE dictionary for a form that checks
    grades against it."""
    context = context_for(repo.get_subject(session.db, key.subject_id), today or date.today())
    if any(check.kind == "ctcae_grade" for check in form.checks):
        context = replace(context, ctcae=load_ctcae_dictionary())
    return context


class LimitOverrideNeedsReason(ReasonRequired):
    """Per-sample LLN/ULN values differ from the laboratory's recorded reference range for the
    sample and no reason was given (the reason is kept with each value)."""

    def __init__(self, items: Sequence[str]) -> None:
        self.items = tuple(items)
        KnownError.__init__(
            self,
            f"{', '.join(self.items)}: the per-sample limit differs from the laboratory's "
            "reference range for this sample. Give the reason (for example, the report prints "
            "other limits). Nothing was saved.",
        )


def _refuse_unexplained_overrides(
    session: Session,
    key: FormKey,
    form: FormDef,
    planned: Sequence[_Change],
    after: Mapping[Place, StoredValue],
) -> None:
    """A per-sample limit that overrides the laboratory's range needs a reason."""
    items = form.items()
    unexplained = [
        c.new
        for c in planned
        if c.reason is None and c.new.value is not None and items[c.new.item].limit_of is not None
    ]
    if not unexplained or LAB_NAME_ITEM not in items or form.date_item is None:
        return
    lab = after.get((form.group_of(LAB_NAME_ITEM).oid, 1, LAB_NAME_ITEM))
    dated = after.get((form.group_of(form.date_item).oid, 1, form.date_item))
    try:
        sample = date.fromisoformat(dated.value or "") if dated is not None else None
    except ValueError:
        sample = None
    if lab is None or not lab.value or sample is None:
        return
    limits = form_limits(session, key, laboratory=lab.value, sample_date=sample)
    found = overriding(limits, form, unexplained)
    if found:
        raise LimitOverrideNeedsReason(found)


@dataclass(frozen=True)
class _Change:
    new: StoredValue
    old: StoredValue | None
    reason: str | None
    imported: ImportSource | None = None


def _refuse_stale(items: Sequence[ItemInput], current: Mapping[Place, StoredValue]) -> None:
    stale = [
        entry.item
        for entry in items
        if entry.base_rev is not None
        and _rev(current.get((entry.item_group, entry.group_repeat, entry.item))) != entry.base_rev
    ]
    if stale:
        raise ChangedElsewhere(stale)


def _planned(
    entry: ItemInput, current: Mapping[Place, StoredValue], reason: str | None, always_why: bool
) -> _Change | None:
    """The change ``entry`` makes, or None when it changes nothing. A changed saved value
    needs a reason; with ``always_why`` (staff changing a patient's answers) any change does."""
    new_value = _normalise(entry.value)
    path = (entry.item_group, entry.group_repeat, entry.item)
    old = current.get(path)
    old_value, old_unit = (old.value, old.unit) if old else (None, None)
    if new_value == old_value and (new_value is None or entry.unit == old_unit):
        return None
    why = (entry.reason or reason or "").strip() or None
    if why is None and always_why:
        raise PatientAnswerReasonRequired(entry.item)
    if why is None and old_value is not None:
        raise ReasonRequired(entry.item)
    stored = StoredValue(*path, new_value, entry.unit, _rev(old) + 1)
    return _Change(stored, old, why, entry.imported)


def _derived(
    form: FormDef, values: Mapping[Place, StoredValue], *, complete: bool
) -> list[_Change]:
    """The changes that keep the stored derived items in step (``form_rules``)."""
    changes = []
    for place, value in stored_derivations(form, values, complete=complete).items():
        old = values.get(place)
        new = StoredValue(*place, value, None, _rev(old) + 1)
        changes.append(_Change(new, old, DERIVED_REASON))
    return changes


class PatientAnswerReasonRequired(ReasonRequired):
    """Staff change an answer of a patient-reported form (the QLQ-C30): always with a reason,
    as a correction of the patient's own record (transcribed from paper, patient corrected)."""

    def __init__(self, item: str) -> None:
        KnownError.__init__(
            self, f"{item} is the patient's own answer: a change by staff needs a reason."
        )


def _audit_item(audit: AuditWriter, key: FormKey, change: _Change, detail: str | None) -> None:
    new, old = change.new, change.old
    audit.append(
        "item.set",
        **key.audit_place(),
        item_group=new.item_group,
        group_repeat=new.group_repeat,
        item=new.item,
        old=old.value if old else None,
        new=new.value,
        unit=new.unit,
        reason=change.reason,
        base_rev=old.rev if old else 0,
        detail=detail,
    )


def _save_status(
    session: Session,
    audit: AuditWriter,
    key: FormKey,
    complete: bool | None,
    now: str,
    *,
    warnings: Sequence[AcceptedWarning],
    errors: Sequence[Finding],
) -> None:
    """Set the status asked for (a first save makes a draft). A completed form left with
    ``errors`` goes back to draft, the entry naming them; a completion's entry names the
    warnings confirmed."""
    db = session.db
    old = repo.get_form_status(db, key)
    new = old or "draft"
    if complete is not None:
        new = "complete" if complete else "draft"
    demoted = complete is None and old == "complete" and bool(errors)
    if demoted:
        new = "draft"
    if new == old:
        return
    detail = status_detail(warnings if new == "complete" else (), errors if demoted else ())
    repo.set_form_status(db, key, new, updated_at=now, updated_by=session.actor.user)
    audit.append("form.status", **key.audit_place(), old=old, new=new, detail=detail)


def validation_context(
    session: Session, key: FormKey, *, today: date | None = None
) -> ValidationContext:
    """What validating the form ``key`` needs beyond its values, exactly as ``save_form``
    builds it: today, the subject's informed consent date, and the CTCAE dictionary where the
    form checks grades. A form view that validates with it shows the findings the save will
    hold it to."""
    _check_read(session, key)
    return _context(session, key, form_definition(key.form), today)


def form_findings(session: Session, key: FormKey, *, today: date | None = None) -> list[Finding]:
    """The findings of the form ``key`` as saved (errors and warnings).

    Raises:
        NotFound: the form is not bundled.
    """
    context = validation_context(session, key, today=today)
    form = form_definition(key.form)
    return validate(form, form_entries(form, repo.form_values(session.db, key).values()), context)


def _check_read(session: Session, key: FormKey) -> None:
    if session.patient_subject is not None:
        session.require_form(key)
    else:
        session.require(Permission.VIEW_DATA)


def load_form(session: Session, key: FormKey) -> FormData:
    _check_read(session, key)
    db = session.db
    values = repo.form_values(db, key)
    signature = repo.latest_signature(db, key)
    if signature is not None:
        valid = signature["content_hash"] == repo.content_hash(values.values())
        signature = {**signature, "state": "valid" if valid else "broken"}
    return FormData(key, repo.get_form_status(db, key), values, signature)


def same_visit_values(session: Session, key: FormKey) -> dict[str, tuple[str, str | None]]:
    """Values this form may take from another form of the same visit (items with
    ``same_as``, e.g. the Child-Pugh bilirubin from the liver panel): item OID → (value,
    unit) where the other form has one."""
    _check_read(session, key)
    form = form_definition(key.form)
    found: dict[str, tuple[str, str | None]] = {}
    for group in form.item_groups:
        for item in group.items:
            if item.same_as is None or group.repeating:
                continue
            other_form, other_item = item.same_as.split("/")
            other = FormKey(key.subject_id, key.event, other_form, key.event_repeat)
            for stored in repo.form_values(session.db, other).values():
                if stored.item == other_item and stored.value is not None:
                    found[item.oid] = (stored.value, stored.unit)
    return found


def autosave(session: Session, key: FormKey, fields: dict[str, Any]) -> None:
    """Keep what is being typed, encrypted, so a crash or a lock loses nothing.

    Not audited and not synced: it is not data yet. The next save of the form clears it.
    """
    _check_access(session, key)
    with session.write():
        repo.put_autosave(session.db, session.actor.user, key, fields, utc_now())


def pending_autosave(session: Session, key: FormKey) -> dict[str, Any] | None:
    """What this user typed in the form and did not save yet (see :func:`autosave`)."""
    _check_access(session, key)
    return repo.get_autosave(session.db, session.actor.user, key)


@dataclass(frozen=True)
class SubjectRecord:
    """Everything recorded for one subject: forms with status and every item value."""

    subject: dict[str, Any]
    forms: list[dict[str, Any]]
    values: list[tuple[Any, ...]]


def load_subject(session: Session, subject_id: str) -> SubjectRecord:
    """One subject's whole record, in one read (the subject view and the casebook use it)."""
    session.require(Permission.VIEW_DATA)
    db = session.db
    subject = repo.get_subject(db, subject_id)
    if subject is None:
        raise NotFound(f"There is no subject {subject_id}.")
    return SubjectRecord(
        subject, repo.subject_forms(db, subject_id), repo.subject_values(db, subject_id)
    )
