"""Efficacy by arm: the study's time-to-event endpoints as Kaplan–Meier curves, and the
hepatitis B markers at each scheduled visit as proportions with Wilson intervals.

Sources: the study file's endpoints and their parameters. Time-to-event endpoints
(``cumulative_recurrence``: the recurrence study's 3-year cumulative recurrence, drawn as
1 − S(t); ``recurrence_free_survival`` and ``overall_survival``: NCT07553767's RFS and OS,
drawn as S(t)) are each subject's time from the endpoint's start date
(:data:`forms.survival_endpoints.SURVIVAL_TIMES`: the endpoint functions' times, without
their landmarks), compared by :func:`forms.survival_curves.compare_arms`; a subject whose
start date is not known yet is not evaluable. Markers (NCT07553767's primary outcomes
"Proportion of patients with HBsAg loss" and "… with HBsAg seroconversion" at weeks 12–240;
HBV DNA below the LLOQ) use the thresholds of the study's ``hbsag_loss``,
``hbsag_seroconversion`` and ``hbv_dna_undetectable`` endpoints and the rules of
:mod:`forms.hbv_endpoints`: a result that cannot tell (``"<20"`` against 10) is left out of
the denominator, never guessed.

Public names: :class:`EndpointCurves`, :class:`MarkerPoint`, :class:`MarkerSeries`,
:func:`endpoint_curves`, :func:`marker_series`, :class:`CurvesTally`,
:class:`MarkersTally`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from forms.endpoint_defs import SurvivalEndpoint
from forms.errors import FormsError
from forms.hbv_endpoints import Measurement, hbsag_status
from forms.proportions import Proportion, wilson
from forms.quantities import Quantity
from forms.schema import FormDef
from forms.study import Study
from forms.summary.facts import SubjectDigest, SubjectFacts, digest_of
from forms.survival import SurvivalTime
from forms.survival_curves import CurveComparison, Scale, compare_arms
from forms.survival_endpoints import SURVIVAL_TIMES
from forms.text import Text
from forms.values import Entry, entry_text, read_quantity

VIROLOGY = "F.LAB_VIROLOGY"
_SCALES: Mapping[str, Scale] = {
    "cumulative_recurrence": "cumulative",
    "recurrence_free_survival": "survival",
    "overall_survival": "survival",
}


@dataclass(frozen=True)
class EndpointCurves:
    """One time-to-event endpoint of the study compared between its arms; ``start`` is the
    date its times count from (``radical_treatment`` or ``first_dose``)."""

    id: str
    label: Text
    method: str
    start: str
    landmark_years: tuple[int, ...]
    comparison: CurveComparison
    not_evaluable: int


class CurvesTally:
    """Each subject's time to each event (``read``; ``add`` the digest to its arm's), then the
    curves per arm (``result``)."""

    def __init__(self, study: Study) -> None:
        self.study = study
        self.endpoints = [e for e in study.endpoints if isinstance(e, SurvivalEndpoint)]
        self.times: list[dict[str, list[SurvivalTime]]] = [
            {a.code: [] for a in study.arms} for _ in self.endpoints
        ]
        self.missing = [0] * len(self.endpoints)

    def read(self, subject: SubjectFacts) -> tuple[SurvivalTime | None, ...]:
        """An enrolled subject's time to each endpoint (None: its start date is not known
        yet); none for another subject."""
        if not subject.enrolled:
            return ()
        data, found = subject.data, []
        for endpoint in self.endpoints:
            began = data.starts.get(endpoint.parameters.start)
            found.append(None if began is None else SURVIVAL_TIMES[endpoint.method](data, began))
        return tuple(found)

    def add(self, subject: SubjectDigest) -> None:
        if not subject.enrolled:
            return
        for index, time in enumerate(subject.times):
            times = self.times[index]
            if time is None or subject.arm not in times:
                self.missing[index] += 1
            else:
                times[str(subject.arm)].append(time)

    def result(self) -> tuple[EndpointCurves, ...]:
        found = []
        for endpoint, times, missing in zip(self.endpoints, self.times, self.missing, strict=True):
            params = endpoint.parameters
            scale = _SCALES[endpoint.method]
            comparison = compare_arms(times, landmark_years=params.landmark_years, scale=scale)
            found.append(
                EndpointCurves(
                    endpoint.id,
                    endpoint.label,
                    endpoint.method,
                    params.start,
                    tuple(params.landmark_years),
                    comparison,
                    missing,
                )
            )
        return tuple(found)


def endpoint_curves(study: Study, subjects: Iterable[SubjectFacts]) -> tuple[EndpointCurves, ...]:
    """Every time-to-event endpoint of ``study`` over its enrolled subjects, arm by arm."""
    tally = CurvesTally(study)
    for subject in subjects:
        tally.add(digest_of(subject, times=tally.read(subject)))
    return tally.result()


@dataclass(frozen=True)
class MarkerPoint:
    """One scheduled visit: the proportion per arm (in the study's arm order)."""

    visit: str
    label: Text
    week: float
    arms: tuple[tuple[str, Proportion], ...]


@dataclass(frozen=True)
class MarkerSeries:
    """One marker over the scheduled visits that measure it."""

    id: str
    label: Text
    points: tuple[MarkerPoint, ...]


Measured = Callable[[str], list[Measurement]]
"""An item of one virology record as a measurement (none when blank or not a result)."""
Judge = Callable[[Measured], bool | None]
Answers = tuple[bool | None, ...]

MARKER_ITEMS = ("I.HBSAG", "I.ANTI_HBS", "I.HBV_DNA")
"""The items of a virology record that the markers read."""
_REMEMBERED = 65536


def _parameter(study: Study, method: str, name: str) -> Decimal | None:
    for endpoint in study.endpoints:
        if endpoint.method == method:
            value = getattr(endpoint.parameters, name, None)
            return value if isinstance(value, Decimal) else None
    return None


def _judges(study: Study) -> list[tuple[str, Text, Judge]]:
    judges: list[tuple[str, Text, Judge]] = []
    loss = _parameter(study, "hbsag_loss", "threshold")
    if loss is not None:

        def lost(measured: Measured) -> bool | None:
            status = hbsag_status(measured("I.HBSAG"), [], threshold=loss)
            return status[0].loss if status else None

        judges.append(
            (
                "hbsag_loss",
                Text(en=f"HBsAg loss (< {loss} IU/mL)", zh=f"HBsAg消失（< {loss} IU/mL）"),
                lost,
            )
        )
    sero = _parameter(study, "hbsag_seroconversion", "threshold")
    anti = _parameter(study, "hbsag_seroconversion", "anti_hbs_threshold")
    if sero is not None and anti is not None:

        def converted(measured: Measured) -> bool | None:
            status = hbsag_status(
                measured("I.HBSAG"),
                measured("I.ANTI_HBS"),
                threshold=sero,
                anti_hbs_threshold=anti,
            )
            return status[0].seroconversion if status else None

        label = Text(
            en=f"HBsAg seroconversion (anti-HBs ≥ {anti} mIU/mL)",
            zh=f"HBsAg血清学转换（抗-HBs ≥ {anti} mIU/mL）",
        )
        judges.append(("hbsag_seroconversion", label, converted))
    lloq = _parameter(study, "hbv_dna_undetectable", "lloq")
    if lloq is not None:

        def undetectable(measured: Measured) -> bool | None:
            found = measured("I.HBV_DNA")
            return found[0].quantity.is_below(lloq) if found else None

        label = Text(en=f"HBV DNA < {lloq} IU/mL", zh=f"HBV DNA < {lloq} IU/mL")
        judges.append(("hbv_dna_undetectable", label, undetectable))
    return judges


class _Judging:
    """The study's markers judged on a virology record, remembered by what the record holds of
    :data:`MARKER_ITEMS` (the answers depend on nothing else): a dashboard judges the same
    thousands of results at each refresh. Each distinct result text is read once too
    ("<0.05", "target not detected" and the like come back again and again)."""

    def __init__(self, study: Study, virology: FormDef) -> None:
        self.study, self.virology = study, virology
        self.judges = _judges(study)
        self.items = virology.items()
        self.read: dict[tuple[str, str, str | None], Quantity | None] = {}
        self.known: dict[tuple[Entry | None, ...], Answers] = {}

    def answers(self, values: Mapping[str, Entry]) -> Answers:
        """Each judge's answer (in the order of :attr:`judges`) on one record's values."""
        key = tuple(values.get(item) for item in MARKER_ITEMS)
        found = self.known.get(key)
        if found is None:
            measured = self._measured(dict(zip(MARKER_ITEMS, key, strict=True)))
            found = tuple(judge(measured) for _marker, _label, judge in self.judges)
            _remember(self.known, key, found)
        return found

    def _measured(self, entries: Mapping[str, Entry | None]) -> Measured:
        def measured(item: str) -> list[Measurement]:
            entry = entries[item]  # a judge reads no item but MARKER_ITEMS
            text = entry_text(entry)
            if entry is None or text is None:
                return []
            raw, unit = (entry, None) if isinstance(entry, str) else (entry.text, entry.unit)
            key = (item, raw, unit)
            if key not in self.read:
                try:
                    quantity: Quantity | None = read_quantity(self.items[item], entry)
                except FormsError:
                    quantity = None
                _remember(self.read, key, quantity)
            quantity = self.read[key]
            # one record is one sample: HBsAg and anti-HBs pair by it, not by a date
            return [] if quantity is None else [Measurement(date.min, quantity)]

        return measured


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    if len(memo) >= _REMEMBERED:
        memo.clear()
    memo[key] = value


_JUDGING: dict[int, _Judging] = {}


def _judging(study: Study, virology: FormDef) -> _Judging:
    """The study's judging, kept by the definitions' identity (they are immutable)."""
    known = _JUDGING.get(id(study))
    if known is None or known.study is not study or known.virology is not virology:
        if len(_JUDGING) > 16:
            _JUDGING.clear()
        known = _JUDGING[id(study)] = _Judging(study, virology)
    return known


class MarkersTally:
    """Each subject's virology judged visit by visit (``read``; ``add`` the digest's answers),
    then the proportions per arm (``result``)."""

    def __init__(self, study: Study, forms: Mapping[str, FormDef]) -> None:
        self.study = study
        active = VIROLOGY in forms
        self.visits = [v for v in study.visits if VIROLOGY in v.forms] if active else []
        self.wanted = {v.oid for v in self.visits}
        self.judging = _judging(study, forms[VIROLOGY]) if active else None
        self.judges = self.judging.judges if self.judging is not None else []
        self.tally: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])

    def read(self, subject: SubjectFacts) -> tuple[tuple[str, Answers], ...]:
        """An enrolled subject's answers at each scheduled visit measuring the markers (its
        first occurrence): (visit OID, each judge's answer)."""
        judging = self.judging
        if judging is None or not subject.enrolled or subject.arm is None:
            return ()
        return tuple(
            (record.event, judging.answers(record.values))
            for record in subject.data.of_form(VIROLOGY)
            if record.event in self.wanted and record.event_repeat == 1
        )

    def add(self, subject: SubjectDigest) -> None:
        if not subject.enrolled or subject.arm is None:
            return
        for event, answers in subject.markers:
            for (marker, _label, _judge), answer in zip(self.judges, answers, strict=True):
                if answer is None:
                    continue
                counts = self.tally[(marker, event, subject.arm)]
                counts[0] += answer
                counts[1] += 1

    def result(self) -> tuple[MarkerSeries, ...]:
        series = []
        for marker, label, _judge in self.judges:
            points = tuple(
                MarkerPoint(
                    v.oid,
                    v.label,
                    v.day / 7,
                    tuple(
                        (a.code, wilson(*self.tally.get((marker, v.oid, a.code), [0, 0])))
                        for a in self.study.arms
                    ),
                )
                for v in self.visits
            )
            series.append(MarkerSeries(marker, label, points))
        return tuple(series)


def marker_series(
    study: Study, forms: Mapping[str, FormDef], subjects: Iterable[SubjectFacts]
) -> tuple[MarkerSeries, ...]:
    """Each marker's proportion per arm at every scheduled visit that measures it."""
    tally = MarkersTally(study, forms)
    for subject in subjects:
        tally.add(digest_of(subject, markers=tally.read(subject)))
    return tally.result()
