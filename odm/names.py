"""Namespaces, tags and the OIDs this product gives what ODM must name.

Every OID is derived from a name the data already holds (a user's login, a unit as entered, a
site code), so a reader can map it back: ``USR.nurse``, ``MU.IU/mL``, ``LOC.NB02``. ODM 1.3.2
OIDs are any non-empty text.
"""

from __future__ import annotations

ODM_NS = "http://www.cdisc.org/ns/odm/v1.3"
#: desktop-crf's vendor extension (``resources/odm-1.3.2/desktop-crf-ns.xsd``).
CRF_NS = "urn:x-desktop-crf:odm:1"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: ODM_NS, "crf": CRF_NS}

#: Languages of every TranslatedText: the forms' ``en`` and ``zh`` (Simplified Chinese).
LANGUAGES = (("en", "en"), ("zh", "zh-CN"))

#: Event OIDs outside the visit schedule: repeated unscheduled visits and the running logs.
UNSCHEDULED_EVENT = "SE.UNSCHEDULED"
LOG_EVENT = "SE.LOG"


def odm(tag: str) -> str:
    """The qualified name of an ODM element, e.g. ``odm("ItemData")``."""
    return f"{{{ODM_NS}}}{tag}"


def crf(name: str) -> str:
    """The qualified name of an extension attribute or element."""
    return f"{{{CRF_NS}}}{name}"


def study_oid(study_id: str) -> str:
    return f"S.{study_id}"


def mdv_oid(version: str) -> str:
    return f"MDV.{version}"


def user_oid(login: str) -> str:
    return f"USR.{login}"


def location_oid(site_code: str) -> str:
    return f"LOC.{site_code}"


def unit_oid(unit: str) -> str:
    return f"MU.{unit}"


def codelist_oid(item_oid: str) -> str:
    return f"CL.{item_oid.removeprefix('I.')}"


def signature_def_oid(number: int) -> str:
    return f"SD.{number}"


def boolean_codelist_oid() -> str:
    return "CL.YN"
