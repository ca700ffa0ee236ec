"""The files of one site install: the encrypted database, its key slots and the unlock journal.

``DIR/site.db``          SQLCipher 4 database (with its ``-wal`` and ``-shm`` while open)
``DIR/keyslots.json``    wrapped data keys, salts and KDF parameters; nothing in clear
``DIR/site.json``         the site's public label (study, site code, demo or not), shown on the
                         unlock window before any key exists; it holds no clinical data
``DIR/unlock-attempts.json``  failed unlocks not yet written to the audit trail. It exists
                         because a failed unlock cannot open the database; the next successful
                         unlock moves them into the audit trail and empties it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import sqlite_utils

from desktop_crf.model import SiteLabel
from desktop_crf.store.database import close_database, open_database, translated_errors
from desktop_crf.store.keyslots import write_atomically
from desktop_crf.store.schema import migrate
from desktop_crf.store.site_paths import SitePaths

#: Failed unlocks allowed before delays start, then the delay doubles from this many seconds.
FREE_ATTEMPTS = 3
FIRST_DELAY_S = 5.0
MAX_DELAY_S = 300.0


def create_database(paths: SitePaths, data_key: bytes | None) -> sqlite_utils.Database:
    paths.require_new()
    paths.root.mkdir(parents=True, exist_ok=True)
    db = open_database(paths.database, data_key, create=True)
    migrate(db)
    return db


def open_site_database(paths: SitePaths, data_key: bytes) -> sqlite_utils.Database:
    """Open the site's database and bring its schema up to date.

    Raises:
        DatabaseCorrupt (a damaged page met while migrating), and the other known errors of
        ``open_database``; the connection is closed then.
    """
    db = open_database(paths.database, data_key)
    try:
        with translated_errors(paths.database):
            migrate(db)
    except BaseException:
        close_database(db)
        raise
    return db


class UnlockJournal:
    """Failed unlock attempts of a site, kept outside the database it could not open."""

    def __init__(self, path: Path, clock: Any = time.time) -> None:
        self._path = path
        self._clock = clock

    def failures(self) -> list[dict[str, Any]]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            return [f for f in data.get("failures", []) if isinstance(f, dict)]
        except (OSError, ValueError, AttributeError):
            return []

    def seconds_to_wait(self) -> float:
        """How long the next attempt must wait after the recent run of failures."""
        failures = self.failures()
        extra = len(failures) - FREE_ATTEMPTS
        if extra < 0:
            return 0.0
        delay = float(min(FIRST_DELAY_S * 2**extra, MAX_DELAY_S))
        last = float(failures[-1].get("epoch", 0))
        return max(0.0, last + delay - float(self._clock()))

    def record_failure(self, user: str, ts: str, reason: str) -> None:
        failure = {"user": user, "ts": ts, "epoch": self._clock(), "why": reason}
        failures = [*self.failures(), failure]
        write_atomically(self._path, json.dumps({"failures": failures}).encode("utf-8"))

    def clear(self) -> None:
        self._path.unlink(missing_ok=True)


def write_label(paths: SitePaths, label: SiteLabel) -> None:
    doc = {"study_id": label.study_id, "site_code": label.site_code, "demo": label.demo}
    write_atomically(paths.label, json.dumps(doc).encode("utf-8"))
