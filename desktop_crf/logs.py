"""Where the app writes its log, and how.

A rotating file in the user's log folder (``platformdirs``; ``DESKTOP_CRF_LOG_DIR`` overrides
it). The log says what happened and how long it took — unlocks, sync rounds, store calls that
failed, bugs with their stack — and never what was entered: no item value, no text a person
typed, no message of an error (those may quote a value), nothing that identifies a patient.
Records name exception classes and code locations instead.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import traceback
from pathlib import Path

import platformdirs

APP_NAME = "desktop-crf"
LOG_FILE = "desktop-crf.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
_handler: logging.Handler | None = None


def log_folder() -> Path:
    """The folder of the app's log files."""
    override = os.environ.get("DESKTOP_CRF_LOG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


class PrivateFormatter(logging.Formatter):
    """A bug's stack without its message: exception messages may quote entered values."""

    def formatException(self, ei: object) -> str:
        if not isinstance(ei, tuple) or len(ei) != 3 or ei[1] is None:
            return super().formatException(ei)  # type: ignore[arg-type]
        kind, _exc, tb = ei
        frames = "".join(traceback.format_tb(tb))
        return f"Traceback (most recent call last):\n{frames}{kind.__name__} (message withheld)"


def setup_logging(folder: Path | None = None, *, level: int = logging.INFO) -> Path:
    """Log ``desktop_crf`` and ``sync`` records to a rotating file; return its path.

    Called once by the app's entry point; calling again moves the log to ``folder``.
    """
    global _handler
    target = (folder or log_folder()) / LOG_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(PrivateFormatter(_FORMAT))
    for name in ("desktop_crf", "sync"):
        logger = logging.getLogger(name)
        if _handler is not None:
            logger.removeHandler(_handler)
        logger.addHandler(handler)
        logger.setLevel(level)
    if _handler is not None:
        _handler.close()
    _handler = handler
    return target


def stop_logging() -> None:
    """Close the log file (tests, and the end of the app)."""
    global _handler
    if _handler is None:
        return
    for name in ("desktop_crf", "sync"):
        logging.getLogger(name).removeHandler(_handler)
    _handler.close()
    _handler = None
