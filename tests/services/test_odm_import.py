"""Importing an ODM 1.3.2 file into an empty site: a Snapshot gives back the same values, a
Transactional file the same history with its reasons for change; a file that breaks the schema,
does not verify or is of another version is refused with its line and nothing is written; a
site that holds subjects is refused; only an admin imports."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from desktop_crf.errors import PermissionDenied
from desktop_crf.model import FormKey
from desktop_crf.services.odm_export import export_odm
from desktop_crf.services.odm_import import (
    IMPORT_ACTION,
    ImportCancelled,
    OdmFileRefused,
    SiteNotEmpty,
    import_odm,
)
from desktop_crf.services.session import Session
from desktop_crf.services.site import verify_audit
from desktop_crf.store.audit import COLUMNS, trail
from desktop_crf.store.repository import content_hash, form_values, latest_signature
from odm.names import CRF_NS, ODM_NS
from odm.verify import verify_file
from sync.rules import entry_refusal
from tests.helpers.exported import SUBJECT, SUBJECTS, make_export_site
from tests.helpers.sites import copy_site, login

NS = {"odm": ODM_NS, "crf": CRF_NS}


@pytest.fixture(scope="module")
def exports(
    site_template: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """The export site's Snapshot and Transactional files, written once."""
    folder = tmp_path_factory.mktemp("odm-import")
    site = make_export_site(site_template[0], folder / "site")
    session = login(site, "investigator")
    try:
        export_odm(session, folder / "snapshot.xml")
        export_odm(session, folder / "transactional.xml", transactional=True)
    finally:
        session.close()
    return {
        "site": site,
        "snapshot": folder / "snapshot.xml",
        "transactional": folder / "transactional.xml",
    }


@pytest.fixture
def admin(site_template: tuple[Path, str], tmp_path: Path) -> Iterator[Session]:
    """The admin of a new site of the same study with no subjects."""
    session = login(copy_site(site_template[0], tmp_path / "empty"), "admin")
    yield session
    session.close()


def _export_again(admin: Session, out: Path, *, transactional: bool) -> Path:
    investigator = login(admin.root, "investigator")
    try:
        export_odm(investigator, out, transactional=transactional)
    finally:
        investigator.close()
    return out


def _place(item: etree._Element) -> tuple[Any, ...]:
    group = item.getparent()
    form = group.getparent()
    event = form.getparent()
    subject = event.getparent()
    return (
        subject.get("SubjectKey"),
        event.get("StudyEventOID"),
        event.get("StudyEventRepeatKey"),
        form.get("FormOID"),
        group.get("ItemGroupOID"),
        group.get("ItemGroupRepeatKey"),
        item.get("ItemOID"),
    )


def _unit(item: etree._Element) -> str | None:
    ref = item.find("odm:MeasurementUnitRef", NS)
    return None if ref is None else ref.get("MeasurementUnitOID")


def _snapshot_values(path: Path) -> dict[tuple[Any, ...], tuple[str | None, str | None]]:
    tree = etree.parse(str(path))
    return {
        _place(item): (item.get("Value"), _unit(item))
        for item in tree.iterfind(".//odm:ClinicalData//odm:ItemData", NS)
    }


def _forms(path: Path) -> dict[tuple[Any, ...], str | None]:
    tree = etree.parse(str(path))
    return {
        (
            form.getparent().getparent().get("SubjectKey"),
            form.getparent().get("StudyEventOID"),
            form.get("FormOID"),
        ): form.get(f"{{{CRF_NS}}}Status")
        for form in tree.iterfind(".//odm:SubjectData/odm:StudyEventData/odm:FormData", NS)
    }


def _history(path: Path) -> dict[tuple[Any, ...], list[tuple[Any, ...]]]:
    """Each item's changes in file order: value, unit, reason for change."""
    found: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for item in etree.parse(str(path)).iterfind(".//odm:ItemData", NS):
        record = item.find("odm:AuditRecord", NS)
        found.setdefault(_place(item), []).append(
            (
                item.get("TransactionType"),
                item.get("Value"),
                _unit(item),
                record.findtext("odm:ReasonForChange", namespaces=NS),
            )
        )
    return found


def _written(session: Session) -> tuple[int, int, int]:
    db = session.db
    return tuple(  # type: ignore[return-value]
        int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        for table in ("subjects", "item_values", "audit")
    )


def test_a_snapshot_imported_gives_back_the_same_values(
    exports: dict[str, Path], admin: Session, tmp_path: Path
) -> None:
    result = import_odm(admin, exports["snapshot"])
    assert result.subjects == SUBJECTS
    again = _export_again(admin, tmp_path / "again.xml", transactional=False)
    original = _snapshot_values(exports["snapshot"])
    assert original, "the export site holds values"
    assert _snapshot_values(again) == original
    assert _forms(again) == _forms(exports["snapshot"])
    assert verify_audit(admin).ok


def test_a_transactional_file_imported_gives_back_the_same_history_with_reasons(
    exports: dict[str, Path], admin: Session, tmp_path: Path
) -> None:
    result = import_odm(admin, exports["transactional"])
    assert result.subjects == SUBJECTS
    again = _export_again(admin, tmp_path / "again.xml", transactional=True)
    original = _history(exports["transactional"])
    reasons = {change[3] for changes in original.values() for change in changes}
    assert "report re-read" in reasons
    assert _history(again) == original
    assert verify_file(again).ok
    assert verify_audit(admin).ok  # every replayed entry signed by the admin who imported
    # the current values and signatures follow from the history
    snapshot = _export_again(admin, tmp_path / "snapshot.xml", transactional=False)
    assert _snapshot_values(snapshot) == _snapshot_values(exports["snapshot"])
    signature = etree.parse(str(snapshot)).find(".//odm:Signature", NS)
    assert signature is not None


@pytest.mark.parametrize("kind", ["snapshot", "transactional"])
def test_the_import_is_an_audit_entry_and_each_entry_says_it_was_imported(
    exports: dict[str, Path], admin: Session, kind: str
) -> None:
    source = exports[kind]
    import_odm(admin, source)
    entries = trail(admin.db, limit=100_000)
    imports = [e for e in entries if e["action"] == IMPORT_ACTION]
    assert len(imports) == 1
    detail = json.loads(imports[0]["detail"])
    assert detail["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert detail["file"] == source.name
    assert imports[0]["user"] == "admin"
    replayed = [e for e in entries if e["seq"] > imports[0]["seq"]]
    assert replayed
    for entry in replayed:
        assert entry["user"] == "admin"
        assert json.loads(entry["detail"])["imported"]["file_oid"] == detail["file_oid"]
    if kind == "transactional":  # who made each change, in what role, is kept
        authors = {json.loads(e["detail"])["imported"]["user"] for e in replayed}
        assert {"nurse", "investigator"} <= authors
    rows = admin.db.execute(f"SELECT {', '.join(COLUMNS)} FROM audit").fetchall()
    for row in rows:  # the server's rules accept every entry written
        assert entry_refusal(dict(zip(COLUMNS, row, strict=True))) is None


def _line_of(text: str, needle: str, occurrence: int = -1) -> int:
    positions = []
    start = text.find(needle)
    while start != -1:
        positions.append(start)
        start = text.find(needle, start + 1)
    return text.count("\n", 0, positions[occurrence]) + 1


def test_a_file_that_breaks_the_schema_is_refused_naming_its_line_and_nothing_is_written(
    exports: dict[str, Path], admin: Session, tmp_path: Path
) -> None:
    text = exports["transactional"].read_text(encoding="utf-8")
    needle = 'TransactionType="Update"'
    line = _line_of(text, needle)  # the last change of the file: found while streaming
    head, _, tail = text.rpartition(needle)
    broken = tmp_path / "broken.xml"
    broken.write_text(head + 'TransactionType="Change"' + tail, encoding="utf-8")
    before = _written(admin)
    with pytest.raises(OdmFileRefused) as refused:
        import_odm(admin, broken)
    assert refused.value.line == line
    assert "TransactionType" in str(refused.value)
    assert f"line {line}" in str(refused.value)
    assert "Nothing was written" in str(refused.value)
    assert _written(admin) == before


def test_a_file_whose_audit_chain_was_altered_is_refused(
    exports: dict[str, Path], admin: Session, tmp_path: Path
) -> None:
    text = exports["transactional"].read_text(encoding="utf-8")
    altered = tmp_path / "altered.xml"
    altered.write_text(text.replace('Value="&lt;0.05"', 'Value="0.05"'), encoding="utf-8")
    before = _written(admin)
    with pytest.raises(OdmFileRefused, match="does not verify"):
        import_odm(admin, altered)
    assert _written(admin) == before


def test_a_file_of_a_version_the_site_does_not_hold_is_refused(
    exports: dict[str, Path], admin: Session, tmp_path: Path
) -> None:
    text = exports["snapshot"].read_text(encoding="utf-8")
    tree = etree.parse(str(exports["snapshot"]))
    version = tree.find(".//odm:MetaDataVersion", NS).get("OID")
    other = tmp_path / "other.xml"
    other.write_text(text.replace(f'"{version}"', '"MDV.99.0"'), encoding="utf-8")
    before = _written(admin)
    with pytest.raises(OdmFileRefused, match=r"MDV\.99\.0"):
        import_odm(admin, other)
    assert _written(admin) == before


def test_a_site_that_holds_subjects_is_refused(exports: dict[str, Path], tmp_path: Path) -> None:
    session = login(copy_site(exports["site"], tmp_path / "site"), "admin")
    try:
        before = _written(session)
        with pytest.raises(SiteNotEmpty, match="empty site"):
            import_odm(session, exports["snapshot"])
        assert _written(session) == before
    finally:
        session.close()


@pytest.mark.parametrize("role", ["nurse", "investigator", "monitor"])
def test_only_an_admin_imports(
    exports: dict[str, Path], site_template: tuple[Path, str], tmp_path: Path, role: str
) -> None:
    session = login(copy_site(site_template[0], tmp_path / "empty"), role)
    try:
        with pytest.raises(PermissionDenied):
            import_odm(session, exports["snapshot"])
        assert _written(session)[:2] == (0, 0)
    finally:
        session.close()


def test_one_subjects_transactional_file_imports_that_subject(
    exports: dict[str, Path], admin: Session, tmp_path: Path
) -> None:
    one = tmp_path / "one.xml"
    investigator = login(copy_site(exports["site"], tmp_path / "site"), "investigator")
    try:
        export_odm(investigator, one, transactional=True, subject=SUBJECT)
    finally:
        investigator.close()
    result = import_odm(admin, one)
    assert result.subjects == 1
    again = _export_again(admin, tmp_path / "again.xml", transactional=True)
    assert _history(again) == _history(one)


def test_a_value_where_the_form_has_no_place_for_it_is_refused(
    exports: dict[str, Path], admin: Session, tmp_path: Path
) -> None:
    text = exports["snapshot"].read_text(encoding="utf-8")
    misplaced = tmp_path / "misplaced.xml"
    # an item the study defines, put in a form that does not hold it (the schema cannot tell)
    at = text.index("<ClinicalData")
    clinical = text[at:].replace('ItemOID="I.HBSAG"', 'ItemOID="I.ALT"', 1)
    misplaced.write_text(text[:at] + clinical, encoding="utf-8")
    before = _written(admin)
    with pytest.raises(OdmFileRefused, match=r"I\.ALT") as refused:
        import_odm(admin, misplaced)
    assert "DEMO-001" in str(refused.value)
    assert _written(admin) == before


def test_a_record_the_audit_trail_cannot_keep_is_refused(
    exports: dict[str, Path], admin: Session, tmp_path: Path
) -> None:
    text = exports["snapshot"].read_text(encoding="utf-8")
    long_key = tmp_path / "long.xml"
    long_key.write_text(
        text.replace(f'SubjectKey="{SUBJECT}"', f'SubjectKey="{"X" * 300}"', 1), encoding="utf-8"
    )
    before = _written(admin)
    with pytest.raises(OdmFileRefused, match="audit trail"):
        import_odm(admin, long_key)
    assert _written(admin) == before


def test_the_import_reports_its_progress_through_the_file(
    exports: dict[str, Path], admin: Session
) -> None:
    source = exports["transactional"]
    seen: list[tuple[int, int]] = []
    import_odm(admin, source, progress=lambda done, total: seen.append((done, total)))
    size = source.stat().st_size
    assert seen, "progress was reported"
    assert {total for _done, total in seen} == {size}
    done = [d for d, _total in seen]
    assert done == sorted(done)  # it only moves forward
    assert done[-1] == size  # and ends at the end of the file


def test_a_cancelled_import_writes_nothing(exports: dict[str, Path], admin: Session) -> None:
    before = _written(admin)
    calls = 0

    def cancel_at_the_second_call(_done: int, _total: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ImportCancelled()

    with pytest.raises(ImportCancelled, match="Nothing was written"):
        import_odm(admin, exports["transactional"], progress=cancel_at_the_second_call)
    assert _written(admin) == before
    assert verify_audit(admin).ok


def _signatures(path: Path) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Each form's signature in a Snapshot: who, what it means, when, the content it binds."""
    tree = etree.parse(str(path))
    meanings = {
        d.get("OID"): d.findtext("odm:Meaning", namespaces=NS)
        for d in tree.iterfind(".//odm:SignatureDef", NS)
    }
    found = {}
    for signature in tree.iterfind(".//odm:FormData/odm:Signature", NS):
        form = signature.getparent()
        event = form.getparent()
        found[
            (event.getparent().get("SubjectKey"), event.get("StudyEventOID"), form.get("FormOID"))
        ] = (
            signature.find("odm:UserRef", NS).get("UserOID"),
            meanings[signature.find("odm:SignatureRef", NS).get("SignatureOID")],
            signature.findtext("odm:DateTimeStamp", namespaces=NS),
            signature.findtext("odm:CryptoBindingManifest", namespaces=NS),
        )
    return found


def test_a_snapshots_signatures_are_imported_and_still_bind_the_values(
    exports: dict[str, Path], admin: Session, tmp_path: Path
) -> None:
    original = _signatures(exports["snapshot"])
    assert original, "the export site has signed forms"
    import_odm(admin, exports["snapshot"])
    again = _export_again(admin, tmp_path / "again.xml", transactional=False)
    assert _signatures(again) == original
    for subject, event, form in original:  # the values are those signed: not broken
        key = FormKey(subject, event, form)
        signed = latest_signature(admin.db, key)
        assert signed is not None
        assert signed["content_hash"] == content_hash(form_values(admin.db, key).values())
    entries = [e for e in trail(admin.db, limit=100_000) if e["action"] == "form.sign"]
    assert len(entries) == len(original)
    assert verify_audit(admin).ok
