"""HBsAg loss, seroconversion, confirmed loss and undetectable HBV DNA on constructed histories."""

from __future__ import annotations

from datetime import date, timedelta

from desktop_crf.studies import load_form
from forms.hbv_endpoints import (
    Confirmation,
    Measurement,
    hbsag_loss_confirmed,
    hbsag_status,
    hbv_dna_undetectable,
    measure,
)
from forms.schema import ItemValue

VIROLOGY = load_form("F.LAB_VIROLOGY").items()
START = date(2026, 4, 1)


def _series(item: str, results: list[tuple[int, str]]) -> list[Measurement]:
    """Results at given weeks from START, as entered."""
    return [measure(VIROLOGY[item], START + timedelta(weeks=w), text) for w, text in results]


def test_loss_and_seroconversion_at_each_time_point() -> None:
    hbsag = _series("I.HBSAG", [(0, "120.5"), (24, "0.05"), (48, "<0.05 IU/mL"), (60, "0.04")])
    anti = _series("I.ANTI_HBS", [(48, "12"), (60, "9.99")])
    statuses = hbsag_status(hbsag, anti)
    assert [s.loss for s in statuses] == [False, False, True, True]
    assert [s.seroconversion for s in statuses] == [False, False, True, False]


def test_seroconversion_without_anti_hbs_is_unknown_and_units_convert() -> None:
    hbsag = _series("I.HBSAG", [(48, "<0.05")])
    assert hbsag_status(hbsag, [])[0].seroconversion is None
    anti = [
        measure(
            VIROLOGY["I.ANTI_HBS"], START + timedelta(weeks=48), ItemValue(text="10", unit="IU/L")
        )
    ]
    assert hbsag_status(hbsag, anti)[0].seroconversion is True


def test_loss_confirmed_at_24_weeks_but_not_at_23() -> None:
    at_24 = _series("I.HBSAG", [(0, "80"), (48, "<0.05"), (72, "<0.05")])
    assert hbsag_loss_confirmed(at_24) == Confirmation(
        START + timedelta(weeks=48), START + timedelta(weeks=72)
    )
    at_23 = _series("I.HBSAG", [(0, "80"), (48, "<0.05"), (71, "<0.05")])
    assert hbsag_loss_confirmed(at_23) is None
    one_day_short = [
        Measurement(START, at_24[1].quantity),
        Measurement(START + timedelta(days=167), at_24[2].quantity),
    ]
    assert hbsag_loss_confirmed(one_day_short) is None


def test_a_positive_result_in_between_breaks_the_confirmation() -> None:
    relapse = _series("I.HBSAG", [(48, "<0.05"), (60, "0.3"), (72, "<0.05"), (96, "0.01")])
    assert hbsag_loss_confirmed(relapse) == Confirmation(
        START + timedelta(weeks=72), START + timedelta(weeks=96)
    )


def test_dna_undetectable_with_target_not_detected_and_with_lloq() -> None:
    tests = _series(
        "I.HBV_DNA", [(0, "2.3E+03"), (12, "target not detected"), (24, "<10"), (36, "<10 IU/mL")]
    )
    # Weeks 12 to 36 are 24 weeks, but 6 calendar months after week 12 is later.
    assert hbv_dna_undetectable(tests) is None
    tests += _series("I.HBV_DNA", [(40, "target not detected")])
    assert hbv_dna_undetectable(tests) == Confirmation(
        START + timedelta(weeks=12), START + timedelta(weeks=40)
    )


def test_dna_exactly_6_months_apart() -> None:
    first, later = date(2026, 1, 31), date(2026, 7, 31)
    item = VIROLOGY["I.HBV_DNA"]
    pair = [measure(item, first, "<10"), measure(item, later, "target not detected")]
    assert hbv_dna_undetectable(pair) == Confirmation(first, later)
    early = [measure(item, first, "<10"), measure(item, later - timedelta(days=1), "<10")]
    assert hbv_dna_undetectable(early) is None


def test_dna_at_or_above_lloq_or_undecidable_ends_the_run() -> None:
    for interrupting in ("10", "15", "<20", "copies"):
        if interrupting == "copies":
            middle = measure(
                VIROLOGY["I.HBV_DNA"],
                START + timedelta(weeks=12),
                ItemValue(text="58.2", unit="copies/mL"),
            )
        else:
            middle = measure(VIROLOGY["I.HBV_DNA"], START + timedelta(weeks=12), interrupting)
        tests = [
            measure(VIROLOGY["I.HBV_DNA"], START, "<10"),
            middle,
            measure(VIROLOGY["I.HBV_DNA"], START + timedelta(weeks=30), "<10"),
        ]
        assert hbv_dna_undetectable(tests) is None, interrupting
