"""The ODM root written streaming with ``lxml.etree.xmlfile``: the header, the Study and the
AdminData, then whatever clinical data the caller writes. Memory holds one subject (Snapshot)
or one entry (Transactional) at a time, whatever the number of subjects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from lxml import etree

from odm.metadata import admin_element, study_element
from odm.model import AdminInfo, Definitions, FileInfo
from odm.names import NSMAP, odm

#: What a writer is handed to write elements into.
XmlFile = Any


class UnwritableValue(ValueError):
    """A value holds a character XML 1.0 cannot carry (a control character): ``where`` says
    which record, never the value."""

    def __init__(self, where: str) -> None:
        self.where = where
        super().__init__(f"{where} holds a control character that XML cannot carry")


def root_attributes(info: FileInfo, file_type: str) -> dict[str, str]:
    attrs = {
        "FileType": file_type,
        "FileOID": info.file_oid,
        "CreationDateTime": info.created,
        "ODMVersion": "1.3.2",
        "Originator": info.source_system,
        "SourceSystem": info.source_system,
    }
    if info.source_version:
        attrs["SourceSystemVersion"] = info.source_version
    if info.description:
        attrs["Description"] = info.description
    if info.granularity:
        attrs["Granularity"] = info.granularity
    if file_type == "Snapshot":
        attrs["AsOfDateTime"] = info.created
    return attrs


@contextmanager
def odm_document(
    out: IO[bytes],
    info: FileInfo,
    file_type: str,
    definitions: Definitions,
    admin: AdminInfo,
) -> Iterator[XmlFile]:
    """Write the ODM root with its Study and AdminData; the body goes inside the ``with``."""
    failure: BaseException | None = None
    try:
        with etree.xmlfile(out, encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element(odm("ODM"), root_attributes(info, file_type), nsmap=NSMAP):
                xf.write("\n")
                xf.write(study_element(definitions, units=admin.units), pretty_print=True)
                admin_data = admin_element(admin, definitions, effective=info.created[:10])
                xf.write(admin_data, pretty_print=True)
                try:
                    yield xf
                except BaseException as exc:
                    failure = exc
                    raise
    except etree.LxmlSyntaxError:
        # the body stopped with elements still open: the file is abandoned, and the reason
        # it stopped is what the caller needs to hear
        if failure is None:
            raise
        raise failure from None


def write_element(
    xf: XmlFile, build: Callable[[], etree._Element], where: Callable[[], str]
) -> None:
    """Build one element and write it; a value XML cannot carry is named by ``where()``."""
    try:
        xf.write(build(), pretty_print=True)
    except ValueError as exc:
        raise UnwritableValue(where()) from exc
