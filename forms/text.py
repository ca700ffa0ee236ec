"""Bilingual text: every label and message a user sees exists in English and Simplified Chinese.

``Text`` is the one model for that pair, so a missing translation is a definition error caught
when a study or form file is loaded, not a blank on screen.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["en", "zh"]


class Text(BaseModel):
    """A user-visible text in English (``en``) and Simplified Chinese (``zh``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def get(self, language: Language) -> str:
        """Return the text in ``language`` ("en" or "zh")."""
        return self.zh if language == "zh" else self.en
