"""The endpoints a study file names, derived from a subject's data with the study file's own
parameters and baseline: typed parameters named as the functions take them, thresholds that
change results, recurrence without deaths, survival from the survival follow-up form,
Child-Pugh without its baseline, and HBsAg decline."""

from __future__ import annotations

import inspect
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from desktop_crf.studies import bundled_forms, bundled_studies, load_study
from forms.endpoint_data import FormRecord, SubjectData
from forms.endpoints import ENDPOINTS, evaluate_endpoints
from forms.study import Study
from forms.survival import Landmark

FORMS = bundled_forms()
NCT = load_study("NCT07553767")
RECURRENCE = load_study("PEG-HCC-RECUR-3Y")
FIRST_DOSE = date(2026, 4, 1)
SURGERY = date(2026, 1, 15)


def _data(study: Study, *records: tuple[str, str, dict[str, str]], **starts: date) -> SubjectData:
    return SubjectData.of(
        study,
        FORMS,
        [FormRecord(event, 1, form, values) for event, form, values in records],
        starts=starts,
    )


def _results(study: Study, data: SubjectData) -> dict[str, Any]:
    return {r.id: r.value for r in evaluate_endpoints(study, data)}


def _study(study: Study, endpoint: str, **parameters: Any) -> Study:
    raw = study.model_dump(mode="json")
    for entry in raw["endpoints"]:
        if entry["id"] == endpoint:
            entry["parameters"].update(parameters)
    return Study.model_validate(raw)


def _virology(date_text: str, hbsag: str, **more: str) -> dict[str, str]:
    return {"I.SAMPLE_DATE": date_text, "I.HBSAG": hbsag, **more}


# -- the study file drives the derivation ---------------------------------------------------


def test_parameters_are_named_and_typed_as_the_functions_take_them() -> None:
    for study in bundled_studies().values():
        for endpoint in study.endpoints:
            function = ENDPOINTS[endpoint.method]
            keywords = {
                name
                for name, p in inspect.signature(function).parameters.items()
                if p.kind is inspect.Parameter.KEYWORD_ONLY
            }
            assert set(type(endpoint.parameters).model_fields) == keywords, endpoint.id
    loss = next(e for e in NCT.endpoints if e.id == "hbsag_loss_confirmed").parameters
    assert loss.model_dump() == {"threshold": Decimal("0.05"), "min_weeks_apart": 24}
    rfs = next(e for e in NCT.endpoints if e.id == "rfs").parameters
    assert rfs.model_dump() == {"start": "first_dose", "landmark_years": (1, 2, 3, 5)}


@pytest.mark.parametrize(
    ("endpoint", "parameters"),
    [
        ("child_pugh_deterioration", {"points": 2}),  # the function's name is "rise"
        ("hbsag_seroconversion", {"anti_hbs": "10"}),  # ... "anti_hbs_threshold"
        ("hbsag_loss_confirmed", {"min_weeks_apart": "24"}),  # a whole number, not text
        ("hbsag_loss", {"threshold": 0.05}),  # a binary float is not an exact threshold
        ("rfs", {"landmark_years": "1,2,3,5"}),
    ],
)
def test_a_study_file_with_inert_parameters_does_not_load(
    endpoint: str, parameters: dict[str, Any]
) -> None:
    raw = NCT.model_dump(mode="json")
    entry = next(e for e in raw["endpoints"] if e["id"] == endpoint)
    entry["parameters"] = {k: v for k, v in entry["parameters"].items() if k != "rise"}
    entry["parameters"].update(parameters)
    with pytest.raises(ValidationError):
        Study.model_validate(raw)


def test_changing_a_threshold_in_the_study_file_changes_the_result() -> None:
    data = _data(
        NCT,
        ("SE.W0", "F.LAB_VIROLOGY", _virology("2026-04-01", "350")),
        ("SE.W48", "F.LAB_VIROLOGY", _virology("2027-03-03", "0.08")),
        ("SE.W0", "F.CHILD_PUGH", {"I.CP_DATE": "2026-04-01", **_child_pugh("42")}),
        ("SE.W12", "F.CHILD_PUGH", {"I.CP_DATE": "2026-06-24", **_child_pugh("35")}),
        first_dose=FIRST_DOSE,
    )
    as_bundled = _results(NCT, data)
    assert [s.loss for s in as_bundled["hbsag_loss"]] == [False, False]
    assert as_bundled["child_pugh_deterioration"].status == "not_deteriorated"
    amended = _study(_study(NCT, "hbsag_loss", threshold="0.1"), "child_pugh_deterioration", rise=1)
    changed = _results(amended, data)
    assert [s.loss for s in changed["hbsag_loss"]] == [False, True]
    assert changed["child_pugh_deterioration"].status == "deteriorated"


def _child_pugh(albumin: str) -> dict[str, str]:
    return {
        "I.CP_TBIL": "12",
        "I.CP_ALB": albumin,
        "I.CP_INR": "0.98",
        "I.CP_ASCITES": "none",
        "I.CP_ENCEPHALOPATHY": "none",
    }


# -- defect 3: the recurrence study's primary endpoint counts recurrence only ----------------


def _scan(on: str, recurrence: str = "N", **more: str) -> dict[str, str]:
    return {"I.SCAN_DATE": on, "I.MODALITY": "CE_MRI", "I.RECURRENCE": recurrence, **more}


def test_cumulative_recurrence_censors_a_death_without_recurrence() -> None:
    died = _data(
        RECURRENCE,
        ("SE.W12", "F.IMAGING", _scan("2026-04-09")),
        ("SE.W24", "F.IMAGING", _scan("2026-07-02")),
        (
            "SE.LOG",
            "F.SURVIVAL",
            {
                "I.CONTACT_DATE": "2026-09-20",
                "I.VITAL_STATUS": "DEAD",
                "I.DEATH_DATE": "2026-09-01",
                "I.RECURRED": "U",
            },
        ),
        radical_treatment=SURGERY,
    )
    results = _results(RECURRENCE, died)
    recurrence = results["recurrence_3y"]
    assert recurrence.time.event is False  # death is not a recurrence
    assert recurrence.time.end == date(2026, 7, 2)  # censored when last known recurrence-free
    assert recurrence.landmarks == {
        1: Landmark.CENSORED,
        2: Landmark.CENSORED,
        3: Landmark.CENSORED,
    }
    assert results["os"].time.event is True
    assert results["os"].time.end == date(2026, 9, 1)


LR5 = {
    "I.RECURRENCE_TYPE": "LOCAL",
    "I.NEW_LESION": "Y",
    "IG.LESION[1]/I.LESION_SEGMENT": "S6",
    "IG.LESION[1]/I.LIRADS": "LR5",
}


def test_cumulative_recurrence_counts_a_recurrence_on_imaging() -> None:
    recurred = _data(
        RECURRENCE,
        ("SE.W12", "F.IMAGING", _scan("2026-04-09")),
        ("SE.W48", "F.IMAGING", _scan("2026-12-17", "Y", **LR5)),
        radical_treatment=SURGERY,
    )
    recurrence = _results(RECURRENCE, recurred)["recurrence_3y"]
    assert (recurrence.time.event, recurrence.time.end) == (True, date(2026, 12, 17))
    assert recurrence.landmarks[1] is Landmark.EVENT


# -- defect 6: Child-Pugh deterioration is not evaluable without its baseline ----------------


def test_child_pugh_deterioration_without_the_baseline_is_not_evaluable() -> None:
    data = _data(
        NCT,
        ("SE.W12", "F.CHILD_PUGH", {"I.CP_DATE": "2026-06-24", **_child_pugh("42")}),
        ("SE.W24", "F.CHILD_PUGH", {"I.CP_DATE": "2026-09-16", **_child_pugh("27")}),
        first_dose=FIRST_DOSE,
    )
    result = _results(NCT, data)["child_pugh_deterioration"]
    assert result.status == "not_evaluable"  # week 12 does not become the baseline
    assert result.baseline_points is None
    with_baseline = _data(
        NCT,
        ("SE.SCREENING", "F.CHILD_PUGH", {"I.CP_DATE": "2026-03-20", **_child_pugh("42")}),
        ("SE.W12", "F.CHILD_PUGH", {"I.CP_DATE": "2026-06-24", **_child_pugh("42")}),
        ("SE.W24", "F.CHILD_PUGH", {"I.CP_DATE": "2026-09-16", **_child_pugh("27")}),
        first_dose=FIRST_DOSE,
    )
    result = _results(NCT, with_baseline)["child_pugh_deterioration"]
    assert (result.status, result.baseline_points, result.points) == ("deteriorated", 5, 7)
    assert result.on == date(2026, 9, 16)


# -- defect 9: RFS and OS read the survival form; HBsAg decline; the start date -------------


def test_rfs_and_os_read_the_survival_follow_up_of_nct07553767() -> None:
    data = _data(
        NCT,
        ("SE.W12", "F.IMAGING", _scan("2026-06-24")),
        ("SE.W240", "F.IMAGING", _scan("2029-09-05")),  # after the recurrence reported below
        (
            "SE.Y3",
            "F.SURVIVAL",
            {
                "I.CONTACT_DATE": "2029-04-02",
                "I.VITAL_STATUS": "ALIVE",
                "I.LAST_ALIVE_DATE": "2029-04-02",
                "I.RECURRED": "Y",
                "I.RECURRENCE_DATE": "2029-02-10",
            },
        ),
        (
            "SE.Y5",
            "F.SURVIVAL",
            {
                "I.CONTACT_DATE": "2031-04-01",
                "I.VITAL_STATUS": "DEAD",
                "I.DEATH_DATE": "2030-11-20",
                "I.RECURRED": "N",
            },
        ),
        first_dose=FIRST_DOSE,
        radical_treatment=SURGERY,
    )
    results = _results(NCT, data)
    rfs, os = results["rfs"], results["os"]
    assert rfs.start == FIRST_DOSE  # the study file's choice for NCT07553767
    assert (rfs.time.event, rfs.time.end) == (True, date(2029, 2, 10))
    assert rfs.landmarks == {
        1: Landmark.EVENT_FREE,
        2: Landmark.EVENT_FREE,
        3: Landmark.EVENT,
        5: Landmark.EVENT,
    }
    assert (os.time.event, os.time.end) == (True, date(2030, 11, 20))
    assert os.landmarks == {
        1: Landmark.EVENT_FREE,
        2: Landmark.EVENT_FREE,
        3: Landmark.EVENT_FREE,
        5: Landmark.EVENT,
    }
    assert results["recurrence"].on == date(2029, 2, 10)


def test_survival_without_its_start_date_is_not_computed() -> None:
    rfs = _results(NCT, _data(NCT, radical_treatment=SURGERY))["rfs"]
    assert (rfs.start, rfs.time, rfs.landmarks) == (None, None, {})


def test_hbsag_decline_is_the_log10_change_from_baseline() -> None:
    data = _data(
        NCT,
        ("SE.SCREENING", "F.LAB_VIROLOGY", _virology("2026-03-10", "1500")),
        ("SE.W0", "F.LAB_VIROLOGY", _virology("2026-04-01", "1000")),
        ("SE.W12", "F.LAB_VIROLOGY", _virology("2026-06-24", "100")),
        ("SE.W24", "F.LAB_VIROLOGY", _virology("2026-09-16", "<0.05")),
        ("SE.W36", "F.LAB_VIROLOGY", _virology("2026-12-09", "2000")),
        first_dose=FIRST_DOSE,
    )
    declines = _results(NCT, data)["hbsag_decline"]
    assert [(d.on, d.log10_decline, d.bound) for d in declines] == [
        (date(2026, 6, 24), Decimal(1), "exact"),
        (date(2026, 9, 16), Decimal(1000 / 0.05).log10(), "at_least"),  # below the LLOQ
        (date(2026, 12, 9), -Decimal(2).log10(), "exact"),  # a rise is a negative decline
    ]
    assert all(d.baseline_on == date(2026, 4, 1) for d in declines)  # week 0, not screening
    no_baseline = _data(NCT, ("SE.W12", "F.LAB_VIROLOGY", _virology("2026-06-24", "100")))
    assert _results(NCT, no_baseline)["hbsag_decline"] == []
