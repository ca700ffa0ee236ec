"""Show-when, decided once: which items of a form apply to the values entered.

An item is shown when its group's condition and its own condition hold (:class:`Condition`).
A condition reads its controlling item in the same repeat of a repeating group, otherwise in
its non-repeating group. A controlling item that is itself hidden counts as blank: its value,
left over from earlier answers, does not apply, so it cannot make another item apply either.

Validation (:mod:`forms.validation`) and the form view use these same functions, so a value
flagged "does not apply" is always one the view hides.

Public names: :class:`Slot`, :class:`ShowWhen`, :func:`slots`, :func:`visible_paths`,
:func:`shown_among`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from forms.schema import (
    Condition,
    FormDef,
    ItemDef,
    ItemGroupDef,
    ItemValue,
    item_path,
    repeat_keys,
)
from forms.values import is_blank, split_codes

#: Conditions nested deeper than this are taken as holding (a guard against cycles).
_MAX_DEPTH = 8


@dataclass(frozen=True)
class Slot:
    """One item in one repeat of its group (``repeat`` is None in a non-repeating group)."""

    path: str
    item: ItemDef
    group: ItemGroupDef
    repeat: int | None


def slots(
    form: FormDef, values: Iterable[str], *, repeats: Mapping[str, int] | None = None
) -> list[Slot]:
    """Every item of ``form`` in every repeat, in form order.

    Args:
        form: the form definition.
        values: the item paths entered (a mapping's keys will do).
        repeats: the number of repeats of a repeating group, by group OID (repeats 1 to n,
            e.g. the repeats a form view shows, empty or not). A repeat that holds a value is
            always included; a group not named has the repeats that hold values.
    """
    paths = list(values)
    found = []
    for group in form.item_groups:
        keys: Sequence[int | None] = [None]
        if group.repeating:
            count = (repeats or {}).get(group.oid, 0)
            keys = sorted(set(range(1, count + 1)) | set(repeat_keys(group.oid, paths)))
        for repeat in keys:
            for item in group.items:
                path = item_path(item.oid, group_oid=group.oid, repeat=repeat)
                found.append(Slot(path, item, group, repeat))
    return found


def visible_paths(
    form: FormDef, values: Mapping[str, object], *, repeats: Mapping[str, int] | None = None
) -> frozenset[str]:
    """The item paths of ``form`` shown for ``values``.

    Args:
        form: the form definition.
        values: item path → entry (text as typed, or an ``ItemValue``); anything else, like a
            blank text, counts as blank.
        repeats: as for :func:`slots`: how many repeats of each repeating group are shown.

    Returns:
        The paths (see :mod:`forms.schema`) of every item whose show-when conditions hold,
        a hidden controlling item counting as blank.
    """
    return shown_among(form, values, slots(form, values, repeats=repeats))


def shown_among(
    form: FormDef, values: Mapping[str, object], among: Iterable[Slot]
) -> frozenset[str]:
    """The paths of the slots ``among`` (from :func:`slots`) that are shown for ``values``."""
    shown = ShowWhen(form, values)
    return frozenset(slot.path for slot in among if shown(slot))


class ShowWhen:
    """Whether a slot is shown (call it with the slot), each slot decided once; and whether
    one condition holds for a slot (``holds``)."""

    def __init__(self, form: FormDef, values: Mapping[str, object]) -> None:
        self.values = values
        self.where = {item.oid: (item, group) for group in form.item_groups for item in group.items}
        self.decided: dict[str, bool] = {}

    def __call__(self, slot: Slot, depth: int = 0) -> bool:
        known = self.decided.get(slot.path)
        if known is not None:
            return known
        if depth > _MAX_DEPTH:
            return True
        conditions = (c for c in (slot.group.show_when, slot.item.show_when) if c is not None)
        shown = all(self._holds(c, slot, depth) for c in conditions)
        self.decided[slot.path] = shown
        return shown

    def holds(self, condition: Condition, slot: Slot) -> bool:
        """Whether ``condition`` (of ``slot``'s item or group) holds for the values."""
        return self._holds(condition, slot, 0)

    def _holds(self, condition: Condition, slot: Slot, depth: int) -> bool:
        other, group = self.where[condition.item]
        # the controller in the same repeat of a repeating group, else in its own group
        same_repeat = group.repeating and group.oid == slot.group.oid and slot.repeat is not None
        repeat = slot.repeat if same_repeat else None
        path = item_path(other.oid, group_oid=group.oid, repeat=repeat)
        controller = Slot(path, other, group, repeat)
        entry = self.values.get(path)
        if not isinstance(entry, str | ItemValue) or is_blank(entry):
            return condition.filled is False
        if not self(controller, depth + 1):
            return condition.filled is False
        if condition.filled is not None:
            return condition.filled
        text = entry.text if isinstance(entry, ItemValue) else entry
        return bool(set(split_codes(text)) & set(condition.any_of))
