"""Questionnaire wordings a device can show: EORTC's English QLQ-C30 (bundled) and the
translations the site imported with ``crf instruments import-wording``.

The wording of a validated instrument is data, never a UI translation (clinical.md, "EORTC
QLQ-C30 version 3.0"): it comes whole from a wording file (format in
``forms.instruments.qlq_c30_wording`` and ``docs/tablet.md``), is refused with the reason when
it is incomplete, and keeps its own statement of whether it is EORTC's official translation.
Each wording is known by its fingerprint, which the answers given in it record
(``I.QLQ_WORDING``).

Public API:

- :func:`read_wording_file` ``(path) -> dict``: a file's JSON, or :class:`WordingRefused`.
- :func:`import_wording` ``(session, content) -> WordingImported``: check, store, audit.
- :func:`installed_wordings` ``(session) -> list[WordingChoice]``: what a patient may choose.
- :func:`load_wording` ``(session, language) -> Wording``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_crf.errors import InvalidInput, NotFound
from desktop_crf.instruments import load_qlq_c30_wording
from desktop_crf.model import Changes
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import tablet
from desktop_crf.store.audit import utc_now
from forms.instruments.qlq_c30_wording import INSTRUMENT, Wording, WordingInvalid, parse_wording

#: The languages bundled with the application (EORTC's own English wording).
BUNDLED = ("en",)


class WordingRefused(InvalidInput):
    """A wording file that cannot be used: the message says what is wrong; nothing changed."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"The wording in {where} was not imported: {why}")


@dataclass(frozen=True)
class WordingChoice:
    """A wording a patient may choose: its language (tag and own name) and whether it is
    EORTC's official text."""

    language: str
    language_name: str | None
    official: bool
    fingerprint: str
    source: str
    bundled: bool


@dataclass(frozen=True)
class WordingImported:
    language: str
    official: bool
    fingerprint: str
    changes: Changes


def read_wording_file(path: Path) -> dict[str, Any]:
    """The JSON object in ``path`` (UTF-8).

    Raises:
        WordingRefused: the file cannot be read, is not JSON, or holds no JSON object.
    """
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WordingRefused(path.name, f"the file cannot be read ({exc.strerror}).") from exc
    except UnicodeDecodeError as exc:
        raise WordingRefused(path.name, "the file is not UTF-8 text.") from exc
    except json.JSONDecodeError as exc:
        why = f"it is not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})."
        raise WordingRefused(path.name, why) from exc
    if not isinstance(content, dict):
        raise WordingRefused(path.name, "it must hold one JSON object.")
    return content


def import_wording(
    session: Session, content: Mapping[str, Any], *, where: str = "the file"
) -> WordingImported:
    """Store a questionnaire wording on this device; audited (``wording.import``).

    The file says itself whether it is EORTC's official translation (``official``) and where
    it comes from (``source``); a wording that is not official is shown with its notice.

    Raises:
        WordingRefused: another instrument or version, an item or answer label missing, a
            field of the wrong type; the message names it. Nothing is stored.
    """
    session.require(Permission.MANAGE_INSTRUMENTS)
    try:
        wording = parse_wording(content)
    except WordingInvalid as exc:
        raise WordingRefused(where, f"{exc.why}.") from exc
    fingerprint = wording.fingerprint
    row = tablet.WordingRow(
        fingerprint,
        INSTRUMENT,
        wording.language,
        wording.official,
        wording.to_dict(),
        utc_now(),
        session.user,
    )
    detail = {
        "fingerprint": fingerprint,
        "instrument": INSTRUMENT,
        "language": wording.language,
        "official": wording.official,
        "release": wording.release,
        "source": wording.source,
    }
    with session.write() as audit:
        tablet.insert_wording(session.db, row)
        audit.append("wording.import", detail=json.dumps(detail, sort_keys=True))
    changes = Changes(kind="wordings")
    return WordingImported(wording.language, wording.official, fingerprint, changes)


def _require_reader(session: Session) -> None:
    """Which wordings exist is nobody's data: staff, and the patient on the tablet, read it."""
    session.require_any(
        Permission.VIEW_DATA, Permission.PATIENT_QUESTIONNAIRE, Permission.MANAGE_INSTRUMENTS
    )


def _installed(session: Session) -> dict[str, tuple[Wording, bool]]:
    """Language → (wording, bundled): an imported wording replaces a bundled one."""
    found: dict[str, tuple[Wording, bool]] = {
        language: (load_qlq_c30_wording(language), True) for language in BUNDLED
    }
    for row in tablet.latest_wordings(session.db, INSTRUMENT):
        found[row.language] = (parse_wording(row.content), False)
    return found


def installed_wordings(session: Session) -> list[WordingChoice]:
    """The QLQ-C30 wordings of this device, English first."""
    _require_reader(session)
    choices = [
        WordingChoice(
            language,
            wording.language_name,
            wording.official,
            wording.fingerprint,
            wording.source,
            bundled,
        )
        for language, (wording, bundled) in _installed(session).items()
    ]
    return sorted(choices, key=lambda c: (c.language != "en", c.language))


def load_wording(session: Session, language: str) -> Wording:
    """The installed wording in ``language``.

    Raises:
        NotFound: no wording in that language is installed on this device.
    """
    _require_reader(session)
    found = _installed(session).get(language)
    if found is None:
        raise NotFound(
            f"No QLQ-C30 wording in {language!r} is installed on this device. Import it with "
            "crf instruments import-wording."
        )
    return found[0]
