"""Factories for real encrypted site databases with cheap Argon2 parameters (tests only)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from desktop_crf.services import site
from desktop_crf.services.session import Session
from desktop_crf.store import site as site_store
from desktop_crf.store.audit import AuditWriter
from desktop_crf.store.keyslots import KdfParams, KeySlotFile
from desktop_crf.store.schema import migrations

#: Argon2id at its minimum cost: the production parameters take ~0.15 s per unlock.
CHEAP_KDF = KdfParams(iterations=1, memory_kib=8, lanes=1)
PASSWORDS = {
    "admin": "admin-password",
    "nurse": "nurse-password",
    "investigator": "investigator-password",
    "monitor": "monitor-password",
}
FULL_NAMES = {"investigator": "Dr Liyun Fu", "nurse": "Wang Min"}


def make_site(root: Path, *, study_id: str = "NCT07553767", site_code: str = "NB02") -> str:
    """Create a site with one user of each signing-in role; return the recovery key."""
    created = site.init_site(
        root,
        study_id=study_id,
        site_code=site_code,
        admin="admin",
        admin_password=PASSWORDS["admin"],
        kdf=CHEAP_KDF,
    )
    admin = site.unlock(root, "admin", PASSWORDS["admin"])
    try:
        for role in ("nurse", "investigator", "monitor"):
            site.add_user(
                admin,
                role,
                role=role,
                password=PASSWORDS[role],
                admin_password=PASSWORDS["admin"],
                full_name=FULL_NAMES.get(role),
            )
    finally:
        site.logout(admin)
    return created.recovery_key


def copy_site(template: Path, root: Path) -> Path:
    shutil.copytree(template, root)
    return root


def login(root: Path, role: str) -> Session:
    return site.unlock(root, role, PASSWORDS[role])


@contextmanager
def code_of_an_older_version(
    monkeypatch: pytest.MonkeyPatch, *, stop_before: str = "m008_user_signatures"
) -> Iterator[None]:
    """Inside: the app as an older version was: its schema stops before ``stop_before``, and
    (every version before user signatures) it wrote no signatures and wrapped no signing keys.
    What is made inside is an old site that today's code then opens."""
    wrap = KeySlotFile.set_user_slot

    def without_signing_key(self: Any, name: str, password: str, data_key: bytes, kdf: Any,
                            **_: Any) -> None:  # fmt: skip
        wrap(self, name, password, data_key, kdf)

    with monkeypatch.context() as patch:
        patch.setattr(
            site_store, "migrate", lambda db: migrations.apply(db, stop_before=stop_before)
        )
        patch.setattr(AuditWriter, "seal", lambda self: [])
        patch.setattr(KeySlotFile, "set_user_slot", without_signing_key)
        yield
