"""Every bundled form file loads, and everything a user reads exists in both languages."""

from __future__ import annotations

import re

import pytest

from desktop_crf.studies import FormNotFound, bundled_forms, bundled_studies, load_form
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
