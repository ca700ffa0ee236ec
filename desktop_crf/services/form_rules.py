"""The rules a save of form data obeys whoever calls it (the form view, the CLI, an import, a
script): values go only where the form definition has a place for them, a form is completed
only without hard errors, and a warning on a changed value is saved only once a person has
confirmed it, which the audit trail then records.

Pure helpers over ``forms``; ``data_entry.save_form`` applies them inside its transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop_crf.errors import InvalidInput, KnownError
from desktop_crf.model import StoredValue
from forms.derivations import derive
from forms.errors import DefinitionError
from forms.schema import FormDef, ItemValue, item_path, split_item_path
from forms.validation import Finding, Severity, ValidationContext, contradictions
from forms.values import Entry

#: A warning a person confirmed: the item path and the finding's key, e.g.
#: ``("I.ALT", "soft_range")``; a ``Finding`` may be given as it is.
AcceptedWarning = tuple[str, str]
Place = tuple[str, int, str]  # item group, group repeat, item


class ItemReservedForRole(InvalidInput):
    """A value of an item another role answers (the investigator's eligibility decision)."""

    def __init__(self, labels: Sequence[str], roles: Sequence[str], role: str) -> None:
        self.items = tuple(labels)
        who = " or ".join(roles)
        super().__init__(
            f"Nothing was saved: {', '.join(labels)} is answered by the {who}, not a {role}."
        )


@dataclass(frozen=True)
class ImportSource:
    """Where an imported value comes from: the file's SHA-256 and the row (as a spreadsheet
    numbers it). The value's audit entry carries it in ``detail["import"]``."""

    file_sha256: str
    row: int


class ItemsNotInForm(InvalidInput):
    """Values were given for places the form does not have: nothing was saved."""

    def __init__(self, form: FormDef, problems: Sequence[tuple[str, str]]) -> None:
        self.form_oid = form.oid
        self.items = tuple(dict.fromkeys(item for item, _why in problems))
        self.problems = tuple(why for _item, why in problems)
        super().__init__(
            f"Nothing was saved: {'; '.join(self.problems)}. Check the item OIDs against the "
            f"definition of {form.oid} ({form.label.en})."
        )


class FormHasErrors(KnownError):
    """``complete`` was asked while the form (as it would be after the save) has errors."""

    def __init__(self, form: FormDef, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        count = len(self.findings)
        listed = " ".join(f.message.en for f in self.findings)
        super().__init__(
            f"{form.label.en} cannot be completed while {count} "
            f"{'error remains' if count == 1 else 'errors remain'}, so nothing was saved. "
            f"Correct {'it' if count == 1 else 'them'}, or save the form as a draft: {listed}"
        )


class WarningsNotConfirmed(KnownError):
    """Values with a warning were saved without the warning being confirmed."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        listed = " ".join(f.message.en for f in self.findings)
        super().__init__(
            "Nothing was saved: some values are unusual and must be confirmed before they are "
            f"saved as entered. Check them, then save again and confirm: {listed}"
        )


def check_places(form: FormDef, places: Iterable[Place]) -> None:
    """Refuse values for items the form does not have, given under the wrong item group, in a
    repeat below 1, in a repeat other than 1 of a group that does not repeat, or twice.

    Raises:
        ItemsNotInForm: naming every such item; nothing is written.
    """
    problems: list[tuple[str, str]] = []
    seen: set[Place] = set()
    for group_oid, repeat, item in places:
        why = _misplaced(form, group_oid, repeat, item)
        if why is None and (group_oid, repeat, item) in seen:
            why = f"{item} is given twice"
        if why is not None:
            problems.append((item, why))
        seen.add((group_oid, repeat, item))
    if problems:
        raise ItemsNotInForm(form, problems)


def _misplaced(form: FormDef, group_oid: str, repeat: int, item: str) -> str | None:
    try:
        group = form.group_of(item)
    except DefinitionError:
        return f"{item} is not an item of {form.oid}"
    derivation = form.items()[item].derivation
    if derivation is not None and derivation.stored:
        return f"{item} is computed from the other answers when the form is complete"
    if group.oid != group_oid:
        return f"{item} belongs to item group {group.oid}, not {group_oid}"
    if repeat < 1:
        return f"{item}: repeat {repeat} of {group.oid} does not exist (repeats count from 1)"
    if not group.repeating and repeat != 1:
        return f"{item}: {group.oid} does not repeat, so it has no repeat {repeat}"
    return None


def value_path(form: FormDef, stored: StoredValue) -> str:
    """The item path (as ``forms`` names items) of a stored value."""
    repeating = any(g.oid == stored.item_group and g.repeating for g in form.item_groups)
    repeat = stored.group_repeat if repeating else None
    return item_path(stored.item, group_oid=stored.item_group, repeat=repeat)


def form_entries(form: FormDef, values: Iterable[StoredValue]) -> dict[str, Entry]:
    """Stored values as ``forms.validation`` reads them: item path → text (with its unit)."""
    entries: dict[str, Entry] = {}
    for stored in values:
        if stored.value is None:
            continue
        entry = ItemValue(text=stored.value, unit=stored.unit) if stored.unit else stored.value
        entries[value_path(form, stored)] = entry
    return entries


def context_for(subject: Mapping[str, Any] | None, today: date) -> ValidationContext:
    """Today and the subject's informed consent date.

    The visit window is left out on purpose for now: it only ever yields a warning, and a
    warning that the form view does not show could never be confirmed there.
    """
    consent = None
    text = (subject or {}).get("consent_date")
    if text:
        try:
            consent = date.fromisoformat(str(text))
        except ValueError:
            consent = None
    return ValidationContext(today=today, consent_date=consent)


def errors_of(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def accepted_set(accepted: Iterable[Finding | AcceptedWarning]) -> frozenset[AcceptedWarning]:
    """The confirmed warnings as (path, key) pairs."""
    pairs: set[AcceptedWarning] = set()
    for warning in accepted:
        if isinstance(warning, Finding):
            pairs.add((warning.path, warning.key))
        else:
            path, key = warning
            pairs.add((str(path), str(key)))
    return frozenset(pairs)


def unconfirmed(
    findings: Iterable[Finding], changed: Iterable[str], accepted: frozenset[AcceptedWarning]
) -> list[Finding]:
    """The warnings on changed items (paths) that nobody confirmed."""
    paths = set(changed)
    return [
        f
        for f in findings
        if f.severity is Severity.WARNING and f.path in paths and (f.path, f.key) not in accepted
    ]


def confirmed(
    findings: Iterable[Finding], accepted: frozenset[AcceptedWarning]
) -> list[AcceptedWarning]:
    """The warnings of the saved form that were confirmed, sorted."""
    return sorted({(f.path, f.key) for f in findings if f.severity is Severity.WARNING} & accepted)


def item_detail(
    path: str, warnings: Sequence[AcceptedWarning], imported: ImportSource | None = None
) -> str | None:
    """The ``detail`` of an ``item.set`` entry: the keys of the warnings confirmed on it, and
    the file row an imported value comes from."""
    doc: dict[str, Any] = {}
    keys = [key for where, key in warnings if where == path]
    if keys:
        doc["accepted_warnings"] = keys
    if imported is not None:
        doc["import"] = {"file_sha256": imported.file_sha256, "row": imported.row}
    return _canonical(doc) if doc else None


def status_detail(
    warnings: Sequence[AcceptedWarning], errors: Sequence[Finding] = ()
) -> str | None:
    """The ``detail`` of a ``form.status`` entry: the warnings confirmed on completing, or the
    errors that took a completed form back to draft."""
    doc: dict[str, Any] = {}
    if warnings:
        doc["accepted_warnings"] = [{"key": key, "path": path} for path, key in warnings]
    if errors:
        found = sorted({(f.path, f.key) for f in errors})
        doc["errors"] = [{"key": key, "path": path} for path, key in found]
    return _canonical(doc) if doc else None


def _canonical(doc: Mapping[str, Any]) -> str:
    """Small, deterministic JSON: the detail is part of the hashed audit entry."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


#: The reason recorded with a stored derived value the service computes (a QLQ-C30 score).
DERIVED_REASON = "computed from the form's values"


def stored_derivations(
    form: FormDef, values: Mapping[Place, StoredValue], *, complete: bool
) -> dict[Place, str | None]:
    """What the stored derived items of ``form`` must hold given ``values``: their derivation
    when the form is ``complete``, nothing otherwise (scores of a draft would mislead).

    Only the items whose value must change are returned (place → new value)."""
    items = form.stored_derived()
    if not items:
        return {}
    computed = derive(form, form_entries(form, values.values())) if complete else {}
    wanted: dict[Place, str | None] = {}
    for item in items:
        place = (form.group_of(item.oid).oid, 1, item.oid)
        new = computed.get(value_path(form, StoredValue(*place, None, None, 0)))
        old = values.get(place)
        if (old.value if old else None) != new:
            wanted[place] = new
    return wanted


#: Validation keys of the clinical cross-checks a form may declare (``requires``,
#: ``ctcae_grade``): the service refuses a save that contradicts one, even in a draft (and a
#: completion that leaves one unmet, like any error).
CLINICAL_CHECKS = frozenset({"requires", "ctcae_grade"})


class ClinicalContradiction(InvalidInput):
    """A save refused because the values break a clinical rule of the form: e.g. CTCAE grade 5
    or a fatal outcome on an event not serious by the criterion "death", or a grade CTCAE does
    not define for the term. ``findings`` say which item and what is expected."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__(" ".join(f.message.en for f in self.findings) + " Nothing was saved.")


def refuse_contradictions(
    form: FormDef,
    entries: Mapping[str, Entry],
    context: ValidationContext,
    items: Iterable[Any],
) -> None:
    """A draft may leave the form's clinical cross-checks unanswered, never contradicted:
    refuse the answers this save gives that already break one (in the repeats it touches)."""
    if not any(check.kind in CLINICAL_CHECKS for check in form.checks):
        return
    touched = {(entry.item_group, entry.group_repeat) for entry in items}
    found = [
        f for f in contradictions(form, entries, context) if _group_repeat(form, f.path) in touched
    ]
    if found:
        raise ClinicalContradiction(found)


def _group_repeat(form: FormDef, path: str) -> tuple[str, int]:
    group, repeat, item = split_item_path(path)
    return (group or form.group_of(item).oid, repeat or 1)
