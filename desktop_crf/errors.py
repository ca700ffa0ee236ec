"""Errors of desktop-crf.

``KnownError`` subclasses are conditions of the environment or of the input that a person can
act on (wrong password, disk full, invalid value); their message is shown as is. Anything else
that escapes is a bug and is shown as a crash report.
"""

from __future__ import annotations


class CrfError(Exception):
    """Base of every error raised on purpose by desktop-crf."""


class KnownError(CrfError):
    """An error whose message tells a person what to do."""


class WrongPassword(KnownError):
    def __init__(self, user: str | None = None) -> None:
        who = f" for {user}" if user else ""
        super().__init__(
            f"The user name or password{who} is not correct. Check Caps Lock and try again."
        )


class UnknownUser(WrongPassword):
    """Shown exactly like a wrong password, so that user names cannot be probed."""


class UnlockDelayed(KnownError):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            f"Too many failed attempts. Wait {seconds:.0f} seconds before trying again."
        )


class SiteNotFound(KnownError):
    def __init__(self, path: str) -> None:
        super().__init__(f"No desktop-crf site was found in {path}. Check the folder name.")


class SiteExists(KnownError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"A site already exists in {path}. It was not changed; choose an empty folder."
        )


class KeySlotFileMissing(KnownError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"The key file {path} is missing or cannot be read, so the site database cannot be "
            "opened. Restore it from the site backup; the data itself is untouched."
        )


class KeySlotFileCorrupt(KnownError):
    def __init__(self, path: str, why: str) -> None:
        super().__init__(
            f"The key file {path} is damaged ({why}). Restore it from the site backup; "
            "the data itself is untouched."
        )


class DatabaseCorrupt(KnownError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"The site database {path} is damaged or not a desktop-crf database. Nothing was "
            "changed. Restore it from the last backup and contact your data manager."
        )


class DiskFull(KnownError):
    def __init__(self) -> None:
        super().__init__(
            "The disk is full, so the last change was not saved. Everything saved before is "
            "safe. Free some disk space and save again."
        )


class DatabaseLocked(KnownError):
    def __init__(self) -> None:
        super().__init__(
            "The site database is busy in another program. Close other copies of desktop-crf "
            "and try again."
        )


class ReadOnlyDatabase(KnownError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"The site database {path} cannot be written (read-only file or folder). Ask your "
            "IT support to give this user write access."
        )


class PermissionDenied(KnownError):
    def __init__(self, role: str, action: str) -> None:
        super().__init__(f"A {role} may not {action}.")


class ReasonRequired(KnownError):
    def __init__(self, item: str) -> None:
        super().__init__(f"{item} already had a saved value: give a reason for the change.")


class ChineseFontMissing(KnownError):
    def __init__(self) -> None:
        super().__init__(
            "This computer has no Chinese font, so the Chinese text of this PDF would be left "
            "out. Nothing was written. Install a Chinese font (on Debian or Ubuntu, the package "
            "fonts-noto-cjk) and print again."
        )


class InvalidInput(KnownError):
    """A value or argument that cannot be accepted; the message says what is expected."""


class NotFound(KnownError):
    """A subject, form or user that does not exist."""


class Cancelled(KnownError):
    """A long call the person stopped (Cancel, or closing its window); nothing was written."""


class Locked(KnownError):
    def __init__(self) -> None:
        super().__init__("The site is locked. Unlock it with your password.")
