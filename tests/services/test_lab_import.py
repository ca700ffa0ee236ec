"""Lab results from a laboratory's file through the services, on a real encrypted site: the
preview row by row, nothing written until confirmed, every value audited with the file's
SHA-256 and row, and the same file again changes nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from desktop_crf.model import FormKey
from desktop_crf.services.data_entry import ItemInput, load_form, save_form
from desktop_crf.services.lab_import import (
    ImportCancelled,
    ImportOutdated,
    ImportPlan,
    Problem,
    commit_lab_import,
    preview_lab_import,
)
from desktop_crf.services.session import Session
from desktop_crf.store.audit import verify_chain
from forms.lab_ranges import LabFlag
from tests.helpers.lab_files import LabSite, lab_site, lis_export
from tests.helpers.sites import login

TODAY = date(2026, 6, 1)


@pytest.fixture
def site(site_dir: Path) -> LabSite:
    return lab_site(site_dir)


@pytest.fixture
def export(site: LabSite, tmp_path: Path) -> Path:
    path = tmp_path / "lis-2026-04.csv"
    path.write_text(lis_export(site), encoding="utf-8")
    return path


@pytest.fixture
def nurse(site: LabSite) -> Iterator[Session]:  # the lab site's nurse (overrides conftest's)
    session = login(site.root, "nurse")
    yield session
    session.close()


def by_row(plan: ImportPlan) -> dict[int, tuple[str, Problem | None]]:
    return {r.row: (r.status, r.problem) for r in plan.rows}


def audit_count(session: Session) -> int:
    return int(session.db.execute("SELECT count(*) FROM audit").fetchone()[0])


def test_the_preview_says_row_by_row_where_each_result_goes_or_why_not(
    site: LabSite, export: Path, nurse: Session
) -> None:
    before = audit_count(nurse)
    plan = preview_lab_import(nurse, export, today=TODAY)
    assert by_row(plan) == {
        2: ("new", None),
        3: ("new", None),
        4: ("new", None),
        5: ("new", None),
        6: ("new", None),
        7: ("new", None),
        8: ("refused", Problem.VALUE),
        9: ("refused", Problem.UNIT),
        10: ("refused", Problem.UNKNOWN_TEST),
        11: ("refused", Problem.UNKNOWN_SUBJECT),
        12: ("refused", Problem.OUT_OF_WINDOW),
        13: ("refused", Problem.SIGNED),
        14: ("refused", Problem.OTHER_SAMPLE),
        15: ("change", None),
        16: ("refused", Problem.INVALID),
    }
    rows = {r.row: r for r in plan.rows}
    alt = rows[2]
    assert alt.key == FormKey(site.a, "SE.W12", "F.LAB_LIVER")
    assert (alt.visit and alt.visit.en, alt.item, alt.flag) == ("Week 12", "I.ALT", LabFlag.HIGH)
    assert rows[3].flag == LabFlag.LOW  # "<5" against the laboratory's LLN of 13
    assert rows[4].in_item_unit == "20.52 umol/L"
    assert [w.key for w in rows[5].warnings] == ["soft_range"]
    assert rows[6].key == FormKey(site.a, "SE.W12", "F.LAB_VIROLOGY")
    assert rows[12].about == "2026-06-30 – 2026-07-14"  # week 24's window, the nearest
    assert rows[14].about == "2026-04-14"
    assert rows[15].old == "150 10^9/L"
    assert rows[16].error is not None
    assert rows[16].error.key == "hard_range"
    assert plan.sha256 == hashlib.sha256(export.read_bytes()).hexdigest()
    assert audit_count(nurse) == before  # a preview writes nothing


def test_confirming_imports_the_good_rows_each_audited_with_the_file_and_row(
    site: LabSite, export: Path, nurse: Session
) -> None:
    plan = preview_lab_import(nurse, export, today=TODAY)
    done = commit_lab_import(nurse, export, expected=plan.digest, today=TODAY)
    assert done.written == 6
    assert done.changes is not None
    assert done.changes.subject_id == site.a
    liver = load_form(nurse, FormKey(site.a, "SE.W12", "F.LAB_LIVER"))
    assert liver.status == "draft"
    assert liver.value("IG.LIVER", "I.ALT") == "45"
    assert liver.values[("IG.LIVER", 1, "I.TBIL")].unit == "mg/dL"  # kept as reported
    assert liver.value("IG.SAMPLE", "I.SAMPLE_DATE") == "2026-04-14"
    assert liver.value("IG.SAMPLE", "I.LAB_NAME") == "Ningbo No.2 central lab"
    entries = nurse.db.execute(
        "SELECT item, new, unit, detail, user FROM audit WHERE action = 'item.set' "
        "AND subject = ? AND form = 'F.LAB_LIVER' ORDER BY seq",
        [site.a],
    ).fetchall()
    imported = {item: json.loads(detail) for item, _new, _unit, detail, _user in entries}
    assert imported["I.ALT"]["import"] == {"file_sha256": plan.sha256, "row": 2}
    assert imported["I.TBIL"]["import"]["row"] == 4
    assert imported["I.SAMPLE_DATE"]["import"]["row"] == 2
    (plt,) = nurse.db.execute(
        "SELECT detail FROM audit WHERE subject = ? AND item = 'I.PLT'", [site.a]
    ).fetchone()
    # the unusual platelet count was confirmed by confirming the import, and that is audited
    assert json.loads(plt) == {
        "accepted_warnings": ["soft_range"],
        "import": {"file_sha256": plan.sha256, "row": 5},
    }
    assert {user for *_rest, user in entries} == {"nurse"}
    # the change held back (no reason): the saved platelet count of subject b is as it was
    blood = load_form(nurse, FormKey(site.b, "SE.W12", "F.LAB_BLOOD"))
    assert blood.value("IG.CBC", "I.PLT") == "150"
    assert verify_chain(nurse.db).ok


def test_the_same_file_again_changes_nothing(site: LabSite, export: Path, nurse: Session) -> None:
    plan = preview_lab_import(nurse, export, today=TODAY)
    commit_lab_import(nurse, export, expected=plan.digest, today=TODAY)
    before = audit_count(nurse)
    again = preview_lab_import(nurse, export, today=TODAY)
    assert again.count("new") == 0
    assert again.count("unchanged") == 6
    done = commit_lab_import(nurse, export, expected=again.digest, today=TODAY)
    assert (done.written, done.changes) == (0, None)
    assert audit_count(nurse) == before


def test_a_result_that_changes_a_saved_value_needs_a_reason(
    site: LabSite, export: Path, nurse: Session
) -> None:
    plan = preview_lab_import(nurse, export, today=TODAY)
    commit_lab_import(
        nurse, export, expected=plan.digest, reason="laboratory corrected its report", today=TODAY
    )
    blood = load_form(nurse, FormKey(site.b, "SE.W12", "F.LAB_BLOOD"))
    assert blood.value("IG.CBC", "I.PLT") == "160"
    (reason, detail) = nurse.db.execute(
        "SELECT reason, detail FROM audit WHERE subject = ? AND item = 'I.PLT' ORDER BY seq DESC",
        [site.b],
    ).fetchone()
    assert reason == "laboratory corrected its report"
    assert json.loads(detail)["import"]["row"] == 15


def test_nothing_is_written_when_the_site_changed_since_the_preview(
    site: LabSite, export: Path, nurse: Session
) -> None:
    plan = preview_lab_import(nurse, export, today=TODAY)
    key = FormKey(site.a, "SE.W12", "F.LAB_LIVER")
    save_form(nurse, key, [ItemInput("IG.LIVER", "I.GGT", "31", "U/L")])
    before = audit_count(nurse)
    with pytest.raises(ImportOutdated):
        commit_lab_import(nurse, export, expected=plan.digest, today=TODAY)
    assert audit_count(nurse) == before
    fresh = preview_lab_import(nurse, export, today=TODAY)
    assert {r.row: r.status for r in fresh.rows}[7] == "change"  # GGT 30 vs the saved 31


def test_a_cancelled_preview_or_import_writes_nothing(
    site: LabSite, export: Path, nurse: Session
) -> None:
    plan = preview_lab_import(nurse, export, today=TODAY)
    before = audit_count(nurse)

    def stop(_done: int, _total: int) -> None:
        raise ImportCancelled()

    with pytest.raises(ImportCancelled):
        commit_lab_import(nurse, export, expected=plan.digest, today=TODAY, progress=stop)
    assert audit_count(nurse) == before


def test_a_subject_in_screening_gets_samples_at_the_first_visit(
    site: LabSite, tmp_path: Path, nurse: Session
) -> None:
    from desktop_crf.services.subjects import screen_subject

    sid = screen_subject(nurse, study_version="1.0", screened_on="2026-05-20").subject_id
    path = tmp_path / "screening.csv"
    path.write_text(
        "Subject,Sample Date,Test,Result,Unit\n"
        f"{sid},2026-05-01,ALT,30,U/L\n"  # within the 28 days before screening
        f"{sid},2026-04-01,ALT,30,U/L\n",
        encoding="utf-8",
    )
    plan = preview_lab_import(nurse, path, today=TODAY)
    first, second = plan.rows
    assert first.key == FormKey(str(sid), "SE.SCREENING", "F.LAB_LIVER")
    assert second.problem == Problem.OUT_OF_WINDOW
