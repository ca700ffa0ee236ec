"""A file of the whole study: subjects of several sites, each naming its site, a user who works
at two sites, signatures located at the signer's site; it validates and every OID it references
is defined (a site nobody defined is found). And a subject's forms are built the same way
whatever storage they are read from."""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree

from odm.model import AdminInfo, SignatureInfo, SubjectRecord, UserInfo, ValueRow, form_records
from odm.references import check_references
from odm.schema import problems
from odm.snapshot import write_snapshot
from odm.tabular import write_tables
from tests.odm.test_generated import DEFINITIONS, INFO, MEANINGS, NS

SIGNED = SignatureInfo("investigator", "2026-10-02T08:00:00Z", MEANINGS[0], "ab" * 32)


def subject(subject_id: str, site: str) -> SubjectRecord:
    values = [
        ("SE.W0", 1, "F.LAB_VIROLOGY", "IG.HBSAG", 1, "I.HBSAG", "<0.05", "IU/mL"),
        ("SE.W0", 1, "F.VISIT", "IG.VISIT", 1, "I.VISIT_DATE", "2026-10-01", None),
    ]
    forms = form_records(
        values,
        [("SE.W0", 1, "F.VISIT", "complete")],
        {("SE.W0", 1, "F.LAB_VIROLOGY"): SIGNED},
    )
    return SubjectRecord(subject_id, {"status": "enrolled"}, forms, site=site)


def admin(*sites: str) -> AdminInfo:
    return AdminInfo(
        site_code=sites[0],
        site_name=f"Site {sites[0]}",
        users=(UserInfo("investigator", "Dr Fu", "investigator", sites=sites),),
        signature_meanings=MEANINGS,
        units=("IU/mL",),
        other_sites=tuple((code, f"Site {code}") for code in sites[1:]),
    )


def written(path: Path, admin_info: AdminInfo, subjects: list[SubjectRecord]) -> Path:
    buffer = io.BytesIO()
    write_snapshot(buffer, INFO, DEFINITIONS, admin_info, subjects)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_study_wide_snapshot_names_each_subjects_site_and_validates(tmp_path: Path) -> None:
    subjects = [subject("NB01-0001", "NB01"), subject("NB02-0001", "NB02")]
    out = written(tmp_path / "study.xml", admin("NB01", "NB02"), subjects)
    tree = etree.parse(str(out))
    assert problems(tree) == []
    assert check_references(out) == []
    located = {
        s.get("SubjectKey"): (
            s.find("odm:SiteRef", NS).get("LocationOID"),
            s.find(".//odm:Signature/odm:LocationRef", NS).get("LocationOID"),
        )
        for s in tree.iterfind(".//odm:SubjectData", NS)
    }
    assert located == {"NB01-0001": ("LOC.NB01", "LOC.NB01"), "NB02-0001": ("LOC.NB02", "LOC.NB02")}
    user = tree.find(".//odm:User", NS)
    assert [r.get("LocationOID") for r in user.iterfind("odm:LocationRef", NS)] == [
        "LOC.NB01",
        "LOC.NB02",
    ]
    assert len(tree.findall(".//odm:Location", NS)) == 2


def test_a_subject_at_a_site_the_file_does_not_define_is_found(tmp_path: Path) -> None:
    out = written(tmp_path / "study.xml", admin("NB01"), [subject("NB09-0001", "NB09")])
    assert any("LOC.NB09" in problem for problem in check_references(out))


def test_the_analysis_zip_names_each_subjects_site(tmp_path: Path) -> None:
    import csv
    import zipfile

    buffer = io.BytesIO()
    write_tables(buffer, INFO, DEFINITIONS, [subject("NB01-0001", "NB01")])
    with zipfile.ZipFile(buffer) as archive:
        text = archive.read("subjects.csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["SUBJECT_ID"], r["SITE"]) for r in rows] == [("NB01-0001", "NB01")]


def test_a_form_holding_values_is_listed_without_a_status_and_keeps_its_signature() -> None:
    forms = {
        f.form: f
        for f in form_records(
            [("SE.W0", 1, "F.LAB_VIROLOGY", "IG.HBSAG", 1, "I.HBSAG", "12", "IU/mL")],
            [("SE.W0", 1, "F.VISIT", "draft")],
            {("SE.W0", 1, "F.LAB_VIROLOGY"): SIGNED},
        )
    }
    assert forms["F.VISIT"].status == "draft"
    assert forms["F.VISIT"].values == ()
    assert forms["F.LAB_VIROLOGY"].status is None
    assert forms["F.LAB_VIROLOGY"].values == (ValueRow("IG.HBSAG", 1, "I.HBSAG", "12", "IU/mL"),)
    assert forms["F.LAB_VIROLOGY"].signature == SIGNED
