"""The AE form's helpers: CTCAE v5.0 term search with the MedDRA code filled in, the grade
texts of the chosen term, and the WHO-UMC category suggested live from the guided answers."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter

from desktop_crf.errors import KnownError
from desktop_crf.instruments import load_ctcae_dictionary
from desktop_crf.services.adverse_events import AE_FORM, causality_suggestion
from desktop_crf.ui.form.fields import ItemField
from forms.instruments.ctcae_dictionary import Dictionary, Term

__all__ = ["AE_FORM", "attach", "update"]


@cache
def _dictionary() -> Dictionary:
    return load_ctcae_dictionary()


def _term(name: str) -> Term | None:
    try:
        return _dictionary().get(name)
    except (KnownError, KeyError, ValueError):
        return None


def attach(fields: Iterable[ItemField]) -> None:
    """Give the term editor of each new AE repeat its search and code fill-in."""
    for field in fields:
        if field.item.oid != "I.AETERM" or field.edit is None:
            continue
        completer = QCompleter(_all_names(), field.edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        field.edit.setCompleter(completer)


@cache
def _all_names() -> list[str]:
    return [term.name for term in _dictionary()]


def update(fields: dict[str, ItemField], language: str) -> None:
    """Fill the MedDRA code and grade text of each chosen term, and the causality suggestions."""
    repeats = {f.repeat for f in fields.values() if f.group == "IG.AE"}
    for repeat in repeats:
        mine = {f.item.oid: f for f in fields.values() if f.group == "IG.AE" and f.repeat == repeat}
        term_field, code_field, grade_field = (
            mine.get("I.AETERM"),
            mine.get("I.AEMEDDRA"),
            mine.get("I.AEGRADE"),
        )
        term = _term(term_field.text()) if term_field else None
        if term is not None and code_field is not None and not code_field.text():
            code_field.set_value(str(term.meddra_code))
        if grade_field is not None and grade_field.combo is not None:
            combo = grade_field.combo
            for index in range(1, combo.count()):
                code = str(combo.itemData(index))
                text = term.grades.get(int(code)) if term and code.isdigit() else None
                combo.setItemData(index, text or "", Qt.ItemDataRole.ToolTipRole)
                if term is not None and text is None:
                    combo.setItemText(index, f"{code} (—)")
            grade = grade_field.text()
            if term is not None and grade.isdigit() and int(grade) in term.grades:
                grade_field.show_message(f"{grade}: {term.grades[int(grade)]}", "info")
        values = {oid: f.text() for oid, f in mine.items()}
        for drug in ("PEG", "NA"):
            target = mine.get(f"I.AEREL_{drug}_SUGG")
            if target is not None:
                suggested = causality_suggestion(values, drug)
                if (suggested or "") != target.text():
                    target.set_value(suggested)
