"""The AE form's helpers: CTCAE v5.0 term search with the MedDRA code filled in, the grade
texts of the chosen term, and the WHO-UMC category suggested live from the guided answers.

``fill`` computes the values the form puts itself (Qt-free, run by the draft at each check);
``attach`` and ``decorate`` dress the editors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit

from desktop_crf.errors import KnownError
from desktop_crf.instruments import load_ctcae_dictionary
from desktop_crf.services.adverse_events import causality_suggestion
from desktop_crf.ui.form.draft import Filler, FormDraft
from desktop_crf.ui.form.fields import ItemField
from forms.instruments.ctcae_dictionary import Dictionary, Term
from forms.schema import AdverseEventItems, FormDef

__all__ = ["attach", "decorate", "fill", "filler", "is_ae_log"]


@cache
def _dictionary() -> Dictionary:
    return load_ctcae_dictionary()


def _term(name: str) -> Term | None:
    try:
        return _dictionary().get(name)
    except (KnownError, KeyError, ValueError):
        return None


class TermSearch(QObject):
    """The AE term editor's search: by words of the CTCAE name, by synonym or abbreviation
    ("transamin", "ALT"), by Chinese name ("转氨酶"), by MedDRA code; the list shows the
    CTCAE terms found (with their Chinese name where one is known), and choosing one puts
    the CTCAE spelling in the editor."""

    def __init__(self, edit: QLineEdit) -> None:
        super().__init__(edit)
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, edit)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCompletionRole(Qt.ItemDataRole.UserRole)  # the CTCAE spelling goes in
        edit.setCompleter(self.completer)
        edit.textEdited.connect(self.search)

    def search(self, text: str) -> None:
        dictionary = _dictionary()
        self.model.clear()
        for term in dictionary.search(text, limit=15):
            local = dictionary.local_names(term)
            shown = f"{term.name} ({' / '.join(local)})" if local else term.name
            item = QStandardItem(shown)
            item.setData(term.name, Qt.ItemDataRole.UserRole)
            self.model.appendRow(item)
        if self.model.rowCount():
            self.completer.complete()


def is_ae_log(form: FormDef) -> bool:
    """Whether ``form`` is an AE log (its definition says which items are which)."""
    return form.adverse_event is not None


def filler(form: FormDef) -> Filler | None:
    """The values ``form`` fills in itself, or None."""
    roles = form.adverse_event
    if roles is None:
        return None
    return lambda draft: fill(draft, roles)


def fill(draft: FormDraft, roles: AdverseEventItems) -> Mapping[str, str]:
    """Per AE: the MedDRA code of a recognised term (when empty) and each drug's suggested
    causality category."""
    by_repeat: dict[int, dict[str, str]] = {}
    for row in draft.rows():
        if row.group == roles.group:
            by_repeat.setdefault(row.repeat, {})[row.item.oid] = row.path
    put: dict[str, str] = {}
    for paths in by_repeat.values():
        values = {oid: draft.text(path) for oid, path in paths.items()}
        term = _term(values.get(roles.term, ""))
        if term is not None and roles.meddra_code in paths and not values.get(roles.meddra_code):
            put[paths[roles.meddra_code]] = str(term.meddra_code)
        for assessment in roles.causality:
            target = paths.get(assessment.suggestion)
            if target is not None:
                put[target] = causality_suggestion(values, assessment) or ""
    return put


def attach(fields: Iterable[ItemField], roles: AdverseEventItems) -> None:
    """Give the term editor of each new AE repeat its search and code fill-in; the items
    the app fills from a lab value are shown, never typed."""
    for field in fields:
        if field.item.oid in roles.linked:
            for widget in field.focus_widgets():
                widget.setEnabled(False)
            continue
        if field.item.oid != roles.term or field.edit is None:
            continue
        TermSearch(field.edit)


def decorate(
    fields: Mapping[str, ItemField],
    draft: FormDraft,
    roles: AdverseEventItems,
    *,
    local_names: bool = False,
) -> dict[str, str]:
    """Each grade's CTCAE text for the chosen term as tooltips; a grade CTCAE v5.0 does not
    define for the term cannot be chosen (the service refuses it too); return the chosen
    grade's text to show under each grade editor. With ``local_names`` (a Chinese screen) the
    term's Chinese name is shown beside it (the CTCAE term stays what is stored)."""
    notes: dict[str, str] = {}
    terms: dict[int, Term | None] = {}
    for row in draft.rows():
        if row.group == roles.group and row.item.oid == roles.term:
            terms[row.repeat] = _term(draft.text(row.path))
    if local_names:
        for field in fields.values():
            if field.group == roles.group and field.item.oid == roles.term:
                term = terms.get(field.repeat)
                names = _dictionary().local_names(term) if term is not None else ()
                field.show_caption(" / ".join(names))
    for path, field in fields.items():
        if field.group != roles.group or field.item.oid != roles.grade or field.combo is None:
            continue
        term, combo = terms.get(field.repeat), field.combo
        model = combo.model()
        for index in range(1, combo.count()):
            code = str(combo.itemData(index))
            text = term.grades.get(int(code)) if term and code.isdigit() else None
            combo.setItemData(index, text or "", Qt.ItemDataRole.ToolTipRole)
            item = model.item(index) if isinstance(model, QStandardItemModel) else None
            if item is not None:
                item.setEnabled(term is None or text is not None)
        grade = field.text()
        if term is not None and grade.isdigit() and int(grade) in term.grades:
            notes[path] = f"{grade}: {term.grades[int(grade)]}"
    return notes
