"""Bundled data of the clinical instruments, read from ``resources/`` for ``forms.instruments``.

``forms`` does no file I/O: this module reads the files and hands the parsed data to the pure
functions there. Files:

- ``resources/ctcae/ctcae_v5.0.json``: the CTCAE v5.0 term list (see ``resources/ctcae/SOURCE.md``).
- ``resources/ctcae/synonyms.json``: search aids mapping words to CTCAE terms.

Public API: :func:`load_ctcae_dictionary` ``() -> forms.instruments.ctcae_dictionary.Dictionary``.
"""

from __future__ import annotations

from functools import cache

from desktop_crf.errors import KnownError
from desktop_crf.resources import read_json
from forms.instruments.ctcae_dictionary import Dictionary, parse_dictionary


class InstrumentDataInvalid(KnownError):
    """A bundled instrument file is missing or damaged: the installation needs repair."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(
            f"The bundled file {where} cannot be used ({why}). Reinstall the application or "
            "contact your data manager."
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
