"""AE log services: lab suggestions from a saved lab form, new AEs, SAE clock, causality."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desktop_crf.model import FormKey
from desktop_crf.services.adverse_events import (
    add_adverse_event,
    adverse_events,
    ae_grade_choices,
    ae_key,
    ae_summaries,
    causality_suggestion,
    lab_suggestions,
    suggestion_values,
)
from desktop_crf.services.data_entry import (
    CLINICAL_CHECKS,
    ClinicalContradiction,
    FormHasErrors,
    ItemInput,
    form_findings,
)
from desktop_crf.services.subjects import screen_subject
from desktop_crf.store import repository as repo
from desktop_crf.studies import load_form
from forms.validation import Severity, ValidationContext, validate
from tests.helpers.saving import save_confirmed


def test_a_high_alt_suggests_a_graded_ae_that_enters_the_log(nurse) -> None:
    sid = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    assert sid is not None
    key = FormKey(sid, "SE.W12", "F.LAB_LIVER")
    save_confirmed(
        nurse,
        key,
        [ItemInput("IG.LIVER", "I.ALT", "152"), ItemInput("IG.LIVER", "I.ALT_ULN", "40")],
    )
    (suggestion,) = lab_suggestions(nurse, key)
    assert (suggestion.term, suggestion.grade) == ("Alanine aminotransferase increased", 2)
    add_adverse_event(nurse, sid, suggestion_values(suggestion))
    add_adverse_event(
        nurse,
        sid,
        {
            "I.AETERM": "Fatigue",
            "I.AEGRADE": "3",
            "I.AESER": "Y",
            "I.AEAWARE_DATE": "2026-04-01",
            "I.AEAWARE_TIME": "08:00",
        },
    )
    now = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
    events = adverse_events(nurse, sid, now=now)
    assert [(e.repeat, e.term) for e in events] == [
        (1, "Alanine aminotransferase increased"),
        (2, "Fatigue"),
    ]
    assert events[1].clock is not None
    assert events[1].clock.overdue
    summary = ae_summaries(nurse, now=now)[sid]
    assert summary.open_count == 2
    assert summary.sae_clock is not None


def test_causality_suggestion_follows_who_umc() -> None:
    answers = {
        "I.AEREL_NA_TIME": "improbable",
        "I.AEREL_NA_ALT": "plausible",
        "I.AEREL_NA_DECH": "not_done",
        "I.AEREL_NA_RECH": "not_done",
    }
    assessments = load_form("F.AE").adverse_event.causality
    by_drug = {assessment.drug: assessment for assessment in assessments}
    assert causality_suggestion(answers, by_drug["NA"]) == "unlikely"
    assert causality_suggestion({}, by_drug["PEG"]) is None


def _ae(term: str, grade: str, serious: str = "N", ongoing: str = "Y") -> dict[str, str]:
    return {"I.AETERM": term, "I.AEGRADE": grade, "I.AESER": serious, "I.AEONGO": ongoing}


def test_recurrence_study_counts_aes_from_grade_2(recurrence_nurse) -> None:
    sid = screen_subject(recurrence_nurse, study_version="1.0", screened_on="2026-01-02")
    assert sid.subject_id is not None
    subject = sid.subject_id
    add_adverse_event(recurrence_nurse, subject, _ae("Fatigue", "1"))
    add_adverse_event(recurrence_nurse, subject, _ae("Fatigue", "2"))
    add_adverse_event(recurrence_nurse, subject, _ae("Nausea", "1", serious="Y"))
    add_adverse_event(recurrence_nurse, subject, {"I.AETERM": "Anorexia", "I.AEONGO": "Y"})
    now = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
    events = adverse_events(recurrence_nurse, subject, now=now)
    # grade 1 below the threshold; grade 2; serious whatever its grade; not graded yet
    assert [e.reportable for e in events] == [False, True, True, True]
    assert ae_summaries(recurrence_nurse, now=now)[subject].open_count == 3


def test_nct_counts_every_grade(nurse) -> None:
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    assert subject is not None
    add_adverse_event(nurse, subject, _ae("Fatigue", "1"))
    now = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
    assert [e.reportable for e in adverse_events(nurse, subject, now=now)] == [True]
    assert ae_summaries(nurse, now=now)[subject].open_count == 1


def _subject_id(session) -> str:
    subject = screen_subject(session, study_version="1.0", screened_on="2026-01-02").subject_id
    assert subject is not None
    return subject


def _fatal(**changes: str) -> dict[str, str]:
    values = {
        "I.AETERM": "Anemia",
        "I.AEGRADE": "5",
        "I.AEOUT": "fatal",
        "I.AESER": "Y",
        "I.AESCRIT": "death",
        "I.AEAWARE_DATE": "2026-04-01",
        "I.AEAWARE_TIME": "08:00",
    }
    return {k: v for k, v in {**values, **changes}.items() if v}


@pytest.mark.parametrize(
    "values",
    [
        _fatal(**{"I.AESER": "N", "I.AESCRIT": ""}),  # grade 5 and fatal, "not serious"
        _fatal(**{"I.AEGRADE": "4", "I.AESER": "N", "I.AESCRIT": ""}),  # fatal outcome
        _fatal(**{"I.AEOUT": "recovered", "I.AESER": "N", "I.AESCRIT": ""}),  # grade 5
        _fatal(**{"I.AESCRIT": "hospitalisation"}),  # serious, but not by death
    ],
)
def test_a_fatal_ae_cannot_be_saved_without_the_death_criterion(nurse, values) -> None:
    subject = _subject_id(nurse)
    with pytest.raises(ClinicalContradiction, match="Results in death"):
        add_adverse_event(nurse, subject, values)
    assert repo.form_values(nurse.db, ae_key(subject)) == {}  # nothing was written


def test_a_fatal_ae_being_entered_is_kept_as_a_draft_but_not_completed(nurse) -> None:
    subject = _subject_id(nurse)
    # seriousness not answered yet (so the SAE awareness time does not apply yet either)
    draft = _fatal(**{"I.AESER": "", "I.AESCRIT": "", "I.AEAWARE_DATE": "", "I.AEAWARE_TIME": ""})
    add_adverse_event(nurse, subject, draft)
    key = ae_key(subject)
    with pytest.raises(FormHasErrors, match="Results in death"):
        save_confirmed(nurse, key, [], complete=True)
    fix = [ItemInput("IG.AE", "I.AESER", "Y", group_repeat=1)]
    fix.append(ItemInput("IG.AE", "I.AESCRIT", "death,hospitalisation", group_repeat=1))
    fix.append(ItemInput("IG.AE", "I.AEAWARE_DATE", "2026-04-01", group_repeat=1))
    fix.append(ItemInput("IG.AE", "I.AEAWARE_TIME", "08:00", group_repeat=1))
    save_confirmed(nurse, key, fix)
    assert [f.key for f in form_findings(nurse, key) if f.key in CLINICAL_CHECKS] == []
    (event,) = adverse_events(nurse, subject, now=datetime(2026, 4, 1, 9, 0, tzinfo=UTC))
    assert event.serious
    assert event.clock is not None  # the 24-hour SAE clock runs


def test_the_form_shows_the_fatal_rule_as_an_error() -> None:
    values = {f"IG.AE[1]/{item}": v for item, v in _fatal(**{"I.AESER": "N"}).items()}
    del values["IG.AE[1]/I.AESCRIT"]
    findings = validate(load_form("F.AE"), values, ValidationContext(today=date(2026, 4, 2)))
    errors = {(f.path, f.key) for f in findings if f.severity is Severity.ERROR}
    assert ("IG.AE[1]/I.AEGRADE", "requires") in errors
    assert ("IG.AE[1]/I.AEOUT", "requires") in errors


def test_only_the_grades_ctcae_defines_for_the_term_can_be_saved(nurse) -> None:
    subject = _subject_id(nurse)
    with pytest.raises(ClinicalContradiction, match="no grade 4 for Fatigue"):
        add_adverse_event(nurse, subject, {"I.AETERM": "Fatigue", "I.AEGRADE": "4"})
    add_adverse_event(nurse, subject, {"I.AETERM": "Fatigue", "I.AEGRADE": "3"})
    key = ae_key(subject)
    with pytest.raises(ClinicalContradiction, match="no grade 4 for Fatigue"):
        save_confirmed(nurse, key, [ItemInput("IG.AE", "I.AEGRADE", "4", reason="worse")])
    with pytest.raises(ClinicalContradiction, match="no grade 3 for Death NOS"):
        save_confirmed(nurse, key, [ItemInput("IG.AE", "I.AETERM", "Death NOS", reason="typo")])
    choices = ae_grade_choices(nurse, "Fatigue")
    assert [c.grade for c in choices] == [1, 2, 3]
    assert choices[0].text.startswith("Fatigue relieved by rest")
    assert ae_grade_choices(nurse, "not a term") == []


def test_each_event_carries_its_terms_chinese_names(nurse) -> None:
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    assert subject is not None
    add_adverse_event(nurse, subject, _ae("Anemia", "1"))
    add_adverse_event(nurse, subject, _ae("Fatigue", "1"))
    now = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
    events = adverse_events(nurse, subject, now=now)
    assert events[0].local_names == ("贫血",)
    assert events[0].term == "Anemia"  # the CTCAE term is what is kept
    assert all("贫血" not in name for name in events[1].local_names)
