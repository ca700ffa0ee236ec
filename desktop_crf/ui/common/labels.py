"""Words instead of codes: the names a person reads for a visit, a form, an item, an answer,
an arm and a subject's status, in the user's language, from the study and form definitions.

Codes (``SE.W12``, ``F.LAB_LIVER``, ``I.ALT``, ``not_recovered``) are shown only where a person
asks for them, in a detail pane. Anything the definitions do not know (a newer form from
another computer) is shown as its code rather than hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop_crf.errors import KnownError
from desktop_crf.services.visits import LOG_EVENT, UNSCHEDULED_EVENT
from desktop_crf.studies import bundled_forms, load_study
from forms.schema import DataType, FormDef
from forms.study import Study
from forms.text import Language


@lru_cache(maxsize=8)
def _study(study_id: str) -> Study | None:
    try:
        return load_study(study_id)
    except KnownError:
        return None


@lru_cache(maxsize=8)
def labels_for(study_id: str, language: Language) -> Labels:
    """The (shared) labels of one study in one language."""
    return Labels(study_id, language)


class Labels:
    """The names of a study's visits, forms, items and answers in one language."""

    def __init__(self, study_id: str, language: Language) -> None:
        self.study = _study(study_id)
        self.language = language
        self._forms: Mapping[str, FormDef] = bundled_forms()

    def visit(self, event: str | None, repeat: int | None = 1) -> str:
        if not event:
            return ""
        if event == LOG_EVENT:
            return QCoreApplication.translate("Labels", "Logs")
        if self.study is not None and event == UNSCHEDULED_EVENT:
            return f"{self.study.unscheduled.label.get(self.language)} {repeat or 1}"
        if self.study is not None:
            try:
                label = self.study.visit(event).label.get(self.language)
            except KeyError:
                return event
            return label if (repeat or 1) == 1 else f"{label} #{repeat}"
        return event

    def form(self, form: str | None) -> str:
        definition = self._forms.get(form or "")
        return definition.label.get(self.language) if definition else (form or "")

    def item(self, form: str | None, item: str | None) -> str:
        definition = self._forms.get(form or "")
        found = definition.items().get(item or "") if definition else None
        return found.label.get(self.language) if found else (item or "")

    def value(self, form: str | None, item: str | None, value: str | None) -> str:
        """An answer as the person chose it: a choice's label, Yes/No; else as entered."""
        if value is None:
            return ""
        definition = self._forms.get(form or "")
        found = definition.items().get(item or "") if definition else None
        if found is None:
            return value
        if found.data_type is DataType.BOOLEAN:
            yes_no = {
                "Y": QCoreApplication.translate("Labels", "Yes"),
                "N": QCoreApplication.translate("Labels", "No"),
            }
            return yes_no.get(value, value)
        if found.data_type in (DataType.CHOICE, DataType.MULTI_CHOICE):
            codes = [c.strip() for c in value.split(",") if c.strip()]
            names = [
                choice.label.get(self.language) if (choice := found.choice(code)) else code
                for code in codes
            ]
            return ", ".join(names)
        return value

    def arm(self, code: str | None) -> str:
        if not code or self.study is None:
            return code or ""
        try:
            return self.study.arm(code).label.get(self.language)
        except KeyError:
            return code

    def status(self, status: str | None) -> str:
        """A subject's status."""
        return {
            "screening": QCoreApplication.translate("Labels", "screening"),
            "enrolled": QCoreApplication.translate("Labels", "enrolled"),
            "withdrawn": QCoreApplication.translate("Labels", "withdrawn"),
            "screen_failed": QCoreApplication.translate("Labels", "screen failure"),
            "discarded": QCoreApplication.translate("Labels", "screening discarded"),
        }.get(status or "", status or "")

    def place(self, where: Mapping[str, Any]) -> str:
        """Where an entry or a query is, in words: visit · form · item (repeats numbered)."""
        parts = [
            self.visit(where.get("event"), where.get("event_repeat")),
            self.form(where.get("form")),
        ]
        item = self.item(where.get("form"), where.get("item"))
        group_repeat = where.get("group_repeat")
        if item and group_repeat and group_repeat != 1:
            item = f"{item} #{group_repeat}"
        parts.append(item)
        return " · ".join(p for p in parts if p)

    def form_title(self, subject: str, event: str, form: str, repeat: int = 1) -> str:
        """A form's tab title: subject · visit · form."""
        return " · ".join((subject, self.visit(event, repeat), self.form(form)))
