"""Electronic signatures (21 CFR Part 11 §11.50, §11.70, §11.200).

A signature needs the signer's password again, records the printed name, the time and the
meaning, and is linked to the hash of the form's content: any later change shows it as broken.
"""

from __future__ import annotations

import json

from desktop_crf.errors import InvalidInput, NotFound
from desktop_crf.model import Changes, FormKey
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.services.site import check_password_of
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import utc_now

DEFAULT_MEANING = "I approve this form"


def sign_form(
    session: Session, key: FormKey, password: str, *, meaning: str = DEFAULT_MEANING
) -> Changes:
    """Sign one form. Only investigators may sign; the password is checked again."""
    session.require(Permission.SIGN)
    check_password_of(session, password)
    if not meaning.strip():
        raise InvalidInput("Say what the signature means, e.g. 'I approve this form'.")
    db = session.db
    if repo.get_form_status(db, key) is None:
        raise NotFound("This form has no data yet, so there is nothing to sign.")
    content = repo.content_hash(repo.form_values(db, key).values())
    signature = {
        "signer": session.user,
        "signer_name": session.full_name,
        "meaning": meaning,
        "signed_at": utc_now(),
        "content_hash": content,
    }
    with session.write() as audit:
        repo.insert_signature(db, key, signature)
        audit.append(
            "form.sign",
            **key.audit_place(),
            detail=json.dumps(signature, sort_keys=True),
        )
    return Changes(key.subject_id, key.event, key.form, kind="signature")
