"""The bundled study files load and say what the protocols say."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from desktop_crf.studies import (
    StudyNotFound,
    bundled_studies,
    load_study,
    study_versions,
)
from forms.endpoints import ENDPOINTS
from forms.study import Study


def test_both_studies_are_bundled() -> None:
    studies = bundled_studies()
    assert set(studies) == {"NCT07553767", "PEG-HCC-RECUR-3Y"}
    assert studies["NCT07553767"].target_enrollment == 156
    assert studies["PEG-HCC-RECUR-3Y"].target_enrollment == 332
    assert studies["PEG-HCC-RECUR-3Y"].registry_id is None


def test_arms_and_drugs() -> None:
    nct = load_study("NCT07553767")
    assert [a.code for a in nct.arms] == ["PEG_NA", "NA"]
    assert all(a.na_drugs == ("TDF", "TAF", "TMF") for a in nct.arms)
    recurrence = load_study("PEG-HCC-RECUR-3Y")
    assert {a.code: a.peg_ifn for a in recurrence.arms} == {"NA": False, "PEG_NA": True}
    assert all(a.na_drugs == ("ETV", "TDF", "TAF", "TMF") for a in recurrence.arms)


def test_anchors_and_default_windows() -> None:
    assert load_study("NCT07553767").anchor.kind == "first_dose"
    recurrence = load_study("PEG-HCC-RECUR-3Y")
    assert recurrence.anchor.kind == "radical_treatment"
    assert (recurrence.default_window.before, recurrence.default_window.after) == (7, 7)


def test_ae_and_qlq_c30_have_their_place() -> None:
    for study in bundled_studies().values():
        assert "F.AE" in study.log_forms
    recurrence = load_study("PEG-HCC-RECUR-3Y")
    assert all("F.QLQC30" in v.forms for v in recurrence.visits)
    assert recurrence.ae_min_grade == 2


def test_versions_and_unknown_study() -> None:
    assert study_versions("NCT07553767") == ["1.0"]
    with pytest.raises(StudyNotFound, match="NCT00000000"):
        load_study("NCT00000000")
    with pytest.raises(StudyNotFound, match=r"version 9\.9"):
        load_study("NCT07553767", "9.9")


def test_every_endpoint_a_study_names_is_computed() -> None:
    for study in bundled_studies().values():
        for endpoint in study.endpoints:
            assert endpoint.method in ENDPOINTS, (study.id, endpoint.id)


def test_baselines_are_the_visits_before_treatment() -> None:
    assert load_study("NCT07553767").baseline.visits == ("SE.SCREENING", "SE.W0")
    recurrence = load_study("PEG-HCC-RECUR-3Y")
    assert recurrence.baseline.visits == ("SE.BASELINE",)
    assert recurrence.is_baseline("SE.BASELINE")
    assert not recurrence.is_baseline("SE.W12")
    for study in bundled_studies().values():
        assert "baseline" in {note.topic for note in study.notes}, study.id


def test_a_baseline_visit_must_be_a_visit_of_the_study() -> None:
    data = load_study("PEG-HCC-RECUR-3Y").model_dump(mode="json")
    data["baseline"] = {"visits": ["SE.SCREENING"]}
    with pytest.raises(ValidationError, match="baseline visits"):
        Study.model_validate(data)


def test_the_study_files_say_where_they_interpret_the_protocols() -> None:
    nct, recurrence = load_study("NCT07553767"), load_study("PEG-HCC-RECUR-3Y")
    common = {"baseline", "screening_consistency", "survival_sources", "adverse_events"}
    assert common | {"pregnancy_test", "survival_start"} <= {n.topic for n in nct.notes}
    assert common | {"death_without_recurrence"} <= {n.topic for n in recurrence.notes}
    for study in (nct, recurrence):
        assert all(note.text.en and note.text.zh for note in study.notes)
    primary = next(e for e in recurrence.endpoints if e.id == "recurrence_3y")
    assert primary.method == "cumulative_recurrence"
    assert primary.note is not None
    assert "censored" in primary.note.en
