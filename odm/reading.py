"""Reading an ODM 1.3.2 file back: its header, then what it holds, one piece at a time.

- A Snapshot yields each subject (:class:`odm.model.SubjectRecord`, as :mod:`odm.snapshot`
  writes it: fields from its ``crf:`` attributes, forms with their status and values).
- A Transactional file yields each audit entry rebuilt from its AuditRecord, in document order
  (each device's chain order), after :mod:`odm.verify` checked its hash and its link to the
  one before: a file whose chain does not verify is refused like one that breaks the schema.

Validated while streaming: ``lxml.etree.iterparse`` with the extended schema. libxml2 checks
each chunk as it parses it, but lxml raises the schema's complaint only once the whole file is
read, and with line 0. So the reader looks at the parser's error log after every element and
stops at the first complaint (a writer streaming into one transaction rolls it back); what
is found there is only the chunk, so the exact line is then found by validating the whole
tree (:func:`odm.schema.problems`): memory grows with the file only on the way to refusing it.

Pure: lxml only; no database.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from odm.model import FormRecord, SignatureInfo, SubjectRecord, ValueRow
from odm.names import CRF_NS, odm
from odm.schema import InvalidOdm, extended_schema, problems
from odm.snapshot import SUBJECT_ATTRIBUTES
from odm.verify import _read, _Reader, _release, _Stop

__all__ = ["ClinicalHeader", "FileHeader", "InvalidOdm", "read_header", "read_odm"]


@dataclass(frozen=True)
class FileHeader:
    """What a file says of itself before its clinical data."""

    file_type: str  # "Snapshot" or "Transactional"
    file_oid: str
    study_oid: str | None  # the Study it defines
    mdv_oid: str | None  # its MetaDataVersion


@dataclass(frozen=True)
class ClinicalHeader:
    """A ClinicalData element opens: the study and protocol version its data belong to."""

    line: int
    study_oid: str
    mdv_oid: str


Entry = dict[str, Any]
Piece = ClinicalHeader | SubjectRecord | Entry
#: ``progress(done, total)``: bytes of the file read so far, of its size.
Progress = Callable[[int, int], None]

_ROOT, _STUDY, _MDV, _CLINICAL = (
    odm("ODM"),
    odm("Study"),
    odm("MetaDataVersion"),
    odm("ClinicalData"),
)
_SUBJECT, _EVENT, _FORM = odm("SubjectData"), odm("StudyEventData"), odm("FormData")
_GROUP, _ITEM, _UNIT = odm("ItemGroupData"), odm("ItemData"), odm("MeasurementUnitRef")
_MEASUREMENT_UNIT = odm("MeasurementUnit")
_USER, _FULL_NAME, _SIGNATURE_DEF = odm("User"), odm("FullName"), odm("SignatureDef")
_SIGNATURE = odm("Signature")


def read_header(path: Path | str) -> FileHeader:
    """The file's type, OID, study and version, read from its first elements (no validation:
    :func:`read_odm` validates).

    Raises:
        InvalidOdm: the file cannot be read or is not an ODM file.
    """
    found: dict[str, str | None] = {"type": None, "oid": None, "study": None, "mdv": None}
    try:
        for _event, element in etree.iterparse(str(path), events=("start",)):
            if element.tag == _ROOT:
                found["type"], found["oid"] = element.get("FileType"), element.get("FileOID")
            elif element.tag == _STUDY:
                found["study"] = element.get("OID")
            elif element.tag == _MDV:
                found["mdv"] = element.get("OID")
            elif element.tag == _CLINICAL:
                break
            if found["type"] is None:
                raise InvalidOdm(element.sourceline or 1, "the file is not a CDISC ODM file")
    except etree.XMLSyntaxError as exc:
        raise InvalidOdm(exc.lineno or 1, exc.msg) from exc
    except OSError as exc:
        raise InvalidOdm(0, f"the file cannot be read: {exc}") from exc
    return FileHeader(
        file_type=found["type"] or "", file_oid=found["oid"] or "",
        study_oid=found["study"], mdv_oid=found["mdv"],
    )  # fmt: skip


def read_odm(path: Path | str, progress: Progress | None = None) -> Iterator[Piece]:
    """Stream the file, validating it: yield each ClinicalData's header, then each subject
    (Snapshot) or each verified audit entry (Transactional). ``progress(done, total)`` hears
    how many of the file's bytes were read, each time the parser reads on, and at the end.

    Raises:
        InvalidOdm: the file is not well-formed, breaks the schema, or (Transactional) its
        audit chain does not verify; with the line.
    """
    try:
        with open(path, "rb") as source:
            yield from _pieces(path, source, progress)
    except OSError as exc:
        raise InvalidOdm(0, f"the file cannot be read: {exc}") from exc


def _pieces(path: Path | str, source: BinaryIO, progress: Progress | None) -> Iterator[Piece]:
    reader = _Reader(keep=True)
    names: dict[str, str] = {}  # each User's FullName by OID
    parser = etree.iterparse(
        source, events=("start", "end"), schema=extended_schema(), huge_tree=True
    )
    total = os.fstat(source.fileno()).st_size
    told = -1
    snapshot = False
    try:
        for event, element in parser:
            if progress is not None and (done := source.tell()) != told:
                told = done
                progress(done, total)
            if parser.error_log:
                raise _invalid(path, element)
            if event == "start":
                if element.tag == _ROOT:
                    snapshot = element.get("FileType") == "Snapshot"
                elif element.tag == _CLINICAL:
                    # one subject's file holds part of each chain: followed from where it starts
                    complete = element.get(f"{{{CRF_NS}}}Complete") == "Yes"
                    reader.report.complete = reader.report.complete and complete
                    yield _clinical(element)
                continue
            if snapshot:
                if element.tag == _SUBJECT:
                    yield _subject(element, reader, names)
                    _release(element)
                elif element.tag in (_MEASUREMENT_UNIT, _SIGNATURE_DEF, _USER):
                    _read(reader, element)  # AdminData and units come before ClinicalData
                    if element.tag == _USER:
                        names[element.get("OID", "")] = element.findtext(_FULL_NAME) or ""
                continue
            _read(reader, element)
            yield from reader.entries
            reader.entries.clear()
        if progress is not None and told != total:
            progress(total, total)
    except etree.XMLSyntaxError as exc:
        raise _invalid(path, None, exc) from exc
    except _Stop:
        problem = reader.report.problem
        assert problem is not None
        raise InvalidOdm(
            problem.line, f"the audit chain does not verify at entry {problem.entry}: "
            f"{problem.reason}",
        ) from None  # fmt: skip


def _invalid(
    path: Path | str, element: etree._Element | None, exc: etree.XMLSyntaxError | None = None
) -> InvalidOdm:
    """The first problem with its line: a syntax error says it; a schema error is located by
    validating the whole tree."""
    if exc is not None and exc.lineno:
        return InvalidOdm(exc.lineno, exc.msg)
    try:
        found = problems(etree.parse(str(path), etree.XMLParser(huge_tree=True)))
    except etree.XMLSyntaxError as syntax:
        return InvalidOdm(syntax.lineno or 0, syntax.msg)
    if found:
        return InvalidOdm(found[0].line, found[0].message)
    line = 0 if element is None else element.sourceline or 0
    return InvalidOdm(line, exc.msg if exc is not None else "the file breaks the ODM schema")


def _clinical(element: etree._Element) -> ClinicalHeader:
    return ClinicalHeader(
        element.sourceline or 0,
        element.get("StudyOID", ""),
        element.get("MetaDataVersionOID", ""),
    )


def _subject(element: etree._Element, reader: _Reader, names: dict[str, str]) -> SubjectRecord:
    """One Snapshot SubjectData as the writer was given it."""
    fields: dict[str, Any] = {}
    for field, name in SUBJECT_ATTRIBUTES:
        value = element.get(f"{{{CRF_NS}}}{name}")
        if value is not None:
            fields[field] = value
    forms = [
        _form(event, form, reader, names)
        for event in element.iterchildren(_EVENT)
        for form in event.iterchildren(_FORM)
    ]
    return SubjectRecord(element.get("SubjectKey", ""), fields, tuple(forms))


def _form(
    event: etree._Element, form: etree._Element, reader: _Reader, names: dict[str, str]
) -> FormRecord:
    values = tuple(
        ValueRow(
            group.get("ItemGroupOID", ""),
            int(group.get("ItemGroupRepeatKey", "1")),
            item.get("ItemOID", ""),
            item.get("Value"),
            _unit(item, reader.units),
        )
        for group in form.iterchildren(_GROUP)
        for item in group.iterchildren(_ITEM)
    )
    return FormRecord(
        event=event.get("StudyEventOID", ""),
        event_repeat=int(event.get("StudyEventRepeatKey", "1")),
        form=form.get("FormOID", ""),
        status=form.get(f"{{{CRF_NS}}}Status"),
        values=values,
        signature=_signature(form.find(_SIGNATURE), reader, names),
    )


def _signature(
    element: etree._Element | None, reader: _Reader, names: dict[str, str]
) -> SignatureInfo | None:
    """A form's Signature: its user's login and name, its SignatureDef's meaning, when, and
    the content hash it binds (the schema's key references make sure both are defined)."""
    if element is None:
        return None
    user = _ref(element, "UserRef", "UserOID")
    meaning = _ref(element, "SignatureRef", "SignatureOID")
    return SignatureInfo(
        signer=reader.users.get(user, user.removeprefix("USR.")),
        signed_at=element.findtext(odm("DateTimeStamp")) or "",
        meaning=reader.meanings.get(meaning, meaning),
        content_hash=element.findtext(odm("CryptoBindingManifest")) or "",
        signer_name=names.get(user, ""),
    )


def _ref(element: etree._Element, child: str, attribute: str) -> str:
    found = element.find(odm(child))
    return "" if found is None else str(found.get(attribute, ""))


def _unit(item: etree._Element, units: dict[str, str]) -> str | None:
    """The unit as entered: its MeasurementUnit's symbol (the schema's key reference makes
    sure one is defined)."""
    ref = item.find(_UNIT)
    if ref is None:
        return None
    oid = str(ref.get("MeasurementUnitOID", ""))
    return units.get(oid, oid.removeprefix("MU."))
