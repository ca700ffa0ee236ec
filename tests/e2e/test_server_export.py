"""The whole study from the server: two real encrypted sites sync to a real server on
127.0.0.1, and ``crf-server export`` writes every site's subjects, as ODM 1.3.2 that validates
and defines every OID it references, and as the analysis zip, with the same values, form
statuses and signatures as each site's own export; on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from desktop_crf.model import FormKey
from desktop_crf.services import signatures
from desktop_crf.services import sync as sync_service
from desktop_crf.services.csv_export import export_csv
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.demo import fill_subjects
from desktop_crf.services.odm_export import export_odm
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject
from desktop_crf.store import repository as repo
from odm.names import ODM_NS
from odm.references import check_references
from odm.schema import problems
from odm.verify import verify_file
from sync.server.app import create_app
from sync.server.cli import main as server_main
from sync.server.db import Database
from sync.server.exports import NothingToExport, export_study
from sync.server.settings import ServerSettings
from tests.helpers.enrolled import FAST, enrolled_session
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import PASSWORDS, login
from tests.sync.servers import ThreadServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
TODAY = date(2026, 11, 22)
SITES = ("NB01", "NB02")
STUDY = "NCT07553767"
NS = {"odm": ODM_NS}


def _synced_sites(database: Database, base: Path) -> dict[str, tuple[Path, Path]]:
    """NB01 with the demo's subjects and courses, NB02 with two subjects screened there (ids
    of the site, as a real site assigns them); at both a value below quantification and a
    signed visit; all synced. Each site's own Snapshot and CSV, by site code."""
    settings = ServerSettings(data_dir=base / "server", admin_token="admin-secret")
    own: dict[str, tuple[Path, Path]] = {}
    with ThreadServer(create_app(settings, db=database)) as live:
        for code in SITES:
            nurse = enrolled_session(base / code, live.url, database, site=code)
            try:
                if code == "NB01":
                    fill_subjects(nurse, 3, today=TODAY, progress=lambda _line: None)
                    first = _with_first_visit(nurse)
                else:
                    first = _screened(nurse)
                save_confirmed(
                    nurse,
                    FormKey(first, "SE.W0", "F.LAB_VIROLOGY"),
                    [ItemInput("IG.HBSAG", "I.HBSAG", "<0.05", "IU/mL", reason="report re-read")],
                )
                sync_service.sync_now(nurse, retry=FAST)
            finally:
                nurse.close()
            investigator = login(base / code, "investigator")
            try:
                signatures.sign_visit(investigator, first, "SE.W0", 1, PASSWORDS["investigator"])
                sync_service.sync_now(investigator, retry=FAST)
                assert sync_service.sync_status(investigator).pending == 0
                snapshot, tables = base / f"{code}.xml", base / f"{code}.zip"
                export_odm(investigator, snapshot)
                export_odm(investigator, base / f"{code}-transactional.xml", transactional=True)
                export_csv(investigator, tables)
                own[code] = (snapshot, tables)
            finally:
                investigator.close()
    return own


def _screened(nurse: Session) -> str:
    """Two subjects screened at the site, the first with its baseline visit's date and
    virology; return the first."""
    first = ""
    for day in ("2026-10-01", "2026-10-08"):
        subject = screen_subject(nurse, study_version="1.0", screened_on=day).subject_id
        assert subject is not None
        first = first or subject
    save_form(
        nurse,
        FormKey(first, "SE.W0", "F.VISIT"),
        [
            ItemInput("IG.VISIT", "I.VISIT_DONE", "Y"),
            ItemInput("IG.VISIT", "I.VISIT_DATE", "2026-10-15"),
        ],
    )
    save_form(
        nurse,
        FormKey(first, "SE.W0", "F.LAB_VIROLOGY"),
        [ItemInput("IG.HBV_DNA", "I.HBV_DNA", ">500", "IU/mL")],
    )
    return first


def _with_first_visit(session: Session) -> str:
    """The first subject who had the baseline visit (the demo screens some who did not)."""
    for subject in repo.list_subjects(session.db):
        rows = repo.subject_values(session.db, subject["subject_id"])
        if any(row[0] == "SE.W0" for row in rows):
            return str(subject["subject_id"])
    raise AssertionError("no demo subject had the baseline visit")


def _values(path: Path) -> dict[tuple[Any, ...], tuple[str | None, str | None]]:
    found = {}
    for item in etree.parse(str(path)).iterfind(".//odm:ItemData", NS):
        group = item.getparent()
        form = group.getparent()
        event = form.getparent()
        subject = event.getparent()
        unit = item.find("odm:MeasurementUnitRef", NS)
        key = (
            subject.get("SubjectKey"),
            event.get("StudyEventOID"),
            event.get("StudyEventRepeatKey"),
            form.get("FormOID"),
            group.get("ItemGroupOID"),
            group.get("ItemGroupRepeatKey"),
            item.get("ItemOID"),
        )
        found[key] = (item.get("Value"), None if unit is None else unit.get("MeasurementUnitOID"))
    return found


def _forms(path: Path) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Each form's status and signature (who, meaning, when, content hash)."""
    found = {}
    for form in etree.parse(str(path)).iterfind(".//odm:FormData", NS):
        event = form.getparent()
        subject = event.getparent()
        signature = form.find("odm:Signature", NS)
        signed = (
            None
            if signature is None
            else (
                signature.find("odm:UserRef", NS).get("UserOID"),
                signature.find("odm:SignatureRef", NS).get("SignatureOID"),
                signature.findtext("odm:DateTimeStamp", namespaces=NS),
                signature.findtext("odm:CryptoBindingManifest", namespaces=NS),
            )
        )
        key = (
            subject.get("SubjectKey"),
            event.get("StudyEventOID"),
            event.get("StudyEventRepeatKey"),
            form.get("FormOID"),
        )
        found[key] = (form.get("{urn:x-desktop-crf:odm:1}Status"), signed)
    return found


def _rows(archive: Path) -> dict[str, Counter[tuple[str, ...]]]:
    """Every CSV of the zip as a multiset of rows (the dictionary and scripts left out)."""
    found = {}
    with zipfile.ZipFile(archive) as opened:
        for name in opened.namelist():
            if name.startswith("forms/") or name == "subjects.csv":
                text = opened.read(name).decode("utf-8-sig")
                found[name] = Counter(tuple(r) for r in csv.reader(io.StringIO(text)))
    return found


def test_the_server_exports_every_sites_subjects_as_each_site_exports_them(
    database: Database, tmp_path: Path
) -> None:
    own = _synced_sites(database, tmp_path)
    out = tmp_path / "study.xml"
    done = export_study(database, STUDY, out)
    assert done.sites == tuple(SITES)
    assert done.subjects == sum(len(_subject_keys(x)) for x, _zip in own.values())
    tree = etree.parse(str(out))
    assert problems(tree) == []
    assert check_references(out) == []
    by_site = {
        s.get("SubjectKey"): s.find("odm:SiteRef", NS).get("LocationOID")
        for s in tree.iterfind(".//odm:SubjectData", NS)
    }
    for code, (snapshot, _tables) in own.items():
        assert _subject_keys(snapshot) <= set(by_site)
        assert {by_site[s] for s in _subject_keys(snapshot)} == {f"LOC.{code}"}
    server_values, server_forms = _values(out), _forms(out)
    site_values: dict[tuple[Any, ...], tuple[str | None, str | None]] = {}
    site_forms: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for snapshot, _tables in own.values():
        site_values |= _values(snapshot)
        site_forms |= _forms(snapshot)
    assert server_values == site_values
    below = [k for k, v in server_values.items() if k[-1] == "I.HBSAG" and v[0] == "<0.05"]
    assert {by_site[k[0]] for k in below} == {f"LOC.{code}" for code in SITES}
    assert {server_values[k] for k in below} == {("<0.05", "MU.IU/mL")}
    signed = {k: v for k, v in site_forms.items() if v[1] is not None}
    assert signed  # both sites signed a visit
    assert {k: server_forms[k] for k in signed} == signed
    assert {k: v[0] for k, v in server_forms.items()} == {k: v[0] for k, v in site_forms.items()}

    zipped = tmp_path / "study.zip"
    export_study(database, STUDY, zipped, kind="csv")
    server_rows = _rows(zipped)
    site_rows: dict[str, Counter[tuple[str, ...]]] = {}
    for _snapshot, tables in own.values():
        for name, rows in _rows(tables).items():
            site_rows.setdefault(name, Counter()).update(rows)
    for name, rows in server_rows.items():
        # each site's file has its own header row: the server's has one
        header = next(r for r in rows if r and r[0] == "SUBJECT_ID")
        expected = site_rows[name].copy()
        expected[header] = 1
        assert rows == expected, name
    assert set(server_rows) == set(site_rows)
    sites_of = {r[0]: r[1] for r in server_rows["subjects.csv"] if r[0] != "SUBJECT_ID"}
    assert set(sites_of.values()) == set(SITES)
    with database.transaction() as tx:
        recorded = tx.all("SELECT study, format, file, sha256, subjects FROM exports ORDER BY id")
    assert [tuple(r) for r in recorded] == [
        (STUDY, "odm", "study.xml", done.sha256, done.subjects),
        (STUDY, "csv", "study.zip", recorded[1][3], done.subjects),
    ]
    with pytest.raises(Exception, match="append-only"), database.transaction() as tx:
        tx.execute("DELETE FROM exports")
    with pytest.raises(NothingToExport, match="no site of study PEG-HCC-RECUR-3Y"):
        export_study(database, "PEG-HCC-RECUR-3Y", tmp_path / "none.xml")
    assert not (tmp_path / "none.xml").exists()


def _changes(path: Path) -> dict[str, tuple[Any, ...]]:
    """Each value change by its source (device:seq): where, how, the value, the reason, and
    the site its AuditRecord names."""
    found = {}
    for item in etree.parse(str(path)).iterfind(".//odm:ItemData[odm:AuditRecord]", NS):
        record = item.find("odm:AuditRecord", NS)
        found[record.findtext("odm:SourceID", namespaces=NS)] = (
            item.getparent().getparent().getparent().getparent().get("SubjectKey"),
            item.get("ItemOID"),
            item.get("TransactionType"),
            item.get("Value"),
            record.findtext("odm:ReasonForChange", namespaces=NS),
            record.find("odm:LocationRef", NS).get("LocationOID"),
        )
    return found


def test_the_server_exports_every_change_of_every_site_as_a_file_anyone_can_verify(
    database: Database, tmp_path: Path
) -> None:
    _synced_sites(database, tmp_path)
    out = tmp_path / "study-transactional.xml"
    done = export_study(database, STUDY, out, kind="odm-transactional")
    assert done.sites == tuple(SITES)
    assert problems(etree.parse(str(out))) == []
    assert check_references(out) == []
    report = verify_file(out)
    assert report.ok, str(report)
    with database.transaction() as tx:
        uploaded = int(tx.all("SELECT count(*) FROM feed WHERE kind = 'entry'")[0][0])
    assert done.entries == uploaded  # every entry the sites uploaded, once
    server = _changes(out)
    for code in SITES:  # each site's changes as the site's own file has them, at its site
        own = _changes(tmp_path / f"{code}-transactional.xml")
        assert own
        for source, change in own.items():
            assert server[source][:5] == change[:5], source
            assert server[source][5] == f"LOC.{code}"
    assert "report re-read" in {change[4] for change in server.values()}
    with database.transaction() as tx:
        formats = [r[0] for r in tx.all("SELECT format FROM exports ORDER BY id")]
    assert formats == ["odm-transactional"]


def _subject_keys(snapshot: Path) -> set[str]:
    return {
        s.get("SubjectKey") for s in etree.parse(str(snapshot)).iterfind(".//odm:SubjectData", NS)
    }


def test_the_command_writes_the_study_and_says_what_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sync.server.db import SqliteDatabase

    data = tmp_path / "server"
    db = SqliteDatabase(data / "server.sqlite3")
    try:
        own = _synced_sites(db, tmp_path)
    finally:
        db.close()
    out = tmp_path / "study.xml"
    args = ["export", "odm", "--data", str(data), "--study", STUDY, "--out", str(out)]
    assert server_main(args) == 0
    said = capsys.readouterr().out
    assert "subjects of 2 sites (NB01, NB02)" in said
    assert "SHA-256" in said
    assert _values(out) == _values(own["NB01"][0]) | _values(own["NB02"][0])
    transactional = tmp_path / "study-tx.xml"
    assert server_main([*args[:-1], str(transactional), "--transactional"]) == 0
    assert "audit entries" in capsys.readouterr().out
    assert verify_file(transactional).ok
    assert (
        server_main(["export", "csv", *args[2:-1], str(tmp_path / "x.zip"), "--transactional"]) == 2
    )
    assert "--transactional is a kind of ODM file" in capsys.readouterr().err
    assert server_main(["export", "csv", *args[2:-1], str(tmp_path / "study.zip")]) == 0
    assert zipfile.is_zipfile(tmp_path / "study.zip")
    nowhere = ["export", "odm", "--data", str(tmp_path / "none"), "--study", STUDY]
    assert server_main([*nowhere, "--out", str(out)]) == 2
    assert "no server data" in capsys.readouterr().err
    assert server_main([*args[:4], "--study", "NOPE", "--out", str(out)]) == 2
    assert "no study NOPE" in capsys.readouterr().err


def test_one_subject_id_at_two_sites_is_refused_with_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sync.server.db import SqliteDatabase

    data = tmp_path / "server"
    db = SqliteDatabase(data / "server.sqlite3")
    settings = ServerSettings(data_dir=data, admin_token="admin-secret")
    try:
        with ThreadServer(create_app(settings, db=db)) as live:
            for code in SITES:  # two demonstration sites: both number their subjects DEMO-…
                nurse = enrolled_session(tmp_path / code, live.url, db, site=code)
                try:
                    fill_subjects(nurse, 1, today=TODAY, progress=lambda _line: None)
                    sync_service.sync_now(nurse, retry=FAST)
                finally:
                    nurse.close()
    finally:
        db.close()
    out = tmp_path / "study.xml"
    args = ["export", "odm", "--data", str(data), "--study", STUDY, "--out", str(out)]
    assert server_main(args) == 1
    said = capsys.readouterr().err
    assert "subject DEMO-001 is enrolled at 2 sites (NB01, NB02)" in said
    assert "nothing was exported" in said
    assert not out.exists()
    assert not list(tmp_path.glob(".study.*"))
