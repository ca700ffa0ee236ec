"""Saving and loading form data: one save is one transaction with its audit entries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop_crf.errors import InvalidInput, KnownError, NotFound, ReasonRequired
from desktop_crf.instruments import load_ctcae_dictionary
from desktop_crf.model import Changes, FormKey, StoredValue
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import AuditWriter, utc_now
from desktop_crf.studies import bundled_forms
from forms.schema import FormDef, ItemValue, item_path, split_item_path
from forms.validation import Finding, ValidationContext, contradictions, validate
from forms.values import Entry

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


class ChangedElsewhere(KnownError):
    """Values the user changed were changed meanwhile by another computer (they came by sync
    while the form was open): saving would overwrite them unseen, so nothing is saved."""

    def __init__(self, items: Sequence[str]) -> None:
        self.items = tuple(items)
        super().__init__(
            f"{', '.join(self.items)} changed on another computer while this form was open. "
            "Nothing was saved: look at the new values, then save again."
        )


#: Validation keys of the clinical cross-checks a form may declare (``requires``,
#: ``ctcae_grade``): the service refuses a save that contradicts one, and a completion that
#: leaves one unmet.
CLINICAL_CHECKS = frozenset({"requires", "ctcae_grade"})


class ClinicalContradiction(InvalidInput):
    """A save refused because the values break a clinical rule of the form: e.g. CTCAE grade 5
    or a fatal outcome on an event not serious by the criterion "death", or a grade CTCAE does
    not define for the term. ``findings`` say which item and what is expected."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__(" ".join(f.message.en for f in self.findings) + " Nothing was saved.")


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
        session.require_subject(key.subject_id, key.form)
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
) -> Changes:
    """Save entered values (and optionally the form status) in one transaction.

    A changed value that was saved before needs a reason (the item's own, or ``reason`` for all
    of them). Values are stored exactly as entered; the item's revision goes up by one and the
    audit entry records the revision the user saw (``base_rev``).

    An item given with ``base_rev`` is saved only if it is still at that revision: a sync may
    have brought another computer's value while the form was open.

    The form's clinical cross-checks (:data:`CLINICAL_CHECKS`) are enforced here, where no
    caller can bypass them: a save may leave them unanswered (a draft), never contradicted,
    and completing the form needs every one of them met.

    Raises:
        ReasonRequired: a saved value changes and no reason was given; nothing is written.
        ChangedElsewhere: items are no longer at the revision the user saw; nothing is written.
        ClinicalContradiction: the values break a clinical rule of the form; nothing is
            written.
    """
    _check_access(session, key)
    changed: list[str] = []
    with session.write() as audit:
        db = session.db
        current = repo.form_values(db, key)
        stale = [
            entry.item
            for entry in items
            if entry.base_rev is not None
            and _rev(current.get((entry.item_group, entry.group_repeat, entry.item)))
            != entry.base_rev
        ]
        if stale:
            raise ChangedElsewhere(stale)
        now = utc_now()
        for entry in items:
            new_value = _normalise(entry.value)
            path = (entry.item_group, entry.group_repeat, entry.item)
            old = current.get(path)
            old_value, old_unit = (old.value, old.unit) if old else (None, None)
            if new_value == old_value and (new_value is None or entry.unit == old_unit):
                continue
            why = _reason_for(entry, old_value, reason)
            stored = StoredValue(*path, new_value, entry.unit, (old.rev if old else 0) + 1)
            repo.write_value(db, key, stored, updated_at=now, updated_by=session.actor.user)
            current[path] = stored
            _audit_item(audit, key, stored, old, why)
            changed.append(entry.item)
        touched = {(entry.item_group, entry.group_repeat) for entry in items}
        _check_clinical_rules(key, current, touched, complete=complete is True)
        _save_status(session, audit, key, complete, now)
        repo.clear_autosave(db, session.actor.user, key)
    return Changes(key.subject_id, key.event, key.form, tuple(changed))


def _entries(form: FormDef, values: Mapping[tuple[str, int, str], StoredValue]) -> dict[str, Entry]:
    """Stored values as ``forms`` reads them: item path → text (with its unit)."""
    repeating = {g.oid for g in form.item_groups if g.repeating}
    found: dict[str, Entry] = {}
    for (group, repeat, item), stored in values.items():
        if stored.value is None:
            continue
        path = item_path(item, group_oid=group, repeat=repeat) if group in repeating else item
        found[path] = (
            ItemValue(text=stored.value, unit=stored.unit) if stored.unit else stored.value
        )
    return found


def _check_clinical_rules(
    key: FormKey,
    values: Mapping[tuple[str, int, str], StoredValue],
    touched: set[tuple[str, int]],
    *,
    complete: bool,
) -> None:
    form = bundled_forms().get(key.form)
    if form is None or not any(check.kind in CLINICAL_CHECKS for check in form.checks):
        return
    entries = _entries(form, values)
    context = ValidationContext(today=date.today(), ctcae=load_ctcae_dictionary())
    if complete:
        found = [f for f in validate(form, entries, context) if f.key in CLINICAL_CHECKS]
    else:
        found = [
            f
            for f in contradictions(form, entries, context)
            if _group_repeat(form, f.path) in touched
        ]
    if found:
        raise ClinicalContradiction(found)


def _group_repeat(form: FormDef, path: str) -> tuple[str, int]:
    group, repeat, item = split_item_path(path)
    return (group or form.group_of(item).oid, repeat or 1)


def _reason_for(entry: ItemInput, old_value: str | None, reason: str | None) -> str | None:
    why = (entry.reason or reason or "").strip() or None
    if old_value is not None and why is None:
        raise ReasonRequired(entry.item)
    return why


def _audit_item(
    audit: AuditWriter, key: FormKey, new: StoredValue, old: StoredValue | None, why: str | None
) -> None:
    audit.append(
        "item.set",
        **key.audit_place(),
        item_group=new.item_group,
        group_repeat=new.group_repeat,
        item=new.item,
        old=old.value if old else None,
        new=new.value,
        unit=new.unit,
        reason=why,
        base_rev=old.rev if old else 0,
    )


def _save_status(
    session: Session, audit: AuditWriter, key: FormKey, complete: bool | None, now: str
) -> None:
    db = session.db
    old = repo.get_form_status(db, key)
    new = old or "draft"
    if complete is not None:
        new = "complete" if complete else "draft"
    if new == old:
        return
    repo.set_form_status(db, key, new, updated_at=now, updated_by=session.actor.user)
    audit.append(
        "form.status",
        **key.audit_place(),
        old=old,
        new=new,
    )


def load_form(session: Session, key: FormKey) -> FormData:
    if session.patient_subject is not None:
        session.require_subject(key.subject_id, key.form)
    else:
        session.require(Permission.VIEW_DATA)
    db = session.db
    values = repo.form_values(db, key)
    signature = repo.latest_signature(db, key)
    if signature is not None:
        valid = signature["content_hash"] == repo.content_hash(values.values())
        signature = {**signature, "state": "valid" if valid else "broken"}
    return FormData(key, repo.get_form_status(db, key), values, signature)


def autosave(session: Session, key: FormKey, fields: dict[str, Any]) -> None:
    """Keep what is being typed, encrypted, so a crash or a lock loses nothing.

    Not audited and not synced: it is not data yet. The next save of the form clears it.
    """
    _check_access(session, key)
    with session.write():
        repo.put_autosave(session.db, session.actor.user, key, fields, utc_now())


def pending_autosave(session: Session, key: FormKey) -> dict[str, Any] | None:
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
