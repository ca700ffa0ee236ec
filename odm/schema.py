"""The bundled XML schemas: ODM 1.3.2 as CDISC publishes it, and the same with desktop-crf's
vendor extension added by ODM's redefine mechanism (``desktop-crf-extension.xsd``).

A Transactional file carries the audit chain in extension attributes: it validates against the
extended schema, and, once those are left out (as a reader that ignores foreign namespaces
does), against plain ODM 1.3.2. :func:`validate_file` checks both and streams: memory does not
grow with the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from odm.names import CRF_NS

_HERE = Path(__file__).resolve().parent
ODM_XSD = "ODM1-3-2.xsd"
EXTENDED_XSD = "desktop-crf-extension.xsd"


def schema_dir() -> Path:
    """The folder of the bundled schemas (``resources/odm-1.3.2``; in a wheel it is installed
    under ``desktop_crf/resources``)."""
    for root in (_HERE.parent / "resources", _HERE.parent / "desktop_crf" / "resources"):
        candidate = root / "odm-1.3.2"
        if (candidate / ODM_XSD).is_file():
            return candidate
    raise FileNotFoundError("the ODM 1.3.2 schema files are missing from this installation")


@cache
def odm_schema() -> etree.XMLSchema:
    """ODM 1.3.2 exactly as CDISC publishes it."""
    return etree.XMLSchema(etree.parse(str(schema_dir() / ODM_XSD)))


@cache
def extended_schema() -> etree.XMLSchema:
    """ODM 1.3.2 with desktop-crf's extension attributes."""
    return etree.XMLSchema(etree.parse(str(schema_dir() / EXTENDED_XSD)))


@dataclass(frozen=True)
class SchemaProblem:
    """Where a file breaks the schema (1-based line) and the schema validator's words."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def without_extension(tree: etree._ElementTree | etree._Element) -> etree._Element:
    """A copy of ``tree`` with every element and attribute of the extension namespace left
    out: what a reader that knows only ODM 1.3.2 sees."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    copy = etree.fromstring(etree.tostring(root))
    for element in list(copy.iter()):
        if not isinstance(element.tag, str):
            continue
        if element.tag.startswith(f"{{{CRF_NS}}}"):
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            continue
        for name in [n for n in element.attrib if n.startswith(f"{{{CRF_NS}}}")]:
            del element.attrib[name]
    return copy


def problems(tree: etree._ElementTree | etree._Element) -> list[SchemaProblem]:
    """Every schema problem of a parsed file: against the extended schema, then (extension
    left out) against plain ODM 1.3.2."""
    found: list[SchemaProblem] = []
    for schema, doc in (
        (extended_schema(), tree),
        (odm_schema(), without_extension(tree)),
    ):
        if not schema.validate(doc):
            found += [SchemaProblem(e.line, e.message) for e in schema.error_log]
    return found


class InvalidOdm(ValueError):
    """A file that is not well-formed XML or breaks the schema, with the line where it does
    (for a schema error, the line of the element being read when it was found)."""

    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message
        super().__init__(f"line {line}: {message}")


def iter_validated(path: Path | str) -> Iterator[tuple[str, etree._Element]]:
    """Parse ``path`` streaming while validating it against the extended schema; yield
    ``("start" | "end", element)`` as the parser goes. The caller may clear an element once
    it has ended.

    Raises:
        InvalidOdm: the file is not well-formed or breaks the schema.
    """
    line = 0
    events = etree.iterparse(
        str(path), events=("start", "end"), schema=extended_schema(), huge_tree=True
    )
    try:
        for event, element in events:
            if event == "start":
                line = element.sourceline or line
            yield event, element
    except etree.XMLSyntaxError as exc:
        raise InvalidOdm(exc.lineno or line, exc.msg) from exc
    except OSError as exc:
        raise InvalidOdm(0, f"the file cannot be read: {exc}") from exc
