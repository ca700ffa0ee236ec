"""Recurrence date and type, RFS and OS with censoring, and status at years 1, 2, 3, 5."""

from __future__ import annotations

from datetime import date

from forms.survival import (
    Landmark,
    Recurrence,
    SurvivalTime,
    find_recurrence,
    landmarks,
    overall_survival,
    recurrence_free_survival,
)

SURGERY = date(2026, 1, 15)


def _lesion(
    repeat: int, lirads: str, *, segment: str = "S6", margin_cm: str = ""
) -> dict[str, str]:
    values = {
        f"IG.LESION[{repeat}]/I.LESION_SEGMENT": segment,
        f"IG.LESION[{repeat}]/I.LIRADS": lirads,
    }
    if margin_cm:
        values[f"IG.LESION[{repeat}]/I.MARGIN_DISTANCE"] = margin_cm
    return values


def test_first_lirads_5_lesion_is_the_recurrence_typed_by_margin_distance() -> None:
    scans = [
        (date(2026, 10, 1), {"I.NEW_LESION": "Y", **_lesion(1, "LR5", margin_cm="2.5")}),
        (date(2026, 7, 1), {"I.NEW_LESION": "Y", **_lesion(1, "LR4", margin_cm="2.5")}),
        (date(2026, 4, 1), {"I.NEW_LESION": "N"}),
    ]
    assert find_recurrence(scans) == Recurrence(date(2026, 10, 1), "INTRAHEPATIC", "LIRADS5")
    at_margin = [(date(2026, 10, 1), _lesion(1, "LR5", margin_cm="2"))]
    assert find_recurrence(at_margin) == Recurrence(date(2026, 10, 1), "LOCAL", "LIRADS5")
    untyped = [(date(2026, 10, 1), _lesion(1, "LR5"))]
    assert find_recurrence(untyped) == Recurrence(date(2026, 10, 1), None, "LIRADS5")


def test_histology_dates_the_recurrence_and_extrahepatic_needs_it() -> None:
    extra = [(date(2026, 9, 1), {**_lesion(1, "LR5", segment="EXTRA")})]
    assert find_recurrence(extra) is None
    biopsied = {
        **_lesion(1, "LR5", segment="EXTRA"),
        "I.RECURRENCE_TYPE": "EXTRAHEPATIC",
        "I.HISTOLOGY": "HCC",
        "I.HISTOLOGY_DATE": "2026-09-10",
    }
    assert find_recurrence([(date(2026, 9, 1), biopsied)]) == Recurrence(
        date(2026, 9, 1), "EXTRAHEPATIC", "HISTOLOGY"
    )
    equivocal = {**_lesion(1, "LR4"), "I.HISTOLOGY": "HCC", "I.HISTOLOGY_DATE": "2026-08-20"}
    assert find_recurrence([(date(2026, 9, 1), equivocal)]) == Recurrence(
        date(2026, 8, 20), None, "HISTOLOGY"
    )
    assert (
        find_recurrence([(date(2026, 9, 1), {**_lesion(1, "LR4"), "I.HISTOLOGY": "NOT_HCC"})])
        is None
    )


def test_rfs_event_is_recurrence_or_death_whichever_first() -> None:
    rfs = recurrence_free_survival(
        SURGERY,
        recurrence=date(2027, 3, 1),
        death=date(2027, 1, 1),
        last_assessment=date(2026, 12, 1),
    )
    assert rfs == SurvivalTime(SURGERY, date(2027, 1, 1), True)
    censored = recurrence_free_survival(
        SURGERY, recurrence=None, death=None, last_assessment=date(2028, 1, 10)
    )
    assert (censored.event, censored.days) == (False, (date(2028, 1, 10) - SURGERY).days)


def test_landmarks_event_event_free_or_censored() -> None:
    died = overall_survival(SURGERY, death=date(2028, 1, 15), last_known_alive=date(2028, 1, 1))
    assert landmarks(died) == {
        1: Landmark.EVENT_FREE,
        2: Landmark.EVENT,  # death exactly on the 2-year landmark
        3: Landmark.EVENT,
        5: Landmark.EVENT,
    }
    lost = overall_survival(SURGERY, death=None, last_known_alive=date(2029, 1, 14))
    assert landmarks(lost) == {
        1: Landmark.EVENT_FREE,
        2: Landmark.EVENT_FREE,
        3: Landmark.CENSORED,  # lost one day before year 3
        5: Landmark.CENSORED,
    }
    assert (
        landmarks(overall_survival(SURGERY, death=None, last_known_alive=date(2029, 1, 15)))[3]
        is Landmark.EVENT_FREE
    )
