"""Lab results exported by a hospital laboratory system (CSV): the rows of the file, the sample
date of a row, and the visit a sample belongs to by the visit windows.

Columns (header names as below or the listed alternatives, any order; ``README.md`` "Lab
results from the laboratory's file"): ``subject`` (the study's subject id), ``sample_date``
(``YYYY-MM-DD``, a time after it is ignored), ``test`` (the analyte code, see
:mod:`forms.lab_files`), ``result`` (as the laboratory reports it: ``45``, ``<10``,
``>1.7E+08``, ``target not detected``), ``unit`` and ``laboratory`` (optional).

A sample belongs to the scheduled visit whose window (planned from the subject's anchor date)
contains its date and which has the sample's lab form; when windows overlap, the visit whose
target date is nearest, and of two as near the later one (a sample taken on the first-dose day
belongs to the first-dose visit, not to screening). Before the anchor date is known (a subject
in screening), a sample belongs to the study's first visit from the screening date less that
visit's window.

Public names: :data:`RESULT_COLUMNS`, :class:`ResultRow`, :func:`read_result_file`,
:func:`sample_day`, :func:`visit_for`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from forms.dates import DATE_EXPECTED
from forms.errors import ValueNotUnderstood
from forms.lab_files import read_table
from forms.schedule import plan_visits
from forms.study import Study, VisitDef

RESULT_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "subject": ("subject_id", "study_subject", "受试者编号", "受试者"),
    "sample_date": ("date", "collection_date", "collected", "sampled_on", "采样日期", "采样时间"),
    "test": ("test_code", "analyte", "item", "检验项目", "项目代码"),
    "result": ("value", "result_value", "结果"),
    "unit": ("units", "单位"),
    "laboratory": ("lab", "laboratory_name", "实验室", "检验科"),
}
_REQUIRED: Final = ("subject", "sample_date", "test", "result")
_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


@dataclass(frozen=True)
class ResultRow:
    """One result as the file gives it (texts stripped; unit and laboratory None when
    empty). ``row`` is its row number as a spreadsheet shows it (the header is row 1)."""

    row: int
    subject: str
    sample_date: str
    test: str
    result: str
    unit: str | None = None
    laboratory: str | None = None


def read_result_file(text: str) -> list[ResultRow]:
    """The data rows of a results file, in file order.

    Raises:
        forms.lab_files.FileNotUnderstood: no header, or a required column is missing.
    """
    rows = read_table(text, RESULT_COLUMNS, required=_REQUIRED)
    return [
        ResultRow(
            row.row,
            row.get("subject").upper(),
            row.get("sample_date"),
            row.get("test"),
            row.get("result"),
            row.get("unit") or None,
            row.get("laboratory") or None,
        )
        for row in rows
    ]


def sample_day(text: str) -> date:
    """The day of a sample: ``2026-03-02``, ``2026/3/2`` or ``2026-03-02 08:15`` (the time is
    not kept).

    Raises:
        ValueNotUnderstood: not such a date, or a day that does not exist.
    """
    match = _DAY.match(text.strip())
    if match is None:
        raise ValueNotUnderstood(text, DATE_EXPECTED)
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueNotUnderstood(text, DATE_EXPECTED) from None


def visit_for(
    study: Study,
    form: str,
    day: date,
    *,
    anchor: date | None,
    screened_on: date | None,
) -> VisitDef | None:
    """The scheduled visit a sample of ``form`` taken on ``day`` belongs to, or None when no
    visit with that form has a window containing the day (see the module docstring)."""
    if anchor is None:
        first = study.visits[0]
        if screened_on is None or form not in first.forms:
            return None
        earliest = screened_on - timedelta(days=study.window_of(first).before)
        return first if day >= earliest else None
    best: tuple[int, int, VisitDef] | None = None
    for order, planned in enumerate(plan_visits(study, anchor)):
        if form not in planned.forms or not planned.contains(day):
            continue
        rank = (abs((day - planned.target).days), -order)
        if best is None or rank < best[:2]:
            best = (*rank, study.visits[order])
    return None if best is None else best[2]
