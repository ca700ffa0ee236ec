"""The wording of the EORTC QLQ-C30 questionnaire, in the languages a site may use.

The wording is the EORTC Quality of Life Group's copyright (© 1995 EORTC Quality of Life Group,
all rights reserved, version 3.0); its use needs EORTC's permission, free for academic trials
(clinical.md, "EORTC QLQ-C30 version 3.0"). The application ships the English wording with that
notice. Other languages come from the official EORTC translation a site obtains from EORTC and
imports (:func:`import_wording`); a validated instrument is never translated here. A wording that
is not EORTC's official one carries ``official = False`` and must say so on screen
(:attr:`Wording.screen_notice`).

Wording data (the bundled ``resources/forms/qlq_c30/en.json``, or an imported file) is JSON::

    {"instrument": "EORTC QLQ-C30", "version": "3.0", "language": "en", "official": true,
     "source": "...", "copyright": "...", "title": "...", "instructions": "...",
     "headings": {"1": "...", "6": "...", "29": "..."},
     "items": {"1": "...", ..., "30": "..."},
     "answers": {"1-4": {"1": "...", ..., "4": "..."}, "1-7": {"1": "...", "7": "..."}},
     "language_name": "...", "release": "...", "notice": "..."}

``headings`` are shown before the item they are keyed by; ``answers["1-7"]`` labels the ends
of the 1–7 scale of items 29 and 30 (labels of 2–6 are optional: the number is shown). The last
three keys are optional: ``language_name`` is the language's name in itself ("English",
"中文（简体）"), shown on the patient's language buttons; ``release`` is the translation's own
version or date as EORTC issued it; ``notice`` is what a wording that is not official says on
screen, in its own language (by default :data:`NOT_OFFICIAL_NOTICE`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from forms.instruments.errors import InstrumentError
from forms.instruments.qlq_c30 import ITEMS, answer_range

INSTRUMENT: Final = "EORTC QLQ-C30"
VERSION: Final = "3.0"
COPYRIGHT: Final = "© Copyright 1995 EORTC Quality of Life Group. All rights reserved. Version 3.0"
NOT_OFFICIAL_NOTICE: Final = {
    "en": "This is not the official EORTC translation of the QLQ-C30.",
    "zh": "此版本并非EORTC官方发布的QLQ-C30译本。",
}


_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class WordingInvalid(InstrumentError):
    """A questionnaire wording file that cannot be used; the message says what is wrong."""

    def __init__(self, why: str) -> None:
        self.why = why
        super().__init__(f"The QLQ-C30 wording cannot be used: {why}.")


@dataclass(frozen=True, slots=True)
class Wording:
    """The QLQ-C30 text in one language.

    Attributes:
        language: a language tag such as "en" or "zh-CN".
        official: True only for EORTC's own wording or an official EORTC translation.
        source: where the text comes from (e.g. "EORTC QLQ-C30 version 3.0, English").
        copyright: EORTC's copyright notice, shown with the questionnaire.
        title: the questionnaire's title as printed.
        instructions: the instructions to the patient.
        headings: item number → heading shown before it (e.g. "During the past week:").
        items: item number (1–30) → question.
        answers: "1-4" → answer code → label; "1-7" → labels of the ends of the 1–7 scale.
        language_name: the language's name in that language, or None.
        release: the translation's own version or date, or None.
        notice: the on-screen notice of a wording that is not official (its own language).
    """

    language: str
    official: bool
    source: str
    copyright: str
    title: str
    instructions: str
    items: Mapping[int, str]
    answers: Mapping[str, Mapping[int, str]]
    headings: Mapping[int, str] = field(default_factory=dict)
    language_name: str | None = None
    release: str | None = None
    notice: str | None = None

    @property
    def screen_notice(self) -> Mapping[str, str] | None:
        """The notice a screen showing this wording must display, or None when official."""
        return None if self.official else NOT_OFFICIAL_NOTICE

    def patient_notice(self) -> str | None:
        """What the patient's screen says of a wording that is not official, in the wording's
        language as far as one is known (its own ``notice``, else the standard one)."""
        if self.official:
            return None
        if self.notice:
            return self.notice
        return NOT_OFFICIAL_NOTICE["zh" if self.language.startswith("zh") else "en"]

    @property
    def fingerprint(self) -> str:
        """A short identifier of exactly this text: the first 16 hex digits of the SHA-256 of
        its JSON (keys sorted), recorded with the answers given in it."""
        text = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def answer_label(self, item: int, answer: int) -> str:
        """Return the label of ``answer`` to ``item`` (the number itself between 1–7's ends)."""
        low, high = answer_range(item)
        labels = self.answers["1-4" if high == 4 else "1-7"]
        if not low <= answer <= high:
            raise WordingInvalid(f"item {item} has no answer {answer}")
        return labels.get(answer, str(answer))

    def to_dict(self) -> dict[str, Any]:
        """Return the wording in the JSON shape it was read from."""
        data: dict[str, Any] = {
            "instrument": INSTRUMENT,
            "version": VERSION,
            "language": self.language,
            "official": self.official,
            "source": self.source,
            "copyright": self.copyright,
            "title": self.title,
            "instructions": self.instructions,
            "headings": {str(k): v for k, v in self.headings.items()},
            "items": {str(k): v for k, v in self.items.items()},
            "answers": {
                scale: {str(k): v for k, v in labels.items()}
                for scale, labels in self.answers.items()
            },
        }
        optional = {"language_name": self.language_name, "release": self.release}
        optional["notice"] = self.notice
        return data | {key: value for key, value in optional.items() if value}


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise WordingInvalid(f"'{key}' is missing or empty")
    return value.strip()


def _optional(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise WordingInvalid(f"'{key}' must be a text")
    return value.strip() or None


def _numbered(data: Any, what: str, wanted: range | tuple[int, ...]) -> dict[int, str]:
    """Read a mapping "number" → text, requiring exactly the numbers in ``wanted``."""
    if not isinstance(data, Mapping):
        raise WordingInvalid(f"'{what}' must map numbers to texts")
    read: dict[int, str] = {}
    for key, text in data.items():
        if not str(key).isdigit() or int(key) not in wanted:
            raise WordingInvalid(f"'{what}' has an unexpected entry {key!r}")
        if not isinstance(text, str) or not text.strip():
            raise WordingInvalid(f"'{what}' {key} is empty")
        read[int(key)] = text.strip()
    return read


def parse_wording(data: Mapping[str, Any]) -> Wording:
    """Read wording data (the JSON shape in the module docstring) into a :class:`Wording`.

    Raises:
        WordingInvalid: another instrument or version, a missing item or answer label, an empty
            copyright notice, or ``official`` not a boolean.
    """
    if data.get("instrument") != INSTRUMENT or data.get("version") != VERSION:
        raise WordingInvalid(f"it is not {INSTRUMENT} version {VERSION}")
    if not isinstance(data.get("official"), bool):
        raise WordingInvalid("'official' must be true or false")
    items = _numbered(data.get("items"), "items", ITEMS)
    missing = [str(n) for n in ITEMS if n not in items]
    if missing:
        raise WordingInvalid(f"items {', '.join(missing)} are missing")
    answers = data.get("answers")
    if not isinstance(answers, Mapping):
        raise WordingInvalid("'answers' must hold the labels of the 1-4 and 1-7 scales")
    four = _numbered(answers.get("1-4"), "answers 1-4", range(1, 5))
    seven = _numbered(answers.get("1-7"), "answers 1-7", range(1, 8))
    if len(four) != 4 or not {1, 7} <= set(seven):
        raise WordingInvalid("every 1-4 answer and both ends of the 1-7 scale need a label")
    language = _text(data, "language")
    if not _LANGUAGE_TAG.match(language):
        raise WordingInvalid(f"'language' {language!r} is not a language tag such as en or zh-CN")
    return Wording(
        language=language,
        official=data["official"],
        source=_text(data, "source"),
        copyright=_text(data, "copyright"),
        title=_text(data, "title"),
        instructions=_text(data, "instructions"),
        items=items,
        answers={"1-4": four, "1-7": seven},
        headings=_numbered(data.get("headings", {}), "headings", ITEMS),
        language_name=_optional(data, "language_name"),
        release=_optional(data, "release"),
        notice=_optional(data, "notice"),
    )


def import_wording(
    content: Mapping[str, Any], *, official: bool, source: str, copyright_notice: str | None = None
) -> Wording:
    """Import a site's translation of the QLQ-C30 from parsed file content.

    The site obtains the translation from EORTC (with the permission to use it) and enters it,
    or receives it, in the wording JSON shape. Who imports it states whether it is EORTC's
    official translation; that statement travels with the wording and decides the on-screen
    notice.

    Args:
        content: the parsed file (wording JSON shape; ``official``, ``source`` and
            ``copyright`` may be absent, they are taken from the arguments).
        official: True only for an official EORTC translation.
        source: where it comes from, e.g. "EORTC QLQ-C30 v3.0 Chinese (Mandarin), received
            2026-03-01".
        copyright_notice: the notice printed on that translation; EORTC's English notice by
            default.

    Raises:
        WordingInvalid: the content lacks an item, an answer label or a required field.
    """
    merged = dict(content)
    merged.update(instrument=INSTRUMENT, version=VERSION, official=official, source=source)
    if copyright_notice:
        merged["copyright"] = copyright_notice
    else:
        merged.setdefault("copyright", COPYRIGHT)
    return parse_wording(merged)
