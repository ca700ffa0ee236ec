"""Handing the tablet to a patient for one visit's QLQ-C30, and taking it back.

A hand-over binds a patient session to one subject, visit and form (``Session.patient_key``):
that session may answer that questionnaire and nothing else, and every answer is audited as
``patient:<subject>`` with the role patient. The hand-over is kept on this device (table
``handovers``) until staff end it, so a crash or a lock loses nothing: the next staff member
who unlocks the device goes back to it (:func:`pending_handover`, :func:`resume_handover`).

Leaving needs a staff member's credentials, given on the patient's session
(:func:`end_handover`): their password, or the short PIN they set (:func:`set_kiosk_pin`,
kept as an Argon2id hash). Every refused attempt is audited; after three, each further attempt
waits longer (5 s doubling to 5 minutes), and after five a PIN is no longer accepted.

Public API: :func:`hand_over`, :func:`pending_handover`, :func:`resume_handover`,
:func:`end_handover`, :func:`set_kiosk_pin`, :func:`has_kiosk_pin`; :class:`Handover`,
:class:`HandoverEnded`, :class:`PendingHandover`.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

from desktop_crf.errors import (
    InvalidInput,
    KnownError,
    NotFound,
    UnlockDelayed,
    WrongPassword,
)
from desktop_crf.model import Changes, FormKey
from desktop_crf.services.permissions import ROLE_PERMISSIONS, Permission
from desktop_crf.services.session import PATIENT_FORM, Session
from desktop_crf.services.visits import UNSCHEDULED_EVENT
from desktop_crf.store import repository as repo
from desktop_crf.store import tablet
from desktop_crf.store.audit import Actor, AuditWriter, utc_now
from desktop_crf.store.database import transaction
from desktop_crf.store.keyslots import KeySlotFile
from desktop_crf.studies import load_study

#: Refused attempts to leave that cost nothing; then each waits, doubling to the maximum.
FREE_ATTEMPTS = 3
FIRST_DELAY_S = 5.0
MAX_DELAY_S = 300.0
#: After this many refused attempts a PIN is no longer accepted: only a password.
PIN_ATTEMPTS = 5
PIN_LENGTHS = range(6, 13)

Method = Literal["password", "pin"]


class HandoverOpen(KnownError):
    """Another hand-over of this device is not ended yet."""

    def __init__(self, key: FormKey) -> None:
        self.key = key
        super().__init__(
            f"The tablet is still handed to the patient of {key.subject_id} ({key.event}). "
            "Take it back first (staff credentials on the tablet)."
        )


class NotDue(InvalidInput):
    """The questionnaire is not one a patient can be handed for this visit."""


class LeaveRefused(WrongPassword):
    """Staff credentials to leave the kiosk that do not check out (said the same way whatever
    was wrong, so that nothing can be probed)."""

    def __init__(self) -> None:
        KnownError.__init__(
            self, "The user name, PIN or password is not correct, or that user cannot take "
            "the tablet back."
        )  # fmt: skip


class PinNotAccepted(KnownError):
    def __init__(self) -> None:
        super().__init__("Too many attempts: a PIN is no longer accepted. Use your password.")


@dataclass(frozen=True)
class Handover:
    """A tablet handed to a patient: the patient's session (bound to ``key``) and its row."""

    patient: Session
    key: FormKey
    handover_id: int
    opened_by: str
    changes: Changes


@dataclass(frozen=True)
class PendingHandover:
    """A hand-over left open (the app crashed or locked): what the unlocking staff go back to."""

    key: FormKey
    opened_by: str
    opened_at: str
    state: str


@dataclass(frozen=True)
class HandoverEnded:
    """The tablet is back with staff: who took it, and whether that is who handed it over."""

    user: str
    role: str
    same_user: bool
    key: FormKey
    finished: bool
    changes: Changes


def hand_over(session: Session, key: FormKey, *, show_initials: bool = False) -> Handover:
    """Hand the tablet to the patient of ``key`` for that visit's questionnaire; audited
    (``kiosk.hand_over``) as the staff member.

    Raises:
        NotFound: no such subject. NotDue: not the patient questionnaire, not a form of that
        visit, or already complete. HandoverOpen: the device is handed over already.
    """
    session.require(Permission.OPEN_PATIENT_MODE)
    subject = repo.get_subject(session.db, key.subject_id)
    if subject is None:
        raise NotFound(f"There is no subject {key.subject_id}.")
    _check_due(session, key, subject["study_id"], subject["study_version"])
    with session.write() as audit:
        current = tablet.current_handover(session.db)
        if current is not None:
            raise HandoverOpen(current.key)
        handover_id = tablet.insert_handover(
            session.db,
            key,
            opened_by=session.user,
            opened_at=utc_now(),
            show_initials=show_initials,
        )
        detail = json.dumps({"show_initials": show_initials})
        audit.append("kiosk.hand_over", **key.audit_place(), detail=detail)
    changes = Changes(key.subject_id, key.event, key.form, kind="handover")
    return Handover(_patient(session, key), key, handover_id, session.user, changes)


def _check_due(session: Session, key: FormKey, study_id: str, version: str) -> None:
    if key.form != PATIENT_FORM:
        raise NotDue(f"Only the {PATIENT_FORM} questionnaire is handed to patients.")
    study = load_study(study_id, version)
    if key.event == UNSCHEDULED_EVENT:
        forms = study.unscheduled.forms
    else:
        forms = next((v.forms for v in study.visits if v.oid == key.event), ())
    if key.form not in forms:
        raise NotDue(f"{key.form} is not a form of {key.event} in study {study_id}.")
    if repo.get_form_status(session.db, key) == "complete":
        raise NotDue(
            f"The questionnaire of {key.subject_id} at {key.event} is complete already. "
            "Corrections are made by staff on the form, with a reason."
        )


def _patient(session: Session, key: FormKey) -> Session:
    # a patient's session never reads the trail: it is not given the data key
    return replace(
        session, role="patient", patient_subject=key.subject_id, patient_key=key, data_key=None
    )


def pending_handover(session: Session) -> PendingHandover | None:
    """The hand-over of this device that is not ended (after a crash or a lock), or None."""
    session.require(Permission.OPEN_PATIENT_MODE)
    row = tablet.current_handover(session.db)
    if row is None:
        return None
    return PendingHandover(row.key, row.opened_by, row.opened_at, row.state)


def resume_handover(session: Session) -> Handover:
    """Go back to the open hand-over; audited (``kiosk.resume``) as the staff member.

    Raises:
        NotFound: no hand-over is open on this device.
    """
    session.require(Permission.OPEN_PATIENT_MODE)
    with session.write() as audit:
        row = tablet.current_handover(session.db)
        if row is None:
            raise NotFound("No questionnaire is handed over on this device.")
        audit.append("kiosk.resume", **row.key.audit_place())
    changes = Changes(row.key.subject_id, row.key.event, row.key.form, kind="handover")
    return Handover(_patient(session, row.key), row.key, row.id, row.opened_by, changes)


def require_handover(session: Session) -> tablet.HandoverRow:
    """The open hand-over this patient session belongs to (for the patient's calls).

    Raises:
        NotFound: the session is not a hand-over's, or staff ended it.
    """
    session.require(Permission.PATIENT_QUESTIONNAIRE)
    row = tablet.current_handover(session.db)
    if row is None or session.patient_key is None or row.key != session.patient_key:
        raise NotFound("This questionnaire is no longer handed over on this device.")
    return row


def end_handover(
    session: Session, user: str, secret: str, *, method: Method, now: datetime | None = None
) -> HandoverEnded:
    """Take the tablet back: ``user`` (a staff member who may hand over) gives a password or
    PIN on the patient's session. Success is audited as that staff member (``kiosk.end``), a
    refusal as the patient's session (``kiosk.leave_refused``, naming the user tried).

    Raises:
        LeaveRefused: wrong credentials, or a user who may not take the tablet back.
        PinNotAccepted: a PIN after too many refused attempts. UnlockDelayed: an attempt
        before the delay the refused ones imposed has passed.
    """
    row = require_handover(session)
    moment = now or datetime.now(UTC)
    _wait_after(row, moment)
    if method == "pin" and row.failures >= PIN_ATTEMPTS:
        raise PinNotAccepted()
    account = repo.get_user(session.db, user)
    ok = (
        account is not None
        and account.active
        and Permission.OPEN_PATIENT_MODE in ROLE_PERMISSIONS.get(account.role, frozenset())
        and _credentials_match(session, user, secret, method)
    )
    if not ok or account is None:
        _refused(session, row, user, method, moment)
        raise LeaveRefused()
    status = repo.get_form_status(session.db, row.key)
    answered = _answered(session, row.key)
    detail = {"answered": answered, "finished": status == "complete", "method": method}
    actor = Actor(user=account.name, role=account.role, device=session.site.device)
    with transaction(session.db, session.paths.database):
        # Signed by the staff member who handed the tablet over (their key is the session's):
        # a PIN proves who took it back on this device, and unwraps no key.
        audit = AuditWriter(session.db, actor, signer=session.signer)
        audit.append("kiosk.end", **row.key.audit_place(), detail=json.dumps(detail))
        tablet.update_handover(session.db, row.id, state="ended", ended_by=user, ended_at=utc_now())
        audit.seal()
    changes = Changes(row.key.subject_id, row.key.event, row.key.form, kind="handover")
    same = user == session.user
    return HandoverEnded(user, account.role, same, row.key, status == "complete", changes)


def _credentials_match(session: Session, user: str, secret: str, method: Method) -> bool:
    if method == "pin":
        record = tablet.get_pin(session.db, user)
        return record is not None and tablet.pin_matches(record, secret)
    try:
        KeySlotFile.load(session.paths.keyslots).unlock(user, secret)
    except WrongPassword:
        return False
    return True


def _answered(session: Session, key: FormKey) -> int:
    values = repo.form_values(session.db, key)
    return sum(
        1
        for (group, _repeat, _item), stored in values.items()
        if group == "IG.QLQ_ITEMS" and stored.value
    )


def _wait_after(row: tablet.HandoverRow, now: datetime) -> None:
    if row.failures < FREE_ATTEMPTS or row.last_failure_at is None:
        return
    delay = min(FIRST_DELAY_S * 2 ** (row.failures - FREE_ATTEMPTS), MAX_DELAY_S)
    last = datetime.strptime(row.last_failure_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    wait = delay - (now - last).total_seconds()
    if wait > 0:
        raise UnlockDelayed(wait)


def _refused(
    session: Session, row: tablet.HandoverRow, user: str, method: Method, now: datetime
) -> None:
    """Audit a refused attempt and count it (one transaction: the refusal itself is data)."""
    detail = json.dumps({"method": method, "user": user[:64]}, sort_keys=True)
    with session.write() as audit:
        audit.append("kiosk.leave_refused", **row.key.audit_place(), detail=detail)
        when = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        tablet.update_handover(session.db, row.id, failures=row.failures + 1, last_failure_at=when)


# -- staff PINs ------------------------------------------------------------------------------


def check_pin(pin: str) -> None:
    """A PIN is 6–12 digits, not one digit repeated and not a run such as 123456.

    Raises:
        InvalidInput: saying which rule it breaks.
    """
    if not pin.isdigit() or not pin.isascii() or len(pin) not in PIN_LENGTHS:
        raise InvalidInput("A PIN is 6 to 12 digits.")
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if len(steps) == 1 and steps <= {0, 1, 9}:
        raise InvalidInput("A PIN cannot be one digit repeated or a run such as 123456.")


def set_kiosk_pin(session: Session, password: str, pin: str) -> Changes:
    """Set the session's user's PIN for taking the tablet back; the password confirms who it
    is. Kept as an Argon2id hash with the user's key-slot parameters; audited."""
    session.require(Permission.OPEN_PATIENT_MODE)
    check_pin(pin)
    slots = KeySlotFile.load(session.paths.keyslots)
    slots.unlock(session.user, password)
    record = tablet.hash_pin(session.user, pin, slots.kdf_for(session.user), utc_now())
    with session.write() as audit:
        tablet.put_pin(session.db, record)
        audit.append("user.pin_set", detail=json.dumps({"name": session.user}))
    return Changes(kind="users")


def has_kiosk_pin(session: Session) -> bool:
    """Whether the session's user has set a PIN."""
    session.require(Permission.OPEN_PATIENT_MODE)
    return tablet.get_pin(session.db, session.user) is not None
