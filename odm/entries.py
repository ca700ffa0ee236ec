"""How an audit entry maps onto ODM and back: which fields the ODM structure carries and which
travel as extension attributes of its AuditRecord.

The one table both the writer and :mod:`odm.verify` use, so that what is written is exactly
what is read back. Standard ODM carries whatever it has a place for, and a reader sees it
there; the rest is in ``crf:`` attributes; both are covered by the entry's hash.

=================  ==================================================================
entry field        where in the file
=================  ==================================================================
device, seq        ``AuditRecord/SourceID`` = ``device:seq``
ts                 ``AuditRecord/DateTimeStamp``
user               ``AuditRecord/UserRef`` → ``AdminData/User/LoginName``
reason             ``AuditRecord/ReasonForChange``
subject … item     the enclosing ``SubjectData`` … ``ItemData`` (else ``crf:`` attributes)
new, unit          ``ItemData/@Value`` and ``MeasurementUnitRef`` for a value change
                   (else ``crf:NewValue``, ``crf:Unit``)
role, action, old  ``crf:Role``, ``crf:Action``, ``crf:OldValue``
base_rev, detail   ``crf:BaseRev``, ``crf:Detail``
prev_hash, hash    ``crf:PrevHash``, ``crf:Hash``
=================  ==================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from sync.entries import ENTRY_FIELDS

#: An entry as a row (a tuple), as the site's store keeps and reads it: its fields, then its hash.
ROW_FIELDS: tuple[str, ...] = (*ENTRY_FIELDS, "hash")

#: Actions whose entry changes an item's value: written as an ItemData.
VALUE_ACTIONS = frozenset({"item.set", "conflict.resolve"})
#: The action of an electronic signature: its FormData also carries an ODM Signature.
SIGN_ACTION = "form.sign"

#: The data levels, outermost first: (element, entry field of its OID, its attribute,
#: entry field of its repeat key, its attribute).
LEVELS: tuple[tuple[str, str, str, str | None, str | None], ...] = (
    ("SubjectData", "subject", "SubjectKey", None, None),
    ("StudyEventData", "event", "StudyEventOID", "event_repeat", "StudyEventRepeatKey"),
    ("FormData", "form", "FormOID", None, None),
    ("ItemGroupData", "item_group", "ItemGroupOID", "group_repeat", "ItemGroupRepeatKey"),
)
#: Path fields not carried by the structure, as extension attributes.
PATH_ATTRIBUTES = {
    "subject": "SubjectKey",
    "event": "StudyEventOID",
    "event_repeat": "StudyEventRepeatKey",
    "form": "FormOID",
    "item_group": "ItemGroupOID",
    "group_repeat": "ItemGroupRepeatKey",
    "item": "ItemOID",
}
#: Fields that are always extension attributes (when not null).
OWN_ATTRIBUTES = {
    "role": "Role",
    "action": "Action",
    "old": "OldValue",
    "base_rev": "BaseRev",
    "detail": "Detail",
    "prev_hash": "PrevHash",
    "hash": "Hash",
}
#: The value fields of an entry that is not a value change.
VALUE_ATTRIBUTES = {"new": "NewValue", "unit": "Unit"}
#: Every extension attribute, to the entry field it holds.
ATTRIBUTE_FIELDS = {
    name: field
    for table in (PATH_ATTRIBUTES, OWN_ATTRIBUTES, VALUE_ATTRIBUTES)
    for field, name in table.items()
}
INTEGER_FIELDS = frozenset({"seq", "event_repeat", "group_repeat", "base_rev"})


def _placeable(value: Any) -> bool:
    return value is not None and value != ""


def depth(entry: Mapping[str, Any]) -> int:
    """How many data levels hold ``entry``: 0 (site: no subject) to 4 (an item group)."""
    found = 0
    for _tag, field, _attr, _repeat, _repeat_attr in LEVELS:
        if not _placeable(entry.get(field)):
            break
        found += 1
    return found


def is_value_change(entry: Mapping[str, Any]) -> bool:
    """An entry written as an ItemData: a value change placed down to its item group."""
    return (
        entry.get("action") in VALUE_ACTIONS
        and depth(entry) == len(LEVELS)
        and _placeable(entry.get("item"))
    )


def level_attributes(entry: Mapping[str, Any], level: int) -> dict[str, str]:
    """The ODM attributes of data level ``level`` (0-based) for ``entry``."""
    _tag, field, attr, repeat, repeat_attr = LEVELS[level]
    attrs = {attr: str(entry[field])}
    if repeat is not None and repeat_attr is not None and entry.get(repeat) is not None:
        attrs[repeat_attr] = str(entry[repeat])
    return attrs


#: The fields each depth of placement carries (index: depth).
_PLACED_BY_DEPTH: tuple[frozenset[str], ...] = tuple(
    frozenset(
        name
        for _tag, field, _attr, repeat, _repeat_attr in LEVELS[:levels]
        for name in (field, repeat)
        if name is not None
    )
    for levels in range(len(LEVELS) + 1)
)
_EXTENSION_TABLE = tuple(
    (field, name)
    for table in (OWN_ATTRIBUTES, PATH_ATTRIBUTES, VALUE_ATTRIBUTES)
    for field, name in table.items()
)


@cache
def _placed(levels: int, value_change: bool, blank_unit: bool) -> frozenset[str]:
    placed = _PLACED_BY_DEPTH[levels]
    if value_change:
        placed = placed | ({"item", "new"} if blank_unit else {"item", "new", "unit"})
    return placed


@cache
def unplaced_attributes(
    levels: int, value_change: bool, blank_unit: bool = False
) -> tuple[tuple[str, str], ...]:
    """The (entry field, local name) of each extension attribute an entry of this placement
    may carry, in the order they are written (made once per placement)."""
    placed = _placed(levels, value_change, blank_unit)
    return tuple((field, name) for field, name in _EXTENSION_TABLE if field not in placed)


def typed(field: str, text: str) -> Any:
    """A field read back from the file, with the type the entry had."""
    return int(text) if field in INTEGER_FIELDS else text
