"""Creating a site, unlocking and locking it, users and passwords."""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import sqlite_utils
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_crf.errors import InvalidInput, NotFound, UnlockDelayed, WrongPassword
from desktop_crf.model import ChainReport, Changes, SiteInfo, SiteLabel
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import Actor, AuditWriter, utc_now, verify_chain
from desktop_crf.store.chain import DatabaseSource
from desktop_crf.store.database import close_database, transaction, translated_errors
from desktop_crf.store.keyslots import (
    KdfParams,
    KeySlotFile,
    new_data_key,
    new_recovery_key,
    recovery_signing_seed,
)
from desktop_crf.store.schema import ROLES
from desktop_crf.store.site import (
    UnlockJournal,
    create_database,
    open_site_database,
    write_label,
)
from desktop_crf.store.site_paths import SitePaths
from sync.authorship import RECOVERY_USER, UserSigner

_NAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class SiteCreated:
    root: Path
    device: str
    recovery_key: str


def check_user_name(name: str) -> None:
    if not _NAME_RE.match(name):
        raise InvalidInput(
            f"'{name}' cannot be a user name: use 2–32 lower-case letters, digits, '.', '_' or "
            "'-', starting with a letter."
        )


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"A password needs at least {MIN_PASSWORD} characters.")


def init_site(
    root: Path,
    *,
    study_id: str,
    site_code: str,
    admin: str,
    admin_password: str,
    admin_full_name: str | None = None,
    demo: bool = False,
    kdf: KdfParams | None = None,
) -> SiteCreated:
    """Create the encrypted database and the key-slot file; refuse an existing site."""
    paths = SitePaths(root)
    paths.require_new()
    check_user_name(admin)
    check_password(admin_password)
    if not _CODE_RE.match(site_code):
        raise InvalidInput("A site code uses capital letters, digits and '-', e.g. NB02.")
    kdf = kdf or KdfParams()
    data_key, recovery_key = new_data_key(), new_recovery_key()
    device = f"{site_code}-{secrets.token_hex(3).upper()}"
    slots = KeySlotFile(path=paths.keyslots, site_uuid=secrets.token_hex(16))
    signer = UserSigner.generate(admin)
    recovery = _recovery_signer(recovery_key, slots.site_uuid)
    db = create_database(paths, data_key)
    try:
        seed = _SiteSeed(study_id, site_code, device, demo, admin_full_name or admin)
        _seed_site(db, seed, signer, recovery.public_b64)
    finally:
        close_database(db)
    slots.set_user_slot(admin, admin_password, data_key, kdf, signing_seed=signer.seed)
    slots.set_recovery_slot(recovery_key, data_key, kdf)
    slots.save()
    write_label(paths, SiteLabel(study_id, site_code, demo))
    return SiteCreated(root=root, device=device, recovery_key=recovery_key)


@dataclass(frozen=True)
class _SiteSeed:
    study_id: str
    site_code: str
    device: str
    demo: bool
    admin_full_name: str


def _recovery_signer(recovery_key: str, site_uuid: str) -> UserSigner:
    return UserSigner.from_seed(RECOVERY_USER, recovery_signing_seed(recovery_key, site_uuid))


def _seed_site(
    db: sqlite_utils.Database, seed: _SiteSeed, signer: UserSigner, recovery_public: str
) -> None:
    """The site's first transaction, signed by its admin: the root of the device's authority
    (``sync.authorship``), naming the site's recovery key."""
    study_id, site_code, device, demo = seed.study_id, seed.site_code, seed.device, seed.demo
    admin, full = signer.user, seed.admin_full_name
    now = utc_now()
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    raw_public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    with transaction(db):
        repo.set_meta(
            db, study_id=study_id, site_code=site_code, device=device, demo="1" if demo else "0"
        )
        repo.store_device_key(db, device, raw_private, raw_public, now)
        repo.insert_user(db, repo.UserRow(admin, "admin", full, True), now)
        audit = AuditWriter(db, Actor(user=admin, role="admin", device=device), signer=signer)
        detail = {
            "study_id": study_id,
            "site_code": site_code,
            "demo": demo,
            "recovery_key": recovery_public,
        }
        audit.append("site.create", detail=json.dumps(detail, sort_keys=True))
        audit.append("user.add", detail=_user_detail(admin, "admin", signer))
        audit.seal()


def _user_detail(name: str, role: str, signer: UserSigner) -> str:
    """A key granted: the user, the role, the public key (``sync.authorship``)."""
    return json.dumps({"name": name, "role": role, "public_key": signer.public_b64}, sort_keys=True)


# -- unlocking -----------------------------------------------------------------------------


def unlock(
    root: Path,
    user: str,
    password: str,
    *,
    resume: bool = False,
    clock: Callable[[], float] = time.time,
) -> Session:
    """Open the site for ``user``. Failed attempts are delayed progressively and audited.

    A wrong password writes nothing to the database or the key-slot file; the failure is kept in
    the unlock journal and moved into the audit trail by the next successful unlock.
    """
    paths = SitePaths(root)
    paths.require_exists()
    journal = UnlockJournal(paths.attempts, clock)
    wait = journal.seconds_to_wait()
    if wait > 0:
        raise UnlockDelayed(wait)
    slots = KeySlotFile.load(paths.keyslots)
    try:
        data_key, seed = slots.unlock_user(user, password)
    except WrongPassword:
        journal.record_failure(user, utc_now(), "wrong user name or password")
        raise
    db = open_site_database(paths, data_key)
    try:
        with translated_errors(paths.database):
            account = repo.get_user(db, user)
            meta = repo.get_meta(db)
    except BaseException:
        close_database(db)
        raise
    if account is None or not account.active:
        close_database(db)
        journal.record_failure(user, utc_now(), "account disabled")
        raise WrongPassword(user)
    site = SiteInfo(meta["study_id"], meta["site_code"], meta["device"], meta.get("demo") == "1")
    session = Session(paths, site, account.name, account.role, account.full_name, db)
    session.data_key = data_key
    new_key = seed is None  # a slot written before user signatures: the user's first key
    session.signer = UserSigner.generate(user) if seed is None else UserSigner.from_seed(user, seed)
    with session.write() as audit:
        if new_key:
            audit.append("user.key", detail=_user_detail(user, account.role, session.signer))
            kdf = slots.kdf_for(user)
            slots.set_user_slot(user, password, data_key, kdf, signing_seed=session.signer.seed)
            slots.save()
        for failure in journal.failures():
            audit.append("session.login_failed", detail=json.dumps(failure, sort_keys=True))
        audit.append("session.unlock" if resume else "session.login")
    del data_key
    journal.clear()
    if slots.unchecked:  # an older key file: give its slots their checksums
        slots.save()
    return session


def lock(session: Session) -> None:
    """Idle lock: audit it, close the connection and drop the key; views must clear.

    Any session may be locked (a patient's too): locking only ever takes access away."""
    if session.is_open:
        with session.write() as audit:
            audit.append("session.lock")
        session.close()


def logout(session: Session) -> None:
    """Sign out: audit it and close the site. A patient session cannot: leaving patient mode
    needs the staff member's password again."""
    session.require(Permission.OWN_ACCOUNT)
    if session.is_open:
        with session.write() as audit:
            audit.append("session.logout")
        session.close()


def check_password_of(session: Session, password: str) -> None:
    """Re-authenticate the session's user (e-signature, leaving patient mode).

    No permission is needed: this is the check of who is there, and staff leaving patient
    mode type their password on the patient's session."""
    KeySlotFile.load(session.paths.keyslots).unlock(session.user, password)


def open_patient_session(session: Session, subject_id: str) -> Session:
    """A session locked to one subject's questionnaire, for the patient tablet."""
    session.require(Permission.OPEN_PATIENT_MODE)
    if repo.get_subject(session.db, subject_id) is None:
        raise NotFound(f"There is no subject {subject_id}.")
    with session.write() as audit:
        audit.append("session.patient_mode", subject=subject_id)
    # a patient's session never reads the trail: it is not given the data key
    return replace(session, role="patient", patient_subject=subject_id, data_key=None)


# -- users and passwords -------------------------------------------------------------------


def add_user(
    session: Session,
    name: str,
    *,
    role: str,
    password: str,
    admin_password: str,
    full_name: str | None = None,
) -> Changes:
    """Add a user with their own key slot. The admin's password unwraps the data key, which
    the new slot wraps."""
    session.require(Permission.MANAGE_USERS)
    check_user_name(name)
    check_password(password)
    if role not in ROLES or role == "patient":
        raise InvalidInput(
            f"'{role}' is not a role that signs in. Use one of: admin, nurse, investigator, "
            "monitor. Patient sessions are opened by staff for one subject."
        )
    slots = KeySlotFile.load(session.paths.keyslots)
    if slots.has_user(name) or repo.get_user(session.db, name) is not None:
        raise InvalidInput(f"There is already a user called {name}.")
    data_key = slots.unlock(session.user, admin_password)
    signer = UserSigner.generate(name)
    with session.write() as audit:
        repo.insert_user(session.db, repo.UserRow(name, role, full_name or name, True), utc_now())
        audit.append("user.add", detail=_user_detail(name, role, signer))
        kdf = slots.kdf_for(session.user)
        slots.set_user_slot(name, password, data_key, kdf, signing_seed=signer.seed)
        slots.save()
    return Changes(kind="users")


def change_password(session: Session, old_password: str, new_password: str) -> Changes:
    """Rewrap the user's own slot under a new password; audited."""
    session.require(Permission.OWN_ACCOUNT)
    check_password(new_password)
    slots = KeySlotFile.load(session.paths.keyslots)
    data_key, seed = slots.unlock_user(session.user, old_password)
    with session.write() as audit:
        audit.append("user.password_changed", detail=json.dumps({"name": session.user}))
        kdf = slots.kdf_for(session.user)
        slots.set_user_slot(session.user, new_password, data_key, kdf, signing_seed=seed)
        slots.save()
    return Changes(kind="users")


def reset_password(root: Path, recovery_key: str, user: str, new_password: str) -> None:
    """Admin reset through the site recovery key: the data key is never lost.

    The user's signing key was wrapped under the forgotten password, so the user gets a new
    one; the reset is signed with the site's recovery key, which grants the new key and revokes
    the old one (``sync.authorship``)."""
    check_password(new_password)
    paths = SitePaths(root)
    paths.require_exists()
    slots = KeySlotFile.load(paths.keyslots)
    data_key = slots.unlock_recovery(recovery_key)
    db = open_site_database(paths, data_key)
    try:
        account = repo.get_user(db, user)
        if account is None:
            raise NotFound(f"There is no user called {user}.")
        device = repo.get_meta(db)["device"]
        signer = UserSigner.generate(user)
        recovery = _recovery_signer(recovery_key, slots.site_uuid)
        with transaction(db, paths.database):
            actor = Actor(user=RECOVERY_USER, role="admin", device=device)
            audit = AuditWriter(db, actor, signer=recovery)
            detail = {"name": user, "public_key": signer.public_b64}
            audit.append("user.password_reset", detail=json.dumps(detail, sort_keys=True))
            audit.seal()
            kdf = slots.kdf_for(user)
            slots.set_user_slot(user, new_password, data_key, kdf, signing_seed=signer.seed)
            slots.save()
    finally:
        close_database(db)


def verify_audit(session: Session) -> ChainReport:
    """Recompute every device's chain and check every entry's author signature."""
    session.require(Permission.VIEW_AUDIT)
    source = DatabaseSource(session.paths.database, session.data_key)
    return verify_chain(session.db, own_device=session.site.device, source=source)
