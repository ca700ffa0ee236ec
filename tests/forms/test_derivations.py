"""Derived items: BMI, Child-Pugh (through the instrument) and the LI-RADS v2018 suggestion."""

from __future__ import annotations

import pytest

from desktop_crf.studies import bundled_forms, load_form
from forms.derivations import METHODS, derive
from forms.instruments import qlq_c30
from forms.schema import ItemValue

CP = {
    "I.CP_TBIL": "33.9",
    "I.CP_ALB": "35.1",
    "I.CP_INR": "1.69",
    "I.CP_ASCITES": "none",
    "I.CP_ENCEPHALOPATHY": "none",
}


def test_every_derivation_in_the_form_files_exists() -> None:
    for form in bundled_forms().values():
        for item in form.items().values():
            if item.derivation is not None:
                assert item.derivation.method in METHODS, (form.oid, item.oid)


def test_child_pugh_5_and_6_at_the_edges() -> None:
    form = load_form("F.CHILD_PUGH")
    assert derive(form, CP) == {"I.CP_SCORE": "5", "I.CP_CLASS": "A"}
    assert derive(form, {**CP, "I.CP_TBIL": "34"})["I.CP_SCORE"] == "6"
    assert derive(form, {**CP, "I.CP_ALB": "35"})["I.CP_SCORE"] == "6"
    assert derive(form, {**CP, "I.CP_INR": "1.7"})["I.CP_SCORE"] == "6"


def test_child_pugh_cut_offs_apply_in_the_unit_entered() -> None:
    form = load_form("F.CHILD_PUGH")
    in_mg = {**CP, "I.CP_TBIL": ItemValue(text="2", unit="mg/dL")}
    assert derive(form, in_mg)["I.CP_SCORE"] == "6"
    in_g_dl = {**CP, "I.CP_ALB": "3.6 g/dL"}
    assert derive(form, in_g_dl)["I.CP_SCORE"] == "5"


def test_child_pugh_is_not_computed_from_a_bound_or_missing_input() -> None:
    form = load_form("F.CHILD_PUGH")
    assert derive(form, {**CP, "I.CP_TBIL": "<3"}) == {}
    assert derive(form, {k: v for k, v in CP.items() if k != "I.CP_ASCITES"}) == {}


def test_bmi() -> None:
    form = load_form("F.DEMOGRAPHICS")
    assert derive(form, {"I.HEIGHT": "175", "I.WEIGHT": "70"}) == {"I.BMI": "22.9"}
    assert derive(form, {"I.HEIGHT": "175", "I.WEIGHT": ItemValue(text="70000", unit="g")}) == {
        "I.BMI": "22.9"
    }


@pytest.mark.parametrize(
    ("aphe", "size", "washout", "capsule", "growth", "category"),
    [
        ("N", "15", "N", "N", "N", "LR3"),
        ("N", "15", "Y", "N", "N", "LR3"),
        ("N", "15", "Y", "Y", "N", "LR4"),
        ("N", "20", "Y", "N", "N", "LR4"),
        ("Y", "9", "N", "N", "N", "LR3"),
        ("Y", "9", "Y", "Y", "Y", "LR4"),
        ("Y", "10", "N", "N", "N", "LR3"),
        ("Y", "10", "N", "Y", "N", "LR4"),
        ("Y", "10", "Y", "N", "N", "LR5"),
        ("Y", "19", "N", "N", "Y", "LR5"),
        ("Y", "19", "N", "Y", "Y", "LR5"),
        ("Y", "20", "N", "N", "N", "LR4"),
        ("Y", "20", "N", "Y", "N", "LR5"),
    ],
)
def test_lirads_v2018_table(
    aphe: str, size: str, washout: str, capsule: str, growth: str, category: str
) -> None:
    lesion = {
        "I.APHE": aphe,
        "I.LESION_SIZE": size,
        "I.WASHOUT": washout,
        "I.CAPSULE": capsule,
        "I.THRESHOLD_GROWTH": growth,
    }
    values = {f"IG.LESION[3]/{k}": v for k, v in lesion.items()}
    assert derive(load_form("F.IMAGING"), values) == {"IG.LESION[3]/I.LIRADS_SUGGESTED": category}


def test_qlq_c30_scores_are_the_scoring_functions() -> None:
    """Each stored score item is exactly ``qlq_c30.score`` of the answers (unrounded)."""
    form = load_form("F.QLQC30")
    answers = {n: (n % 4) + 1 for n in range(1, 29)} | {29: 5, 30: 6}
    answers[3] = None  # one item of PF2 missing: the half rule still scores it
    values = {f"I.QLQ{n:02d}": str(a) for n, a in answers.items() if a is not None}
    derived = derive(form, values)
    expected = qlq_c30.score(answers)
    for code, value in expected.items():
        assert float(derived[f"I.QLQ_{code}"]) == value
    assert [item.oid for item in form.stored_derived()] == [f"I.QLQ_{k}" for k in qlq_c30.KEYS]


def test_qlq_c30_scores_absent_where_the_manual_leaves_them_missing() -> None:
    form = load_form("F.QLQC30")
    derived = derive(form, {"I.QLQ29": "7", "I.QLQ01": "9"})
    assert derived == {"I.QLQ_QL2": "100.0"}  # an out-of-range answer scores nothing else
