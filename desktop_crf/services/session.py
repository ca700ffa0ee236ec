"""An unlocked site: the open database, who is working, and on which device.

A ``Session`` is used by one thread at a time (the UI's store worker, or the CLI).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from desktop_crf.errors import Locked, PermissionDenied
from desktop_crf.model import FormKey, SiteInfo
from desktop_crf.services.permissions import Permission, require, require_any
from desktop_crf.store.audit import Actor, AuditWriter
from desktop_crf.store.database import close_database, transaction
from desktop_crf.store.site_paths import SitePaths
from sync.authorship import UserSigner
from sync.rules import PATIENT_FORM, patient_user

__all__ = ["PATIENT_FORM", "Session"]


@dataclass
class Session:
    paths: SitePaths
    site: SiteInfo
    user: str
    role: str
    full_name: str
    _db: sqlite_utils.Database | None = field(repr=False)
    patient_subject: str | None = None
    #: A patient tablet's session is bound to one visit's questionnaire (the hand-over's).
    patient_key: FormKey | None = None
    #: The user's signing key, unwrapped from their key slot at unlock; it signs every write
    #: of the session (a patient's answers too: the staff member who handed the tablet over).
    signer: UserSigner | None = field(default=None, repr=False)
    #: The site's data key while the session is open: a process of the app's own that reads
    #: the database too (checking a long audit chain in parts) is handed it through a pipe.
    data_key: bytes | None = field(default=None, repr=False)
    #: What a service keeps between its calls (the dashboard's digest of each subject), by
    #: the service's name: derived from clinical data, so dropped with the session.
    kept: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> Path:
        return self.paths.root

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            raise Locked()
        return self._db

    @property
    def is_open(self) -> bool:
        return self._db is not None

    @property
    def actor(self) -> Actor:
        user = patient_user(self.patient_subject) if self.patient_subject else self.user
        return Actor(user=user, role=self.role, device=self.site.device)

    def require(self, permission: Permission) -> None:
        require(self.role, permission)

    def require_any(self, *permissions: Permission) -> None:
        require_any(self.role, *permissions)

    def require_subject(self, subject_id: str, form: str | None = None) -> None:
        """A patient session touches only its own subject's questionnaire."""
        if self.patient_subject is None:
            return
        if subject_id != self.patient_subject or (form is not None and form != PATIENT_FORM):
            raise PermissionDenied("patient", "see or change anything but their own questionnaire")

    def require_form(self, key: FormKey) -> None:
        """A patient session touches only its own questionnaire, and a hand-over's session
        only the visit it was handed over for."""
        self.require_subject(key.subject_id, key.form)
        if self.patient_key is not None and key != self.patient_key:
            raise PermissionDenied("patient", "see or change another visit's questionnaire")

    @contextlib.contextmanager
    def write(self) -> Iterator[AuditWriter]:
        """One transaction with an audit writer for this session's actor; what it appended is
        signed by the session's user as the transaction ends."""
        with transaction(self.db, self.paths.database):
            writer = AuditWriter(self.db, self.actor, signer=self.signer)
            yield writer
            writer.seal()

    def close(self) -> None:
        self.signer = None
        self.data_key = None
        self.kept.clear()
        if self._db is not None:
            close_database(self._db)
            self._db = None
