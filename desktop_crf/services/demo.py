"""A demonstration site with synthetic subjects, for training and for trying the app.

Everything goes through the same services as real work, so the demo's audit trail verifies like
any other. The subjects' courses (visits, labs, MRI, HBsAg over time, recurrences, deaths,
adverse events) are drawn in :mod:`desktop_crf.services.demo_course`; a few subjects are still
screening (some already failing a criterion) and the monitor has raised two queries.

A demo site is marked in its metadata: it says so wherever its name is shown and can never be
synced to a server.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services.adverse_events import add_adverse_event
from desktop_crf.services.data_entry import ItemInput, WarningsNotConfirmed, save_form
from desktop_crf.services.demo_course import (
    Course,
    adverse_events,
    death_items,
    plan_course,
    visit_forms,
)
from desktop_crf.services.permissions import Permission
from desktop_crf.services.queries import QueryTarget, raise_query
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject
from desktop_crf.services.visits import LOG_EVENT
from desktop_crf.studies import load_study
from forms.schedule import plan_visits
from forms.study import Arm, Study

DEMO_STUDY = "NCT07553767"
DEMO_SITE = "DEMO"
DEMO_PASSWORD = "demo-password"
DEMO_ROLES = ("nurse", "investigator", "monitor")
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
    root: Path, *, subjects: int = 40, today: date | None = None, progress: Callable[[str], object]
) -> int:
    """Create the demo site in ``root`` with ``subjects`` synthetic enrolled subjects (and one
    in eight more still screening); return the number enrolled."""
    site.init_site(
        root,
        study_id=DEMO_STUDY,
        site_code=DEMO_SITE,
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
            target = QueryTarget(f"{DEMO_SITE}-{n:03d}", event, 1, form, group, 1, item)
            raise_query(monitor, target, text)
    finally:
        site.logout(monitor)
    return subjects


def fill_subjects(
    nurse: Session, count: int, *, today: date, progress: Callable[[str], object]
) -> None:
    """Screen, enrol and record the course of ``count`` synthetic subjects as ``nurse`` (ids
    ``SITE-001``…), then screen one in eight more (some failing a criterion, the others not
    decided yet)."""
    nurse.require(Permission.ENROLL)
    nurse.require(Permission.ENTER_DATA)
    study = load_study(nurse.site.study_id)
    rng = random.Random(20260331)
    prefix = nurse.site.site_code
    for n in range(1, count + 1):
        subject_id = f"{prefix}-{n:03d}"
        anchor = today - timedelta(days=rng.randint(0, 900))
        arm = study.arms[n % len(study.arms)]
        na_drug = rng.choice(arm.na_drugs)
        _enroll(nurse, study, subject_id, anchor, arm, na_drug, rng)
        _follow(nurse, study, subject_id, plan_course(arm, anchor, rng), na_drug, today, rng)
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
) -> None:
    """Record the visits due by ``today``: week 0 on the day of the first dose, the others
    within a few days of their target (now and then late), a few missed, and the latest due
    one sometimes not done yet; none after a death."""
    died = course.anchor + timedelta(days=course.death_day) if course.death_day else None
    plan = [v for v in plan_visits(study, course.anchor) if v.oid != study.visits[0].oid]
    due = [v for v in plan if v.target <= today and (died is None or v.target < died)]
    last_day = min(today, died) if died else today
    for index, visit in enumerate(due):
        latest_due = index == len(due) - 1 and visit.latest < today
        if visit.day > 0 and (rng.random() < 0.04 or (latest_due and rng.random() < 0.3)):
            continue
        shift = 0 if visit.day == 0 else rng.choice([-3, -2, -1, 0, 1, 2, 3, 9])
        day = min(visit.target + timedelta(days=shift), last_day)
        for form, items in visit_forms(course, visit, day, na_drug=na_drug, rng=rng):
            _save(nurse, FormKey(subject_id, visit.oid, form), items, complete=True)
    if died is not None and died <= today:
        eos = FormKey(subject_id, LOG_EVENT, "F.END_OF_STUDY")
        _save(nurse, eos, death_items(died, today), complete=True)
    for values in adverse_events(course, last_day, rng):
        add_adverse_event(nurse, subject_id, values)


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
