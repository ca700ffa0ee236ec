"""ODM 1.3.2 Snapshot: every subject's current item values as entered, by visit and form, with
each form's status and latest signature.

ODM has no place for a subject's arm and enrolment, nor a form's status: they are extension
attributes (``crf:Arm``, ``crf:Status``…) that a plain ODM reader ignores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO

from lxml import etree

from forms.schema import FormDef
from odm.document import odm_document, write_element
from odm.metadata import event_defs, signature_oids, sub
from odm.model import AdminInfo, Definitions, FileInfo, FormRecord, SubjectRecord, ValueRow
from odm.names import NSMAP, crf, location_oid, mdv_oid, odm, study_oid, unit_oid, user_oid

_ITEM_GROUP_DATA, _ITEM_DATA = odm("ItemGroupData"), odm("ItemData")
_UNIT_REF = odm("MeasurementUnitRef")

#: Subject fields written as extension attributes of SubjectData.
SUBJECT_ATTRIBUTES = (
    ("status", "Status"),
    ("arm", "Arm"),
    ("study_version", "StudyVersion"),
    ("enrolled_on", "EnrolledOn"),
    ("anchor_date", "AnchorDate"),
)

Progress = Callable[[int], None]


def write_snapshot(
    out: IO[bytes],
    info: FileInfo,
    definitions: Definitions,
    admin: AdminInfo,
    subjects: Iterable[SubjectRecord],
    *,
    progress: Progress | None = None,
) -> int:
    """Write a Snapshot file to ``out``; return the number of subjects written.

    ``subjects`` is read one at a time: pass a generator to keep memory flat. ``progress(n)`` is
    called after each subject; it may raise to stop.

    Raises:
        UnwritableValue: a value holds a character XML cannot carry.
    """
    study = definitions.study
    signatures = signature_oids(admin)
    order = _Order(definitions)
    count = 0
    with odm_document(out, info, "Snapshot", definitions, admin) as xf:
        attrs = {"StudyOID": study_oid(study.id), "MetaDataVersionOID": mdv_oid(study.version)}
        with xf.element(odm("ClinicalData"), attrs):
            xf.write("\n")
            for subject in subjects:
                write_element(
                    xf,
                    _builder(subject, order, signatures, admin.site_code),
                    _naming(subject.subject_id),
                )
                count += 1
                if progress is not None:
                    progress(count)
    return count


def _builder(
    subject: SubjectRecord, order: _Order, signatures: dict[str, str], site_code: str
) -> Callable[[], etree._Element]:
    return lambda: subject_element(subject, order, signatures, site_code)


def _naming(subject_id: str) -> Callable[[], str]:
    return lambda: f"subject {subject_id}"


class _Order:
    """Where events, forms, groups and items stand in the definitions (the file's order)."""

    def __init__(self, definitions: Definitions) -> None:
        self.forms = definitions.forms
        self.events = {oid: n for n, (oid, *_rest) in enumerate(event_defs(definitions.study))}
        self._items: dict[str, dict[tuple[str, str], int]] = {}

    def form_key(self, form: FormRecord) -> tuple[int, int, str]:
        return (self.events.get(form.event, len(self.events)), form.event_repeat, form.form)

    def value_key(self, form_oid: str, value: ValueRow) -> tuple[int, str, int, int, str]:
        positions = self._items.get(form_oid)
        if positions is None:
            positions = self._items[form_oid] = _item_positions(self.forms.get(form_oid))
        place = positions.get((value.item_group, value.item), 10**9)
        return (place // 1000, value.item_group, value.group_repeat, place, value.item)


def _item_positions(form: FormDef | None) -> dict[tuple[str, str], int]:
    if form is None:
        return {}
    return {
        (group.oid, item.oid): g * 1000 + i
        for g, group in enumerate(form.item_groups)
        for i, item in enumerate(group.items)
    }


def subject_element(
    subject: SubjectRecord, order: _Order, signatures: dict[str, str], site_code: str
) -> etree._Element:
    """One SubjectData with its visits, forms, groups and values in definition order."""
    attrs = {"SubjectKey": subject.subject_id}
    for field, name in SUBJECT_ATTRIBUTES:
        value = subject.fields.get(field)
        if value is not None:
            attrs[crf(name)] = str(value)
    element = etree.Element(odm("SubjectData"), attrs, nsmap=NSMAP)
    if subject.site is not None:
        sub(element, "SiteRef", LocationOID=location_oid(subject.site))
        site_code = subject.site
    event: etree._Element | None = None
    current: tuple[str, int] | None = None
    for form in sorted(subject.forms, key=order.form_key):
        if (form.event, form.event_repeat) != current:
            current = (form.event, form.event_repeat)
            event = sub(
                element,
                "StudyEventData",
                StudyEventOID=form.event,
                StudyEventRepeatKey=str(form.event_repeat),
            )
        assert event is not None
        _form_element(event, form, order, signatures, site_code)
    return element


def _form_element(
    event: etree._Element,
    form: FormRecord,
    order: _Order,
    signatures: dict[str, str],
    site_code: str,
) -> None:
    element = sub(event, "FormData", FormOID=form.form)
    if form.status is not None:
        element.set(crf("Status"), form.status)
    if form.signature is not None:
        sig = form.signature
        signature = sub(element, "Signature")
        sub(signature, "UserRef", UserOID=user_oid(sig.signer))
        sub(signature, "LocationRef", LocationOID=location_oid(site_code))
        sub(signature, "SignatureRef", SignatureOID=signatures[sig.meaning])
        sub(signature, "DateTimeStamp", sig.signed_at)
        sub(signature, "CryptoBindingManifest", sig.content_hash)
    group: etree._Element | None = None
    current: tuple[str, int] | None = None
    values = [v for v in form.values if v.value is not None]
    add = etree.SubElement  # the most made elements of the file: their tags made once
    for value in sorted(values, key=lambda v: order.value_key(form.form, v)):
        if (value.item_group, value.group_repeat) != current:
            current = (value.item_group, value.group_repeat)
            group = add(
                element,
                _ITEM_GROUP_DATA,
                {"ItemGroupOID": value.item_group, "ItemGroupRepeatKey": str(value.group_repeat)},
            )
        assert group is not None
        assert value.value is not None
        item = add(group, _ITEM_DATA, {"ItemOID": value.item, "Value": value.value})
        if value.unit:
            add(item, _UNIT_REF, {"MeasurementUnitOID": unit_oid(value.unit)})
