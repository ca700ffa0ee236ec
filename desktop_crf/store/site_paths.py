"""Where a site's files are, and its public label: all the unlock window reads of a site.

Kept apart from ``store.site`` so that reading them imports no database code: the unlock
window comes up before any of it is needed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from desktop_crf.errors import SiteExists, SiteNotFound
from desktop_crf.model import SiteLabel

DB_NAME = "site.db"
KEYSLOTS_NAME = "keyslots.json"
ATTEMPTS_NAME = "unlock-attempts.json"
LABEL_NAME = "site.json"


@dataclass(frozen=True)
class SitePaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / DB_NAME

    @property
    def keyslots(self) -> Path:
        return self.root / KEYSLOTS_NAME

    @property
    def attempts(self) -> Path:
        return self.root / ATTEMPTS_NAME

    @property
    def label(self) -> Path:
        return self.root / LABEL_NAME

    def exists(self) -> bool:
        return self.database.exists() or self.keyslots.exists()

    def require_exists(self) -> None:
        if not self.database.exists() and not self.keyslots.exists():
            raise SiteNotFound(str(self.root))

    def require_new(self) -> None:
        if self.exists():
            raise SiteExists(str(self.root))


def read_label(paths: SitePaths) -> SiteLabel | None:
    """The public label, or None when it is missing or unreadable (the site still opens)."""
    try:
        doc = json.loads(paths.label.read_text(encoding="utf-8"))
        return SiteLabel(str(doc["study_id"]), str(doc["site_code"]), bool(doc["demo"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
