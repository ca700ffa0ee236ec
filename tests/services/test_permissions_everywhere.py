"""Every public service function that takes a session checks a permission.

The functions are found by inspection (every public function of every module of
``desktop_crf.services`` whose first parameter is a ``Session``), so a new one without a recipe
here fails ``test_every_session_function_has_a_recipe``. Each is then called as every role,
a patient session included, and must raise ``PermissionDenied`` exactly where
``ROLE_PERMISSIONS`` says so: a patient only ever touches its own subject's questionnaire.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

import httpx
import pytest

import desktop_crf.services as services_package
from desktop_crf.errors import KnownError, PermissionDenied
from desktop_crf.model import FormKey
from desktop_crf.resources import resource_path
from desktop_crf.services import (
    adverse_events,
    ae_log,
    ae_suggestions,
    audit_review,
    casebook,
    csv_export,
    data_entry,
    demo,
    eligibility,
    endpoints,
    kiosk,
    lab_import,
    lab_limits,
    lab_ranges,
    monitoring,
    odm_export,
    overview,
    queries,
    questionnaire,
    reports,
    sdv,
    signatures,
    site,
    subjects,
    sync,
    sync_overview,
    tasks,
    visits,
    wordings,
)
from desktop_crf.services.data_entry import FormSave, ItemInput
from desktop_crf.services.permissions import ROLE_PERMISSIONS, Permission
from desktop_crf.services.queries import QueryTarget
from desktop_crf.services.session import PATIENT_FORM, Session
from desktop_crf.services.subjects import Enrolment
from desktop_crf.store.audit import COLUMNS
from forms.instruments.lab_suggestions import Suggestion
from forms.lab_ranges import LabRange
from sync.rules import entry_refusal
from tests.helpers.enrolled import FAST
from tests.helpers.sites import PASSWORDS, copy_site, login

P = Permission
ROLES = ("admin", "nurse", "investigator", "monitor", "patient")


@dataclass(frozen=True)
class World:
    """What a recipe acts on: a patient's subject with a started questionnaire, another
    subject still in screening, the acting user's password and a folder for files."""

    subject: str
    other: str
    password: str
    files: Path
    form: str = PATIENT_FORM

    def key(self) -> FormKey:
        """The form a patient session may touch (when ``form`` is left as it is)."""
        return FormKey(self.subject, "SE.W0", self.form)


@dataclass(frozen=True)
class Recipe:
    """How to call a function, and who may.

    ``needs``: the permissions a staff role must hold (none: any session). ``patient``:
    ``"no"`` a patient session is refused; ``"own"`` it may, on its own subject's
    questionnaire only; ``"any"`` it may (nothing of a subject is touched).
    """

    call: Callable[[Session, World], object]
    needs: frozenset[Permission]
    patient: Literal["no", "own", "any"] = "no"


def r(
    call: Callable[[Session, World], object],
    *needs: Permission,
    patient: Literal["no", "own", "any"] = "no",
) -> Recipe:
    return Recipe(call, frozenset(needs), patient)


NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 1)
ENROLMENT = Enrolment(arm="PEG_NA", anchor_date="2026-10-05", consent_date="2026-10-01")
ANSWER = [ItemInput("IG.QLQ_ITEMS", "I.QLQ02", "3", reason="transcribed from paper")]
ALT_SUGGESTION = Suggestion(
    "I.ALT",
    "Alanine aminotransferase increased",
    2,
    "ALT > 3 × ULN",
    "ALT > 3 × ULN",
    event="SE.W12",
    form="F.LAB_LIVER",
    value="130",
    unit="U/L",
)


ALT_RANGE = LabRange(
    laboratory="Central lab", analyte="I.ALT", unit="U/L", uln="40", valid_from=date(2026, 1, 1)
)


def _range_file(world: World) -> Path:
    path = world.files / "ranges.csv"
    path.write_text("laboratory,analyte,unit,lln,uln,valid_from\nLab,ALT,U/L,7,40,2026-01-01\n")
    return path


def _results_file(world: World) -> Path:
    path = world.files / "results.csv"
    path.write_text(
        f"subject,sample_date,test,result,unit\n{world.subject},2026-10-05,ALT,30,U/L\n"
    )
    return path


def _refusing_server() -> httpx.Client:
    return httpx.Client(
        base_url="http://sync.invalid",
        transport=httpx.MockTransport(lambda _request: httpx.Response(503)),
    )


RECIPES: dict[str, Recipe] = {
    # adverse events
    "adverse_events.add_adverse_event": r(
        lambda s, w: adverse_events.add_adverse_event(s, w.subject, {"I.AETERM": "Fatigue"}),
        P.ENTER_DATA,
    ),
    "adverse_events.adverse_events": r(
        lambda s, w: adverse_events.adverse_events(s, w.subject, now=NOW), P.VIEW_DATA
    ),
    "adverse_events.ae_summaries": r(
        lambda s, w: adverse_events.ae_summaries(s, now=NOW), P.VIEW_DATA
    ),
    "adverse_events.ae_grade_choices": r(
        lambda s, w: adverse_events.ae_grade_choices(s, "Fatigue"), P.VIEW_DATA
    ),
    "ae_log.ae_repeats": r(lambda s, w: ae_log.ae_repeats(s, w.subject), P.VIEW_DATA),
    # lab values and the AEs they suggest
    "ae_suggestions.lab_suggestions": r(
        lambda s, w: ae_suggestions.lab_suggestions(s, FormKey(w.subject, "SE.W0", "F.LAB_LIVER")),
        P.VIEW_DATA,
    ),
    "ae_suggestions.decline_suggestion": r(
        lambda s, w: ae_suggestions.decline_suggestion(
            s, FormKey(w.subject, "SE.W12", "F.LAB_LIVER"), ALT_SUGGESTION, reason="lab error"
        ),
        P.ENTER_DATA,
    ),
    "ae_suggestions.declined_suggestions": r(
        lambda s, w: ae_suggestions.declined_suggestions(s, w.subject), P.VIEW_DATA
    ),
    "ae_suggestions.link_reviews": r(
        lambda s, w: ae_suggestions.link_reviews(s, w.subject), P.VIEW_DATA
    ),
    "ae_suggestions.linked_ae_reviews": r(
        lambda s, w: ae_suggestions.linked_ae_reviews(s, w.subject), P.VIEW_DATA
    ),
    "ae_suggestions.linked_sources": r(
        lambda s, w: ae_suggestions.linked_sources(s, w.subject), P.VIEW_DATA
    ),
    "ae_suggestions.review_linked_ae": r(
        lambda s, w: ae_suggestions.review_linked_ae(s, w.subject, 1, reason="value corrected"),
        P.ENTER_DATA,
    ),
    # lab results from a laboratory's file
    "lab_import.preview_lab_import": r(
        lambda s, w: lab_import.preview_lab_import(s, _results_file(w)), P.ENTER_DATA
    ),
    "lab_import.commit_lab_import": r(
        lambda s, w: lab_import.commit_lab_import(s, _results_file(w), expected="0"),
        P.ENTER_DATA,
    ),
    # laboratory reference ranges (the laboratories' data: staff see them, the admin records)
    "lab_ranges.list_lab_ranges": r(lambda s, w: lab_ranges.list_lab_ranges(s), P.VIEW_LAB_RANGES),
    "lab_ranges.known_laboratories": r(
        lambda s, w: lab_ranges.known_laboratories(s), P.VIEW_LAB_RANGES
    ),
    "lab_ranges.record_lab_range": r(
        lambda s, w: lab_ranges.record_lab_range(s, ALT_RANGE), P.MANAGE_LAB_RANGES
    ),
    "lab_ranges.remove_lab_range": r(
        lambda s, w: lab_ranges.remove_lab_range(s, ALT_RANGE, reason="mistake"),
        P.MANAGE_LAB_RANGES,
    ),
    "lab_ranges.preview_range_file": r(
        lambda s, w: lab_ranges.preview_range_file(s, _range_file(w)), P.MANAGE_LAB_RANGES
    ),
    "lab_ranges.import_range_file": r(
        lambda s, w: lab_ranges.import_range_file(s, _range_file(w)), P.MANAGE_LAB_RANGES
    ),
    "lab_limits.form_limits": r(
        lambda s, w: lab_limits.form_limits(s, FormKey(w.subject, "SE.W0", "F.LAB_LIVER")),
        P.VIEW_DATA,
    ),
    # endpoints
    "endpoints.subject_data": r(lambda s, w: endpoints.subject_data(s, w.subject), P.VIEW_DATA),
    "endpoints.subject_endpoints": r(
        lambda s, w: endpoints.subject_endpoints(s, w.subject), P.VIEW_DATA
    ),
    # audit review
    "audit_review.audit_entries": r(
        lambda s, w: audit_review.audit_entries(s, limit=5), P.VIEW_AUDIT
    ),
    "audit_review.audit_filter_choices": r(
        lambda s, w: audit_review.audit_filter_choices(s), P.VIEW_AUDIT
    ),
    "audit_review.export_audit_csv": r(
        lambda s, w: audit_review.export_audit_csv(s, w.files / "trail.csv"),
        P.VIEW_AUDIT,
        P.EXPORT,
    ),
    # exports of clinical data
    "casebook.casebook": r(lambda s, w: casebook.casebook(s, w.subject), P.VIEW_DATA, P.VIEW_AUDIT),
    "casebook.export_casebook": r(
        lambda s, w: casebook.export_casebook(
            s, w.subject, w.files / "casebook.pdf", render=lambda _b, _o, out: out.write(b"%PDF")
        ),
        P.EXPORT,
        P.VIEW_DATA,
        P.VIEW_AUDIT,
    ),
    "csv_export.export_csv": r(
        lambda s, w: csv_export.export_csv(s, w.files / "site.zip"), P.EXPORT, P.VIEW_DATA
    ),
    "odm_export.export_odm": r(
        lambda s, w: odm_export.export_odm(s, w.files / "site.xml"), P.EXPORT, P.VIEW_DATA
    ),
    # data entry
    "data_entry.autosave": r(
        lambda s, w: data_entry.autosave(s, w.key(), {"fields": {}}), P.ENTER_DATA, patient="own"
    ),
    "data_entry.form_findings": r(
        lambda s, w: data_entry.form_findings(s, w.key()), P.VIEW_DATA, patient="own"
    ),
    "data_entry.load_form": r(
        lambda s, w: data_entry.load_form(s, w.key()), P.VIEW_DATA, patient="own"
    ),
    "data_entry.load_subject": r(lambda s, w: data_entry.load_subject(s, w.subject), P.VIEW_DATA),
    "data_entry.pending_autosave": r(
        lambda s, w: data_entry.pending_autosave(s, w.key()), P.ENTER_DATA, patient="own"
    ),
    "data_entry.save_form": r(
        lambda s, w: data_entry.save_form(s, w.key(), ANSWER), P.ENTER_DATA, patient="own"
    ),
    "data_entry.save_forms": r(
        lambda s, w: data_entry.save_forms(s, [FormSave(w.key(), ANSWER)]),
        P.ENTER_DATA,
        patient="own",
    ),
    "data_entry.validation_context": r(
        lambda s, w: data_entry.validation_context(s, w.key()), P.VIEW_DATA, patient="own"
    ),
    "data_entry.same_visit_values": r(
        lambda s, w: data_entry.same_visit_values(s, w.key()), P.VIEW_DATA, patient="own"
    ),
    # the demo builder enters data as the session's user
    "reports.site_summary": r(
        lambda s, w: reports.site_summary(s, today=TODAY, now=NOW), P.VIEW_DATA
    ),
    "demo.fill_subjects": r(
        lambda s, w: demo.fill_subjects(s, 1, today=TODAY, progress=lambda _line: None),
        P.ENROLL,
        P.ENTER_DATA,
    ),
    # eligibility
    "eligibility.enrol_eligible": r(
        lambda s, w: eligibility.enrol_eligible(s, w.other, ENROLMENT), P.ENROLL
    ),
    "eligibility.screening_data": r(
        lambda s, w: eligibility.screening_data(s, w.subject), P.VIEW_DATA
    ),
    "eligibility.screening_eligibility": r(
        lambda s, w: eligibility.screening_eligibility(s, w.subject), P.VIEW_DATA
    ),
    # the patient tablet: staff hand over and take back; the patient answers its own
    # questionnaire (the world's patient session has no hand-over: refused as not found)
    "kiosk.hand_over": r(lambda s, w: kiosk.hand_over(s, w.key()), P.OPEN_PATIENT_MODE),
    "kiosk.pending_handover": r(lambda s, w: kiosk.pending_handover(s), P.OPEN_PATIENT_MODE),
    "kiosk.resume_handover": r(lambda s, w: kiosk.resume_handover(s), P.OPEN_PATIENT_MODE),
    "kiosk.set_kiosk_pin": r(
        lambda s, w: kiosk.set_kiosk_pin(s, w.password, "482913"), P.OPEN_PATIENT_MODE
    ),
    "kiosk.has_kiosk_pin": r(lambda s, w: kiosk.has_kiosk_pin(s), P.OPEN_PATIENT_MODE),
    "kiosk.require_handover": r(
        lambda s, w: kiosk.require_handover(s), P.PATIENT_QUESTIONNAIRE, patient="any"
    ),
    "kiosk.end_handover": r(
        lambda s, w: kiosk.end_handover(s, "nurse", w.password, method="password"),
        P.PATIENT_QUESTIONNAIRE,
        patient="any",
    ),
    "questionnaire.kiosk_state": r(
        lambda s, w: questionnaire.kiosk_state(s), P.PATIENT_QUESTIONNAIRE, patient="any"
    ),
    "questionnaire.choose_language": r(
        lambda s, w: questionnaire.choose_language(s, "en", today=TODAY),
        P.PATIENT_QUESTIONNAIRE,
        patient="any",
    ),
    "questionnaire.answer_question": r(
        lambda s, w: questionnaire.answer_question(s, 1, 2),
        P.PATIENT_QUESTIONNAIRE,
        patient="any",
    ),
    "questionnaire.finish_questionnaire": r(
        lambda s, w: questionnaire.finish_questionnaire(s), P.PATIENT_QUESTIONNAIRE, patient="any"
    ),
    "questionnaire.questionnaire_summaries": r(
        lambda s, w: questionnaire.questionnaire_summaries(s, w.subject), P.VIEW_DATA
    ),
    # questionnaire wordings: anyone reads which exist; importing one is a permission
    "wordings.import_wording": r(
        lambda s, w: wordings.import_wording(
            s, wordings.read_wording_file(resource_path("demo", "qlq_c30_zh-CN.json"))
        ),
        P.MANAGE_INSTRUMENTS,
    ),
    "wordings.installed_wordings": r(lambda s, w: wordings.installed_wordings(s), patient="any"),
    "wordings.load_wording": r(lambda s, w: wordings.load_wording(s, "en"), patient="any"),
    # queries (another engineer's module)
    "queries.answer_query": r(lambda s, w: queries.answer_query(s, 1, "Checked."), P.ANSWER_QUERY),
    "queries.close_query": r(lambda s, w: queries.close_query(s, 1, "Fine."), P.RAISE_QUERY),
    "queries.raise_query": r(
        lambda s, w: queries.raise_query(s, QueryTarget(w.subject), "Please check."),
        P.RAISE_QUERY,
    ),
    "queries.reopen_query": r(lambda s, w: queries.reopen_query(s, 1, "Again."), P.RAISE_QUERY),
    "queries.resolve_conflict": r(
        lambda s, w: queries.resolve_conflict(
            s, w.key(), item_group="IG.QLQ_ITEMS", item="I.QLQ01", value="2", reason="checked"
        ),
        P.ENTER_DATA,
    ),
    "queries.server_queries": r(lambda s, w: queries.server_queries(s), P.VIEW_DATA),
    # signatures
    "sdv.verify_item": r(
        lambda s, w: sdv.verify_item(s, w.key(), item_group="IG.QLQ_ITEMS", item="I.QLQ01"),
        P.VERIFY_SOURCE,
    ),
    "sdv.verify_form": r(lambda s, w: sdv.verify_form(s, w.key()), P.VERIFY_SOURCE),
    "sdv.verify_visit": r(lambda s, w: sdv.verify_visit(s, w.subject, "SE.W0"), P.VERIFY_SOURCE),
    "sdv.form_sdv": r(lambda s, w: sdv.form_sdv(s, w.key()), P.VIEW_DATA),
    "sdv.site_progress": r(lambda s, w: sdv.site_progress(s), P.VIEW_DATA),
    "sdv.subject_progress": r(lambda s, w: sdv.subject_progress(s, w.subject), P.VIEW_DATA),
    "sdv.changed_since_verified": r(lambda s, w: sdv.changed_since_verified(s), P.VIEW_DATA),
    "sdv.critical_due": r(lambda s, w: sdv.critical_due(s), P.VIEW_DATA),
    "monitoring.start_visit": r(
        lambda s, w: monitoring.start_visit(s, "routine"), P.MONITORING_VISIT
    ),
    "monitoring.current_visit": r(lambda s, w: monitoring.current_visit(s), P.VIEW_DATA),
    "monitoring.monitoring_visits": r(lambda s, w: monitoring.monitoring_visits(s), P.VIEW_DATA),
    "monitoring.close_visit": r(
        lambda s, w: monitoring.close_visit(s, "0" * 32, "Remarks."), P.MONITORING_VISIT
    ),
    "monitoring.sign_visit_report": r(
        lambda s, w: monitoring.sign_visit_report(s, "0" * 32, w.password), P.MONITORING_VISIT
    ),
    "monitoring.visit_summary": r(lambda s, w: monitoring.visit_summary(s, "0" * 32), P.VIEW_DATA),
    "monitoring.visit_report": r(lambda s, w: monitoring.visit_report(s, "0" * 32), P.VIEW_DATA),
    "monitoring.query_report": r(lambda s, w: monitoring.query_report(s), P.VIEW_DATA),
    "monitoring.sdv_report": r(lambda s, w: monitoring.sdv_report(s), P.VIEW_DATA),
    "monitoring.export_report": r(
        lambda s, w: monitoring.export_report(
            s, w.files / "r.pdf", kind="sdv-report", render=lambda report, out: out.write(b"%PDF")
        ),
        P.EXPORT,
        P.VIEW_DATA,
    ),
    "tasks.tasks": r(lambda s, w: tasks.tasks(s, today=TODAY, now=NOW), P.VIEW_DATA),
    "signatures.sign_form": r(lambda s, w: signatures.sign_form(s, w.key(), w.password), P.SIGN),
    "signatures.sign_visit": r(
        lambda s, w: signatures.sign_visit(s, w.subject, "SE.W0", 1, w.password), P.SIGN
    ),
    # site, users and passwords
    "site.add_user": r(
        lambda s, w: site.add_user(
            s, "eve", role="nurse", password="eve-password", admin_password=w.password
        ),
        P.MANAGE_USERS,
    ),
    "site.change_password": r(
        lambda s, w: site.change_password(s, w.password, "a-new-password"), P.OWN_ACCOUNT
    ),
    # the password check itself (e-signature, staff leaving patient mode): any session
    "site.check_password_of": r(lambda s, w: site.check_password_of(s, w.password), patient="any"),
    # locking only closes: the idle lock must work in patient mode too
    "site.lock": r(lambda s, w: site.lock(s), patient="any"),
    "site.logout": r(lambda s, w: site.logout(s), P.OWN_ACCOUNT),
    "site.open_patient_session": r(
        lambda s, w: site.open_patient_session(s, w.subject), P.OPEN_PATIENT_MODE
    ),
    "site.verify_audit": r(lambda s, w: site.verify_audit(s), P.VIEW_AUDIT),
    # subjects
    "subjects.enroll_subject": r(
        lambda s, w: subjects.enroll_subject(s, w.other, ENROLMENT), P.ENROLL
    ),
    "subjects.list_subjects": r(lambda s, w: subjects.list_subjects(s), P.VIEW_DATA),
    "subjects.next_subject_id": r(lambda s, w: subjects.next_subject_id(s), P.ENROLL),
    "subjects.screen_subject": r(
        lambda s, w: subjects.screen_subject(s, study_version="1.0", screened_on="2026-10-01"),
        P.ENROLL,
    ),
    "subjects.subject_rows": r(lambda s, w: subjects.subject_rows(s, today=TODAY), P.VIEW_DATA),
    "subjects.visit_dates": r(lambda s, w: subjects.visit_dates(s), P.VIEW_DATA),
    # sync (another engineer's modules)
    "sync.enroll_device": r(
        lambda s, w: sync.enroll_device(
            s, server_url="http://sync.invalid", token="t", http=_refusing_server(), retry=FAST
        ),
        P.MANAGE_USERS,  # enrolment binds the site admin's key
    ),
    "sync.bind_monitor": r(
        lambda s, w: sync.bind_monitor(s, token="t", http=_refusing_server(), retry=FAST),
        P.RAISE_QUERY,
    ),
    "sync.plan_round": r(lambda s, w: sync.plan_round(s), P.SYNC),
    "sync.quarantined_sets": r(lambda s, w: sync.quarantined_sets(s), P.SYNC),
    "sync.record_round": r(lambda s, w: sync.record_round(s, None), P.SYNC),
    "sync.set_aside_records": r(lambda s, w: sync.set_aside_records(s), P.SYNC),
    "sync.sync_now": r(lambda s, w: sync.sync_now(s, retry=FAST), P.SYNC),
    "sync.sync_status": r(lambda s, w: sync.sync_status(s), P.SYNC),
    "sync.update_noticed": r(lambda s, w: sync.update_noticed(s, "9.0"), P.SYNC),
    "sync_overview.subject_sync_counts": r(
        lambda s, w: sync_overview.subject_sync_counts(s), P.VIEW_DATA
    ),
    # what a screen reads in one call
    "overview.subject_list": r(
        lambda s, w: overview.subject_list(s, today=TODAY, now=NOW), P.VIEW_DATA
    ),
    "overview.sync_tab": r(lambda s, w: overview.sync_tab(s), P.SYNC),
    "overview.subject_overview": r(
        lambda s, w: overview.subject_overview(s, w.subject, today=TODAY, now=NOW), P.VIEW_DATA
    ),
    "subjects.consent_on_file": r(lambda s, w: subjects.consent_on_file(s, w.subject), P.VIEW_DATA),
    # a subject's status
    "subjects.screen_fail": r(
        lambda s, w: subjects.screen_fail(s, w.other, reason="platelets 80"), P.ENROLL
    ),
    "subjects.withdraw_subject": r(
        lambda s, w: subjects.withdraw_subject(s, w.subject, reason="moved", day="2026-11-01"),
        P.ENROLL,
    ),
    "subjects.discard_screening": r(
        lambda s, w: subjects.discard_screening(s, w.other, reason="opened twice"), P.ENROLL
    ),
    # visits
    "visits.form_states": r(lambda s, w: visits.form_states(s, w.subject), P.VIEW_DATA),
    "visits.subject_timeline": r(
        lambda s, w: visits.subject_timeline(s, w.subject, today=TODAY), P.VIEW_DATA
    ),
}


def session_functions() -> Iterator[str]:
    """``module.function`` of every public function of the services whose first parameter
    is a ``Session``."""
    for info in pkgutil.iter_modules(services_package.__path__):
        module = importlib.import_module(f"{services_package.__name__}.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(function).parameters.values())
            if parameters and parameters[0].annotation in ("Session", Session):
                yield f"{info.name}.{name}"


def test_every_session_function_has_a_recipe() -> None:
    found = set(session_functions())
    assert found - set(RECIPES) == set(), "add a recipe (and a permission check) for these"
    assert set(RECIPES) - found == set(), "these are gone: remove their recipes"


def denied(recipe: Recipe, role: str) -> bool:
    if role == "patient":
        return recipe.patient == "no"
    return not recipe.needs <= ROLE_PERMISSIONS[role]


# -- a small site with two subjects, built once and copied for every call -------------------


@pytest.fixture(scope="module")
def world_template(
    site_template: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str, str]:
    root = copy_site(site_template[0], tmp_path_factory.mktemp("world") / "site")
    nurse = login(root, "nurse")
    try:
        mine = subjects.screen_subject(nurse, study_version="1.0", screened_on="2026-10-01")
        other = subjects.screen_subject(nurse, study_version="1.0", screened_on="2026-10-01")
        assert mine.subject_id is not None
        assert other.subject_id is not None
        qlq = FormKey(mine.subject_id, "SE.W0", PATIENT_FORM)
        answer = ItemInput("IG.QLQ_ITEMS", "I.QLQ01", "2", reason="transcribed from paper")
        data_entry.save_form(nurse, qlq, [answer])
    finally:
        nurse.close()
    return root, mine.subject_id, other.subject_id


@pytest.fixture
def act_as(
    world_template: tuple[Path, str, str], tmp_path: Path
) -> Iterator[Callable[[str], tuple[Session, World]]]:
    """A fresh copy of the world and a session of the role asked for."""
    template, mine, other = world_template
    opened: list[Session] = []

    def open_as(role: str) -> tuple[Session, World]:
        root = copy_site(template, tmp_path / "site")
        staff = "nurse" if role == "patient" else role
        session = login(root, staff)
        opened.append(session)
        if role == "patient":
            session = site.open_patient_session(session, mine)
        files = tmp_path / "files"
        files.mkdir()
        return session, World(mine, other, PASSWORDS[staff], files)

    yield open_as
    for session in opened:
        session.close()


def _cases() -> Iterator[object]:
    for name in sorted(RECIPES):
        for role in ROLES:
            yield pytest.param(name, role, id=f"{name}-{role}")


@pytest.mark.parametrize(("name", "role"), list(_cases()))
def test_each_role_is_refused_exactly_where_the_table_says(
    name: str, role: str, act_as: Callable[[str], tuple[Session, World]]
) -> None:
    recipe = RECIPES[name]
    session, world = act_as(role)
    if denied(recipe, role):
        with pytest.raises(PermissionDenied):
            recipe.call(session, world)
        return
    try:
        recipe.call(session, world)
    except PermissionDenied:  # pragma: no cover - the assertion below explains
        pytest.fail(f"{name} refused a {role}, whom ROLE_PERMISSIONS allows")
    except KnownError:
        pass  # allowed, and refused for another reason (no such query, not eligible…)
    if session.is_open:  # what the app wrote, the server's rules (the same table) accept
        columns = ", ".join(COLUMNS)
        for row in session.db.execute(f"SELECT {columns} FROM audit").fetchall():
            entry = dict(zip(COLUMNS, row, strict=True))
            assert entry_refusal(entry) is None, (name, role, entry["action"])


OWN_ONLY = sorted(name for name, recipe in RECIPES.items() if recipe.patient == "own")


@pytest.mark.parametrize("name", OWN_ONLY)
def test_a_patient_touches_only_its_own_questionnaire(
    name: str, act_as: Callable[[str], tuple[Session, World]]
) -> None:
    session, world = act_as("patient")
    another_subject = replace(world, subject=world.other, other=world.subject)
    another_form = replace(world, form="F.LAB_LIVER")
    for elsewhere in (another_subject, another_form):
        with pytest.raises(PermissionDenied):
            RECIPES[name].call(session, elsewhere)


def test_the_table_lists_the_patient_questionnaire_recipes() -> None:
    assert OWN_ONLY == [
        "data_entry.autosave",
        "data_entry.form_findings",
        "data_entry.load_form",
        "data_entry.pending_autosave",
        "data_entry.same_visit_values",
        "data_entry.save_form",
        "data_entry.save_forms",
        "data_entry.validation_context",
    ]
