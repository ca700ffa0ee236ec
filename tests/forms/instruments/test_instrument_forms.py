"""The AE and QLQ-C30 form files agree with the instruments and the questionnaire wording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_crf.instruments import (
    InstrumentDataInvalid,
    WordingNotBundled,
    load_qlq_c30_wording,
    qlq_c30_languages,
    read_qlq_c30_translation,
)
from desktop_crf.studies import load_form
from forms.instruments import adverse_events as ae
from forms.instruments import qlq_c30, who_umc

AE = load_form("F.AE")
QLQ = load_form("F.QLQC30")


def test_ae_form_holds_every_field_the_issue_names() -> None:
    items = AE.items()
    assert AE.kind == "log"
    assert AE.item_groups[0].repeating
    for oid in (
        "I.AETERM",
        "I.AEMEDDRA",
        "I.AESTDAT",
        "I.AEENDAT",
        "I.AEGRADE",
        "I.AESER",
        "I.AESCRIT",
        "I.AEEXPECT",
        "I.AEOUT",
        "I.AEAWARE_DATE",
        "I.AEAWARE_TIME",
        "I.AELABRULE",
    ):
        assert oid in items
    assert items["I.AESTDAT"].data_type == "partial_date"
    assert items["I.AEENDAT"].data_type == "partial_date"
    assert [c.code for c in items["I.AEGRADE"].choices] == ["1", "2", "3", "4", "5"]


def test_ae_choices_match_the_rules() -> None:
    items = AE.items()
    assert [c.code for c in items["I.AESCRIT"].choices] == [s.value for s in ae.Seriousness]
    assert [c.code for c in items["I.AEOUT"].choices] == [o.value for o in ae.Outcome]
    for drug in ae.STUDY_DRUGS:
        assert [c.code for c in items[f"I.AEACN_{drug}"].choices] == [
            a.value for a in ae.DrugAction
        ]
        categories = [c.value for c in who_umc.Causality]
        assert [c.code for c in items[f"I.AEREL_{drug}"].choices] == categories
        assert [c.code for c in items[f"I.AEREL_{drug}_SUGG"].choices] == categories
        time = items[f"I.AEREL_{drug}_TIME"].choices
        assert [c.code for c in time] == [t.value for t in who_umc.TimeRelationship]
        assert items[f"I.AEREL_{drug}_DEF"].data_type == "boolean"


def test_qlq_form_items_follow_the_official_english_wording() -> None:
    wording = load_qlq_c30_wording("en")
    assert wording.official
    assert wording.copyright.startswith("© Copyright 1995 EORTC Quality of Life Group")
    assert QLQ.description is not None
    assert "EORTC Quality of Life Group" in QLQ.description.en
    items = QLQ.items()
    for number in qlq_c30.ITEMS:
        item = items[qlq_c30.item_oid(number)]
        assert item.label.en == f"{number}. {wording.items[number]}"
        assert item.label.zh == f"QLQ-C30 第{number}题"  # a navigation label, not a translation
        low, high = qlq_c30.answer_range(number)
        assert [c.code for c in item.choices] == [str(a) for a in range(low, high + 1)]
    assert items["I.QLQ01"].choices[0].label.en == "Not at all"
    assert items["I.QLQ30"].choices[-1].label.en == "7 – Excellent"


def test_form_values_score_like_responses() -> None:
    values: dict[str, str | None] = {qlq_c30.item_oid(n): "1" for n in range(1, 29)}
    values |= {"I.QLQ29": "7", "I.QLQ30": " 7 ", "I.QLQ05": "", "I.QLQ_DATE": "2026-03-02"}
    responses = qlq_c30.responses_from_values(values)
    assert responses[5] is None
    assert responses[30] == 7
    assert qlq_c30.score(responses)["SUM"] == 100
    with pytest.raises(ValueError, match="item 3"):
        qlq_c30.responses_from_values({"I.QLQ03": "two"})


def test_only_english_is_bundled_and_official() -> None:
    languages = qlq_c30_languages()
    assert languages["en"] == {"official": True, "bundled": True, "file": "en.json"}
    assert languages["zh-CN"]["bundled"] is False
    with pytest.raises(WordingNotBundled, match="official EORTC translation"):
        load_qlq_c30_wording("zh-CN")


def _translation(tmp_path: Path, **changes: object) -> Path:
    content = load_qlq_c30_wording("en").to_dict()
    for key in ("official", "source", "copyright", "instrument", "version"):
        content.pop(key)
    content |= {"language": "xx", **changes}
    path = tmp_path / "qlq_c30_xx.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


def test_site_imports_a_translation_file(tmp_path: Path) -> None:
    official = read_qlq_c30_translation(
        _translation(tmp_path), official=True, source="EORTC official file, received 2026-03-01"
    )
    assert official.language == "xx"
    assert official.screen_notice is None
    unofficial = read_qlq_c30_translation(_translation(tmp_path), official=False, source="site")
    assert unofficial.screen_notice is not None
    assert "not the official EORTC translation" in unofficial.screen_notice["en"]


def test_broken_translation_file_is_refused(tmp_path: Path) -> None:
    path = _translation(tmp_path)
    content = json.loads(path.read_text(encoding="utf-8"))
    del content["items"]["17"]
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(InstrumentDataInvalid, match="items 17 are missing"):
        read_qlq_c30_translation(path, official=True, source="x")
    with pytest.raises(InstrumentDataInvalid):
        read_qlq_c30_translation(tmp_path / "absent.json", official=True, source="x")
