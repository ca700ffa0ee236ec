"""Reading the CSV files laboratories send: text decoding, the header, and test codes.

Hospital laboratory systems export CSV as UTF-8 (with or without a byte-order mark) or, on
Chinese Windows, GB18030; separated by commas, semicolons or tabs. :func:`decode` and
:func:`read_table` accept all of these. Columns are found by name (case does not matter, nor
spaces, ``-`` or ``_`` between words; a few Chinese headers are understood too), so their
order is free and extra columns are ignored.

Test codes: a file names a test by the analyte's item OID without ``I.`` (``ALT``, ``HBV_DNA``)
or by a code laboratories commonly use for it (:data:`TEST_ALIASES`: ``GPT`` for ALT, ``CREA``
for creatinine…); :func:`find_analyte` maps a code to the item OID.

Public names: :class:`FileNotUnderstood`, :class:`TableRow`, :func:`decode`,
:func:`read_table`, :data:`TEST_ALIASES`, :func:`find_analyte`, :func:`column_key`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from forms.errors import FormsError

#: At most this many data rows per file: a laboratory export of a site is far smaller.
MAX_ROWS: Final = 20_000


class FileNotUnderstood(FormsError):
    """The file as a whole cannot be read (encoding, no header, a required column missing)."""


@dataclass(frozen=True)
class TableRow:
    """One data row: its row number as a spreadsheet shows it (the header is row 1) and its
    cells by column name (stripped; absent columns are empty)."""

    row: int
    cells: Mapping[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


def decode(data: bytes) -> str:
    """The text of a file: UTF-8 (a byte-order mark is dropped), else GB18030.

    Raises:
        FileNotUnderstood: neither encoding reads it, or it holds NUL bytes (not a text file).
    """
    if b"\x00" in data:
        raise FileNotUnderstood("the file is not a text (CSV) file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileNotUnderstood("the file is neither UTF-8 nor GB18030 text")


def column_key(name: str) -> str:
    """How header names and codes are compared: NFKC, lower case, spaces and ``-`` as ``_``."""
    folded = unicodedata.normalize("NFKC", name).casefold().replace("-", "_")
    return "_".join(folded.split())


def _dialect(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def read_table(
    text: str,
    columns: Mapping[str, Iterable[str]],
    *,
    required: Iterable[str],
) -> list[TableRow]:
    """Read a CSV text whose first non-empty line is the header.

    Args:
        text: the decoded file.
        columns: column name → other header names that mean it.
        required: the columns that must be in the header.

    Returns:
        The non-empty data rows, in file order, with cells under the column names.

    Raises:
        FileNotUnderstood: no header, a required column missing, a column given twice, or
        more than :data:`MAX_ROWS` rows.
    """
    names = {column_key(alias): name for name, aliases in columns.items() for alias in aliases}
    names.update({column_key(name): name for name in columns})
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    header: list[str | None] | None = None
    rows: list[TableRow] = []
    for number, cells in enumerate(reader, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = _header(cells, names, required)
            continue
        if len(rows) == MAX_ROWS:
            raise FileNotUnderstood(f"the file has more than {MAX_ROWS} rows: split it")
        found = {
            name: cell.strip()
            for name, cell in zip(header, cells, strict=False)
            if name is not None and cell.strip()
        }
        rows.append(TableRow(number, found))
    if header is None:
        raise FileNotUnderstood("the file is empty: it needs a header row and data rows")
    return rows


def _header(
    cells: list[str], names: Mapping[str, str], required: Iterable[str]
) -> list[str | None]:
    header = [names.get(column_key(cell)) for cell in cells]
    given = [name for name in header if name is not None]
    twice = sorted({name for name in given if given.count(name) > 1})
    if twice:
        raise FileNotUnderstood(f"the header names these columns twice: {', '.join(twice)}")
    missing = [name for name in required if name not in given]
    if missing:
        raise FileNotUnderstood(
            f"the header row lacks the column(s) {', '.join(missing)} "
            f"(it has: {', '.join(c.strip() for c in cells if c.strip()) or 'nothing'})"
        )
    return header


TEST_ALIASES: Final[Mapping[str, str]] = {
    # liver panel
    "GPT": "I.ALT",
    "SGPT": "I.ALT",
    "ALAT": "I.ALT",
    "GOT": "I.AST",
    "SGOT": "I.AST",
    "ASAT": "I.AST",
    "TBILI": "I.TBIL",
    "T_BIL": "I.TBIL",
    "TB": "I.TBIL",
    "BILT": "I.TBIL",
    "ALKP": "I.ALP",
    "AKP": "I.ALP",
    "GAMMA_GT": "I.GGT",
    "γ_GT": "I.GGT",
    "Γ_GT": "I.GGT",
    "PT_INR": "I.INR",
    # blood count
    "PLT_COUNT": "I.PLT",
    "HB": "I.HGB",
    "NEUT#": "I.NEUT",
    "ANC": "I.NEUT",
    "LYMPH#": "I.LYMPH",
    "ALC": "I.LYMPH",
    # renal
    "CR": "I.CREAT",
    "CREA": "I.CREAT",
    "SCR": "I.CREAT",
    # thyroid
    "FT3_": "I.FT3",
    "FREE_T3": "I.FT3",
    "FREE_T4": "I.FT4",
    # virology and tumour markers
    "HBSAG_QUANT": "I.HBSAG",
    "QHBSAG": "I.HBSAG",
    "HBV_DNA_QUANT": "I.HBV_DNA",
    "HBVDNA": "I.HBV_DNA",
    "DCP": "I.PIVKA2",
    "PIVKA_II": "I.PIVKA2",
}
"""Codes laboratories commonly use for a test → the item OID of the analyte."""


def find_analyte(code: str, analytes: Iterable[str]) -> str | None:
    """The item OID among ``analytes`` that ``code`` names (``ALT``, ``I.ALT``, ``GPT``…),
    or None."""
    known = set(analytes)
    key = column_key(code).upper()
    candidates = [key if key.startswith("I.") else f"I.{key}", TEST_ALIASES.get(key, "")]
    return next((oid for oid in candidates if oid in known), None)
