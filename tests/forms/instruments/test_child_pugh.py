"""Child-Pugh: every cut-off on, just below and just above, in both units, and the classes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.instruments import child_pugh
from forms.instruments.errors import InvalidNumber, UnknownChoice, UnknownUnit

NORMAL = {
    "bilirubin": "10",
    "albumin": "42",
    "inr": "1.0",
    "ascites": "none",
    "encephalopathy": "none",
}


def _points(**changes: object) -> int:
    args = {**NORMAL, **changes}
    return child_pugh.score(**args)[0]  # type: ignore[arg-type]


def test_all_normal_is_five_points_class_a() -> None:
    assert child_pugh.score(**NORMAL) == (5, "A")  # type: ignore[arg-type]


def test_all_worst_is_fifteen_points_class_c() -> None:
    assert child_pugh.score(
        bilirubin="3.1",
        albumin="2.7",
        inr="2.4",
        ascites="moderate",
        encephalopathy="grade3-4",
        bilirubin_unit="mg/dL",
        albumin_unit="g/dL",
    ) == (15, "C")


def test_worked_example_class_b() -> None:
    # Bilirubin 2.5 mg/dL (2), albumin 3.0 g/dL (2), INR 1.8 (2), mild ascites (2),
    # no encephalopathy (1): 9 points, class B.
    assert child_pugh.score(
        bilirubin=Decimal("2.5"),
        albumin=3.0,
        inr="1.8",
        ascites="mild",
        encephalopathy="none",
        bilirubin_unit="mg/dL",
        albumin_unit="g/dL",
    ) == (9, "B")


@pytest.mark.parametrize(
    ("value", "unit", "points"),
    [
        ("33.9", "umol/L", 1),
        ("34", "umol/L", 2),
        ("34.1", "umol/L", 2),
        ("49.9", "umol/L", 2),
        ("50", "umol/L", 2),
        ("50.1", "umol/L", 3),
        ("1.99", "mg/dL", 1),
        ("2", "mg/dL", 2),
        ("2.01", "mg/dL", 2),
        ("2.99", "mg/dL", 2),
        ("3.0", "mg/dL", 2),
        ("3.01", "mg/dL", 3),
    ],
)
def test_bilirubin_cut_offs(value: str, unit: str, points: int) -> None:
    assert _points(bilirubin=value, bilirubin_unit=unit) == 4 + points


@pytest.mark.parametrize(
    ("value", "unit", "points"),
    [
        ("35.1", "g/L", 1),
        ("35", "g/L", 2),
        ("34.9", "g/L", 2),
        ("28.1", "g/L", 2),
        ("28", "g/L", 2),
        ("27.9", "g/L", 3),
        ("3.51", "g/dL", 1),
        ("3.5", "g/dL", 2),
        ("3.49", "g/dL", 2),
        ("2.81", "g/dL", 2),
        ("2.8", "g/dL", 2),
        ("2.79", "g/dL", 3),
    ],
)
def test_albumin_cut_offs(value: str, unit: str, points: int) -> None:
    assert _points(albumin=value, albumin_unit=unit) == 4 + points


@pytest.mark.parametrize(
    ("value", "points"),
    [("1.69", 1), ("1.7", 2), ("1.71", 2), ("2.29", 2), ("2.3", 2), ("2.31", 3)],
)
def test_inr_cut_offs(value: str, points: int) -> None:
    assert _points(inr=value) == 4 + points


def test_float_edges_are_read_as_typed() -> None:
    # 2.3 and 3.5 are not exact binary fractions; read as typed they stay on the edge.
    assert _points(inr=2.3) == 6
    assert _points(albumin=3.5, albumin_unit="g/dL") == 6
    assert _points(bilirubin=50, bilirubin_unit="umol/L") == 6


@pytest.mark.parametrize(
    ("name", "value", "points"),
    [
        ("ascites", "none", 1),
        ("ascites", "mild", 2),
        ("ascites", "moderate", 3),
        ("encephalopathy", "none", 1),
        ("encephalopathy", "grade1-2", 2),
        ("encephalopathy", "grade3-4", 3),
    ],
)
def test_clinical_components(name: str, value: str, points: int) -> None:
    assert _points(**{name: value}) == 4 + points


@pytest.mark.parametrize(
    ("total", "klass"),
    [(5, "A"), (6, "A"), (7, "B"), (9, "B"), (10, "C"), (15, "C")],
)
def test_class_boundaries(total: int, klass: str) -> None:
    assert child_pugh.class_of(total) == klass


@pytest.mark.parametrize("total", [4, 16])
def test_impossible_total_is_refused(total: int) -> None:
    with pytest.raises(ValueError, match="5 to 15"):
        child_pugh.class_of(total)


def test_unknown_units_and_choices_are_refused() -> None:
    with pytest.raises(UnknownUnit, match="bilirubin"):
        _points(bilirubin_unit="mmol/L")
    with pytest.raises(UnknownUnit, match="albumin"):
        _points(albumin_unit="mg/dL")
    with pytest.raises(UnknownChoice, match="ascites"):
        _points(ascites="severe")
    with pytest.raises(UnknownChoice, match="encephalopathy"):
        _points(encephalopathy="grade 2")


@pytest.mark.parametrize("bad", ["", "abc", "-1", "NaN", float("inf"), True, None, [1]])
def test_invalid_numbers_are_refused(bad: object) -> None:
    with pytest.raises(InvalidNumber, match="bilirubin"):
        _points(bilirubin=bad)


@pytest.mark.parametrize(
    ("baseline", "now", "worse"), [(5, 6, False), (5, 7, True), (6, 9, True), (9, 8, False)]
)
def test_deterioration_is_a_rise_of_two_points(baseline: int, now: int, worse: bool) -> None:
    assert child_pugh.deteriorated(baseline, now) is worse


@given(
    bilirubin=st.decimals(min_value=0, max_value=500, places=1),
    albumin=st.decimals(min_value=0, max_value=60, places=1),
    inr=st.decimals(min_value=0, max_value=8, places=2),
    ascites=st.sampled_from(child_pugh.ASCITES),
    encephalopathy=st.sampled_from(child_pugh.ENCEPHALOPATHY),
    extra=st.decimals(min_value=0, max_value=50, places=1),
)
def test_worse_labs_never_lower_the_score(
    bilirubin: Decimal,
    albumin: Decimal,
    inr: Decimal,
    ascites: str,
    encephalopathy: str,
    extra: Decimal,
) -> None:
    base = {"ascites": ascites, "encephalopathy": encephalopathy}
    points, klass = child_pugh.score(bilirubin=bilirubin, albumin=albumin, inr=inr, **base)
    worse, _ = child_pugh.score(
        bilirubin=bilirubin + extra,
        albumin=max(albumin - extra, Decimal(0)),
        inr=inr + extra / 10,
        **base,
    )
    assert 5 <= points <= worse <= 15
    assert klass == child_pugh.class_of(points)
