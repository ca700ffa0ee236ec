"""Child-Pugh score and class of liver function.

Source: Pugh RN et al., Br J Surg 1973;60:646–649, with INR in place of the prothrombin time, as
tabulated in the project's clinical reference (clinical.md, "Child-Pugh"). Published tables differ
at the edges (albumin 2.8 vs 3.0 g/dL, bilirubin > 50 vs > 51 µmol/L); this project uses:

============== ====================== ========================= ========================
points         1                      2                         3
============== ====================== ========================= ========================
bilirubin      < 2 mg/dL (< 34 µmol/L) 2–3 mg/dL (34–50 µmol/L)  > 3 mg/dL (> 50 µmol/L)
albumin        > 3.5 g/dL (> 35 g/L)  2.8–3.5 g/dL (28–35 g/L)  < 2.8 g/dL (< 28 g/L)
INR            < 1.7                  1.7–2.3                   > 2.3
ascites        none                   mild                      moderate to severe
encephalopathy none                   grade 1–2                 grade 3–4
============== ====================== ========================= ========================

Class A is 5–6 points, B 7–9, C 10–15. The cut-offs are applied in the unit entered (no
conversion, so a value on the edge stays on the edge) and compared as exact decimals. The
deterioration endpoint (a rise of at least 2 points over baseline) is :func:`deteriorated`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from forms.instruments.decimals import Number, to_decimal
from forms.instruments.errors import UnknownChoice, UnknownUnit

BILIRUBIN_UNITS: Final = ("umol/L", "mg/dL")
ALBUMIN_UNITS: Final = ("g/L", "g/dL")
ASCITES: Final = ("none", "mild", "moderate")
ENCEPHALOPATHY: Final = ("none", "grade1-2", "grade3-4")

# (upper bound of 1 point, exclusive; upper bound of 2 points, inclusive) per unit.
_BILIRUBIN_LIMITS: Final = {"umol/L": (Decimal(34), Decimal(50)), "mg/dL": (Decimal(2), Decimal(3))}
# (lower bound of 2 points, inclusive; upper bound of 2 points, inclusive) per unit.
_ALBUMIN_LIMITS: Final = {
    "g/L": (Decimal(28), Decimal(35)),
    "g/dL": (Decimal("2.8"), Decimal("3.5")),
}
_INR_LIMITS: Final = (Decimal("1.7"), Decimal("2.3"))

DETERIORATION_POINTS: Final = 2
"""A rise of at least this many points over baseline is Child-Pugh deterioration."""


def _rising_points(value: Decimal, limits: tuple[Decimal, Decimal]) -> int:
    """Points for a value that is worse when higher: below, inside or above ``limits``."""
    low, high = limits
    if value < low:
        return 1
    return 2 if value <= high else 3


def _falling_points(value: Decimal, limits: tuple[Decimal, Decimal]) -> int:
    """Points for a value that is worse when lower (albumin)."""
    low, high = limits
    if value > high:
        return 1
    return 2 if value >= low else 3


def _choice_points(name: str, value: str, choices: tuple[str, ...]) -> int:
    if value not in choices:
        raise UnknownChoice(name, value, choices)
    return choices.index(value) + 1


def class_of(points: int) -> str:
    """Return the Child-Pugh class of a total: "A" for 5–6, "B" for 7–9, "C" for 10–15.

    Raises:
        ValueError: for a total outside 5–15, which no set of components produces.
    """
    if not 5 <= points <= 15:
        raise ValueError(f"a Child-Pugh total is 5 to 15 points, not {points}")
    if points <= 6:
        return "A"
    return "B" if points <= 9 else "C"


def score(
    *,
    bilirubin: Number,
    albumin: Number,
    inr: Number,
    ascites: str,
    encephalopathy: str,
    bilirubin_unit: str = "umol/L",
    albumin_unit: str = "g/L",
) -> tuple[int, str]:
    """Score liver function by Child-Pugh (clinical.md table; Pugh et al. 1973).

    Args:
        bilirubin: total bilirubin in ``bilirubin_unit``.
        albumin: serum albumin in ``albumin_unit``.
        inr: international normalised ratio.
        ascites: ``"none"``, ``"mild"`` or ``"moderate"`` (moderate to severe).
        encephalopathy: ``"none"``, ``"grade1-2"`` or ``"grade3-4"``.
        bilirubin_unit: ``"umol/L"`` (default) or ``"mg/dL"``.
        albumin_unit: ``"g/L"`` (default) or ``"g/dL"``.

    Returns:
        The total points (5–15) and the class ("A", "B" or "C").

    Raises:
        InvalidNumber: a laboratory value is not a non-negative number.
        UnknownUnit: a unit other than those above.
        UnknownChoice: an ascites or encephalopathy answer other than those above.
    """
    if bilirubin_unit not in _BILIRUBIN_LIMITS:
        raise UnknownUnit("bilirubin", bilirubin_unit, BILIRUBIN_UNITS)
    if albumin_unit not in _ALBUMIN_LIMITS:
        raise UnknownUnit("albumin", albumin_unit, ALBUMIN_UNITS)
    points = (
        _rising_points(to_decimal(bilirubin, name="bilirubin"), _BILIRUBIN_LIMITS[bilirubin_unit])
        + _falling_points(to_decimal(albumin, name="albumin"), _ALBUMIN_LIMITS[albumin_unit])
        + _rising_points(to_decimal(inr, name="INR"), _INR_LIMITS)
        + _choice_points("ascites", ascites, ASCITES)
        + _choice_points("encephalopathy", encephalopathy, ENCEPHALOPATHY)
    )
    return points, class_of(points)


def deteriorated(baseline_points: int, points: int) -> bool:
    """Tell whether ``points`` is Child-Pugh deterioration: a rise of ≥ 2 over baseline.

    Source: clinical.md, "Child-Pugh" (the protocols' deterioration endpoint).
    """
    return points - baseline_points >= DETERIORATION_POINTS
