"""The app's rooms imported on a thread while the unlock window waits for a password.

The unlock window needs little: it comes up first. What the main window, the forms, the
tablet and the rest need is imported here meanwhile (importing holds no lock the GUI thread
waits on, unless it imports the same module at that moment, and then only until it is done),
so that neither the launch nor the unlock waits for imports on the GUI thread.
"""

from __future__ import annotations

import importlib
import logging
import threading

log = logging.getLogger(__name__)

#: What an unlocked session uses, roughly in the order it is first needed.
MODULES = (
    "desktop_crf.services.site",
    "desktop_crf.ui.context",
    "desktop_crf.services.overview",
    "desktop_crf.ui.shell.main_window",
    "desktop_crf.ui.tablet.shell",
    "desktop_crf.ui.subjects.view",
    "desktop_crf.ui.subjects.status_dialogs",
    "desktop_crf.services.subjects",
    "desktop_crf.studies",
    "desktop_crf.ui.form.view",
    "desktop_crf.ui.shell.tabs",
    "desktop_crf.ui.exports.dialog",
    "sync.entry_schema",
)

_started: threading.Thread | None = None


def start() -> threading.Thread:
    """Import :data:`MODULES` on a daemon thread (once per process)."""
    global _started
    if _started is None:
        _started = threading.Thread(target=_import_all, name="preload", daemon=True)
        _started.start()
    return _started


def running() -> bool:
    """Whether :data:`MODULES` are still being imported."""
    return _started is not None and _started.is_alive()


def _import_all() -> None:
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # the GUI thread imports it again when needed, and reports it then
            log.exception("preloading %s failed", name)
            return
