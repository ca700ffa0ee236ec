"""A demonstration site with synthetic subjects, for training and for trying the app.

Everything goes through the same services as real work, so the demo's audit trail verifies like
any other. A demo site is marked in its metadata: it says so wherever its name is shown and can
never be synced to a server.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from desktop_crf.errors import InvalidInput
from desktop_crf.model import FormKey
from desktop_crf.resources import resource_path
from desktop_crf.services import site
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.kiosk import end_handover, hand_over
from desktop_crf.services.lab_ranges import record_lab_range
from desktop_crf.services.permissions import Permission
from desktop_crf.services.questionnaire import choose_language, finish_questionnaire
from desktop_crf.services.session import PATIENT_FORM, Session
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject
from desktop_crf.services.wordings import import_wording, read_wording_file
from desktop_crf.studies import load_study
from forms.instruments import qlq_c30
from forms.lab_ranges import LabRange
from forms.schedule import plan_visits
from forms.study import Study

DEMO_STUDY = "NCT07553767"
DEMO_SITE = "DEMO"
#: The recurrence study has the patient's QLQ-C30: its demo site is where the tablet is tried.
RECURRENCE_STUDY = "PEG-HCC-RECUR-3Y"
DEMO_SITES = {DEMO_STUDY: DEMO_SITE, RECURRENCE_STUDY: "DEMO-R"}
DEMO_PASSWORD = "demo-password"
DEMO_ROLES = ("nurse", "investigator", "monitor")
_LAB = "Demo Hospital central laboratory"
#: The demonstration Chinese QLQ-C30 wording (not EORTC's translation; it says so).
DEMO_WORDING = ("demo", "qlq_c30_zh-CN.json")
#: Subjects (the first ones) with a visit today: their QLQ-C30 waits for the tablet.
DUE_TODAY = 3

# item → (unit, LLN, ULN, typical low, typical high); values drawn inside the typical range.
_Lab = dict[str, tuple[str | None, str, str, float, float]]
_LIVER: _Lab = {
    "I.ALT": ("U/L", "7", "40", 12, 95),
    "I.AST": ("U/L", "13", "35", 15, 80),
    "I.TBIL": ("umol/L", "3.4", "20.5", 6, 30),
    "I.ALB": ("g/L", "40", "55", 33, 50),
    "I.INR": (None, "0.8", "1.2", 0.9, 1.15),
}
_BLOOD: _Lab = {
    "I.WBC": ("10^9/L", "3.5", "9.5", 3.2, 8.0),
    "I.PLT": ("10^9/L", "125", "350", 95, 260),
    "I.HGB": ("g/L", "130", "175", 115, 160),
}


def create_demo_site(
    root: Path,
    *,
    subjects: int = 40,
    today: date | None = None,
    progress: Callable[[str], object],
    study: str = DEMO_STUDY,
) -> int:
    """Create the demo site of ``study`` in ``root`` with ``subjects`` synthetic subjects;
    return the count. The recurrence study's demo also holds the demonstration Chinese wording
    of the QLQ-C30 (not EORTC's translation, and marked so) and answered questionnaires."""
    if study not in DEMO_SITES:
        raise InvalidInput(f"There is no demo of {study}: choose {' or '.join(DEMO_SITES)}.")
    site.init_site(
        root,
        study_id=study,
        site_code=DEMO_SITES[study],
        admin="admin",
        admin_password=DEMO_PASSWORD,
        admin_full_name="Demo Administrator",
        demo=True,
    )
    admin = site.unlock(root, "admin", DEMO_PASSWORD)
    try:
        for role in DEMO_ROLES:
            site.add_user(
                admin,
                role,
                role=role,
                password=DEMO_PASSWORD,
                admin_password=DEMO_PASSWORD,
                full_name=f"Demo {role.title()}",
            )
        _record_ranges(admin)
        if study == RECURRENCE_STUDY:
            import_wording(admin, read_wording_file(resource_path(*DEMO_WORDING)))
    finally:
        site.logout(admin)
    nurse = site.unlock(root, "nurse", DEMO_PASSWORD)
    try:
        fill_subjects(nurse, subjects, today=today or date.today(), progress=progress)
    finally:
        site.logout(nurse)
    return subjects


def fill_subjects(
    nurse: Session, count: int, *, today: date, progress: Callable[[str], object]
) -> None:
    """Screen, enrol and record the visits of ``count`` synthetic subjects as ``nurse``."""
    nurse.require(Permission.ENROLL)
    nurse.require(Permission.ENTER_DATA)
    study = load_study(nurse.site.study_id)
    code = DEMO_SITES.get(study.id, DEMO_SITE)
    rng = random.Random(20260331)
    for n in range(1, count + 1):
        subject_id = f"{code}-{n:03d}"
        # the first few have a visit today, so their questionnaire is due on the tablet
        due = study.id == RECURRENCE_STUDY and n <= DUE_TODAY
        days = 84 * n if due else rng.randint(0, 600)
        anchor = today - timedelta(days=days)
        _enroll(nurse, study, subject_id, anchor, n, rng)
        past = [v for v in plan_visits(study, anchor) if v.target <= today]
        # the patient answered the questionnaires of the last two visits before today on the
        # tablet (each hand-back checks a password: a few are enough to show)
        answered = [v.oid for v in past if v.target < today and PATIENT_FORM in v.forms][-2:]
        for visit in past:
            if visit.oid == "SE.SCREENING" or visit.target == today:
                continue  # today's visit is under way: its questionnaire waits for the tablet
            if "F.VISIT" not in study.visit(visit.oid).forms:
                continue  # a survival contact: no visit, labs or scan to record
            visit_day = min(visit.target + timedelta(days=rng.randint(-3, 3)), today)
            _record_visit(nurse, subject_id, visit.oid, visit_day, rng)
            if visit.oid in answered:
                key = FormKey(subject_id, visit.oid, PATIENT_FORM)
                _answer_on_tablet(nurse, key, visit_day, rng)
        if n % 10 == 0:
            progress(f"  {n} of {count} demo subjects")


def _answer_on_tablet(nurse: Session, key: FormKey, day: date, rng: random.Random) -> None:
    """A questionnaire the patient answered on the tablet (as the kiosk saves it, with the
    answers in one save), then the nurse took the tablet back."""
    patient = hand_over(nurse, key).patient
    choose_language(patient, rng.choice(["en", "en", "zh-CN"]), today=day)
    answers = []
    for item in qlq_c30.ITEMS:
        if rng.random() < 0.03:
            continue  # a question left unanswered now and then, as patients do
        low, high = qlq_c30.answer_range(item)
        answer = min(high, max(low, round(rng.gauss(low + (high - low) / 3, 1))))
        answers.append(ItemInput("IG.QLQ_ITEMS", qlq_c30.item_oid(item), str(answer)))
    save_form(patient, key, answers)
    finish_questionnaire(patient)
    end_handover(patient, nurse.user, DEMO_PASSWORD, method="password")


def _enroll(
    nurse: Session, study: Study, subject_id: str, anchor: date, n: int, rng: random.Random
) -> None:
    arm = study.arms[n % len(study.arms)]
    initials = "".join(rng.choice("ABCDEFGHJKLMNPQRSTWXYZ") for _ in range(2))
    consent = anchor - timedelta(days=rng.randint(7, 20))
    screen_subject(
        nurse,
        study_version=study.version,
        screened_on=consent.isoformat(),
        initials=initials,
        subject_id=subject_id,
    )
    enrolment = Enrolment(
        arm=arm.code,
        anchor_date=anchor.isoformat(),
        na_drug=rng.choice(arm.na_drugs),
        consent_date=consent.isoformat(),
        consent_version="1.0",
    )
    enroll_subject(nurse, subject_id, enrolment)


def _record_ranges(admin: Session) -> None:
    """The demo laboratory's reference ranges, recorded once (the forms repeat them)."""
    for table in (_LIVER, _BLOOD):
        for item, (unit, lln, uln, _low, _high) in table.items():
            lab_range = LabRange(
                laboratory=_LAB,
                analyte=item,
                unit=unit,
                lln=lln,
                uln=uln,
                valid_from=date(2020, 1, 1),
            )
            record_lab_range(admin, lab_range)


def _record_visit(
    nurse: Session, subject_id: str, event: str, day: date, rng: random.Random
) -> None:
    when = day.isoformat()
    visit = [
        ItemInput("IG.VISIT", "I.VISIT_DONE", "Y"),
        ItemInput("IG.VISIT", "I.VISIT_DATE", when),
    ]
    save_form(nurse, FormKey(subject_id, event, "F.VISIT"), visit, complete=True)
    for form, group, table in (
        ("F.LAB_LIVER", "IG.LIVER", _LIVER),
        ("F.LAB_BLOOD", "IG.CBC", _BLOOD),
    ):
        items = [
            ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", when),
            ItemInput("IG.SAMPLE", "I.LAB_NAME", _LAB),
        ]
        items += _lab_items(group, table, rng)
        save_form(nurse, FormKey(subject_id, event, form), items, complete=True)
    hbsag = f"{rng.uniform(0.5, 1999):.2f}" if rng.random() > 0.1 else "<0.05"
    dna = rng.choice(["target not detected", "<10", f"{rng.randint(10, 5000)}"])
    # most of these patients are HBeAg-negative with anti-HBe, as in the trial's population
    hbeag = "POS" if rng.random() < 0.15 else "NEG"
    viro = [
        ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", when),
        ItemInput("IG.SAMPLE", "I.LAB_NAME", _LAB),
        ItemInput("IG.HBSAG", "I.HBSAG", hbsag, "IU/mL"),
        ItemInput("IG.HBEAG", "I.HBEAG_STATUS", hbeag),
        ItemInput("IG.HBEAG", "I.ANTI_HBE_STATUS", "NEG" if hbeag == "POS" else "POS"),
        ItemInput("IG.HBV_DNA", "I.HBV_DNA", dna, "IU/mL"),
    ]
    save_form(nurse, FormKey(subject_id, event, "F.LAB_VIROLOGY"), viro, complete=True)


def _lab_items(
    group: str, table: dict[str, tuple[str | None, str, str, float, float]], rng: random.Random
) -> list[ItemInput]:
    items = []
    for item, (unit, lln, uln, low, high) in table.items():
        value = rng.uniform(low, high)
        text = f"{value:.2f}" if high < 10 else f"{value:.0f}"
        items += [
            ItemInput(group, item, text, unit),
            ItemInput(group, f"{item}_LLN", lln, unit),
            ItemInput(group, f"{item}_ULN", uln, unit),
        ]
    return items
