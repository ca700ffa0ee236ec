"""What a form view holds, without Qt: what the form read, what is typed, and what changed.

``FormDraft`` knows every row on screen (item, group, repeat) with its text and unit. The view
tells it what the person typed (``type``) and what the view itself put in a row (``put``: a
saved value, a derived value, a value that came by sync); from that the draft says what to
show (derived values, which rows apply, each row's finding), what a save must send (only the
rows changed since the form was read, each with the revision it was read at), what an
autosave keeps, and what a newer stored copy of the form changes on screen. It never imports
Qt (an import contract says so) and is tested without a display.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from desktop_crf.model import StoredValue
from desktop_crf.services.data_entry import FormData, ItemInput
from forms.derivations import derive
from forms.schema import FormDef, ItemDef, ItemValue, item_path
from forms.validation import Finding, Severity, ValidationContext, validate
from forms.visibility import visible_paths

#: (item group, group repeat, item): where a value is stored.
Where = tuple[str, int, str]
#: (text, unit) of a row.
Shown = tuple[str | None, str | None]
#: Values the form fills in itself beyond its derivations (e.g. the AE form's MedDRA code):
#: given the rows and their texts, the texts to put.
Filler = Callable[["FormDraft"], Mapping[str, str]]


@dataclass(frozen=True)
class Row:
    """One item in one repeat of its group, as the view shows it."""

    path: str
    group: str
    repeat: int
    item: ItemDef

    @property
    def where(self) -> Where:
        return (self.group, self.repeat, self.item.oid)

    @property
    def derived(self) -> bool:
        return self.item.derivation is not None


@dataclass(frozen=True)
class Opening:
    """What the rows show when the form opens: the saved values, and typing restored from an
    autosave over them; the number of repeats each repeating group needs."""

    values: dict[str, Shown]
    repeats: dict[str, int]
    restored: bool


@dataclass(frozen=True)
class Check:
    """The form as it stands: derived values to put, rows that apply, each row's finding."""

    derived: dict[str, str]
    filled: frozenset[str]  # rows the form fills itself (derived, or by its filler)
    shown: frozenset[str]
    findings: tuple[Finding, ...]
    by_path: dict[str, Finding]

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    def warning_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]


@dataclass
class Incoming:
    """What a newer stored copy of the form changes on screen (see ``FormDraft.take``)."""

    put: dict[str, Shown] = field(default_factory=dict)  # rows that take the new value
    kept: list[tuple[Row, StoredValue]] = field(default_factory=list)  # rows being changed
    new: dict[str, Shown] = field(default_factory=dict)  # values of repeats not built yet
    repeats: dict[str, int] = field(default_factory=dict)  # the repeats to build for them


class FormDraft:
    """The state of one open form (see the module docstring)."""

    def __init__(
        self,
        form: FormDef,
        *,
        filler: Filler | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.form = form
        self.stored: FormData | None = None  # what the form read; None while it opens
        self.dirty = False  # typed since the last save or autosave
        self.check: Check | None = None
        self._checked: tuple[dict[str, Shown], dict[str, int], ValidationContext] | None = None
        #: what validating needs beyond the values, as the save service builds it
        self.context: ValidationContext | None = None
        self._rows: dict[str, Row] = {}
        self._text: dict[str, Shown] = {}
        self._groups = {group.oid: group for group in form.item_groups}
        self._filler = filler
        self._today = today

    # -- rows ---------------------------------------------------------------------------------

    def path_of(self, group: str, repeat: int, item: str) -> str:
        """The path of a stored (group, repeat, item) among this form's rows."""
        repeating = self._groups[group].repeating
        return item_path(item, group_oid=group, repeat=repeat if repeating else None)

    def add_row(self, row: Row) -> None:
        self._rows[row.path] = row
        self._text.setdefault(row.path, ("", row.item.unit))

    def row(self, path: str) -> Row:
        return self._rows[path]

    def rows(self) -> Iterable[Row]:
        return self._rows.values()

    def text(self, path: str) -> str:
        return self._text.get(path, ("", None))[0] or ""

    def unit(self, path: str) -> str | None:
        return self._text.get(path, ("", None))[1]

    def type(self, path: str, text: str, unit: str | None) -> None:
        """The person changed a row."""
        self._text[path] = (text, unit)
        self.dirty = True

    def put(self, path: str, text: str | None, unit: str | None = None) -> None:
        """The view put a value in a row (saved, derived, or come by sync): not typing."""
        row = self._rows.get(path)
        self._text[path] = (text or "", unit if unit is not None or row is None else row.item.unit)

    # -- opening ------------------------------------------------------------------------------

    def opening(self, data: FormData, autosaved: Mapping[str, Any] | None) -> Opening:
        """What the rows show once the form is read: the saved values, then what an autosave
        kept of the typing before (a crash, a lock) over them."""
        found: list[tuple[str, int, str, Shown]] = [
            (*where, (stored.value, stored.unit)) for where, stored in sorted(data.values.items())
        ]
        restored = bool(autosaved)
        if autosaved:
            places = autosaved.get("where", {})
            for path, shown in autosaved.get("fields", {}).items():
                if path in places:
                    group, repeat, item = places[path]
                    found.append((group, int(repeat), item, (shown[0], shown[1])))
        values: dict[str, Shown] = {}
        repeats: dict[str, int] = {}
        for group, repeat, item, shown in found:
            if group not in self._groups:
                continue
            values[self.path_of(group, repeat, item)] = shown
            if self._groups[group].repeating:
                repeats[group] = max(repeats.get(group, 0), repeat)
        return Opening(values, repeats, restored)

    def opened(self, data: FormData, *, restored: bool) -> None:
        """Every row shows its value: the form is open."""
        self.stored = data
        self.dirty = self.dirty or restored

    # -- checking -----------------------------------------------------------------------------

    def values(self) -> dict[str, ItemValue]:
        """Every filled row by path, as entered (derived items excluded)."""
        found = {}
        for path, row in self._rows.items():
            text, unit = self._text.get(path, ("", None))
            if text and text.strip() and not row.derived:
                found[path] = ItemValue(text=text, unit=unit)
        return found

    def recheck(self, *, context: ValidationContext | None = None) -> Check:
        """Derived values, the rows that apply and the findings, from what the rows hold.

        Derived values (and the filler's) are put in their rows first, so the findings see
        them. With the rows, their values and the context as at the last check (a save right
        after typing, the focus moving on), that check stands: it is not computed again."""
        context = context or self._context()
        if self.check is not None and self._checked == (self._text, self.repeats(), context):
            return self.check
        values = self.values()
        derived = derive(self.form, values)
        filled = {path for path, row in self._rows.items() if row.derived}
        for path in filled:
            if self.text(path) != derived.get(path, ""):
                self.put(path, derived.get(path, ""))
        if self._filler is not None:
            for path, text in self._filler(self).items():
                if path in self._rows:
                    filled.add(path)
                    if self.text(path) != text:
                        self.put(path, text)
            values = self.values()
        findings = validate(self.form, values, context)
        by_path: dict[str, Finding] = {}
        for finding in findings:
            current = by_path.get(finding.path)
            if current is None or finding.severity is Severity.ERROR:
                by_path[finding.path] = finding
        shown = frozenset(self.visible(values) & self._rows.keys())
        self.check = Check(derived, frozenset(filled), shown, tuple(findings), by_path)
        self._checked = (dict(self._text), self.repeats(), context)
        return self.check

    def _context(self) -> ValidationContext:
        """The service's context for this form (consent date, CTCAE terms) as of today."""
        if self.context is None:
            return ValidationContext(today=self._today())
        return replace(self.context, today=self._today())

    def visible(self, values: Mapping[str, ItemValue]) -> frozenset[str]:
        """The rows that apply for ``values`` (show-when, decided by ``forms.visibility`` as
        validation decides it: a hidden controlling item counts as blank)."""
        return visible_paths(self.form, values, repeats=self.repeats())

    def repeats(self) -> dict[str, int]:
        """How many repeats of each repeating group have rows."""
        found: dict[str, int] = {}
        for row in self._rows.values():
            if self._groups[row.group].repeating:
                found[row.group] = max(found.get(row.group, 0), row.repeat)
        return found

    # -- saving -------------------------------------------------------------------------------

    def inputs(self, reason: str | None = None) -> list[ItemInput]:
        """The rows changed since the form was read, each with the revision it was read at:
        the service refuses the save if a sync changed one of them meanwhile, and a row not
        touched here is never written back over a value that came from elsewhere."""
        saved = self.stored.values if self.stored else {}
        result = []
        for path, row in self._rows.items():
            if row.derived:
                continue
            text, unit = self._text.get(path, ("", None))
            text = text or ""
            value = text if text.strip() else None
            unit = unit if value is not None else None
            was = saved.get(row.where)
            if was is None and value is None:
                continue
            if was is not None and was.value == value and (value is None or was.unit == unit):
                continue
            result.append(
                ItemInput(
                    row.group,
                    row.item.oid,
                    text,
                    unit,
                    row.repeat,
                    reason=reason,
                    base_rev=was.rev if was else 0,
                )
            )
        return result

    def changed_saved_rows(self) -> list[Row]:
        """Rows whose saved value is being changed (they need a reason)."""
        saved = self.stored.values if self.stored else {}
        found = []
        for path, row in self._rows.items():
            was = saved.get(row.where)
            if was is not None and was.value != (self.text(path).strip() or None):
                found.append(row)
        return found

    def saved(self, data: FormData) -> None:
        """The save landed: ``data`` is the form as stored now."""
        self.stored = data
        self.dirty = False

    def autosave_payload(self) -> dict[str, Any]:
        """What an autosave keeps: every row's text and unit, and where it is stored."""
        fields: dict[str, Any] = {}
        where: dict[str, Any] = {}
        for path, row in self._rows.items():
            if not row.derived:
                text, unit = self._text.get(path, ("", None))
                fields[path] = [text or "", unit]
                where[path] = [row.group, row.repeat, row.item.oid]
        return {"fields": fields, "where": where}

    # -- values from elsewhere ----------------------------------------------------------------

    def take(self, stored: FormData) -> Incoming:
        """A newer copy of the form as stored (a sync brought another computer's values, or a
        save was refused because of them). Rows the person has not touched take the new value;
        rows being changed keep the typing (``kept``). The draft now counts ``stored`` as what
        it read."""
        before = self.stored
        incoming = Incoming()
        if before is None:
            return incoming
        for where, now in sorted(stored.values.items()):
            was = before.values.get(where)
            if was is not None and was.rev == now.rev:
                continue
            group, repeat, item = where
            if group not in self._groups:
                continue
            path = self.path_of(group, repeat, item)
            row = self._rows.get(path)
            if row is None:  # a repeat this form has not built yet
                if self._groups[group].repeating:
                    incoming.new[path] = (now.value, now.unit)
                    incoming.repeats[group] = max(incoming.repeats.get(group, 0), repeat)
                continue
            old_value, old_unit = (was.value, was.unit) if was else (None, None)
            text = self.text(path)
            mine = text if text.strip() else None
            if mine == old_value and (mine is None or self.unit(path) == old_unit):
                incoming.put[path] = (now.value, now.unit)
            else:
                incoming.kept.append((row, now))
        self.stored = stored
        return incoming

    def conflicts(self) -> dict[str, list[str]]:
        """Rows whose item was changed on two computers from the same revision: the values."""
        if self.stored is None:
            return {}
        found = {}
        for (group, repeat, item), stored in self.stored.values.items():
            if stored.conflict and group in self._groups:
                found[self.path_of(group, repeat, item)] = clashing(stored.conflict)
        return found


def clashing(marker: str) -> list[str]:
    """The values a conflict marker names."""
    try:
        values = json.loads(marker).get("values", [])
    except (ValueError, AttributeError):
        return []
    return [str(v.get("value")) for v in values if isinstance(v, dict) and v]
