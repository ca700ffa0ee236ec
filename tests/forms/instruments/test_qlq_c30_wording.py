"""QLQ-C30 wording: parsing, the official flag and its on-screen notice, translation import."""

from __future__ import annotations

from typing import Any

import pytest

from forms.instruments.qlq_c30_wording import (
    COPYRIGHT,
    NOT_OFFICIAL_NOTICE,
    WordingInvalid,
    import_wording,
    parse_wording,
)


def _content(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "instrument": "EORTC QLQ-C30",
        "version": "3.0",
        "language": "xx",
        "official": True,
        "source": "test",
        "copyright": COPYRIGHT,
        "title": "T",
        "instructions": "I",
        "headings": {"6": "H"},
        "items": {str(n): f"question {n}" for n in range(1, 31)},
        "answers": {
            "1-4": {"1": "a", "2": "b", "3": "c", "4": "d"},
            "1-7": {"1": "worst", "7": "best"},
        },
    }
    data.update(changes)
    return data


def test_parse_and_round_trip() -> None:
    wording = parse_wording(_content())
    assert wording.items[30] == "question 30"
    assert wording.headings == {6: "H"}
    assert parse_wording(wording.to_dict()) == wording


def test_answer_labels() -> None:
    wording = parse_wording(_content())
    assert wording.answer_label(1, 4) == "d"
    assert wording.answer_label(29, 1) == "worst"
    assert wording.answer_label(30, 4) == "4"
    assert wording.answer_label(30, 7) == "best"
    with pytest.raises(WordingInvalid, match="no answer 5"):
        wording.answer_label(28, 5)


def test_unofficial_wording_says_so() -> None:
    wording = parse_wording(_content(official=False))
    assert wording.screen_notice == NOT_OFFICIAL_NOTICE
    assert "官方" in NOT_OFFICIAL_NOTICE["zh"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"instrument": "QLQ-LC13"}, "not EORTC QLQ-C30"),
        ({"version": "2.0"}, "version 3.0"),
        ({"official": "yes"}, "'official'"),
        ({"items": ["q"]}, "must map numbers"),
        ({"items": {"31": "q"}}, "unexpected entry '31'"),
        ({"items": {"x": "q"}}, "unexpected entry 'x'"),
        ({"items": {"1": " "}}, "items' 1 is empty"),
        ({"items": {"1": "q"}}, "items 2, 3"),
        ({"answers": None}, "'answers'"),
        ({"answers": {"1-4": {"1": "a"}, "1-7": {"1": "w", "7": "b"}}}, "every 1-4 answer"),
        ({"answers": {"1-4": {"1": "a", "2": "b", "3": "c", "4": "d"}, "1-7": {"1": "w"}}}, "1-7"),
        ({"title": ""}, "'title'"),
        ({"copyright": None}, "'copyright'"),
        ({"headings": {"0": "h"}}, "headings"),
    ],
)
def test_invalid_wording_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(WordingInvalid, match=message):
        parse_wording(_content(**changes))


def test_import_takes_official_flag_and_source_from_the_importer() -> None:
    content = _content(official=False, source="ignored")
    del content["copyright"]
    wording = import_wording(content, official=True, source="EORTC file 2026-03-01")
    assert wording.official
    assert wording.source == "EORTC file 2026-03-01"
    assert wording.copyright == COPYRIGHT
    own = import_wording(content, official=False, source="s", copyright_notice="© EORTC 1995 (xx)")
    assert own.copyright == "© EORTC 1995 (xx)"
    assert not own.official
    kept = import_wording(_content(copyright="© printed"), official=True, source="s")
    assert kept.copyright == "© printed"
