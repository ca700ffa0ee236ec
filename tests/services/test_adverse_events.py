"""AE log services: lab suggestions from a saved lab form, new AEs, SAE clock, causality."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop_crf.model import FormKey
from desktop_crf.services.adverse_events import (
    add_adverse_event,
    adverse_events,
    ae_summaries,
    causality_suggestion,
    lab_suggestions,
    suggestion_values,
)
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.subjects import screen_subject


def test_a_high_alt_suggests_a_graded_ae_that_enters_the_log(nurse) -> None:
    sid = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    assert sid is not None
    key = FormKey(sid, "SE.W12", "F.LAB_LIVER")
    save_form(
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
    assert causality_suggestion(answers, "NA") == "unlikely"
    assert causality_suggestion({}, "PEG") is None


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
