"""Electronic signatures (21 CFR Part 11 §11.50, §11.70, §11.200).

A signature needs the signer's password again, records the printed name, the time and the
meaning, and is linked to the hash of the form's content: any later change shows it as broken.

Public API:

- :func:`sign_form` ``(session, key, password, *, meaning) -> Changes``: one form.
- :func:`sign_visit` ``(session, subject_id, event, event_repeat, password, *, meaning) ->
  Changes``: every started form of one visit, with one password check, in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from desktop_crf.errors import InvalidInput, KnownError, NotFound
from desktop_crf.model import Changes, FormKey
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.services.site import check_password_of
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import AuditWriter, utc_now

DEFAULT_MEANING = "I approve this form"
DEFAULT_VISIT_MEANING = "I approve the data of this visit"


class FormInConflict(KnownError):
    """A form holds values that two computers changed differently: it cannot be signed until a
    person has chosen the right value."""

    def __init__(self, key: FormKey, items: Sequence[str]) -> None:
        self.key, self.items = key, tuple(items)
        super().__init__(
            f"{key.form} of {key.subject_id} ({key.event}) cannot be signed: "
            f"{', '.join(self.items)} {'is' if len(self.items) == 1 else 'are'} in conflict "
            "between two computers. Nothing was signed. Resolve the conflict first."
        )


def sign_form(
    session: Session, key: FormKey, password: str, *, meaning: str = DEFAULT_MEANING
) -> Changes:
    """Sign one form. Only investigators may sign; the password is checked again.

    Raises:
        PermissionDenied, InvalidInput (no meaning), WrongPassword, NotFound (the form has no
        data), FormInConflict.
    """
    session.require(Permission.SIGN)
    _check_meaning(meaning)
    check_password_of(session, password)
    with session.write() as audit:
        _sign(session, audit, key, meaning)
    return Changes(key.subject_id, key.event, key.form, kind="signature")


def sign_visit(
    session: Session,
    subject_id: str,
    event: str,
    event_repeat: int,
    password: str,
    *,
    meaning: str = DEFAULT_VISIT_MEANING,
) -> Changes:
    """Sign every started form of one visit: one password check (one key derivation), one
    transaction, so that every form is signed or none is.

    Raises:
        PermissionDenied: not an investigator. InvalidInput: no meaning. NotFound: no such
        subject, or no form of the visit has data. WrongPassword. FormInConflict: a form of
        the visit cannot be signed; none is.
    """
    session.require(Permission.SIGN)
    _check_meaning(meaning)
    if repo.get_subject(session.db, subject_id) is None:
        raise NotFound(f"There is no subject {subject_id}.")
    keys = [
        FormKey(subject_id, row["event"], row["form"], row["event_repeat"])
        for row in repo.subject_forms(session.db, subject_id)
        if row["event"] == event and row["event_repeat"] == event_repeat
    ]
    if not keys:
        raise NotFound(f"No form of {event} has data yet, so there is nothing to sign.")
    check_password_of(session, password)
    with session.write() as audit:
        for key in keys:
            _sign(session, audit, key, meaning)
    return Changes(subject_id, event, kind="signature", event_repeat=event_repeat)


def _check_meaning(meaning: str) -> None:
    if not meaning.strip():
        raise InvalidInput("Say what the signature means, e.g. 'I approve this form'.")


def _sign(session: Session, audit: AuditWriter, key: FormKey, meaning: str) -> None:
    """Sign ``key`` inside the caller's transaction."""
    db = session.db
    if repo.get_form_status(db, key) is None:
        raise NotFound("This form has no data yet, so there is nothing to sign.")
    values = repo.form_values(db, key)
    disputed = sorted({v.item for v in values.values() if v.conflict is not None})
    if disputed:
        raise FormInConflict(key, disputed)
    signature = {
        "signer": session.user,
        "signer_name": session.full_name,
        "meaning": meaning,
        "signed_at": utc_now(),
        "content_hash": repo.content_hash(values.values()),
    }
    repo.insert_signature(db, key, signature)
    audit.append("form.sign", **key.audit_place(), detail=json.dumps(signature, sort_keys=True))
