"""AE reconciliation as the issue's nurse met it: an AE created from a lab value stays linked
to it (onset = sample date; flagged for review with old → new when the value changes; no
duplicate offered), and a declined suggestion is recorded and not offered again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop_crf.errors import InvalidInput, PermissionDenied, ReasonRequired
from desktop_crf.model import FormKey
from desktop_crf.services.adverse_events import (
    DECLINE_ACTION,
    add_adverse_event,
    adverse_events,
    ae_key,
    ae_summaries,
    decline_suggestion,
    declined_suggestions,
    lab_suggestions,
    review_linked_ae,
    suggestion_values,
)
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.subjects import screen_subject
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import trail
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import login

NOW = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)


def _liver(nurse, sid: str, alt: str, *, reason: str | None = None) -> FormKey:
    key = FormKey(sid, "SE.W12", "F.LAB_LIVER")
    items = [
        ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-04-10"),
        ItemInput("IG.LIVER", "I.ALT", alt),
        ItemInput("IG.LIVER", "I.ALT_ULN", "40"),
    ]
    save_confirmed(nurse, key, items, reason=reason)
    return key


def _subject(nurse) -> str:
    sid = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    assert sid is not None
    return sid


def test_an_ae_from_a_lab_value_takes_the_sample_date_and_stays_linked(nurse) -> None:
    sid = _subject(nurse)
    key = _liver(nurse, sid, "1250")
    (suggestion,) = lab_suggestions(nurse, key)
    assert suggestion.grade == 4
    values = suggestion_values(suggestion)
    assert values["I.AESTDAT"] == "2026-04-10"  # the onset is the sample date
    assert values["I.AELABSRC"] == "SE.W12[1]/F.LAB_LIVER/I.ALT"
    assert values["I.AELABVAL"] == "1250"
    add_adverse_event(nurse, sid, values)
    assert lab_suggestions(nurse, key) == []  # in the log: not offered twice
    with pytest.raises(InvalidInput, match="already in the AE log"):
        add_adverse_event(nurse, sid, values)

    # The nurse corrects the value: the AE is flagged for review, no second AE is offered.
    _liver(nurse, sid, "125", reason="transcription error")
    assert lab_suggestions(nurse, key) == []
    (event,) = adverse_events(nurse, sid, now=NOW)
    assert event.review is not None
    assert (event.review.old, event.review.new) == ("1250", "125")
    assert event.review.suggestion is not None
    assert event.review.suggestion.grade == 2  # what the corrected value grades now
    assert event.grade == "4"  # unchanged until someone reviews it
    assert ae_summaries(nurse, now=NOW)[sid].to_review == 1

    review_linked_ae(nurse, sid, event.repeat, grade="2", reason="lab value corrected")
    (event,) = adverse_events(nurse, sid, now=NOW)
    assert event.review is None
    assert event.grade == "2"
    saved = repo.form_values(nurse.db, ae_key(sid))
    assert saved[("IG.AE", 1, "I.AELABVAL")].value == "125"
    assert ae_summaries(nurse, now=NOW)[sid].to_review == 0


def test_a_review_needs_a_reason_and_a_flag(nurse) -> None:
    sid = _subject(nurse)
    key = _liver(nurse, sid, "1250")
    add_adverse_event(nurse, sid, suggestion_values(lab_suggestions(nurse, key)[0]))
    with pytest.raises(InvalidInput, match="nothing to review"):
        review_linked_ae(nurse, sid, 1, reason="checked")
    _liver(nurse, sid, "900", reason="repeat sample")
    with pytest.raises(InvalidInput, match="reason"):
        review_linked_ae(nurse, sid, 1, reason="  ")
    review_linked_ae(nurse, sid, 1, reason="still grade 4")  # grade kept
    (event,) = adverse_events(nurse, sid, now=NOW)
    assert (event.grade, event.review) == ("4", None)


def test_a_declined_suggestion_is_recorded_and_not_offered_again(nurse, site_dir) -> None:
    sid = _subject(nurse)
    key = _liver(nurse, sid, "1250")
    (suggestion,) = lab_suggestions(nurse, key)
    with pytest.raises(ReasonRequired):
        decline_suggestion(nurse, key, suggestion, reason="  ")
    decline_suggestion(nurse, key, suggestion, reason="haemolysed sample, repeat requested")
    assert lab_suggestions(nurse, key) == []  # the same value: not offered again
    (declined,) = declined_suggestions(nurse, sid)
    assert (declined.user, declined.role) == ("nurse", "nurse")
    assert declined.reason == "haemolysed sample, repeat requested"
    assert (declined.source, declined.value) == ("SE.W12[1]/F.LAB_LIVER/I.ALT", "1250")
    assert (declined.term, declined.grade) == ("Alanine aminotransferase increased", 4)
    assert declined.at.endswith("Z")
    # the decision is an audit entry (so it travels by sync like any other change)
    (entry,) = [e for e in trail(nurse.db, subject=sid) if e["action"] == DECLINE_ACTION]
    assert (entry["user"], entry["reason"], entry["item"]) == (
        "nurse",
        "haemolysed sample, repeat requested",
        "I.ALT",
    )
    # A new value is a new question: it is offered again.
    _liver(nurse, sid, "1300", reason="repeat sample")
    assert [s.value for s in lab_suggestions(nurse, key)] == ["1300"]


def test_only_staff_who_enter_data_decline(nurse, site_dir) -> None:
    sid = _subject(nurse)
    key = _liver(nurse, sid, "1250")
    (suggestion,) = lab_suggestions(nurse, key)
    monitor = login(site_dir, "monitor")
    try:
        with pytest.raises(PermissionDenied):
            decline_suggestion(monitor, key, suggestion, reason="not a monitor's call")
        assert declined_suggestions(monitor, sid) == []
    finally:
        monitor.close()
