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
