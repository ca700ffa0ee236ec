"""A file of laboratory reference ranges (CSV), read row by row with the reason each bad row
is refused.

Columns (header names as below, any order; ``README.md`` "Laboratory reference ranges"):

``laboratory``, ``analyte``, ``unit``, ``sex`` (``M``, ``F``, or empty for both),
``age_from`` and ``age_to`` (completed years, both included; empty: unbounded), ``lln``,
``uln`` (either may be empty, not both), ``valid_from`` (``YYYY-MM-DD``).

Public names: :data:`RANGE_COLUMNS`, :class:`RangeRow`, :func:`read_range_file`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import pydantic

from forms.dates import parse_date
from forms.errors import FormsError
from forms.lab_files import TableRow, find_analyte, read_table
from forms.lab_ranges import LabRange, Sex, bands_overlap
from forms.schema import ItemDef
from forms.values import normalise_unit

RANGE_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "laboratory": ("lab", "laboratory_name", "实验室", "检验科"),
    "analyte": ("test", "test_code", "item", "检验项目", "项目代码"),
    "unit": ("units", "单位"),
    "sex": ("gender", "性别"),
    "age_from": ("age_min", "min_age", "年龄下限"),
    "age_to": ("age_max", "max_age", "年龄上限"),
    "lln": ("low", "lower_limit", "参考下限"),
    "uln": ("high", "upper_limit", "参考上限"),
    "valid_from": ("effective_from", "from", "生效日期"),
}
_REQUIRED: Final = ("laboratory", "analyte", "lln", "uln", "valid_from")
_SEXES: Final[Mapping[str, Sex | None]] = {
    "": None,
    "all": None,
    "any": None,
    "both": None,
    "m": "M",
    "male": "M",
    "男": "M",
    "f": "F",
    "female": "F",
    "女": "F",
}


@dataclass(frozen=True)
class RangeRow:
    """One data row of the file: the range it records, or why it is refused."""

    row: int
    lab_range: LabRange | None
    problem: str | None = None


def read_range_file(text: str, analytes: Mapping[str, ItemDef]) -> list[RangeRow]:
    """Read every row of a range file.

    Args:
        text: the decoded file (see :func:`forms.lab_files.decode`).
        analytes: item OID → item definition of every result a range may be recorded for.

    Returns:
        One :class:`RangeRow` per data row, in file order. Rows that record the same range
        twice, or two ranges that would both apply to one subject, are refused naming each
        other.

    Raises:
        forms.lab_files.FileNotUnderstood: the file as a whole cannot be read.
    """
    rows = [_read_row(row, analytes) for row in read_table(text, RANGE_COLUMNS, required=_REQUIRED)]
    return _refuse_overlaps(rows)


def _read_row(row: TableRow, analytes: Mapping[str, ItemDef]) -> RangeRow:
    try:
        return RangeRow(row.row, _range_of(row, analytes))
    except (FormsError, ValueError) as exc:
        return RangeRow(row.row, None, _reason(exc))


def _reason(exc: Exception) -> str:
    if isinstance(exc, pydantic.ValidationError):
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
    return str(exc)


def _range_of(row: TableRow, analytes: Mapping[str, ItemDef]) -> LabRange:
    code = row.get("analyte")
    if not code:
        raise ValueError("the analyte is missing")
    analyte = find_analyte(code, analytes)
    if analyte is None:
        raise ValueError(f"analyte {code!r} is not a test the lab forms record")
    if not row.get("valid_from"):
        raise ValueError("valid_from is missing (the date the range applies from, YYYY-MM-DD)")
    item = analytes[analyte]
    sex_text = row.get("sex").casefold()
    if sex_text not in _SEXES:
        raise ValueError(f"sex {row.get('sex')!r} is not M, F or empty (both)")
    return LabRange(
        laboratory=row.get("laboratory"),
        analyte=analyte,
        unit=_unit(item, row.get("unit")),
        sex=_SEXES[sex_text],
        age_min=_age(row.get("age_from")),
        age_max=_age(row.get("age_to")),
        lln=row.get("lln") or None,
        uln=row.get("uln") or None,
        valid_from=parse_date(row.get("valid_from")),
    )


def _unit(item: ItemDef, text: str) -> str | None:
    """The item's own spelling of the unit written (so ranges of one unit compare equal)."""
    if not text:
        if item.unit is None:
            return None
        raise ValueError(f"the unit is missing; {item.oid} is measured in {', '.join(item.units)}")
    for unit in item.units:
        if normalise_unit(unit) == normalise_unit(text):
            return unit
    accepted = ", ".join(item.units) or "no unit"
    raise ValueError(f"unit {text!r} cannot be converted for {item.oid} (accepted: {accepted})")


def _age(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) > 150:
        raise ValueError(f"age {text!r} is not a whole number of years")
    return int(text)


def _refuse_overlaps(rows: Sequence[RangeRow]) -> list[RangeRow]:
    problems: dict[int, str] = {}
    good = [(r.row, r.lab_range) for r in rows if r.lab_range is not None]
    for index, (one_row, one) in enumerate(good):
        for other_row, other in good[index + 1 :]:
            if one.key == other.key:
                why = "records the same range as row {0}"
            elif bands_overlap(one, other):
                why = "overlaps row {0} (same laboratory, analyte, sex and date; ages overlap)"
            else:
                continue
            problems.setdefault(one_row, why.format(other_row))
            problems.setdefault(other_row, why.format(one_row))
    return [RangeRow(r.row, None, problems[r.row]) if r.row in problems else r for r in rows]
