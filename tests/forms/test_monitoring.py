"""The study's critical data (100 % SDV): what each set covers, and that both bundled studies
name eligibility, consent, the primary endpoint and SAEs with forms and items that exist."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from desktop_crf.studies import bundled_forms, bundled_studies, load_study
from forms.monitoring import CriticalData, Monitoring, is_critical

LABEL = {"en": "x", "zh": "x"}


def test_a_set_covers_its_forms_visits_items_and_repeats() -> None:
    sae = CriticalData(
        id="sae", label=LABEL, forms=("F.AE",), when={"item": "I.AESER", "values": ("Y",)}
    )
    assert sae.covers("SE.LOG", "F.AE", "I.AETERM", {"I.AESER": "Y"})
    assert not sae.covers("SE.LOG", "F.AE", "I.AETERM", {"I.AESER": "N"})
    assert not sae.covers("SE.LOG", "F.AE", "I.AETERM", {})
    hbsag = CriticalData(
        id="hbsag", label=LABEL, forms=("F.LAB_VIROLOGY",), items=("I.HBSAG",), visits=("SE.W0",)
    )
    assert hbsag.covers("SE.W0", "F.LAB_VIROLOGY", "I.HBSAG")
    assert not hbsag.covers("SE.W12", "F.LAB_VIROLOGY", "I.HBSAG")
    assert not hbsag.covers("SE.W0", "F.LAB_VIROLOGY", "I.HBV_DNA")
    plan = Monitoring(critical=(sae, hbsag))
    assert is_critical(plan, "SE.W0", "F.LAB_VIROLOGY", "I.HBSAG")
    assert not is_critical(plan, "SE.W0", "F.LAB_LIVER", "I.ALT")
    assert not is_critical(Monitoring(), "SE.W0", "F.LAB_VIROLOGY", "I.HBSAG")


def test_two_sets_never_name_one_form_at_one_visit() -> None:
    consent = {"id": "a", "label": LABEL, "forms": ("F.CONSENT",)}
    with pytest.raises(ValidationError, match="merge them"):
        Monitoring(critical=(consent, {**consent, "id": "b", "visits": ("SE.W0",)}))
    apart = {"id": "b", "label": LABEL, "forms": ("F.CONSENT",), "visits": ("SE.W12",)}
    assert Monitoring(critical=({**consent, "visits": ("SE.W0",)}, apart)).critical


def test_the_sample_is_a_percentage() -> None:
    with pytest.raises(ValidationError):
        Monitoring(sample_percent=101)
    assert Monitoring().sample_percent == 100  # no plan: everything is verified


@pytest.mark.parametrize("study_id", ["NCT07553767", "PEG-HCC-RECUR-3Y"])
def test_each_study_names_its_critical_data_with_real_forms_and_items(study_id: str) -> None:
    study, forms = load_study(study_id), bundled_forms()
    plan = study.monitoring
    assert {c.id for c in plan.critical} >= {
        "consent",
        "eligibility",
        "primary_endpoint",
        "serious_adverse_events",
    }
    assert 0 < plan.sample_percent < 100
    visits = {v.oid for v in study.visits}
    for critical in plan.critical:
        assert set(critical.visits) <= visits
        items = {i.oid for f in critical.forms for g in forms[f].item_groups for i in g.items}
        assert set(critical.items) <= items, critical.id
        if critical.when is not None:
            assert critical.when.item in items
    assert is_critical(plan, "SE.LOG", "F.AE", "I.AEGRADE", {"I.AESER": "Y"})
    assert not is_critical(plan, "SE.LOG", "F.AE", "I.AEGRADE", {"I.AESER": "N"})
    assert is_critical(plan, study.visits[0].oid, "F.CONSENT", "I.CONSENT_DATE")


def test_every_bundled_study_loads_with_its_plan() -> None:
    assert all(s.monitoring.critical for s in bundled_studies().values())
