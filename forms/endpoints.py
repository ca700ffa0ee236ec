"""The derived endpoints of a study file, computed from one subject's data.

:func:`evaluate_endpoints` derives every endpoint the study declares (``Study.endpoints``) by
calling its method in :data:`ENDPOINTS` with the study file's own typed parameters as keyword
arguments (:mod:`forms.endpoint_defs`): the file drives the derivation, and a parameter the
function does not take cannot load. Each method is a pure function of :class:`SubjectData`
whose rules are documented where they live: :mod:`forms.hbv_endpoints` (HBsAg loss,
seroconversion, confirmed loss, undetectable HBV DNA), :mod:`forms.survival_endpoints` and
:mod:`forms.survival` (recurrence, time to recurrence, RFS, OS, landmarks) and
:mod:`forms.change_from_baseline` (Child-Pugh deterioration, QLQ-C30 change). Baselines are
the study's (``Study.baseline``): an endpoint that needs one is not evaluable without it.

Public names: :data:`ENDPOINTS`, :class:`EndpointValue`, :func:`evaluate_endpoints`,
:class:`HbsagDecline`, :class:`SurvivalResult`, :class:`QolPoint`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from forms.change_from_baseline import (
    ChildPughDeterioration,
    assess_deterioration,
    child_pugh_points,
)
from forms.endpoint_data import FormRecord, SubjectData
from forms.errors import FormsError
from forms.hbv_endpoints import (
    Confirmation,
    HbsagStatus,
    Measurement,
    hbsag_loss_confirmed,
    hbsag_status,
    hbv_dna_undetectable,
    measure,
)
from forms.instruments.errors import InstrumentError
from forms.instruments.qlq_c30 import score as score_qlq_c30
from forms.study import Study
from forms.survival_endpoints import (
    SurvivalResult,
    cumulative_recurrence,
    os_endpoint,
    recurrence,
    rfs_endpoint,
)
from forms.text import Text

VIROLOGY, CHILD_PUGH, QLQ_C30 = "F.LAB_VIROLOGY", "F.CHILD_PUGH", "F.QLQC30"


# -- hepatitis B markers ----------------------------------------------------------------------


def _series(data: SubjectData, item: str, *, after_baseline: bool = False) -> list[Measurement]:
    definition = data.forms[VIROLOGY].items()[item]
    found = []
    for on, record in data.dated(VIROLOGY, after_baseline=after_baseline):
        entry = record.values.get(item)
        if record.text(item) is None or entry is None:
            continue
        try:
            found.append(measure(definition, on, entry))
        except FormsError:
            continue  # not a result: validation has said so on the form
    return found


def hbsag_loss(data: SubjectData, *, threshold: Decimal) -> list[HbsagStatus]:
    """HBsAg loss at each HBsAg time point (:func:`forms.hbv_endpoints.hbsag_status`)."""
    return hbsag_status(_series(data, "I.HBSAG"), [], threshold=threshold)


def hbsag_seroconversion(
    data: SubjectData, *, threshold: Decimal, anti_hbs_threshold: Decimal
) -> list[HbsagStatus]:
    """HBsAg loss and seroconversion at each HBsAg time point."""
    return hbsag_status(
        _series(data, "I.HBSAG"),
        _series(data, "I.ANTI_HBS"),
        threshold=threshold,
        anti_hbs_threshold=anti_hbs_threshold,
    )


def confirmed_loss(
    data: SubjectData, *, threshold: Decimal, min_weeks_apart: int
) -> Confirmation | None:
    """HBsAg loss confirmed ≥ ``min_weeks_apart`` weeks later."""
    hbsag = _series(data, "I.HBSAG")
    return hbsag_loss_confirmed(hbsag, threshold=threshold, min_weeks_apart=min_weeks_apart)


def dna_undetectable(
    data: SubjectData, *, lloq: Decimal, min_months_apart: int
) -> Confirmation | None:
    """HBV DNA below the LLOQ in consecutive tests ≥ ``min_months_apart`` months apart."""
    dna = _series(data, "I.HBV_DNA")
    return hbv_dna_undetectable(dna, lloq=lloq, min_months_apart=min_months_apart)


@dataclass(frozen=True)
class HbsagDecline:
    """HBsAg decline at one time point: log10(baseline) − log10(value) in IU/mL (positive: a
    decline). ``bound``: ``"exact"``; ``"at_least"`` for a value below quantification
    ("<0.05": the decline is at least this); ``"at_most"`` for one above it."""

    on: date
    baseline_on: date | None
    log10_decline: Decimal
    bound: Literal["exact", "at_least", "at_most"]


def hbsag_decline(data: SubjectData) -> list[HbsagDecline]:
    """NCT07553767's "HBsAg decline": the log10 change of HBsAg from baseline (the study's
    baseline: week 0, else screening) at each later time point. Not evaluable (empty) without
    an exact baseline above 0; a later result that is "not detected" gives no number."""
    base_record = data.baseline(VIROLOGY, has="I.HBSAG")
    if base_record is None:
        return []
    definition = data.forms[VIROLOGY].items()["I.HBSAG"]
    base_on = data.date_of(base_record)
    try:
        base = measure(definition, base_on or date.min, base_record.values["I.HBSAG"]).quantity
    except FormsError:
        return []
    if not base.is_exact or base.value is None or base.value <= 0:
        return []
    found = []
    for m in _series(data, "I.HBSAG", after_baseline=True):
        q = m.quantity
        if q.value is None or q.value <= 0:
            continue
        bound: Literal["exact", "at_least", "at_most"] = (
            "exact" if q.is_exact else "at_least" if q.below_quantification else "at_most"
        )
        found.append(HbsagDecline(m.on, base_on, (base.value / q.value).log10(), bound))
    return found


# -- Child-Pugh and QLQ-C30: change from the protocol's baseline -----------------------------


def _points(data: SubjectData, record: FormRecord) -> int | None:
    return child_pugh_points(data.forms[CHILD_PUGH], record.values)


def child_pugh(data: SubjectData, *, rise: int) -> ChildPughDeterioration:
    """Child-Pugh deterioration against the baseline visit's score
    (:func:`forms.change_from_baseline.assess_deterioration`); not evaluable without it."""
    baseline = None
    for event in reversed(data.baseline_visits):
        scored = [
            (on, points)
            for on, r in data.dated(CHILD_PUGH)
            if r.event == event and (points := _points(data, r)) is not None
        ]
        if scored:
            baseline = scored[-1]
            break
    later = [(on, _points(data, r)) for on, r in data.dated(CHILD_PUGH, after_baseline=True)]
    return assess_deterioration(baseline, later, rise=rise)


@dataclass(frozen=True)
class QolPoint:
    """One QLQ-C30 scale at one assessment after baseline, and its change from baseline
    (None when the score or the baseline score is missing)."""

    on: date
    score: float | None
    change: float | None


def _responses(record: FormRecord) -> dict[int, int | None]:
    answers: dict[int, int | None] = {}
    for number in range(1, 31):
        text = record.text(f"I.QLQ{number:02d}")
        answers[number] = int(text) if text is not None and text.isdigit() else None
    return answers


def _scale(record: FormRecord | None, scale: str) -> float | None:
    if record is None:
        return None
    try:
        return score_qlq_c30(_responses(record)).get(scale)
    except InstrumentError:
        return None


def qlq_c30_change(data: SubjectData, *, scale: str) -> list[QolPoint]:
    """Change of one QLQ-C30 scale from the baseline visit's questionnaire (EORTC scoring
    manual; the recurrence study's "Quality of Life Change"); None changes without it."""
    baseline = next(
        (r for e in reversed(data.baseline_visits) for r in data.of_form(QLQ_C30) if r.event == e),
        None,
    )
    base = _scale(baseline, scale)
    points = []
    for on, record in data.dated(QLQ_C30, after_baseline=True):
        value = _scale(record, scale)
        change = None if value is None or base is None else value - base
        points.append(QolPoint(on, value, change))
    return points


ENDPOINTS: Mapping[str, Callable[..., Any]] = {
    "hbsag_loss": hbsag_loss,
    "hbsag_seroconversion": hbsag_seroconversion,
    "hbsag_loss_confirmed": confirmed_loss,
    "hbsag_decline": hbsag_decline,
    "hbv_dna_undetectable": dna_undetectable,
    "child_pugh_deterioration": child_pugh,
    "recurrence": recurrence,
    "cumulative_recurrence": cumulative_recurrence,
    "recurrence_free_survival": rfs_endpoint,
    "overall_survival": os_endpoint,
    "qlq_c30_change": qlq_c30_change,
}
"""Method name (``EndpointDef.method``) → the function deriving it; its keyword arguments are
the method's parameters, by name and type (:mod:`forms.endpoint_defs`)."""


@dataclass(frozen=True)
class EndpointValue:
    """One endpoint of one subject: the study file's id, label and note, and its value (the
    method's result, e.g. a :class:`SurvivalResult`)."""

    id: str
    label: Text
    method: str
    value: Any
    note: Text | None = None


def evaluate_endpoints(study: Study, data: SubjectData) -> list[EndpointValue]:
    """Derive every endpoint ``study`` declares from one subject's ``data``, in file order,
    each with the study file's own parameters."""
    results = []
    for endpoint in study.endpoints:
        function = ENDPOINTS[endpoint.method]
        value = function(data, **dict(endpoint.parameters))
        results.append(
            EndpointValue(endpoint.id, endpoint.label, endpoint.method, value, endpoint.note)
        )
    return results


__all__ = [
    "ENDPOINTS",
    "EndpointValue",
    "HbsagDecline",
    "QolPoint",
    "SurvivalResult",
    "evaluate_endpoints",
]
