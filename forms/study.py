"""Study definitions: arms, visit schedule with windows, eligibility and endpoints.

A study file under ``resources/studies/<study id>/<version>.json`` is one :class:`Study`. A
protocol amendment is a new version file; data keeps the version it was captured under.

Public names: :class:`Study`, :class:`Arm`, :class:`Anchor`, :class:`Window`, :class:`VisitDef`,
:class:`Baseline`, :class:`UnscheduledVisits`, :class:`Note`, :func:`version_key`;
:data:`EndpointDef` (from :mod:`forms.endpoint_defs`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from forms.criteria import ConsistencyCheck, Criterion, ItemRef
from forms.endpoint_defs import EndpointDef
from forms.monitoring import Monitoring
from forms.text import Text


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Arm(_Model):
    """A treatment arm: short code (e.g. ``PEG_NA``), labels and the drugs it allows."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    label: Text
    description: Text
    na_drugs: tuple[str, ...] = Field(min_length=1)
    peg_ifn: bool


class Drug(_Model):
    """A study drug whose relation to each adverse event is assessed (WHO-UMC causality)."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    label: Text


class Anchor(_Model):
    """The date every target day counts from, and where it is entered.

    ``kind`` is ``"radical_treatment"`` (the resection or ablation date) or ``"first_dose"``.
    """

    kind: Literal["radical_treatment", "first_dose"]
    label: Text
    item: ItemRef


class Window(_Model):
    """Days a visit may happen before and after its target date (both inclusive)."""

    before: int = Field(ge=0)
    after: int = Field(ge=0)


class VisitDef(_Model):
    """A scheduled visit (ODM StudyEventDef): target day from the anchor, window, forms due.

    ``window`` None means the study's ``default_window``: the protocol gave none.
    """

    oid: str = Field(pattern=r"^SE\.[A-Z0-9_]+$")
    label: Text
    day: int
    window: Window | None = None
    forms: tuple[str, ...] = Field(min_length=1)


class Baseline(_Model):
    """The visits before treatment, in date order: their values are the subject's baseline
    (of each test, the value at the latest of them that has it) and never adverse events, as
    no dose has been given. Changes from baseline (CTCAE grades by baseline multiples,
    Child-Pugh deterioration, QLQ-C30 change, HBsAg decline) start from here, never from a
    later visit."""

    visits: tuple[str, ...] = Field(min_length=1)


class UnscheduledVisits(_Model):
    """Whether unscheduled visits may be added, and the forms they may hold."""

    allowed: bool = True
    label: Text
    forms: tuple[str, ...] = ()


class Note(_Model):
    """An interpretation the study file makes where the protocol is silent, and why."""

    topic: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: Text


class Study(_Model):
    """A study protocol version as data."""

    id: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    version: str = Field(pattern=r"^[0-9]+(\.[0-9]+)*$")
    title: Text
    registry_id: str | None = None
    sponsor: str
    design: Text
    target_enrollment: int = Field(gt=0)
    arms: tuple[Arm, ...] = Field(min_length=1)
    drugs: tuple[Drug, ...] = ()
    anchor: Anchor
    default_window: Window
    window_note: Text
    visits: tuple[VisitDef, ...] = Field(min_length=1)
    log_forms: tuple[str, ...] = ()
    unscheduled: UnscheduledVisits
    baseline: Baseline
    eligibility: tuple[Criterion, ...] = ()
    consistency: tuple[ConsistencyCheck, ...] = ()
    endpoints: tuple[EndpointDef, ...] = ()
    ae_min_grade: int = Field(default=1, ge=1, le=5)
    notes: tuple[Note, ...] = ()
    #: the critical data that needs 100 % source data verification, and the sample of the rest
    monitoring: Monitoring = Monitoring()

    @model_validator(mode="after")
    def _unique_ids(self) -> Study:
        for what, ids in (
            ("arm codes", [a.code for a in self.arms]),
            ("visit OIDs", [v.oid for v in self.visits]),
            ("criterion ids", [c.id for c in self.eligibility]),
            ("consistency check ids", [c.id for c in self.consistency]),
            ("endpoint ids", [e.id for e in self.endpoints]),
            ("note topics", [n.topic for n in self.notes]),
        ):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if twice:
                raise ValueError(f"{self.id} {self.version}: {what} used twice: {twice}")
        days = [v.day for v in self.visits]
        if days != sorted(days):
            raise ValueError(f"{self.id} {self.version}: visits must be listed by target day")
        order = [v.oid for v in self.visits]
        unknown = [oid for oid in self.baseline.visits if oid not in order]
        if unknown or sorted(self.baseline.visits, key=order.index) != list(self.baseline.visits):
            raise ValueError(
                f"{self.id} {self.version}: baseline visits must be visits of the study, in "
                f"schedule order: {list(self.baseline.visits)}"
            )
        return self

    def is_baseline(self, event: str) -> bool:
        """True for a visit before treatment (see :class:`Baseline`)."""
        return event in self.baseline.visits

    def window_of(self, visit: VisitDef) -> Window:
        """The visit's window, or the study's default when the protocol gave none."""
        return visit.window or self.default_window

    def visit(self, oid: str) -> VisitDef:
        """Return the visit with ``oid``.

        Raises:
            KeyError: the study has no such visit.
        """
        for visit in self.visits:
            if visit.oid == oid:
                return visit
        raise KeyError(f"{self.id} has no visit {oid}")

    def arm(self, code: str) -> Arm:
        """Return the arm with ``code``.

        Raises:
            KeyError: the study has no such arm.
        """
        for arm in self.arms:
            if arm.code == code:
                return arm
        raise KeyError(f"{self.id} has no arm {code}")

    def form_oids(self) -> tuple[str, ...]:
        """Every form the study uses (visits, logs, unscheduled), each once, in first use order."""
        seen: dict[str, None] = {}
        for oid in [f for v in self.visits for f in v.forms]:
            seen.setdefault(oid)
        for oid in (*self.log_forms, *self.unscheduled.forms):
            seen.setdefault(oid)
        return tuple(seen)


def version_key(version: str) -> tuple[int, ...]:
    """Sort key of a study version such as ``"1.10"`` (numeric, so 1.10 sorts after 1.9)."""
    return tuple(int(part) for part in version.split("."))
