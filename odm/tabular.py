"""The clinical data as tables for analysis: one CSV per form, a data dictionary in both
languages, the subjects, generated R, SAS and SPSS read scripts and a manifest with each file's
SHA-256, in one zip.

- One row per subject × visit × repeat (of the form's repeating group, if it has one; the
  form's other items repeat on each of its rows), columns in form order.
- Every value as entered (``<0.05``, ``2019-UN-UN``); a numeric item also has ``_NUM`` (the
  number in the item's own unit) and a quantity ``_FLAG`` (``<``, ``<=``, ``>``, ``>=``,
  ``ND`` for not detected) and ``_BOUND`` (the limit it names), so a value beyond
  quantification is never made into a number; ``_UNIT`` holds the unit as entered.
- UTF-8, ISO 8601 dates, ``.`` decimals, empty cells for missing values.
- A text cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return) gets a leading ``'``; a number never does.
"""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from forms.errors import ValueNotUnderstood
from forms.quantities import Qualifier
from forms.schema import NUMERIC_TYPES, DataType, FormDef, ItemDef, ItemValue
from forms.values import read_quantity
from odm.metadata import YES_NO, used_forms
from odm.model import Definitions, FileInfo, SubjectRecord
from odm.scripts import r_script, sas_script, spss_script

KEY_COLUMNS = ("SUBJECT_ID", "EVENT", "EVENT_REPEAT", "REPEAT", "FORM_STATUS")
SUBJECT_COLUMNS = (
    ("SUBJECT_ID", "subject_id"),
    ("SITE", "site"),
    ("STUDY_VERSION", "study_version"),
    ("ARM", "arm"),
    ("STATUS", "status"),
    ("SCREENED_ON", "screened_on"),
    ("ENROLLED_ON", "enrolled_on"),
    ("ANCHOR_DATE", "anchor_date"),
    ("NA_DRUG", "na_drug"),
    ("CONSENT_DATE", "consent_date"),
    ("CONSENT_VERSION", "consent_version"),
)
_FLAGS = {
    Qualifier.EXACT: "",
    Qualifier.BELOW: "<",
    Qualifier.AT_MOST: "<=",
    Qualifier.ABOVE: ">",
    Qualifier.AT_LEAST: ">=",
    Qualifier.NOT_DETECTED: "ND",
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DICTIONARY_COLUMNS = (
    "FORM",
    "COLUMN",
    "ITEM_OID",
    "ITEM_GROUP",
    "LABEL_EN",
    "LABEL_ZH",
    "TYPE",
    "UNIT",
    "CODES_EN",
    "CODES_ZH",
)


@dataclass(frozen=True)
class Column:
    """One CSV column: its name, label, the item it comes from and how it is read."""

    name: str
    label_en: str
    label_zh: str
    kind: str  # "text", "number", "date", "code"
    item: ItemDef | None = None
    part: str = "value"  # value, num, flag, bound, unit
    group: str | None = None

    @property
    def numeric(self) -> bool:
        return self.kind == "number"


def guard(cell: str) -> str:
    """``cell`` safe to open in a spreadsheet: a text that would start a formula is prefixed
    with ``'``; a number (``-5``, ``+3.2``) is left as it is."""
    if cell.startswith(_FORMULA_STARTS) and not _is_number(cell):
        return "'" + cell
    return cell


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except ArithmeticError:
        return False
    except ValueError:
        return False


def column_name(item_oid: str) -> str:
    return item_oid.removeprefix("I.")


def form_columns(form: FormDef) -> list[Column]:
    """The columns of a form's CSV after the key columns, in form order."""
    columns: list[Column] = []
    for group in form.item_groups:
        for item in group.items:
            columns += _item_columns(item, group.oid)
    return columns


def _item_columns(item: ItemDef, group: str) -> list[Column]:
    name, en, zh = column_name(item.oid), item.label.en, item.label.zh
    kind = {DataType.DATE: "date", DataType.CHOICE: "code", DataType.BOOLEAN: "code"}.get(
        item.data_type, "text"
    )
    columns = [Column(name, en, zh, kind, item, "value", group)]
    if item.data_type in NUMERIC_TYPES:
        unit = f" ({item.unit})" if item.unit else ""
        columns.append(
            Column(
                f"{name}_NUM",
                f"{en}: number{unit}",
                f"{zh}：数值{unit}",
                "number",
                item,
                "num",
                group,
            )
        )
    if item.data_type is DataType.QUANTITY:
        columns.append(
            Column(
                f"{name}_FLAG",
                f"{en}: beyond quantification (<, <=, >, >=, ND)",
                f"{zh}：超出定量限（<、<=、>、>=、ND 未检出）",
                "text",
                item,
                "flag",
                group,
            )
        )
        columns.append(
            Column(
                f"{name}_BOUND",
                f"{en}: limit beyond which it lies{unit}",
                f"{zh}：所超出的限值{unit}",
                "number",
                item,
                "bound",
                group,
            )
        )
    if item.units:
        columns.append(
            Column(
                f"{name}_UNIT",
                f"{en}: unit as entered",
                f"{zh}：录入单位",
                "text",
                item,
                "unit",
                group,
            )
        )
    return columns


def cells(item: ItemDef, value: str | None, unit: str | None) -> dict[str, str]:
    """The cells of one item's columns for ``value`` as entered."""
    name = column_name(item.oid)
    if value is None:
        return {}
    found = {name: value}
    if unit:
        found[f"{name}_UNIT"] = unit
    if item.data_type not in NUMERIC_TYPES:
        return found
    try:
        quantity = read_quantity(item, value if unit is None else _with_unit(value, unit))
    except ValueNotUnderstood:
        return found
    except ValueError:
        return found
    number = "" if quantity.value is None else _plain(quantity.value)
    if quantity.is_exact:
        found[f"{name}_NUM"] = number
    elif item.data_type is DataType.QUANTITY:
        found[f"{name}_FLAG"] = _FLAGS[quantity.qualifier]
        found[f"{name}_BOUND"] = number
    return found


def _with_unit(value: str, unit: str) -> ItemValue:
    return ItemValue(text=value, unit=unit)


def _plain(number: Decimal) -> str:
    """A decimal written plainly (``1.7E+8`` → ``170000000``), as every package reads it."""
    text = format(number.normalize(), "f")
    return text


#: How many values' cells a CSV export remembers at most.
_KNOWN_CELLS = 100_000


class _FormTables:
    """One open CSV per form in a temporary folder, rows appended as subjects are read."""

    def __init__(self, folder: Path, definitions: Definitions) -> None:
        self.folder = folder
        # every form the study uses has its file; a form found in the data beyond them (never
        # dropped) gets one too, from its bundled definition
        self.study_forms = [form.oid for form in used_forms(definitions)]
        self.forms = dict(definitions.forms)
        self.columns = {oid: form_columns(form) for oid, form in self.forms.items()}
        # each column's name and whether it is numeric (never guarded), looked up once
        self.layout = {
            oid: [(c.name, c.numeric) for c in columns] for oid, columns in self.columns.items()
        }
        # the cells of a value as entered, by (item, value, unit): a study's values repeat
        # (answers on a scale, units), and reading a quantity is the costly part
        self.known: dict[tuple[str, str | None, str | None], dict[str, str]] = {}
        self.files: dict[str, IO[str]] = {}
        self.writers: dict[str, Any] = {}
        self.rows: dict[str, int] = dict.fromkeys(self.study_forms, 0)

    def writer(self, form: str) -> Any:
        if form not in self.writers:
            stream = (self.folder / f"{form}.csv").open("w", encoding="utf-8", newline="")
            self.files[form] = stream
            writer = csv.writer(stream)
            writer.writerow([*KEY_COLUMNS, *(c.name for c in self.columns[form])])
            self.writers[form] = writer
        return self.writers[form]

    def add(self, subject: SubjectRecord) -> None:
        for record in subject.forms:
            definition = self.forms.get(record.form)
            if definition is None:
                continue
            repeating = next((g.oid for g in definition.item_groups if g.repeating), None)
            items = definition.items()
            shared: dict[str, str] = {}
            repeats: dict[int, dict[str, str]] = {}
            for row in record.values:
                item = items.get(row.item)
                if item is None:
                    continue
                found = self.cells(item, row.value, row.unit)
                if row.item_group == repeating:
                    repeats.setdefault(row.group_repeat, {}).update(found)
                else:
                    shared.update(found)
            keys: list[int | None] = [*sorted(repeats)] or [None]
            for repeat in keys:
                row_cells = shared if repeat is None else {**shared, **repeats[repeat]}
                key = [
                    subject.subject_id,
                    record.event,
                    str(record.event_repeat),
                    "" if repeat is None else str(repeat),
                    record.status or "",
                ]
                values = [
                    row_cells.get(name, "") if numeric else guard(row_cells.get(name, ""))
                    for name, numeric in self.layout[record.form]
                ]
                self.writer(record.form).writerow(key + values)
                self.rows[record.form] = self.rows.get(record.form, 0) + 1

    def cells(self, item: ItemDef, value: str | None, unit: str | None) -> dict[str, str]:
        """:func:`cells`, remembered (the cells are only read, never changed); memory stays
        bounded: the memory is emptied when it holds more than ``_KNOWN_CELLS``."""
        key = (item.oid, value, unit)
        found = self.known.get(key)
        if found is None:
            if len(self.known) >= _KNOWN_CELLS:
                self.known.clear()
            found = self.known[key] = cells(item, value, unit)
        return found

    def close(self) -> list[str]:
        for form in self.study_forms:  # each with a header, even if no row
            self.writer(form)
        for stream in self.files.values():
            stream.close()
        return sorted(self.files)


def _subject_cell(subject: SubjectRecord, field: str) -> str:
    """A cell of subjects.csv: the subject's id and site are the record's, the rest its
    fields."""
    if field == "subject_id":
        return subject.subject_id
    value = subject.site if field == "site" else subject.fields.get(field)
    return str(value or "")


def write_tables(
    out: IO[bytes],
    info: FileInfo,
    definitions: Definitions,
    subjects: Iterable[SubjectRecord],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the analysis zip to ``out``; return the number of subjects."""
    with tempfile.TemporaryDirectory(prefix="crf-csv-") as temp:
        folder = Path(temp)
        tables = _FormTables(folder, definitions)
        count = 0
        with (folder / "subjects.csv").open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow([name for name, _field in SUBJECT_COLUMNS])
            for subject in subjects:
                writer.writerow([guard(_subject_cell(subject, f)) for _n, f in SUBJECT_COLUMNS])
                tables.add(subject)
                count += 1
                if progress is not None:
                    progress(count)
        forms = tables.close()
        files = _side_files(folder, definitions, tables)
        _zip(
            out,
            folder,
            info,
            [*(f"forms/{f}.csv" for f in forms), "subjects.csv", *files],
            count,
            tables.rows,
        )
    return count


def _side_files(folder: Path, definitions: Definitions, tables: _FormTables) -> list[str]:
    with (folder / "dictionary.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(DICTIONARY_COLUMNS)
        for form in sorted(tables.files):
            for column in tables.columns[form]:
                writer.writerow(_dictionary_row(form, column))
    scripts = {
        "read_data.R": r_script,
        "read_data.sas": sas_script,
        "read_data.sps": spss_script,
    }
    written = {form: tables.columns[form] for form in sorted(tables.files)}
    for name, make in scripts.items():
        (folder / name).write_text(make(written, SUBJECT_COLUMNS), encoding="utf-8")
    return ["dictionary.csv", *scripts]


def _dictionary_row(form: str, column: Column) -> list[str]:
    item = column.item
    codes_en = codes_zh = ""
    if item is not None and column.part == "value":
        choices = item.choices or (YES_NO if item.data_type is DataType.BOOLEAN else ())
        codes_en = " | ".join(f"{c.code}={c.label.en}" for c in choices)
        codes_zh = " | ".join(f"{c.code}={c.label.zh}" for c in choices)
    unit = item.unit if item is not None and column.part in ("num", "bound") else ""
    kind = str(item.data_type) if item is not None and column.part == "value" else column.kind
    return [
        form,
        column.name,
        item.oid if item is not None else "",
        column.group or "",
        column.label_en,
        column.label_zh,
        kind,
        unit or "",
        codes_en,
        codes_zh,
    ]


def _zip(
    out: IO[bytes],
    folder: Path,
    info: FileInfo,
    names: Sequence[str],
    subjects: int,
    rows: dict[str, int],
) -> None:
    manifest: dict[str, Any] = {
        "file_oid": info.file_oid,
        "created": info.created,
        "source_system": f"{info.source_system} {info.source_version}".strip(),
        "description": info.description,
        "subjects": subjects,
        "rows": rows,
        "files": [],
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            path = folder / name.removeprefix("forms/")
            archive.write(path, name)
            manifest["files"].append(
                {"name": name, "bytes": path.stat().st_size, "sha256": _sha256(path)}
            )
        text = json.dumps(manifest, ensure_ascii=False, indent=2)
        archive.writestr("manifest.json", text)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
