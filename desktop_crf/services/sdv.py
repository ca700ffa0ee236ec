"""Source data verification (SDV): a monitor marks values as verified against the source
documents — one item, a form or a whole visit — offline, as audit entries like any other.

Each mark is one ``sdv.verify`` entry per form (``detail``: every value verified with the
revision it had), so sync carries it to the server (which accepts it from monitors only:
``sync.rules``) and to the site's other computers. A value changed later is "changed since
verified" until it is verified again. The study file names the critical data that needs 100 %
SDV (``forms.monitoring``); the rest may be sampled (``sample_percent``).

Public API: ``verify_item``, ``verify_form``, ``verify_visit`` (each one transaction, returns
``Changes`` of kind ``sdv``); ``form_sdv`` (a form's marks), ``site_progress`` and
``subject_progress`` (counts), ``changed_since_verified``, ``critical_due``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from desktop_crf.errors import InvalidInput, NotFound
from desktop_crf.model import Changes, FormKey, StoredValue
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.store import sdv as store
from desktop_crf.store.audit import AuditWriter
from desktop_crf.store.sdv import ChangedValue, Counts, FormDue, ItemSdv
from desktop_crf.studies import load_study
from forms.monitoring import Monitoring

__all__ = [
    "ChangedValue",
    "Counts",
    "FormDue",
    "ItemSdv",
    "NothingToVerify",
    "SiteProgress",
    "ValueInConflict",
    "changed_since_verified",
    "critical_due",
    "form_sdv",
    "site_progress",
    "subject_progress",
    "verify_form",
    "verify_item",
    "verify_visit",
]

#: Values listed in one entry at most: a long AE log is verified in several entries.
_PER_ENTRY = 400


class NothingToVerify(InvalidInput):
    def __init__(self, what: str) -> None:
        super().__init__(f"{what} has no value entered yet, so there is nothing to verify.")


class ValueInConflict(InvalidInput):
    def __init__(self, items: Sequence[str]) -> None:
        super().__init__(
            f"{', '.join(items)} {'is' if len(items) == 1 else 'are'} in conflict between two "
            "computers: verify once the site has chosen the right value. Nothing was marked."
        )


def _study_plan(session: Session) -> Monitoring:
    """The site's study's monitoring plan (critical data, sample) from its study file."""
    return load_study(session.site.study_id).monitoring


def verify_item(
    session: Session, key: FormKey, *, item_group: str, group_repeat: int = 1, item: str
) -> Changes:
    """Mark one value as verified against the source (its current revision).

    Raises:
        PermissionDenied: anyone but a monitor. NotFound: no such subject. NothingToVerify:
        the item holds no value. ValueInConflict.
    """
    session.require(Permission.VERIFY_SOURCE)
    with session.write() as audit:
        _subject(session, key.subject_id)
        stored = repo.form_values(session.db, key).get((item_group, group_repeat, item))
        if stored is None or stored.value is None:
            raise NothingToVerify(item)
        _verify(session, audit, key, [stored], item=stored)
    return Changes(key.subject_id, key.event, key.form, (item,), "sdv", key.event_repeat)


def verify_form(session: Session, key: FormKey) -> Changes:
    """Mark every value of one form as verified against the source.

    Raises:
        PermissionDenied, NotFound, NothingToVerify (no value entered), ValueInConflict.
    """
    session.require(Permission.VERIFY_SOURCE)
    with session.write() as audit:
        _subject(session, key.subject_id)
        values = _entered(session, key)
        if not values:
            raise NothingToVerify(key.form)
        _verify(session, audit, key, values)
    return Changes(key.subject_id, key.event, key.form, (), "sdv", key.event_repeat)


def verify_visit(session: Session, subject_id: str, event: str, event_repeat: int = 1) -> Changes:
    """Mark every value of every form of one visit as verified: one transaction, an entry
    per form (a form in conflict refuses the whole visit).

    Raises:
        PermissionDenied, NotFound, NothingToVerify (no form of the visit has a value),
        ValueInConflict.
    """
    session.require(Permission.VERIFY_SOURCE)
    with session.write() as audit:
        _subject(session, subject_id)
        keys = [
            FormKey(subject_id, row["event"], row["form"], row["event_repeat"])
            for row in repo.subject_forms(session.db, subject_id)
            if row["event"] == event and row["event_repeat"] == event_repeat
        ]
        forms = [(key, _entered(session, key)) for key in keys]
        forms = [(key, values) for key, values in forms if values]
        if not forms:
            raise NothingToVerify(event)
        for key, values in forms:
            _verify(session, audit, key, values)
    return Changes(subject_id, event, None, (), "sdv", event_repeat)


def _subject(session: Session, subject_id: str) -> None:
    if repo.get_subject(session.db, subject_id) is None:
        raise NotFound(f"There is no subject {subject_id} on this computer.")


def _entered(session: Session, key: FormKey) -> list[StoredValue]:
    values = repo.form_values(session.db, key).values()
    return [v for v in values if v.value is not None]


def _verify(
    session: Session,
    audit: AuditWriter,
    key: FormKey,
    values: Sequence[StoredValue],
    *,
    item: StoredValue | None = None,
) -> None:
    disputed = sorted({v.item for v in values if v.conflict is not None})
    if disputed:
        raise ValueInConflict(disputed)
    rows: list[store.Verified] = [(v.item_group, v.group_repeat, v.item, v.rev) for v in values]
    place = key.audit_place()
    if item is not None:
        place.update(item_group=item.item_group, group_repeat=item.group_repeat, item=item.item)
    for start in range(0, len(rows), _PER_ENTRY):
        chunk = rows[start : start + _PER_ENTRY]
        entry = audit.append(store.ACTION, **place, detail=json.dumps({"items": chunk}))
        store.apply_entry(session.db, entry)


# -- what the monitor's screens read ----------------------------------------------------------


def form_sdv(session: Session, key: FormKey) -> dict[tuple[str, int, str], ItemSdv]:
    """The verified values of one form by (group, repeat, item), each with its current
    revision (``changed``: changed since verified)."""
    session.require(Permission.VIEW_DATA)
    return store.form_sdv(session.db, key)


@dataclass(frozen=True)
class SiteProgress:
    """SDV progress of the site: per subject, the whole, and the study's sample target."""

    subjects: dict[str, Counts]
    total: Counts
    sample_percent: int
    critical_named: bool = field(default=True)


def site_progress(session: Session) -> SiteProgress:
    """Per subject and for the whole site: values entered, verified, changed since verified,
    and the same for critical data."""
    session.require(Permission.VIEW_DATA)
    plan = _study_plan(session)
    per_subject = store.progress(session.db, plan)
    total = sum(per_subject.values(), Counts())
    return SiteProgress(per_subject, total, plan.sample_percent, bool(plan.critical))


def subject_progress(session: Session, subject_id: str) -> dict[tuple[str, int, str], Counts]:
    """One subject's counts per form: (event, event repeat, form) → ``Counts``."""
    session.require(Permission.VIEW_DATA)
    return store.form_progress(session.db, _study_plan(session), subject_id)


def changed_since_verified(session: Session, subject_id: str | None = None) -> list[ChangedValue]:
    """Values changed since a monitor verified them (the site's, or one subject's)."""
    session.require(Permission.VIEW_DATA)
    return store.changed_values(session.db, subject=subject_id)


def critical_due(session: Session, subject_id: str | None = None) -> list[FormDue]:
    """Forms whose critical values were never verified, oldest first."""
    session.require(Permission.VIEW_DATA)
    return store.critical_due(session.db, _study_plan(session), subject=subject_id)
