"""The check the schema cannot make: every OID a file references is defined in it, and each
piece of clinical data sits where its definitions put it (an item in its group, a group in its
form, a form in its visit).

Read streaming: the definitions come first in a file, the data after them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

#: Element → the attribute holding the OID it defines.
_DEFINES = {
    "Study": "OID",
    "MetaDataVersion": "OID",
    "StudyEventDef": "OID",
    "FormDef": "OID",
    "ItemGroupDef": "OID",
    "ItemDef": "OID",
    "CodeList": "OID",
    "MeasurementUnit": "OID",
    "User": "OID",
    "Location": "OID",
    "SignatureDef": "OID",
}
#: Element → (attribute, the element that must define it).
_REFERS = {
    "StudyEventRef": [("StudyEventOID", "StudyEventDef")],
    "FormRef": [("FormOID", "FormDef")],
    "ItemGroupRef": [("ItemGroupOID", "ItemGroupDef")],
    "ItemRef": [("ItemOID", "ItemDef")],
    "CodeListRef": [("CodeListOID", "CodeList")],
    "MeasurementUnitRef": [("MeasurementUnitOID", "MeasurementUnit")],
    "UserRef": [("UserOID", "User")],
    "LocationRef": [("LocationOID", "Location")],
    "SiteRef": [("LocationOID", "Location")],
    "SignatureRef": [("SignatureOID", "SignatureDef")],
    "MetaDataVersionRef": [("StudyOID", "Study"), ("MetaDataVersionOID", "MetaDataVersion")],
    "AdminData": [("StudyOID", "Study")],
    "ClinicalData": [("StudyOID", "Study"), ("MetaDataVersionOID", "MetaDataVersion")],
    "StudyEventData": [("StudyEventOID", "StudyEventDef")],
    "FormData": [("FormOID", "FormDef")],
    "ItemGroupData": [("ItemGroupOID", "ItemGroupDef")],
    "ItemData": [("ItemOID", "ItemDef")],
}
#: A child's definition must be listed by its parent's: (data element, its OID attribute,
#: the parent data element, the parent's OID attribute).
_CONTEXT = {
    "StudyEventRef": None,
    "FormData": ("FormOID", "StudyEventOID"),
    "ItemGroupData": ("ItemGroupOID", "FormOID"),
    "ItemData": ("ItemOID", "ItemGroupOID"),
}


def check_references(path: Path | str) -> list[str]:
    """Every reference problem of the file at ``path`` (empty when all is defined and placed),
    each with its line."""
    defined: dict[str, set[str]] = defaultdict(set)
    children: dict[str, set[str]] = defaultdict(set)  # parent def OID → child OIDs listed
    problems: list[str] = []
    deferred: list[etree._Element] = []  # definitions refer ahead (Protocol before its events)
    clinical = False
    for event, element in _elements(path):
        tag = etree.QName(element).localname
        if event == "start":
            clinical = clinical or tag == "ClinicalData"
            continue
        if tag in _DEFINES:
            defined[tag].add(element.get(_DEFINES[tag], ""))
        if tag in ("FormRef", "ItemGroupRef", "ItemRef"):
            _listed(element, tag, children)
        if tag in _REFERS and not clinical:
            deferred.append(element)
            continue
        problems += _undefined(element, tag, defined)
        problems += _misplaced(element, tag, children)
        if tag in ("SubjectData", "AuditRecords"):
            _forget(element)
    for element in deferred:
        problems += _undefined(element, etree.QName(element).localname, defined)
    return sorted(problems, key=lambda p: int(p.split(":")[0].removeprefix("line ")))


def _undefined(element: etree._Element, tag: str, defined: dict[str, set[str]]) -> list[str]:
    found = []
    for attribute, definition in _REFERS.get(tag, []):
        oid = element.get(attribute)
        if oid is not None and oid not in defined[definition]:
            found.append(
                f"line {element.sourceline}: {tag} refers to {definition} {oid}, "
                "which the file does not define"
            )
    return found


def _elements(path: Path | str) -> Iterator[tuple[str, etree._Element]]:
    for event, element in etree.iterparse(str(path), events=("start", "end"), huge_tree=True):
        if isinstance(element.tag, str):
            yield event, element


def _listed(element: etree._Element, tag: str, children: dict[str, set[str]]) -> None:
    parent = element.getparent()
    attribute = {"FormRef": "FormOID", "ItemGroupRef": "ItemGroupOID", "ItemRef": "ItemOID"}[tag]
    if parent is not None:
        children[parent.get("OID", "")].add(element.get(attribute, ""))


def _misplaced(element: etree._Element, tag: str, children: dict[str, set[str]]) -> list[str]:
    context = _CONTEXT.get(tag)
    parent = element.getparent()
    if context is None or parent is None:
        return []
    own, parents = context
    oid, parent_oid = element.get(own), parent.get(parents)
    if oid is None or parent_oid is None or oid in children[parent_oid]:
        return []
    return [f"line {element.sourceline}: {tag} {oid} is not part of {parent_oid}"]


def _forget(element: etree._Element) -> None:
    element.clear()
    while element.getprevious() is not None:
        parent = element.getparent()
        if parent is None:
            break
        del parent[0]
