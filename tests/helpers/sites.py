"""Factories for real encrypted site databases with cheap Argon2 parameters (tests only)."""

from __future__ import annotations

import shutil
from pathlib import Path

from desktop_crf.services import site
from desktop_crf.services.session import Session
from desktop_crf.store.keyslots import KdfParams

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
