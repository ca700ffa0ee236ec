"""The derived endpoints of a study file, computed from one subject's data.

:func:`evaluate_endpoints` derives every endpoint the study declares (``Study.endpoints``) by
calling its method in :data:`ENDPOINTS` with the study file's own typed parameters as keyword
arguments (:mod:`forms.endpoint_defs`): the file drives the derivation, and a parameter the
function does not take cannot load. Each method is a pure function of :class:`SubjectData`
whose rules are documented where they live: :mod:`forms.hbv_endpoints` (HBsAg loss,
seroconversion, confirmed loss, undetectable HBV DNA), :mod:`forms.survival` (recurrence,
time to recurrence, RFS, OS, landmarks) and :mod:`forms.change_from_baseline` (Child-Pugh
deterioration, QLQ-C30 change). Baselines are the study's (``Study.baseline``): an endpoint
that needs one is not evaluable without it.

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
from forms.endpoint_defs import Start
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
from forms.survival import (
    Landmark,
    Recurrence,
    SurvivalTime,
    find_recurrence,
    landmarks,
    overall_survival,
    recurrence_free_survival,
    reported_recurrence,
    time_to_recurrence,
)
from forms.text import Text

VIROLOGY, CHILD_PUGH, IMAGING = "F.LAB_VIROLOGY", "F.CHILD_PUGH", "F.IMAGING"
SURVIVAL, END_OF_STUDY, QLQ_C30 = "F.SURVIVAL", "F.END_OF_STUDY", "F.QLQC30"


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


# -- recurrence and survival -----------------------------------------------------------------


def _recurrence(data: SubjectData, since: date | None = None) -> Recurrence | None:
    scans = [(on, r.values) for on, r in data.dated(IMAGING) if since is None or on >= since]
    contacts = [r.values for r in data.of_form(SURVIVAL)]
    reported = reported_recurrence(contacts)
    if reported is not None and since is not None and reported.on < since:
        reported = None
    found = [r for r in (find_recurrence(scans), reported) if r is not None]
    return min(found, key=lambda r: r.on, default=None)


def recurrence(data: SubjectData) -> Recurrence | None:
    """The first recurrence: on imaging (LI-RADS 5 or histology) or reported at a survival
    contact (:mod:`forms.survival`)."""
    return _recurrence(data)


def _death(data: SubjectData) -> date | None:
    deaths = [
        on
        for r in data.of_form(SURVIVAL)
        if r.text("I.VITAL_STATUS") == "DEAD" and (on := r.date("I.DEATH_DATE")) is not None
    ]
    deaths += [
        on
        for r in data.of_form(END_OF_STUDY)
        if r.text("I.EOS_STATUS") == "DEATH" and (on := r.date("I.EOS_DEATH_DATE")) is not None
    ]
    return min(deaths, default=None)


def _last_alive(data: SubjectData, start: date) -> date:
    """The last date the subject is known alive: any dated record of a visit, a survival
    contact's last date known alive, the end of study's last contact."""
    seen = [start]
    for record in data.records:
        if record.form in (SURVIVAL, END_OF_STUDY) or record.form not in data.forms:
            continue
        if (on := data.date_of(record)) is not None:
            seen.append(on)
    for record in data.of_form(SURVIVAL):
        seen += [d for d in (record.date("I.LAST_ALIVE_DATE"),) if d is not None]
        if record.text("I.VITAL_STATUS") == "ALIVE" and (on := record.date("I.CONTACT_DATE")):
            seen.append(on)
    for record in data.of_form(END_OF_STUDY):
        if record.text("I.EOS_STATUS") != "DEATH" and (on := record.date("I.EOS_LAST_CONTACT")):
            seen.append(on)
    death = _death(data)
    return max(d for d in seen if death is None or d <= death)


def _last_recurrence_free(data: SubjectData, start: date, before: date | None) -> date:
    """The last date the subject is known recurrence-free: a scan, or a survival contact
    reporting no recurrence (up to the contact, and not after a death)."""
    seen = [start]
    seen += [on for on, _r in data.dated(IMAGING) if before is None or on < before]
    for record in data.of_form(SURVIVAL):
        if record.text("I.RECURRED") != "N" or (on := record.date("I.CONTACT_DATE")) is None:
            continue
        death = record.date("I.DEATH_DATE")
        seen.append(min(on, death) if death is not None else on)
    return max(seen)


@dataclass(frozen=True)
class SurvivalResult:
    """A time-to-event endpoint of one subject: the start date it counts from (None: not
    known yet, so nothing is computed), the time to the event or censoring, and the status
    at each landmark year."""

    start: date | None
    time: SurvivalTime | None
    landmarks: dict[int, Landmark]


def _survival(
    data: SubjectData,
    start: Start,
    years: tuple[int, ...],
    compute: Callable[[date], SurvivalTime],
) -> SurvivalResult:
    began = data.starts.get(start)
    if began is None:
        return SurvivalResult(None, None, {})
    time = compute(began)
    return SurvivalResult(began, time, landmarks(time, years))


def cumulative_recurrence(
    data: SubjectData, *, start: Start, landmark_years: tuple[int, ...]
) -> SurvivalResult:
    """Time to recurrence (the recurrence study's primary endpoint): event = recurrence; a
    death without recurrence is censored (:func:`forms.survival.time_to_recurrence`)."""

    def compute(began: date) -> SurvivalTime:
        found = _recurrence(data, began)
        on = found.on if found else None
        return time_to_recurrence(
            began,
            recurrence=on,
            death=_death(data),
            last_recurrence_free=_last_recurrence_free(data, began, on),
        )

    return _survival(data, start, landmark_years, compute)


def rfs(data: SubjectData, *, start: Start, landmark_years: tuple[int, ...]) -> SurvivalResult:
    """Recurrence-free survival: recurrence or death, whichever is first
    (:func:`forms.survival.recurrence_free_survival`)."""

    def compute(began: date) -> SurvivalTime:
        found = _recurrence(data, began)
        on = found.on if found else None
        return recurrence_free_survival(
            began,
            recurrence=on,
            death=_death(data),
            last_assessment=_last_recurrence_free(data, began, on),
        )

    return _survival(data, start, landmark_years, compute)


def os(data: SubjectData, *, start: Start, landmark_years: tuple[int, ...]) -> SurvivalResult:
    """Overall survival: death from any cause (:func:`forms.survival.overall_survival`)."""

    def compute(began: date) -> SurvivalTime:
        death = _death(data)
        return overall_survival(began, death=death, last_known_alive=_last_alive(data, began))

    return _survival(data, start, landmark_years, compute)


ENDPOINTS: Mapping[str, Callable[..., Any]] = {
    "hbsag_loss": hbsag_loss,
    "hbsag_seroconversion": hbsag_seroconversion,
    "hbsag_loss_confirmed": confirmed_loss,
    "hbsag_decline": hbsag_decline,
    "hbv_dna_undetectable": dna_undetectable,
    "child_pugh_deterioration": child_pugh,
    "recurrence": recurrence,
    "cumulative_recurrence": cumulative_recurrence,
    "recurrence_free_survival": rfs,
    "overall_survival": os,
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
