"""The Study (GlobalVariables, BasicDefinitions, MetaDataVersion) and AdminData elements,
generated from the study and form definitions and from who and what the data names.

Every label and question is given in both languages as ``TranslatedText``. Data types: a
quantity (a lab result that may read ``<0.05``) and a partial date (``2019-UN-UN``) are
``text``, as entered; choices and yes/no items refer to a CodeList; a multi-choice value holds
its codes separated by commas (said in the item's Alias).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lxml import etree

from forms.schema import Choice, DataType, FormDef, ItemDef, ItemGroupDef, Range
from forms.study import Study
from forms.text import Text
from odm.model import AdminInfo, Definitions
from odm.names import (
    LANGUAGES,
    LOG_EVENT,
    NSMAP,
    UNSCHEDULED_EVENT,
    XML_NS,
    boolean_codelist_oid,
    codelist_oid,
    location_oid,
    mdv_oid,
    odm,
    signature_def_oid,
    study_oid,
    unit_oid,
    user_oid,
)

_ODM_TYPES = {
    DataType.INTEGER: "integer",
    DataType.DECIMAL: "float",
    DataType.QUANTITY: "text",
    DataType.TEXT: "text",
    DataType.DATE: "date",
    DataType.PARTIAL_DATE: "text",
    DataType.CHOICE: "text",
    DataType.MULTI_CHOICE: "text",
    DataType.BOOLEAN: "text",
}
YES_NO = (
    Choice(code="Y", label=Text(en="Yes", zh="是")),
    Choice(code="N", label=Text(en="No", zh="否")),
)
_LOG_LABEL = Text(
    en="Running logs (adverse events, end of study)", zh="持续记录（不良事件、研究结束）"
)
_USER_TYPES = {"investigator": "Investigator"}
_LEGAL_REASON = (
    "Electronic signature (21 CFR Part 11 §11.50, §11.200): the signer re-entered their "
    "password; the signature is bound to the SHA-256 of the form's content."
)


class DefinitionConflict(ValueError):
    """Two forms define one item or item group OID differently: ODM needs one definition."""


class _Tags(dict[str, str]):
    """Qualified ODM tags, made once each."""

    def __missing__(self, name: str) -> str:
        self[name] = tag = odm(name)
        return tag


_TAG = _Tags()


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """Append an ODM element to ``parent``."""
    element = etree.SubElement(parent, _TAG[tag], attrs)
    if text is not None:
        element.text = text
    return element


def translated(parent: etree._Element, tag: str, text: Text) -> etree._Element:
    """``<tag>`` holding one TranslatedText per language."""
    element = sub(parent, tag)
    for key, lang in LANGUAGES:
        tt = sub(element, "TranslatedText", text.get("zh" if key == "zh" else "en"))
        tt.set(f"{{{XML_NS}}}lang", lang)
    return element


def study_element(definitions: Definitions, *, units: Iterable[str] = ()) -> etree._Element:
    """The ``Study`` element: global variables, every unit, and the MetaDataVersion."""
    study = definitions.study
    root = etree.Element(odm("Study"), OID=study_oid(study.id), nsmap=NSMAP)
    globals_ = sub(root, "GlobalVariables")
    sub(globals_, "StudyName", study.id)
    sub(globals_, "StudyDescription", study.title.en)
    sub(globals_, "ProtocolName", study.registry_id or study.id)
    basic = sub(root, "BasicDefinitions")
    for unit in all_units(definitions, units):
        mu = sub(basic, "MeasurementUnit", OID=unit_oid(unit), Name=unit)
        symbol = sub(mu, "Symbol")
        sub(symbol, "TranslatedText", unit).set(f"{{{XML_NS}}}lang", "en")
    _metadata_version(root, definitions)
    return root


def all_units(definitions: Definitions, extra: Iterable[str] = ()) -> list[str]:
    """Every unit a form defines and every unit entered, each once, sorted."""
    units = {u for form in used_forms(definitions) for i in form.items().values() for u in i.units}
    return sorted(units | {u for u in extra if u})


def used_forms(definitions: Definitions) -> list[FormDef]:
    return [definitions.forms[oid] for oid in definitions.study.form_oids()]


def _metadata_version(root: etree._Element, definitions: Definitions) -> None:
    study = definitions.study
    mdv = sub(
        root,
        "MetaDataVersion",
        OID=mdv_oid(study.version),
        Name=f"{study.id} {study.version}",
        Description=study.design.en,
    )
    protocol = sub(mdv, "Protocol")
    translated(protocol, "Description", study.title)
    events = event_defs(study)
    for number, (oid, _label, _repeating, _type, _forms) in enumerate(events, start=1):
        sub(protocol, "StudyEventRef", StudyEventOID=oid, OrderNumber=str(number), Mandatory="No")
    for oid, label, repeating, kind, event_forms in events:
        event = sub(mdv, "StudyEventDef", OID=oid, Name=label.en, Repeating=repeating, Type=kind)
        translated(event, "Description", label)
        for number, form_oid in enumerate(event_forms, start=1):
            sub(event, "FormRef", FormOID=form_oid, OrderNumber=str(number), Mandatory="No")
    forms = used_forms(definitions)
    for form in forms:
        _form_def(mdv, form)
    groups, items = _unique_defs(forms)
    for group in groups:
        _group_def(mdv, group)
    for item in items:
        _item_def(mdv, item)
    _code_lists(mdv, items)


def event_defs(study: Study) -> list[tuple[str, Text, str, str, tuple[str, ...]]]:
    """Every StudyEventDef: (OID, label, Repeating, Type, forms), scheduled visits first, then
    the unscheduled visit and the running logs."""
    events = [(v.oid, v.label, "No", "Scheduled", v.forms) for v in study.visits]
    if study.unscheduled.allowed:
        unscheduled = study.unscheduled
        events.append(
            (UNSCHEDULED_EVENT, unscheduled.label, "Yes", "Unscheduled", unscheduled.forms)
        )
    if study.log_forms:
        events.append((LOG_EVENT, _LOG_LABEL, "No", "Common", study.log_forms))
    return events


def _form_def(mdv: etree._Element, form: FormDef) -> None:
    element = sub(mdv, "FormDef", OID=form.oid, Name=form.label.en, Repeating="No")
    translated(element, "Description", form.description or form.label)
    for number, group in enumerate(form.item_groups, start=1):
        mandatory = "Yes" if any(i.required for i in group.items) else "No"
        sub(
            element,
            "ItemGroupRef",
            ItemGroupOID=group.oid,
            OrderNumber=str(number),
            Mandatory=mandatory,
        )


def _unique_defs(forms: Sequence[FormDef]) -> tuple[list[ItemGroupDef], list[ItemDef]]:
    """Each item group and item once (forms share ``IG.SAMPLE``); a shared OID must mean the
    same definition everywhere."""
    groups: dict[str, ItemGroupDef] = {}
    items: dict[str, ItemDef] = {}
    for form in forms:
        for group in form.item_groups:
            if groups.setdefault(group.oid, group) != group:
                raise DefinitionConflict(f"{group.oid} is defined differently in {form.oid}")
            for item in group.items:
                if items.setdefault(item.oid, item) != item:
                    raise DefinitionConflict(f"{item.oid} is defined differently in {form.oid}")
    return list(groups.values()), list(items.values())


def _group_def(mdv: etree._Element, group: ItemGroupDef) -> None:
    element = sub(
        mdv,
        "ItemGroupDef",
        OID=group.oid,
        Name=group.label.en,
        Repeating="Yes" if group.repeating else "No",
    )
    translated(element, "Description", group.label)
    for number, item in enumerate(group.items, start=1):
        sub(
            element,
            "ItemRef",
            ItemOID=item.oid,
            OrderNumber=str(number),
            Mandatory="Yes" if item.required else "No",
        )


def _item_def(mdv: etree._Element, item: ItemDef) -> None:
    attrs = {"OID": item.oid, "Name": item.label.en, "DataType": _ODM_TYPES[item.data_type]}
    if item.max_length is not None and item.data_type is DataType.TEXT:
        attrs["Length"] = str(item.max_length)
    if item.derivation is not None:
        attrs["Origin"] = "Derived"
    element = sub(mdv, "ItemDef", **attrs)
    if item.help is not None:
        translated(element, "Description", item.help)
    translated(element, "Question", item.label)
    for unit in item.units:
        sub(element, "MeasurementUnitRef", MeasurementUnitOID=unit_oid(unit))
    for soft_hard, rng in (("Hard", item.hard_range), ("Soft", item.soft_range)):
        if rng is not None:
            _range_checks(element, soft_hard, rng, item.unit)
    if item.data_type in (DataType.CHOICE, DataType.MULTI_CHOICE):
        sub(element, "CodeListRef", CodeListOID=codelist_oid(item.oid))
    elif item.data_type is DataType.BOOLEAN:
        sub(element, "CodeListRef", CodeListOID=boolean_codelist_oid())
    sub(element, "Alias", Context="desktop-crf data type", Name=str(item.data_type))
    if item.data_type is DataType.MULTI_CHOICE:
        sub(element, "Alias", Context="desktop-crf value format", Name="codes separated by commas")


def _range_checks(item: etree._Element, soft_hard: str, rng: Range, unit: str | None) -> None:
    for comparator, bound in (("GE", rng.low), ("LE", rng.high)):
        if bound is None:
            continue
        check = sub(item, "RangeCheck", Comparator=comparator, SoftHard=soft_hard)
        sub(check, "CheckValue", bound)
        if unit is not None:
            sub(check, "MeasurementUnitRef", MeasurementUnitOID=unit_oid(unit))


def _code_lists(mdv: etree._Element, items: Sequence[ItemDef]) -> None:
    if any(item.data_type is DataType.BOOLEAN for item in items):
        _code_list(mdv, boolean_codelist_oid(), "Yes or no", YES_NO)
    for item in items:
        if item.choices:
            _code_list(mdv, codelist_oid(item.oid), item.label.en, item.choices)


def _code_list(mdv: etree._Element, oid: str, name: str, choices: Sequence[Choice]) -> None:
    element = sub(mdv, "CodeList", OID=oid, Name=name, DataType="text")
    for number, choice in enumerate(choices, start=1):
        entry = sub(element, "CodeListItem", CodedValue=choice.code, OrderNumber=str(number))
        translated(entry, "Decode", choice.label)


def admin_element(admin: AdminInfo, definitions: Definitions, *, effective: str) -> etree._Element:
    """The ``AdminData`` element: users, the site, one SignatureDef per signature meaning."""
    study = definitions.study
    root = etree.Element(odm("AdminData"), StudyOID=study_oid(study.id), nsmap=NSMAP)
    for user in admin.users:
        attrs = {"OID": user_oid(user.login)}
        if user.role in _USER_TYPES:
            attrs["UserType"] = _USER_TYPES[user.role]
        element = sub(root, "User", **attrs)
        sub(element, "LoginName", user.login)
        if user.full_name:
            sub(element, "FullName", user.full_name)
        for site in user.sites or (admin.site_code,):
            sub(element, "LocationRef", LocationOID=location_oid(site))
    for code, name in admin.locations():
        location = sub(root, "Location", OID=location_oid(code), Name=name, LocationType="Site")
        sub(
            location,
            "MetaDataVersionRef",
            StudyOID=study_oid(study.id),
            MetaDataVersionOID=mdv_oid(study.version),
            EffectiveDate=effective,
        )
    for number, meaning in enumerate(admin.signature_meanings, start=1):
        sig = sub(root, "SignatureDef", OID=signature_def_oid(number), Methodology="Electronic")
        sub(sig, "Meaning", meaning)
        sub(sig, "LegalReason", _LEGAL_REASON)
    return root


def signature_oids(admin: AdminInfo) -> dict[str, str]:
    """The SignatureDef OID of each meaning."""
    return {m: signature_def_oid(n) for n, m in enumerate(admin.signature_meanings, start=1)}
