"""The derived endpoints a study file may name (``EndpointDef.method``), by name.

Each is a pure function of a subject's data, documented in its own module:
:mod:`forms.hbv_endpoints`, :mod:`forms.survival`, :mod:`forms.change_from_baseline`. The study
file's parameters (e.g. ``{"threshold": "0.05"}``) record the protocol's values; the functions'
defaults are those same values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from forms.change_from_baseline import child_pugh_deterioration, qlq_c30_changes
from forms.hbv_endpoints import hbsag_loss_confirmed, hbsag_status, hbv_dna_undetectable
from forms.survival import find_recurrence, overall_survival, recurrence_free_survival

ENDPOINTS: Mapping[str, Callable[..., Any]] = {
    "hbsag_loss": hbsag_status,
    "hbsag_seroconversion": hbsag_status,
    "hbsag_loss_confirmed": hbsag_loss_confirmed,
    "hbv_dna_undetectable": hbv_dna_undetectable,
    "child_pugh_deterioration": child_pugh_deterioration,
    "recurrence": find_recurrence,
    "recurrence_free_survival": recurrence_free_survival,
    "overall_survival": overall_survival,
    "qlq_c30_change": qlq_c30_changes,
}
