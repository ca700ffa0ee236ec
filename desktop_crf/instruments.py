"""Bundled data of the clinical instruments, read from ``resources/`` for ``forms.instruments``.

``forms`` does no file I/O: this module reads the files and hands the parsed data to the pure
functions there. Files:

- ``resources/ctcae/ctcae_v5.0.json``: the CTCAE v5.0 term list (see ``resources/ctcae/SOURCE.md``).
- ``resources/ctcae/synonyms.json``: search aids mapping words to CTCAE terms.
- ``resources/forms/qlq_c30/en.json``: EORTC's English QLQ-C30 wording with its copyright notice.
- ``resources/forms/qlq_c30/languages.json``: which QLQ-C30 languages are bundled and official.

Public API:

- :func:`load_ctcae_dictionary` ``() -> forms.instruments.ctcae_dictionary.Dictionary``
- :func:`load_qlq_c30_wording` ``(language="en") -> forms.instruments.qlq_c30_wording.Wording``
- :func:`qlq_c30_languages` ``() -> dict[str, dict]``
- :func:`read_qlq_c30_translation` ``(path, *, official, source) -> Wording``: a site's file.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from desktop_crf.errors import KnownError, NotFound
from desktop_crf.resources import read_json
from forms.instruments.ctcae_dictionary import Dictionary, parse_dictionary
from forms.instruments.qlq_c30_wording import Wording, import_wording, parse_wording


class InstrumentDataInvalid(KnownError):
    """An instrument file is missing or damaged; the message says which and what to do."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(
            f"The file {where} cannot be used ({why}). Reinstall the application or, for a "
            "file you imported, ask your data manager for a correct copy."
        )


class WordingNotBundled(NotFound):
    def __init__(self, language: str) -> None:
        super().__init__(
            f"The QLQ-C30 in {language!r} is not bundled. Import the official EORTC translation "
            "that your site obtained from EORTC."
        )


@cache
def load_ctcae_dictionary() -> Dictionary:
    """Return the CTCAE v5.0 dictionary with its synonyms (read once, then cached).

    Raises:
        InstrumentDataInvalid: a file is missing, not JSON, or not in the expected shape.
    """
    try:
        terms = read_json("ctcae", "ctcae_v5.0.json")
        synonyms = read_json("ctcae", "synonyms.json")
        return parse_dictionary(terms, synonyms)
    except (OSError, ValueError) as exc:  # JSONDecodeError and InstrumentError are ValueErrors
        raise InstrumentDataInvalid("ctcae/", str(exc)) from exc


@cache
def qlq_c30_languages() -> dict[str, Any]:
    """Return the QLQ-C30 languages: per language tag, whether it is bundled and official."""
    languages: dict[str, Any] = read_json("forms", "qlq_c30", "languages.json")["languages"]
    return languages


@cache
def load_qlq_c30_wording(language: str = "en") -> Wording:
    """Return a bundled QLQ-C30 wording (only EORTC's English one is bundled).

    Raises:
        WordingNotBundled: no bundled file for ``language``.
        InstrumentDataInvalid: the bundled file is damaged.
    """
    entry = qlq_c30_languages().get(language)
    if not entry or not entry.get("bundled"):
        raise WordingNotBundled(language)
    where = f"forms/qlq_c30/{entry['file']}"
    try:
        return parse_wording(read_json("forms", "qlq_c30", entry["file"]))
    except (OSError, ValueError) as exc:
        raise InstrumentDataInvalid(where, str(exc)) from exc


def read_qlq_c30_translation(path: Path, *, official: bool, source: str) -> Wording:
    """Read a QLQ-C30 translation file a site imports (wording JSON, UTF-8).

    Args:
        path: the file.
        official: True only when it is EORTC's official translation.
        source: where it comes from, kept with the wording.

    Raises:
        InstrumentDataInvalid: the file cannot be read or lacks items or answer labels.
    """
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        return import_wording(content, official=official, source=source)
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise InstrumentDataInvalid(path.name, str(exc)) from exc
