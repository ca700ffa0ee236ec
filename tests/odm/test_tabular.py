"""The analysis tables, pure: what a value becomes in its columns, and no data dropped."""

from __future__ import annotations

import csv
import io
import zipfile

from desktop_crf.studies import bundled_forms, load_study
from odm.model import Definitions, FileInfo, FormRecord, SubjectRecord, ValueRow
from odm.tabular import cells, write_tables

DEFINITIONS = Definitions(load_study("NCT07553767"), bundled_forms())
INFO = FileInfo(file_oid="CSV.TEST", created="2026-11-01T09:00:00.000000Z")


def test_values_beyond_quantification_become_flag_and_bound_never_a_number() -> None:
    hbsag = bundled_forms()["F.LAB_VIROLOGY"].items()["I.HBSAG"]
    assert cells(hbsag, "<0.05", "IU/mL") == {
        "HBSAG": "<0.05",
        "HBSAG_UNIT": "IU/mL",
        "HBSAG_FLAG": "<",
        "HBSAG_BOUND": "0.05",
    }
    assert cells(hbsag, ">1.7E+08", None)["HBSAG_BOUND"] == "170000000"
    assert cells(hbsag, "target not detected", None)["HBSAG_FLAG"] == "ND"
    assert cells(hbsag, "12.5", "IU/mL")["HBSAG_NUM"] == "12.5"
    assert "HBSAG_NUM" not in cells(hbsag, "twelve", None)


def test_a_form_beyond_the_studys_list_is_exported_not_dropped() -> None:
    qlq = FormRecord(
        "SE.W12", 1, "F.QLQC30", "draft", (ValueRow("IG.QLQ_ITEMS", 1, "I.QLQ01", "2", None),)
    )
    out = io.BytesIO()
    write_tables(out, INFO, DEFINITIONS, [SubjectRecord("NB02-0001", {}, (qlq,))])
    with zipfile.ZipFile(out) as z:
        rows = list(csv.DictReader(io.StringIO(z.read("forms/F.QLQC30.csv").decode())))
        assert "forms/F.LAB_LIVER.csv" in z.namelist()  # the study's forms, even empty
    assert rows[0]["QLQ01"] == "2"
