"""Every bundled form file loads, and everything a user reads exists in both languages."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from desktop_crf.studies import FormNotFound, bundled_forms, bundled_studies, load_form
from forms.instruments.lab_suggestions import LAB_TERMS
from forms.schema import DataType, FormDef
from forms.text import Text

CJK = re.compile(r"[\u4e00-\u9fff]")
# Labels that are the same international abbreviation in both languages (e.g. "INR", "S1").
ABBREVIATION = re.compile(r"^[A-Za-z0-9 .:<>%\-+/()]+$")

FORMS = bundled_forms()


def _texts(form: FormDef) -> list[Text]:
    texts = [form.label, *([form.description] if form.description else [])]
    for group in form.item_groups:
        texts.append(group.label)
        for item in group.items:
            texts += [item.label, *[c.label for c in item.choices]]
    return texts


def test_the_issue_list_of_forms_is_bundled() -> None:
    expected = {
        "F.SCREENING", "F.CONSENT", "F.DEMOGRAPHICS", "F.HCC_HISTORY", "F.TREATMENT",
        "F.LAB_VIROLOGY", "F.LAB_LIVER", "F.LAB_BLOOD", "F.LAB_RENAL", "F.LAB_THYROID",
        "F.LAB_AUTOAB", "F.LAB_TUMOUR", "F.LAB_CYTOKINES", "F.IMAGING", "F.CHILD_PUGH",
        "F.PBMC_FLOW", "F.TISSUE", "F.STOOL", "F.SURVIVAL", "F.END_OF_STUDY", "F.VISIT",
    }  # fmt: skip
    assert expected <= set(FORMS)


@pytest.mark.parametrize("oid", sorted(FORMS))
def test_every_text_has_both_languages(oid: str) -> None:
    for text in _texts(FORMS[oid]):
        assert text.en.strip()
        assert text.zh.strip()
        assert CJK.search(text.zh) or (ABBREVIATION.match(text.zh) and text.zh == text.en), text


def test_every_form_a_schedule_names_is_bundled() -> None:
    for study in bundled_studies().values():
        missing = set(study.form_oids()) - set(FORMS)
        assert not missing, f"{study.id} names forms that are not bundled: {missing}"


def test_every_lab_result_accepts_values_below_quantification() -> None:
    for oid in ("I.HBSAG", "I.HBV_DNA", "I.ALT", "I.PLT", "I.IL6"):
        owner = next(f for f in FORMS.values() if oid in f.items())
        assert owner.items()[oid].data_type is DataType.QUANTITY


def test_lab_limits_are_captured_per_lab() -> None:
    liver = load_form("F.LAB_LIVER")
    assert liver.limits_of("I.ALT") == {"LLN": "I.ALT_LLN", "ULN": "I.ALT_ULN"}
    assert liver.items()["I.LAB_NAME"].required


def test_unknown_form() -> None:
    with pytest.raises(FormNotFound, match=r"F\.NOPE"):
        load_form("F.NOPE")


def test_the_forms_that_suggest_adverse_events_are_those_with_a_graded_lab_value() -> None:
    """A form says it suggests AEs (the app asks for suggestions after saving it) exactly when
    it holds a lab value that CTCAE grades."""
    graded = {oid for oid, form in FORMS.items() if set(form.items()) & set(LAB_TERMS)}
    flagged = {oid for oid, form in FORMS.items() if form.suggests_adverse_events}
    assert flagged == graded
    assert "F.LAB_LIVER" in flagged


def test_the_ae_log_names_its_items_and_each_studys_drugs() -> None:
    """The AE log's definition says which items are the term, code, grade and each drug's
    causality assessment; every drug it assesses is a drug of each study that logs AEs on
    it, and every study drug is assessed."""
    logs = {oid: form for oid, form in FORMS.items() if form.adverse_event is not None}
    assert set(logs) == {"F.AE"}
    roles = logs["F.AE"].adverse_event
    assert roles is not None
    items = logs["F.AE"].items()
    assert items[roles.grade].data_type is DataType.CHOICE
    for study in bundled_studies().values():
        if "F.AE" in study.log_forms:
            assert set(roles.drugs) == {drug.code for drug in study.drugs}, study.id


def test_an_ae_log_naming_an_item_it_lacks_does_not_load() -> None:
    definition = load_form("F.AE").model_dump()
    definition["adverse_event"]["grade"] = "I.NO_SUCH_ITEM"
    with pytest.raises(ValidationError, match=r"I\.NO_SUCH_ITEM"):
        FormDef.model_validate(definition)


def test_every_same_as_names_an_item_of_the_same_kind_on_another_form() -> None:
    """An item offered from another form of the visit names a bundled form's item of the
    same data type and unit."""
    offered = 0
    for form in FORMS.values():
        for item in form.items().values():
            if item.same_as is None:
                continue
            other_form, other_item = item.same_as.split("/")
            assert other_form != form.oid
            other = FORMS[other_form].items()[other_item]
            assert (other.data_type, other.unit) == (item.data_type, item.unit), item.oid
            offered += 1
    assert offered >= 3  # the Child-Pugh bilirubin, albumin and INR
