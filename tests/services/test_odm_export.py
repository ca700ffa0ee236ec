"""ODM 1.3.2 exports of a site: both file types validate against the bundled schema, every OID
they reference is defined, the values are those entered, the Transactional file's audit chain
verifies from the file alone and names the first altered, removed or moved record, and every
export is itself an audit entry."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from desktop_crf.errors import PermissionDenied
from desktop_crf.services.odm_export import EXPORT_ACTION, export_odm
from desktop_crf.services.session import Session
from desktop_crf.store import exports as store
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import trail
from odm.entries import ROW_FIELDS
from odm.names import CRF_NS, ODM_NS
from odm.references import check_references
from odm.schema import problems
from odm.verify import verify_file
from tests.helpers.exported import SUBJECT, SUBJECTS, make_export_site
from tests.helpers.sites import copy_site, login

NS = {"odm": ODM_NS, "crf": CRF_NS}


@pytest.fixture(scope="module")
def export_template(
    site_template: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return make_export_site(site_template[0], tmp_path_factory.mktemp("exports") / "site")


@pytest.fixture
def monitor(export_template: Path, tmp_path: Path) -> Iterator[Session]:
    session = login(copy_site(export_template, tmp_path / "site"), "monitor")
    yield session
    session.close()


@pytest.fixture(scope="module")
def transactional(export_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Transactional file of the whole site, written once; tests tamper with copies."""
    folder = tmp_path_factory.mktemp("odm")
    session = login(copy_site(export_template, folder / "site"), "investigator")
    try:
        export_odm(session, folder / "site.xml", transactional=True)
    finally:
        session.close()
    return folder / "site.xml"


@pytest.mark.parametrize("transactional_file", [False, True], ids=["snapshot", "transactional"])
def test_both_file_types_validate_and_define_every_oid_they_reference(
    monitor: Session, tmp_path: Path, transactional_file: bool
) -> None:
    out = tmp_path / "export.xml"
    export_odm(monitor, out, transactional=transactional_file)
    assert problems(etree.parse(str(out))) == []
    assert check_references(out) == []


def test_the_snapshot_holds_every_value_as_entered(monitor: Session, tmp_path: Path) -> None:
    out = tmp_path / "snapshot.xml"
    result = export_odm(monitor, out)
    assert result.count == SUBJECTS
    tree = etree.parse(str(out))
    found = {}
    for item in tree.iterfind(".//odm:ItemData", NS):
        group = item.getparent()
        form = group.getparent()
        event = form.getparent()
        subject = event.getparent()
        unit = item.find("odm:MeasurementUnitRef", NS)
        key = (
            subject.get("SubjectKey"),
            event.get("StudyEventOID"),
            int(event.get("StudyEventRepeatKey")),
            form.get("FormOID"),
            group.get("ItemGroupOID"),
            int(group.get("ItemGroupRepeatKey")),
            item.get("ItemOID"),
        )
        found[key] = (
            item.get("Value"),
            unit.get("MeasurementUnitOID") if unit is not None else None,
        )
    stored = {}
    subjects = [row["subject_id"] for row in repo.list_subjects(monitor.db)]
    assert len(subjects) == SUBJECTS
    for subject in subjects:
        for row in repo.subject_values(monitor.db, subject):
            event, rep, form, group, grep, item, value, unit = row[:8]
            if value is not None:
                stored[(subject, event, rep, form, group, grep, item)] = (
                    value,
                    f"MU.{unit}" if unit else None,
                )
    assert found == stored
    hbsag = found[(SUBJECT, "SE.W0", 1, "F.LAB_VIROLOGY", "IG.HBSAG", 1, "I.HBSAG")]
    assert hbsag == ("<0.05", "MU.IU/mL")


def test_the_snapshot_carries_the_signature_bound_to_the_content_hash(
    monitor: Session, tmp_path: Path
) -> None:
    out = tmp_path / "snapshot.xml"
    export_odm(monitor, out)
    tree = etree.parse(str(out))
    form = tree.find(
        f".//odm:SubjectData[@SubjectKey='{SUBJECT}']/odm:StudyEventData[@StudyEventOID='SE.W0']"
        "/odm:FormData[@FormOID='F.LAB_VIROLOGY']",
        NS,
    )
    assert form is not None
    signature = form.find("odm:Signature", NS)
    assert signature is not None
    assert signature.find("odm:UserRef", NS).get("UserOID") == "USR.investigator"
    stored = repo.latest_signature(monitor.db, _key())
    assert stored is not None
    assert signature.findtext("odm:CryptoBindingManifest", namespaces=NS) == stored["content_hash"]


def _key():  # type: ignore[no-untyped-def]
    from desktop_crf.model import FormKey

    return FormKey(SUBJECT, "SE.W0", "F.LAB_VIROLOGY")


def test_the_transactional_file_verifies_and_holds_every_entry(transactional: Path) -> None:
    report = verify_file(transactional)
    assert report.ok, str(report)
    assert report.complete
    tree = etree.parse(str(transactional))
    changes = tree.findall(".//odm:ItemData", NS)
    updates = [i for i in changes if i.get("TransactionType") == "Update"]
    assert {i.get("Value") for i in updates} >= {"<0.05", ">500"}
    record = updates[0].find("odm:AuditRecord", NS)
    assert record.findtext("odm:ReasonForChange", namespaces=NS) == "report re-read"
    assert ":" in record.findtext("odm:SourceID", namespaces=NS)
    signature = tree.find(".//odm:FormData/odm:Signature", NS)
    assert signature is not None
    assert len(signature.findtext("odm:CryptoBindingManifest", namespaces=NS)) == 64
    monitor_records = tree.findall(".//odm:AuditRecord[@EditPoint='Monitoring']", NS)
    assert monitor_records, "the monitor's query is a Monitoring edit point"


def _tampered(original: Path, tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    tree = etree.parse(str(original))
    change(tree)
    out = tmp_path / "tampered.xml"
    tree.write(str(out), xml_declaration=True, encoding="utf-8")
    return out


def _value_changes(tree: etree._ElementTree) -> list[etree._Element]:
    return tree.findall(".//odm:ItemData", NS)


def test_verify_names_a_record_whose_value_was_altered(transactional: Path, tmp_path: Path) -> None:
    def alter(tree: etree._ElementTree) -> None:
        _value_changes(tree)[40].set("Value", "999")

    report = verify_file(_tampered(transactional, tmp_path, alter))
    assert not report.ok
    assert "content does not match its hash" in report.problem.reason
    target = etree.parse(str(transactional)).findall(".//odm:ItemData", NS)[40]
    assert report.problem.entry == target.findtext("odm:AuditRecord/odm:SourceID", namespaces=NS)


def test_verify_names_the_record_after_one_that_was_removed(
    transactional: Path, tmp_path: Path
) -> None:
    def remove(tree: etree._ElementTree) -> None:
        item = _value_changes(tree)[40]
        item.getparent().remove(item)

    report = verify_file(_tampered(transactional, tmp_path, remove))
    assert not report.ok
    assert "missing before it" in report.problem.reason
    source = etree.parse(str(transactional)).findall(".//odm:ItemData", NS)[40]
    device, seq = source.findtext("odm:AuditRecord/odm:SourceID", namespaces=NS).rsplit(":", 1)
    assert f"expected {device}#{seq}" in report.problem.reason


def test_verify_finds_two_records_swapped(transactional: Path, tmp_path: Path) -> None:
    def swap(tree: etree._ElementTree) -> None:
        first, second = _value_changes(tree)[40:42]
        second.addnext(etree.Element("placeholder"))
        first.addnext(second)
        placeholder = first.getparent().find("placeholder")
        placeholder.addnext(first) if placeholder is not None else None
        if placeholder is not None:
            placeholder.getparent().remove(placeholder)

    tampered = _tampered(transactional, tmp_path, swap)
    report = verify_file(tampered)
    assert not report.ok
    assert "missing before it" in report.problem.reason or "out of order" in report.problem.reason


def test_verify_finds_a_record_removed_from_the_end(transactional: Path, tmp_path: Path) -> None:
    def drop_last(tree: etree._ElementTree) -> None:
        last = tree.findall(".//odm:AuditRecord", NS)[-1]
        holder = last.getparent()
        if etree.QName(holder).localname == "AuditRecords":
            holder.remove(last)
        else:
            holder.getparent().remove(holder)

    report = verify_file(_tampered(transactional, tmp_path, drop_last))
    assert not report.ok
    assert "chain head" in report.problem.reason


def test_verify_finds_a_signature_that_no_longer_says_what_was_signed(
    transactional: Path, tmp_path: Path
) -> None:
    def forge(tree: etree._ElementTree) -> None:
        manifest = tree.find(".//odm:Signature/odm:CryptoBindingManifest", NS)
        manifest.text = "0" * 64

    report = verify_file(_tampered(transactional, tmp_path, forge))
    assert not report.ok
    assert "content_hash" in report.problem.reason


def test_a_file_that_breaks_the_schema_is_named_with_its_line(
    transactional: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.xml"
    shutil.copy(transactional, broken)
    text = broken.read_text(encoding="utf-8").replace('DataType="integer"', 'DataType="number"', 1)
    broken.write_text(text, encoding="utf-8")
    report = verify_file(broken)
    assert not report.ok
    assert "not valid ODM" in report.problem.reason
    assert report.problem.line > 0


def test_every_export_is_an_audit_entry_naming_the_file_and_its_hash(
    monitor: Session, tmp_path: Path
) -> None:
    out = tmp_path / "site-tx.xml"
    result = export_odm(monitor, out, transactional=True)
    entry = trail(monitor.db, user="monitor")[-1]
    assert entry["action"] == EXPORT_ACTION
    detail = json.loads(entry["detail"])
    assert detail["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest() == result.sha256
    assert detail["format"] == "odm-transactional"
    assert detail["file"] == "site-tx.xml"
    assert detail["chain_heads"]


def test_one_subjects_transactional_file_verifies_as_partial(
    monitor: Session, tmp_path: Path
) -> None:
    out = tmp_path / "one.xml"
    export_odm(monitor, out, transactional=True, subject=SUBJECT)
    report = verify_file(out)
    assert report.ok, str(report)
    assert not report.complete
    assert check_references(out) == []
    keys = {e.get("SubjectKey") for e in etree.parse(str(out)).iterfind(".//odm:SubjectData", NS)}
    assert keys == {SUBJECT}


@pytest.mark.parametrize("role", ["admin", "nurse"])
def test_only_investigators_and_monitors_export(
    export_template: Path, tmp_path: Path, role: str
) -> None:
    session = login(copy_site(export_template, tmp_path / "site"), role)
    try:
        with pytest.raises(PermissionDenied):
            export_odm(session, tmp_path / "no.xml")
    finally:
        session.close()
    assert not (tmp_path / "no.xml").exists()


@pytest.mark.parametrize("subject", [None, SUBJECT], ids=["site", "subject"])
def test_the_trail_names_every_user_unit_and_signature_meaning_once(
    monitor: Session, subject: str | None
) -> None:
    db = monitor.db
    entries = trail(db, subject=subject, limit=1_000_000)
    of = "" if subject is None else " WHERE subject_id = ?"
    params: list[str] = [] if subject is None else [subject]
    stored_units = [r[0] for r in db.execute(f"SELECT unit FROM item_values{of}", params)]
    stored_meanings = [r[0] for r in db.execute(f"SELECT meaning FROM signatures{of}", params)]
    signing = [json.loads(e["detail"])["meaning"] for e in entries if e["action"] == "form.sign"]

    named = store.trail_names(db, subject)

    assert named.users == sorted({e["user"] for e in entries})
    assert named.units == sorted({u for u in [*stored_units, *(e["unit"] for e in entries)] if u})
    assert named.meanings == sorted({m for m in [*stored_meanings, *signing] if m})
    assert named.units  # the export site has both
    assert named.meanings


def test_the_writer_takes_entries_as_the_store_reads_them() -> None:
    assert store.COLUMNS == ROW_FIELDS
