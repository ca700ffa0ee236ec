"""CTCAE v5.0 lab-based grading criteria as data: cut-offs per term, unit and baseline state.

Source: National Cancer Institute, *Common Terminology Criteria for Adverse Events (CTCAE)
version 5.0* (27 November 2017), as tabulated in clinical.md, "CTCAE v5.0 lab-based grades".
A cut-off is the lower edge of a grade: ``factor`` × reference (ULN, baseline or 1 for absolute
values), exclusive where CTCAE writes ``>`` and inclusive where it writes a bare lower bound
("1.5 – 3.0 × baseline"). The n-th cut-off of a term starts grade n. Decreased terms list the
absolute cut-offs that start grades 2, 3 and 4 (grade 1 is "< LLN"). :mod:`forms.instruments.ctcae`
applies these tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final

ONE: Final = Decimal(1)


@dataclass(frozen=True, slots=True)
class Cut:
    """The lower edge of a grade: ``factor`` × reference, inclusive or not (``>``)."""

    factor: Decimal
    inclusive: bool = False

    def passed_rising(self, value: Decimal, reference: Decimal) -> bool:
        limit = self.factor * reference
        return value > limit or (self.inclusive and value == limit)


def _cuts(*factors: str, first_inclusive: bool = False) -> tuple[Cut, ...]:
    return tuple(
        Cut(Decimal(factor), inclusive=first_inclusive and i == 0)
        for i, factor in enumerate(factors)
    )


@dataclass(frozen=True, slots=True)
class RisingRule:
    """A term graded by multiples of ULN and, with an abnormal baseline, of the baseline."""

    label: tuple[str, str]  # English, Simplified Chinese
    normal: tuple[Cut, ...]
    abnormal: tuple[Cut, ...]


@dataclass(frozen=True, slots=True)
class FallingRule:
    """A term graded by absolute cut-offs below the LLN (grades 2 and up), per unit."""

    label: tuple[str, str]  # English, Simplified Chinese
    cut_offs: dict[str, tuple[Decimal, ...]]
    default_unit: str


def _per_unit(cut_offs: dict[str, tuple[str, ...]]) -> dict[str, tuple[Decimal, ...]]:
    return {unit: tuple(Decimal(v) for v in values) for unit, values in cut_offs.items()}


_TRANSAMINASE: Final = (
    _cuts("1", "3.0", "5.0", "20.0"),
    _cuts("1.5", "3.0", "5.0", "20.0", first_inclusive=True),
)
_ALP_GGT: Final = (
    _cuts("1", "2.5", "5.0", "20.0"),
    _cuts("2.0", "2.5", "5.0", "20.0", first_inclusive=True),
)
_BILIRUBIN: Final = (_cuts("1", "1.5", "3.0", "10.0"), _cuts("1.0", "1.5", "3.0", "10.0"))

RISING: Final[dict[str, RisingRule]] = {
    "Alanine aminotransferase increased": RisingRule(("ALT", "ALT"), *_TRANSAMINASE),
    "Aspartate aminotransferase increased": RisingRule(("AST", "AST"), *_TRANSAMINASE),
    "Alkaline phosphatase increased": RisingRule(("ALP", "ALP"), *_ALP_GGT),
    "GGT increased": RisingRule(("GGT", "GGT"), *_ALP_GGT),
    "Blood bilirubin increased": RisingRule(("Bilirubin", "胆红素"), *_BILIRUBIN),
}


def _counts(*values: str) -> dict[str, tuple[Decimal, ...]]:
    """Cut-offs in 10^9/L; counts entered per mm³ scale them by 1000 (clinical.md)."""
    per_litre = tuple(Decimal(v) for v in values)
    return {"10^9/L": per_litre, "/mm3": tuple(v * 1000 for v in per_litre)}


FALLING: Final[dict[str, FallingRule]] = {
    "Platelet count decreased": FallingRule(
        ("Platelets", "血小板"), _counts("75.0", "50.0", "25.0"), "10^9/L"
    ),
    "White blood cell decreased": FallingRule(
        ("WBC", "白细胞"), _counts("3.0", "2.0", "1.0"), "10^9/L"
    ),
    "Neutrophil count decreased": FallingRule(
        ("Neutrophils", "中性粒细胞"), _counts("1.5", "1.0", "0.5"), "10^9/L"
    ),
    "Lymphocyte count decreased": FallingRule(
        ("Lymphocytes", "淋巴细胞"), _counts("0.8", "0.5", "0.2"), "10^9/L"
    ),
    # Hgb cut-offs are per unit as printed in v5.0, not exact conversions: grade in the unit
    # entered.
    "Anemia": FallingRule(
        ("Hgb", "血红蛋白"),
        _per_unit({"g/L": ("100", "80"), "g/dL": ("10.0", "8.0"), "mmol/L": ("6.2", "4.9")}),
        "g/L",
    ),
    "Hypoalbuminemia": FallingRule(
        ("Albumin", "白蛋白"), _per_unit({"g/L": ("30", "20"), "g/dL": ("3", "2")}), "g/L"
    ),
}

CREATININE: Final = "Creatinine increased"
INR: Final = "INR increased"
CREATININE_ULN: Final = _cuts("1", "1.5", "3.0", "6.0")
CREATININE_BASELINE: Final = _cuts("1.5", "3.0")  # grades 2 and 3
INR_ABSOLUTE: Final = _cuts("1.2", "1.5", "2.5")
INR_BASELINE: Final = _cuts("1", "1.5", "2.5")

GRADED_TERMS: Final = (*RISING, CREATININE, INR, *FALLING)
"""The CTCAE v5.0 terms that ``forms.instruments.ctcae.grade_lab`` grades, as spelled in v5.0."""
