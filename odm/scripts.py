"""Read scripts for the analysis zip, generated from the same columns as the CSV files: R,
SAS and SPSS each read every CSV with its column types, variable labels and the value labels
of coded items (English; the data dictionary has both languages).

Run a script from the folder the zip was unpacked into.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

KEY_LABELS = {
    "SUBJECT_ID": "Subject",
    "EVENT": "Visit (StudyEvent OID)",
    "EVENT_REPEAT": "Visit repeat",
    "REPEAT": "Repeat of the form's repeating group",
    "FORM_STATUS": "Form status (draft, complete)",
}
_INTEGER_KEYS = ("EVENT_REPEAT", "REPEAT")


def dataset(form: str) -> str:
    """A data set name every package accepts: ``F.LAB_LIVER`` → ``F_LAB_LIVER``."""
    return form.replace(".", "_")


def _codes(column: Any) -> list[tuple[str, str]]:
    item = column.item
    if item is None or column.part != "value":
        return []
    if item.choices:
        return [(c.code, c.label.en) for c in item.choices]
    if str(item.data_type) == "boolean":
        return [("Y", "Yes"), ("N", "No")]
    return []


def _quoted(text: str, quote: str = '"') -> str:
    return quote + text.replace(quote, quote * 2).replace("\n", " ") + quote


def _r_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def r_script(columns: Mapping[str, Sequence[Any]], subjects: Sequence[tuple[str, str]]) -> str:
    lines = [
        "# Reads the desktop-crf analysis export: one data frame per form, with column types,",
        "# variable labels (attribute 'label') and factors for coded items.",
        '# Run from the folder the zip was unpacked into: source("read_data.R")',
        "read_crf <- function(file, numeric = character(), integer = character()) {",
        '  d <- read.csv(file, fileEncoding = "UTF-8", colClasses = "character",',
        '                na.strings = "", check.names = FALSE)',
        "  for (v in numeric) d[[v]] <- as.numeric(d[[v]])",
        "  for (v in integer) d[[v]] <- as.integer(d[[v]])",
        "  d",
        "}",
        'subjects <- read_crf("subjects.csv")',
    ]
    for form, form_columns in columns.items():
        name = dataset(form)
        numeric = [c.name for c in form_columns if c.numeric]
        lines.append(
            f'{name} <- read_crf("forms/{form}.csv", numeric = c('
            + ", ".join(_r_string(n) for n in numeric)
            + '), integer = c("EVENT_REPEAT", "REPEAT"))'
        )
        for key, label in KEY_LABELS.items():
            lines.append(f'attr({name}${key}, "label") <- {_r_string(label)}')
        for column in form_columns:
            lines.append(f'attr({name}${column.name}, "label") <- {_r_string(column.label_en)}')
            codes = _codes(column)
            if codes:
                levels = ", ".join(_r_string(c) for c, _l in codes)
                labels = ", ".join(_r_string(label) for _c, label in codes)
                lines.append(
                    f"{name}${column.name} <- factor({name}${column.name}, "
                    f"levels = c({levels}), labels = c({labels}))"
                )
    return "\n".join(lines) + "\n"


def sas_script(columns: Mapping[str, Sequence[Any]], subjects: Sequence[tuple[str, str]]) -> str:
    formats: list[str] = []
    steps: list[str] = []
    for number, (form, form_columns) in enumerate(columns.items(), start=1):
        name = dataset(form)
        lengths, inputs, labels, applied = [], [], [], []
        for key in ("SUBJECT_ID", "EVENT", "EVENT_REPEAT", "REPEAT", "FORM_STATUS"):
            kind = "8" if key in _INTEGER_KEYS else "$64"
            lengths.append(f"{key} {kind}")
            inputs.append(key if key in _INTEGER_KEYS else f"{key} $")
            labels.append(f"{key} = {_quoted(KEY_LABELS[key])}")
        for index, column in enumerate(form_columns, start=1):
            lengths.append(f"{column.name} {'8' if column.numeric else '$4000'}")
            inputs.append(column.name if column.numeric else f"{column.name} $")
            labels.append(f"{column.name} = {_quoted(column.label_en[:256])}")
            codes = _codes(column)
            if codes:
                fmt = f"$F{number}C{index}X"
                values = " ".join(f"{_quoted(c, chr(39))} = {_quoted(label)}" for c, label in codes)
                formats.append(f"  value {fmt} {values};")
                applied.append(f"{column.name} {fmt}.")
        steps += [
            f"data {name};",
            f'  infile "forms/{form}.csv" dsd firstobs=2 truncover lrecl=1000000 encoding="utf-8";',
            "  length " + " ".join(lengths) + ";",
            "  input " + " ".join(inputs) + ";",
            "  label " + " ".join(labels) + ";",
        ]
        if applied:
            steps.append("  format " + " ".join(applied) + ";")
        steps += ["run;", ""]
    subject_names = [name for name, _f in subjects]
    header = [
        "/* Reads the desktop-crf analysis export: one data set per form, with variable",
        "   labels and formats for coded items. Run from the folder the zip was unpacked",
        "   into (or set that folder as the current directory first). */",
        "proc format;",
        *formats,
        "run;",
        "",
        "data subjects;",
        '  infile "subjects.csv" dsd firstobs=2 truncover lrecl=100000 encoding="utf-8";',
        "  length " + " ".join(f"{n} $64" for n in subject_names) + ";",
        "  input " + " ".join(f"{n} $" for n in subject_names) + ";",
        "run;",
        "",
    ]
    return "\n".join(header + steps)


def spss_script(columns: Mapping[str, Sequence[Any]], subjects: Sequence[tuple[str, str]]) -> str:
    lines = [
        "* Reads the desktop-crf analysis export: each CSV with variable labels and the value.",
        "* labels of coded items, saved as an SPSS file of the same name (F_LAB_LIVER.sav...).",
        "* Run from the folder the zip was unpacked into.",
        "GET DATA /TYPE=TXT /FILE='subjects.csv' /ENCODING='UTF8' /DELCASE=LINE",
        "  /DELIMITERS=',' /QUALIFIER='\"' /ARRANGEMENT=DELIMITED /FIRSTCASE=2",
        "  /VARIABLES=" + " ".join(f"{n} A64" for n, _f in subjects) + ".",
        "SAVE OUTFILE='subjects.sav'.",
    ]
    for form, form_columns in columns.items():
        variables = [f"{key} {'F8.0' if key in _INTEGER_KEYS else 'A64'}" for key in KEY_LABELS] + [
            f"{c.name} {'F40.10' if c.numeric else 'A4000'}" for c in form_columns
        ]
        lines += [
            f"GET DATA /TYPE=TXT /FILE='forms/{form}.csv' /ENCODING='UTF8' /DELCASE=LINE",
            "  /DELIMITERS=',' /QUALIFIER='\"' /ARRANGEMENT=DELIMITED /FIRSTCASE=2",
            "  /VARIABLES=" + " ".join(variables) + ".",
            "VARIABLE LABELS "
            + " /".join(f"{k} {_quoted(v)}" for k, v in KEY_LABELS.items())
            + "".join(f" /{c.name} {_quoted(c.label_en[:250])}" for c in form_columns)
            + ".",
        ]
        for column in form_columns:
            codes = _codes(column)
            if codes:
                values = " ".join(f"{_quoted(c, chr(39))} {_quoted(label)}" for c, label in codes)
                lines.append(f"VALUE LABELS {column.name} {values}.")
        lines.append(f"SAVE OUTFILE='{dataset(form)}.sav'.")
    lines.append("EXECUTE.")
    return "\n".join(lines) + "\n"
