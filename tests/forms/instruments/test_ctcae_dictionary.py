"""The CTCAE v5.0 dictionary: all 837 terms, grade texts, unavailable grades, search."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_crf.instruments import load_ctcae_dictionary
from forms.instruments import ctcae
from forms.instruments.ctcae_dictionary import Dictionary, parse_dictionary
from forms.instruments.errors import DictionaryInvalid, GradeNotAvailable, UnknownTerm


@pytest.fixture(scope="module")
def bundled() -> Dictionary:
    return load_ctcae_dictionary()


def _row(name: str, code: int, **grades: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": code,
        "MedDRA SOC": "Investigations",
        "CTCAE Term": name,
        "Definition": "-",
        "Navigational Note": "",
    }
    row |= {f"Grade {g}": "-" for g in range(1, 6)}
    row |= {f"Grade {g[1:]}": text for g, text in grades.items()}
    return row


def test_bundled_dictionary_holds_all_837_terms(bundled: Dictionary) -> None:
    assert len(bundled) == 837
    assert len({term.meddra_code for term in bundled}) == 837
    assert len({term.soc for term in bundled}) == 26


def test_term_fields(bundled: Dictionary) -> None:
    term = bundled.get("Platelet count decreased")
    assert term.meddra_code == 10035528
    assert term.soc == "Investigations"
    assert term.available_grades == (1, 2, 3, 4)
    assert term.grade_text(2) == "<75,000 - 50,000/mm3; <75.0 - 50.0 x 10e9 /L"
    assert term.definition is not None
    assert term.definition.startswith("A finding based on laboratory test results")
    assert term.navigational_note is None
    assert bundled.by_code(10002272).name == "Anemia"


def test_grades_marked_dash_cannot_be_chosen(bundled: Dictionary) -> None:
    term = bundled.get("Eosinophilia")  # v5.0: grades 1 and 3 only
    assert term.available_grades == (1, 3)
    for grade in (2, 4, 5, 0, True):
        with pytest.raises(GradeNotAvailable, match="choose one of grades 1, 3"):
            term.grade_text(grade)
    assert term.grade_text(3) == "Steroids initiated"


def test_every_lab_graded_term_is_in_the_dictionary(bundled: Dictionary) -> None:
    for name in ctcae.GRADED_TERMS:
        assert bundled.get(name).name == name


def test_no_bundled_grade_text_is_a_dash(bundled: Dictionary) -> None:
    for term in bundled:
        assert term.available_grades
        assert all(text.strip() not in ("", "-") for text in term.grades.values())


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("platelet", "Platelet count decreased"),
        ("ALT", "Alanine aminotransferase increased"),
        ("sgpt", "Alanine aminotransferase increased"),
        ("AST", "Aspartate aminotransferase increased"),
        ("plat dec", "Platelet count decreased"),
        ("anaemia", "Anemia"),
        ("Anemia", "Anemia"),
        ("10035528", "Platelet count decreased"),
        ("血小板", "Platelet count decreased"),
        ("neutropenia", "Neutrophil count decreased"),
        ("fatigue", "Fatigue"),
        ("bilirubin", "Blood bilirubin increased"),
        ("HBV flare", "Hepatitis B reactivation"),
    ],
)
def test_search_finds_terms_by_words_synonyms_and_code(
    bundled: Dictionary, query: str, first: str
) -> None:
    assert bundled.search(query)[0].name == first


def test_search_ranks_and_limits(bundled: Dictionary) -> None:
    found = [term.name for term in bundled.search("hepat", limit=50)]
    assert found[0] == "Hepatic failure"
    assert "Intraoperative hepatobiliary injury" in found  # a later word matches too
    assert found.index("Intraoperative hepatobiliary injury") > found.index("Hepatic pain")
    assert len(bundled.search("pain", limit=3)) == 3
    transaminase = {term.name for term in bundled.search("transaminase")}
    assert transaminase == {
        "Alanine aminotransferase increased",
        "Aspartate aminotransferase increased",
    }


@pytest.mark.parametrize("query", ["", "  ", "--", "zzzq", "99999999"])
def test_search_without_match_is_empty(bundled: Dictionary, query: str) -> None:
    assert bundled.search(query) == []


def test_lookup_refusals(bundled: Dictionary) -> None:
    assert "  platelet COUNT decreased " in bundled
    assert "Thrombocytopenia" not in bundled
    assert 10035528 not in bundled
    with pytest.raises(UnknownTerm, match=r"not in CTCAE v5\.0"):
        bundled.get("Thrombocytopenia")
    with pytest.raises(UnknownTerm, match="MedDRA code"):
        bundled.by_code(1)


def test_small_dictionary_from_parsed_data() -> None:
    data = {"medra_code": [_row("Thing increased", 1, g1="Mild", g3="Severe"), _row("Other", 2)]}
    with pytest.raises(DictionaryInvalid):
        parse_dictionary(data)  # "Other" has no grade at all
    data["medra_code"][1]["Grade 5"] = "Death"
    dictionary = parse_dictionary(data, {"synonyms": {"stuff": ["Thing increased"]}})
    assert [term.name for term in dictionary] == ["Other", "Thing increased"]
    assert dictionary.search("stuff")[0].grades == {1: "Mild", 3: "Severe"}
    assert parse_dictionary(data).search("stuff") == []


@pytest.mark.parametrize(
    ("data", "synonyms", "message"),
    [
        ([], None, "medra_code"),
        ({"terms": []}, None, "medra_code"),
        ({"medra_code": [{"id": 1}]}, None, "lacks"),
        ({"medra_code": [_row("A", 1, g1="x") | {"id": "one"}]}, None, "mis-types"),
        ({"medra_code": [_row("A", 1, g1="x"), _row("a", 2, g1="y")]}, None, "twice"),
        ({"medra_code": [_row("A", 1, g1="x"), _row("B", 1, g1="y")]}, None, "twice"),
        ({"medra_code": [_row("A", 1, g1="x")]}, {"synonyms": ["A"]}, "synonyms"),
    ],
)
def test_invalid_data_is_refused(data: Any, synonyms: Any, message: str) -> None:
    with pytest.raises(DictionaryInvalid, match=message):
        parse_dictionary(data, synonyms)


def test_synonym_to_unknown_term_is_refused() -> None:
    with pytest.raises(UnknownTerm):
        parse_dictionary({"medra_code": [_row("A", 1, g1="x")]}, {"synonyms": {"b": ["B"]}})
