"""A demonstration site with synthetic subjects, for training and for trying the app.

Everything goes through the same services as real work, so the demo's audit trail verifies like
any other. The subjects' courses (visits, labs, MRI, HBsAg over time, recurrences, deaths,
adverse events) are drawn in :mod:`desktop_crf.services.demo_course`; a few subjects are still
screening (some already failing a criterion) and the monitor has raised two queries.

The recurrence study's demo (``DEMO-R``) is where the patient tablet is tried: the first
subjects have a visit today, their QLQ-C30 waiting for the tablet, and the questionnaires of
their last visits answered on it; it holds the demonstration Chinese wording (not EORTC's
translation, and marked so). Both demos' laboratory has its reference ranges recorded once.

A demo site is marked in its metadata: it says so wherever its name is shown and can never be
synced to a server.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from desktop_crf.errors import InvalidInput
from desktop_crf.model import FormKey
from desktop_crf.resources import resource_path
from desktop_crf.services import site
from desktop_crf.services.adverse_events import add_adverse_event
from desktop_crf.services.data_entry import ItemInput, WarningsNotConfirmed, save_form
from desktop_crf.services.demo_course import (
    BLOOD,
    LAB,
    LIVER,
    Course,
    adverse_events,
    death_items,
    plan_course,
    visit_forms,
)
from desktop_crf.services.kiosk import end_handover, hand_over
from desktop_crf.services.lab_ranges import record_lab_range
from desktop_crf.services.permissions import Permission
from desktop_crf.services.queries import QueryTarget, raise_query
from desktop_crf.services.questionnaire import choose_language, finish_questionnaire
from desktop_crf.services.session import PATIENT_FORM, Session
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject
from desktop_crf.services.visits import LOG_EVENT
from desktop_crf.services.wordings import import_wording, read_wording_file
from desktop_crf.studies import load_study
from forms.instruments import qlq_c30
from forms.lab_ranges import LabRange
from forms.schedule import plan_visits
from forms.study import Arm, Study

DEMO_STUDY = "NCT07553767"
DEMO_SITE = "DEMO"
SCREENING_VISIT = "SE.SCREENING"
#: The recurrence study has the patient's QLQ-C30: its demo site is where the tablet is tried.
RECURRENCE_STUDY = "PEG-HCC-RECUR-3Y"
DEMO_SITES = {DEMO_STUDY: DEMO_SITE, RECURRENCE_STUDY: "DEMO-R"}
DEMO_PASSWORD = "demo-password"
DEMO_ROLES = ("nurse", "investigator", "monitor")
#: The demonstration Chinese QLQ-C30 wording (not EORTC's translation; it says so).
DEMO_WORDING = ("demo", "qlq_c30_zh-CN.json")
#: Subjects (the first ones) with a visit today: their QLQ-C30 waits for the tablet.
DUE_TODAY = 3
#: Screening records that fail a criterion, one after another (a subject still screening
#: has none of these saved yet).
_SCREEN_FAILURES: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("F.LAB_VIROLOGY", "IG.HBSAG", "I.HBSAG", "2650", "IU/mL"),  # IN04: HBsAg < 2000
    ("F.LAB_BLOOD", "IG.CBC", "I.PLT", "82", "10^9/L"),  # EX03: platelets < 100
    ("F.SCREENING", "IG.SCREENING", "I.RECURRENT_OR_METASTATIC", "Y", None),  # EX01
)
_QUERIES = (
    ("SE.W12", "F.LAB_LIVER", "IG.LIVER", "I.ALT", "Please confirm this ALT against the source."),
    ("SE.W0", "F.LAB_VIROLOGY", "IG.HBSAG", "I.HBSAG", "Baseline HBsAg: which assay was used?"),
)


def create_demo_site(
    root: Path,
    *,
    subjects: int = 40,
    today: date | None = None,
    progress: Callable[[str], object],
    study: str = DEMO_STUDY,
) -> int:
    """Create the demo site of ``study`` in ``root`` with ``subjects`` synthetic enrolled
    subjects (and one in eight more still screening); return the number enrolled."""
    if study not in DEMO_SITES:
        raise InvalidInput(f"There is no demo of {study}: choose {' or '.join(DEMO_SITES)}.")
    code = DEMO_SITES[study]
    site.init_site(
        root,
        study_id=study,
        site_code=code,
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
    monitor = site.unlock(root, "monitor", DEMO_PASSWORD)
    try:
        for n, (event, form, group, item, text) in enumerate(_QUERIES, start=1):
            target = QueryTarget(f"{code}-{n:03d}", event, 1, form, group, 1, item)
            raise_query(monitor, target, text)
    finally:
        site.logout(monitor)
    return subjects


def fill_subjects(
    nurse: Session, count: int, *, today: date, progress: Callable[[str], object]
) -> None:
    """Screen, enrol and record the course of ``count`` synthetic subjects as ``nurse`` (ids
    ``SITE-001``…), then screen one in eight more (some failing a criterion, the others not
    decided yet). In the recurrence study the first subjects have a visit today and answered
    the questionnaires of their last two visits on the tablet."""
    nurse.require(Permission.ENROLL)
    nurse.require(Permission.ENTER_DATA)
    study = load_study(nurse.site.study_id)
    rng = random.Random(20260331)
    prefix = DEMO_SITES.get(study.id, DEMO_SITE)
    for n in range(1, count + 1):
        subject_id = f"{prefix}-{n:03d}"
        # the first few have a visit today, so their questionnaire is due on the tablet
        due = study.id == RECURRENCE_STUDY and n <= DUE_TODAY
        anchor = today - timedelta(days=84 * n if due else rng.randint(0, 900))
        arm = study.arms[n % len(study.arms)]
        na_drug = rng.choice(arm.na_drugs)
        _enroll(nurse, study, subject_id, anchor, arm, na_drug, rng)
        course = plan_course(arm, anchor, rng)
        if due:  # alive, and at today's visit
            course = replace(course, death_day=None)
        done = _follow(nurse, study, subject_id, course, na_drug, today, rng, at_visit=due)
        # the patient answered the questionnaires of the last two visits before today on the
        # tablet (each hand-back checks a password: a few are enough to show)
        asked = [(oid, day) for oid, day in done if PATIENT_FORM in study.visit(oid).forms]
        for oid, day in [(oid, day) for oid, day in asked if day < today][-2:]:
            _answer_on_tablet(nurse, FormKey(subject_id, oid, PATIENT_FORM), day, rng)
        if n % 10 == 0:
            progress(f"  {n} of {count} demo subjects")
    for extra in range(max(1, count // 8)):
        subject_id = f"{prefix}-{count + extra + 1:03d}"
        screened = today - timedelta(days=rng.randint(1, 20))
        screen_subject(
            nurse,
            study_version=study.version,
            screened_on=screened.isoformat(),
            initials=_initials(rng),
            subject_id=subject_id,
        )
        if extra % 2 == 0:
            form, group, item, value, unit = _SCREEN_FAILURES[(extra // 2) % len(_SCREEN_FAILURES)]
            key = FormKey(subject_id, study.visits[0].oid, form)
            _save(nurse, key, [ItemInput(group, item, value, unit)], complete=False)


def _initials(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTWXYZ") for _ in range(2))


def _follow(
    nurse: Session,
    study: Study,
    subject_id: str,
    course: Course,
    na_drug: str,
    today: date,
    rng: random.Random,
    *,
    at_visit: bool = False,
) -> list[tuple[str, date]]:
    """Record the visits due by ``today``: week 0 on the day of the first dose, the others
    within a few days of their target (now and then late), a few missed, and the latest due
    one sometimes not done yet; none after a death. A subject ``at_visit`` missed none, and
    today's visit is under way (not recorded). Return the visits recorded, with their days."""
    died = course.anchor + timedelta(days=course.death_day) if course.death_day else None
    # the screening visit is the enrolment's; a study without one starts at its baseline
    plan = [v for v in plan_visits(study, course.anchor) if v.oid != SCREENING_VISIT]
    due = [v for v in plan if v.target <= today and (died is None or v.target < died)]
    if at_visit:
        due = [v for v in due if v.target < today]
    last_day = min(today, died) if died else today
    done = []
    for index, visit in enumerate(due):
        latest_due = index == len(due) - 1 and visit.latest < today
        may_miss = visit.day > 0 and not at_visit
        if may_miss and (rng.random() < 0.04 or (latest_due and rng.random() < 0.3)):
            continue
        shift = 0 if visit.day == 0 else rng.choice([-3, -2, -1, 0, 1, 2, 3, 9])
        day = min(visit.target + timedelta(days=shift), last_day)
        for form, items in visit_forms(course, visit, day, na_drug=na_drug, rng=rng):
            _save(nurse, FormKey(subject_id, visit.oid, form), items, complete=True)
        done.append((visit.oid, day))
    if died is not None and died <= today:
        eos = FormKey(subject_id, LOG_EVENT, "F.END_OF_STUDY")
        _save(nurse, eos, death_items(died, today), complete=True)
    for values in adverse_events(course, last_day, rng):
        add_adverse_event(nurse, subject_id, values)
    return done


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


def _record_ranges(admin: Session) -> None:
    """The demo laboratory's reference ranges, recorded once (the forms repeat them)."""
    for table in (LIVER, BLOOD):
        for item, (unit, lln, uln, _low, _high) in table.items():
            lab_range = LabRange(
                laboratory=LAB,
                analyte=item,
                unit=unit,
                lln=lln,
                uln=uln,
                valid_from=date(2020, 1, 1),
            )
            record_lab_range(admin, lab_range)


def _save(session: Session, key: FormKey, items: list[ItemInput], *, complete: bool) -> None:
    """Save as a nurse who confirms the unusual values she meant to enter."""
    try:
        save_form(session, key, items, complete=complete)
    except WarningsNotConfirmed as asked:
        save_form(session, key, items, complete=complete, accepted_warnings=asked.findings)


def _enroll(
    nurse: Session,
    study: Study,
    subject_id: str,
    anchor: date,
    arm: Arm,
    na_drug: str,
    rng: random.Random,
) -> None:
    consent = anchor - timedelta(days=rng.randint(7, 20))
    screen_subject(
        nurse,
        study_version=study.version,
        screened_on=consent.isoformat(),
        initials=_initials(rng),
        subject_id=subject_id,
    )
    enrolment = Enrolment(
        arm=arm.code,
        anchor_date=anchor.isoformat(),
        na_drug=na_drug,
        consent_date=consent.isoformat(),
        consent_version="1.0",
    )
    enroll_subject(nurse, subject_id, enrolment)
