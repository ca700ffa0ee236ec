"""Laboratory reference ranges through the services, on real encrypted sites: recorded once by
the admin (in the app or from a file), audited, synced as entries, and used by the lab forms:
their limits, H/L flags and CTCAE suggestions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from desktop_crf.errors import InvalidInput, PermissionDenied
from desktop_crf.model import FormKey
from desktop_crf.services.ae_suggestions import lab_suggestions
from desktop_crf.services.data_entry import ItemInput, LimitOverrideNeedsReason
from desktop_crf.services.lab_limits import Gap, form_limits
from desktop_crf.services.lab_ranges import (
    RangeChangeNeedsReason,
    RangeFileRefused,
    import_range_file,
    list_lab_ranges,
    preview_range_file,
    record_lab_range,
    remove_lab_range,
)
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject
from desktop_crf.store.audit import verify_chain
from desktop_crf.store.lab_ranges import range_json
from desktop_crf.store.pulled import apply_pulled
from desktop_crf.studies import bundled_forms
from forms.lab_ranges import LabFlag, LabRange, lab_analytes
from sync.entries import entry_hash
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import login

LAB = "Ningbo No.2 central lab"
HEADER = "laboratory,analyte,unit,sex,age_from,age_to,lln,uln,valid_from\n"
RANGES = HEADER + (
    f"{LAB},ALT,U/L,M,,,9,50,2026-01-01\n"
    f"{LAB},ALT,U/L,F,,,7,40,2026-01-01\n"
    f"{LAB},PLT,10^9/L,,,,125,350,2026-01-01\n"
    f"{LAB},CREAT,umol/L,M,18,64,57,111,2026-01-01\n"
    f"{LAB},CREAT,umol/L,M,65,,57,125,2026-01-01\n"
)


@pytest.fixture
def admin(site_dir: Path) -> Iterator[Session]:
    session = login(site_dir, "admin")
    yield session
    session.close()


def alt(**fields: object) -> LabRange:
    base: dict[str, object] = {
        "laboratory": LAB,
        "analyte": "I.ALT",
        "unit": "U/L",
        "lln": "7",
        "uln": "40",
        "valid_from": date(2026, 1, 1),
    }
    return LabRange.model_validate({**base, **fields})


def entries(session: Session, action: str) -> list[dict]:
    rows = session.db.execute(
        "SELECT user, role, item, old, new, unit, reason, detail FROM audit WHERE action = ? "
        "ORDER BY seq",
        [action],
    ).fetchall()
    names = ("user", "role", "item", "old", "new", "unit", "reason", "detail")
    return [dict(zip(names, r, strict=True)) for r in rows]


def test_the_admin_records_a_range_once_and_corrects_it_with_a_reason(admin: Session) -> None:
    record_lab_range(admin, alt())
    record_lab_range(admin, alt())  # the same again: nothing to record
    (entry,) = entries(admin, "labrange.set")
    assert (entry["user"], entry["role"], entry["item"], entry["unit"]) == (
        "admin",
        "admin",
        "I.ALT",
        "U/L",
    )
    assert json.loads(entry["new"])["uln"] == "40"
    with pytest.raises(RangeChangeNeedsReason, match="already recorded as 7 to 40 U/L"):
        record_lab_range(admin, alt(uln="45"))
    record_lab_range(admin, alt(uln="45"), reason="laboratory changed its method")
    corrected = entries(admin, "labrange.set")[-1]
    assert (json.loads(corrected["old"])["uln"], json.loads(corrected["new"])["uln"]) == (
        "40",
        "45",
    )
    assert corrected["reason"] == "laboratory changed its method"
    assert [r.lab_range.uln for r in list_lab_ranges(admin)] == ["45"]
    assert verify_chain(admin.db).ok


def test_ranges_that_would_apply_to_the_same_subjects_are_refused(admin: Session) -> None:
    record_lab_range(admin, alt(age_max=64))
    with pytest.raises(InvalidInput, match="same subjects"):
        record_lab_range(admin, alt(age_min=60, uln="35"))
    record_lab_range(admin, alt(age_min=65, uln="35"))
    with pytest.raises(InvalidInput, match="cannot be converted"):
        record_lab_range(admin, alt(unit="mg/dL", age_min=None, valid_from=date(2027, 1, 1)))
    assert len(list_lab_ranges(admin)) == 2


def test_a_removed_range_is_gone_and_the_removal_audited(admin: Session) -> None:
    record_lab_range(admin, alt())
    with pytest.raises(InvalidInput, match="reason"):
        remove_lab_range(admin, alt(), reason=" ")
    remove_lab_range(admin, alt(), reason="entered for the wrong laboratory")
    assert list_lab_ranges(admin) == []
    (entry,) = entries(admin, "labrange.remove")
    assert entry["reason"] == "entered for the wrong laboratory"
    with pytest.raises(InvalidInput, match="not recorded"):
        remove_lab_range(admin, alt(), reason="again")


def test_a_nurse_sees_the_ranges_and_may_not_record_them(nurse: Session) -> None:
    assert list_lab_ranges(nurse) == []
    with pytest.raises(PermissionDenied):
        record_lab_range(nurse, alt())


# -- from a file ----------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "ranges.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_is_imported_whole_with_its_provenance_and_again_changes_nothing(
    admin: Session, tmp_path: Path
) -> None:
    path = write(tmp_path, RANGES)
    preview = preview_range_file(admin, path)
    assert (preview.count("new"), preview.refused) == (5, [])
    assert entries(admin, "labrange.set") == []  # a preview writes nothing
    plan = import_range_file(admin, path)
    assert plan.changes is not None
    assert len(list_lab_ranges(admin)) == 5
    details = [json.loads(e["detail"]) for e in entries(admin, "labrange.set")]
    assert [d["import"]["row"] for d in details] == [2, 3, 4, 5, 6]
    assert {d["import"]["file_sha256"] for d in details} == {plan.sha256}
    again = import_range_file(admin, path)
    assert (again.count("unchanged"), again.changes) == (5, None)
    assert len(entries(admin, "labrange.set")) == 5


def test_a_file_with_a_bad_row_records_nothing_and_says_why(admin: Session, tmp_path: Path) -> None:
    path = write(tmp_path, RANGES + f"{LAB},ALT,mg/dL,,,,1,2,2026-01-01\n")
    with pytest.raises(RangeFileRefused) as refused:
        import_range_file(admin, path)
    assert "row 7: unit 'mg/dL' cannot be converted" in str(refused.value)
    assert [r.row for r in refused.value.plan.refused] == [7]
    assert list_lab_ranges(admin) == []


def test_a_file_that_corrects_recorded_ranges_needs_a_reason(
    admin: Session, tmp_path: Path
) -> None:
    import_range_file(admin, write(tmp_path, RANGES))
    changed = write(tmp_path, RANGES.replace("9,50", "9,55"), "v2.csv")
    with pytest.raises(RangeFileRefused, match="give the reason"):
        import_range_file(admin, changed)
    plan = import_range_file(admin, changed, reason="2026 method change")
    assert (plan.count("changed"), plan.count("unchanged")) == (1, 4)
    assert entries(admin, "labrange.set")[-1]["reason"] == "2026 method change"


# -- on a lab form --------------------------------------------------------------------------


def enrolled(nurse: Session, *, sex: str = "M", birth: str = "1970-05-01") -> str:
    sid = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    assert sid is not None
    demo = FormKey(sid, "SE.SCREENING", "F.DEMOGRAPHICS")
    save_confirmed(
        nurse, demo, [ItemInput("IG.DM", "I.SEX", sex), ItemInput("IG.DM", "I.BRTHDTC", birth)]
    )
    enroll_subject(
        nurse, sid, Enrolment(arm="PEG_NA", anchor_date="2026-01-20", consent_date="2026-01-02")
    )
    return sid


def liver(
    nurse: Session, sid: str, event: str = "SE.W12", reason: str | None = None, **values: str
) -> FormKey:
    key = FormKey(sid, event, "F.LAB_LIVER")
    items = [ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", values.pop("date", "2026-04-14"))]
    items.append(ItemInput("IG.SAMPLE", "I.LAB_NAME", values.pop("lab", LAB)))
    items += [ItemInput("IG.LIVER", f"I.{name}", value) for name, value in values.items()]
    save_confirmed(nurse, key, items, reason=reason)
    return key


@pytest.fixture
def ranged(site_dir: Path, tmp_path: Path) -> None:
    admin = login(site_dir, "admin")
    try:
        import_range_file(admin, write(tmp_path, RANGES))
    finally:
        admin.close()


def test_a_lab_form_gets_its_laboratorys_range_for_the_subjects_sex(
    ranged: None, nurse: Session
) -> None:
    man, woman = enrolled(nurse, sex="M"), enrolled(nurse, sex="F")
    his = form_limits(nurse, liver(nurse, man, ALT="45")).analytes["I.ALT"]
    hers = form_limits(nurse, liver(nurse, woman, ALT="45")).analytes["I.ALT"]
    assert (his.lln, his.uln, his.uln_from, his.flag) == ("9", "50", "laboratory", LabFlag.NORMAL)
    assert (hers.lln, hers.uln, hers.flag) == ("7", "40", LabFlag.HIGH)
    assert hers.laboratory_range is not None
    assert hers.laboratory_range.sex == "F"


def test_per_sample_limits_stay_and_take_precedence_bound_by_bound(
    ranged: None, nurse: Session
) -> None:
    sid = enrolled(nurse, sex="F")
    key = liver(nurse, sid, ALT="45", ALT_ULN="48", reason="the report prints 48")
    limits = form_limits(nurse, key).analytes["I.ALT"]
    assert (limits.lln, limits.lln_from) == ("7", "laboratory")
    assert (limits.uln, limits.uln_from, limits.flag) == ("48", "sample", LabFlag.NORMAL)
    assert limits.overrides() == ("ULN",)


def test_a_per_sample_limit_that_overrides_the_laboratorys_range_needs_a_reason(
    ranged: None, nurse: Session
) -> None:
    sid = enrolled(nurse, sex="F")
    with pytest.raises(LimitOverrideNeedsReason, match=r"I\.ALT_ULN: the per-sample limit"):
        liver(nurse, sid, ALT="45", ALT_ULN="48")
    written = "SELECT count(*) FROM audit WHERE subject = ? AND item = 'I.ALT'"
    assert nurse.db.execute(written, [sid]).fetchone() == (0,)
    liver(nurse, sid, ALT="45", ALT_LLN="7", ALT_ULN="40.0")  # the laboratory's own: no reason
    other = enrolled(nurse, sex="F")
    liver(nurse, other, ALT="45", ALT_ULN="48", reason="the report prints 48")
    (entry,) = nurse.db.execute(
        "SELECT new, reason FROM audit WHERE subject = ? AND item = 'I.ALT_ULN'", [other]
    ).fetchall()
    assert entry == ("48", "the report prints 48")


def test_what_is_missing_is_said_not_guessed(ranged: None, nurse: Session) -> None:
    sid = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    assert sid is not None
    key = liver(nurse, sid, "SE.SCREENING", ALT="45")  # no sex recorded yet
    limits = form_limits(nurse, key).analytes
    assert (limits["I.ALT"].uln, limits["I.ALT"].gap) == (None, Gap.NEEDS_SEX_OR_AGE)
    assert limits["I.AST"].gap == Gap.NO_RANGE
    other = liver(nurse, sid, "SE.W0", lab="Another hospital", ALT="45")
    assert form_limits(nurse, other).analytes["I.ALT"].gap == Gap.NO_RANGE
    # a form being typed asks with its laboratory and date before they are saved
    typed = form_limits(nurse, other, laboratory="", sample_date=date(2026, 4, 1))
    assert typed.analytes["I.ALT"].gap == Gap.NO_LABORATORY


def test_the_age_band_is_the_age_on_the_sample_date(ranged: None, nurse: Session) -> None:
    sid = enrolled(nurse, sex="M", birth="1961-04-15")  # 64 until 2026-04-15
    renal = FormKey(sid, "SE.W12", "F.LAB_RENAL")
    save_confirmed(
        nurse,
        renal,
        [
            ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-04-14"),
            ItemInput("IG.SAMPLE", "I.LAB_NAME", LAB),
            ItemInput("IG.RENAL", "I.CREAT", "120"),
        ],
    )
    assert form_limits(nurse, renal).analytes["I.CREAT"].uln == "111"
    later = form_limits(nurse, renal, sample_date=date(2026, 4, 15)).analytes["I.CREAT"]
    assert later.uln == "125"


def test_ctcae_suggestions_use_the_laboratorys_range_when_the_sample_has_none(
    ranged: None, nurse: Session
) -> None:
    sid = enrolled(nurse, sex="F")
    liver(nurse, sid, "SE.W0", date="2026-01-20", ALT="30")
    key = liver(nurse, sid, ALT="130")  # 3.25 × the laboratory's ULN of 40: grade 2
    (suggestion,) = lab_suggestions(nurse, key)
    assert (suggestion.term, suggestion.grade) == ("Alanine aminotransferase increased", 2)
    assert "ULN (40)" in suggestion.rule
    own = liver(nurse, sid, "SE.W24", "report range", date="2026-07-07", ALT="130", ALT_ULN="50")
    (suggestion,) = lab_suggestions(nurse, own)  # 2.6 × the sample's own ULN: grade 1
    assert suggestion.grade == 1


def test_a_range_set_on_another_computer_applies_here_and_every_computer_ends_the_same(
    admin: Session, site_dir: Path, tmp_path: Path
) -> None:
    record_lab_range(admin, alt())
    first = admin.db.execute("SELECT * FROM audit WHERE action = 'labrange.set'").fetchone()
    names = [d[0] for d in admin.db.execute("SELECT * FROM audit LIMIT 0").description]
    entry = dict(zip(names, first, strict=True))
    entry["device"], entry["seq"], entry["prev_hash"] = "NB02-OTHER", 1, "0" * 64
    later = {**entry, "ts": "2099-01-01T00:00:00.000000Z"}
    later["new"] = range_json(alt(uln="44"))
    later["hash"] = entry_hash(later)
    older = {**entry, "seq": 2, "prev_hash": later["hash"], "ts": "2000-01-01T00:00:00.000000Z"}
    older["new"] = range_json(alt(uln="33"))
    older["hash"] = entry_hash(older)
    with admin.write():
        apply_pulled(admin.db, [{"kind": "entry", "entry": later}], 1, device=admin.site.device)
    with admin.write():
        apply_pulled(admin.db, [{"kind": "entry", "entry": older}], 2, device=admin.site.device)
    # the later change wins whatever order the entries arrive in
    assert [r.lab_range.uln for r in list_lab_ranges(admin)] == ["44"]


def test_every_bundled_lab_result_is_on_one_form_with_its_limits_in_its_unit() -> None:
    found = lab_analytes(bundled_forms().values())
    assert {"I.ALT", "I.PLT", "I.CREAT", "I.HBV_DNA", "I.TSH"} <= set(found)
    for analyte in found.values():
        for oid in analyte.limit_items.values():
            limit = analyte.form.items()[oid]
            assert (limit.unit, limit.alt_units) == (analyte.item.unit, analyte.item.alt_units)
