"""Writing an export file so that it appears whole or not at all, with its audit entry.

The content goes to a temporary file in the target folder; the file replaces the target in the
same transaction that appends the export's audit entry, so a failed, refused or cancelled
export leaves neither a partial file nor an entry for a file that does not exist. The file
system's refusals become :class:`ExportFailed` with a reason a nurse or monitor can act on.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from desktop_crf.errors import Cancelled, KnownError

_DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


class ExportFailed(KnownError):
    """The file could not be written; nothing was left behind.

    ``kind`` says why, so a view can word it in the user's language: ``not_writable``,
    ``no_folder``, ``disk_full`` or ``other``.
    """

    def __init__(self, kind: str, folder: Path, detail: str = "", *, what: str = "") -> None:
        self.kind, self.folder, self.detail = kind, folder, detail
        why = {
            "not_writable": "this folder cannot be written; choose another one (e.g. Documents)",
            "no_folder": "this folder does not exist; choose another one",
            "disk_full": "the disk is full; free some space or choose another drive",
        }.get(kind, detail or "the file could not be written")
        subject = what or "The audit trail"
        super().__init__(f"{subject} was not exported to {folder}: {why}. No file was made.")


class ExportCancelled(Cancelled):
    def __init__(self) -> None:
        super().__init__("The export was cancelled. No file was made.")


def temp_file(target: Path, *, what: str = "") -> Path:
    """An empty temporary file beside ``target``."""
    with translated_os_errors(target.parent, what=what):
        if not target.parent.is_dir():
            raise FileNotFoundError(errno.ENOENT, "no such folder", str(target.parent))
        handle, name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=".part", dir=target.parent
        )
        os.close(handle)
    return Path(name)


@contextlib.contextmanager
def translated_os_errors(folder: Path, *, what: str = "") -> Iterator[None]:
    """Map the file system's refusals to a message a nurse or monitor can act on."""
    try:
        yield
    except PermissionError as exc:
        raise ExportFailed("not_writable", folder, str(exc), what=what) from exc
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise ExportFailed("no_folder", folder, str(exc), what=what) from exc
    except OSError as exc:
        if exc.errno in _DISK_FULL:
            raise ExportFailed("disk_full", folder, str(exc), what=what) from exc
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise ExportFailed("not_writable", folder, str(exc), what=what) from exc
        raise ExportFailed("other", folder, exc.strerror or str(exc), what=what) from exc


def write_atomically(
    target: Path,
    write: Callable[[IO[bytes]], None],
    commit: Callable[[str, Callable[[], None]], None],
    *,
    what: str = "",
) -> str:
    """Write ``target`` through ``write(stream)``; then ``commit(sha256, move)`` appends the
    export's audit entry and calls ``move()`` inside its transaction, which puts the finished
    file in place: both or neither. Return the file's SHA-256. Any failure leaves nothing."""
    temp = temp_file(target, what=what)
    replaced = False

    def move() -> None:
        nonlocal replaced
        with translated_os_errors(target.parent, what=what):
            os.replace(temp, target)
        replaced = True

    try:
        with translated_os_errors(target.parent, what=what), temp.open("wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        digest = file_sha256(temp)
        commit(digest, move)
    except BaseException:
        with contextlib.suppress(OSError):
            (target if replaced else temp).unlink()
        raise
    return digest


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
