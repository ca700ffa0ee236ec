"""The derived endpoints a study file may declare, each with typed parameters.

A study file names each endpoint's ``method`` and its ``parameters``; the parameters are
validated when the study is loaded, by the method's own model below, whose fields are exactly
the keyword arguments of the function that derives it (:data:`forms.endpoints.ENDPOINTS`; a
test holds the two together). So a parameter that no function reads, or a threshold written as
text where a number is needed, stops the study file from loading instead of being ignored,
and an amendment that changes a threshold changes the result.

Numbers that are thresholds are exact decimals written as strings (``"0.05"``): a binary float
is refused. Counts (weeks, months, points, years) are JSON integers.

Public names: :class:`EndpointDef` (the union), one ``…Endpoint`` and ``…Parameters`` class
per method, :data:`START_ITEMS`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

from forms.instruments.qlq_c30 import KEYS as QLQ_C30_KEYS
from forms.text import Text

Start = Literal["radical_treatment", "first_dose"]
"""The date time-to-event endpoints count from."""

START_ITEMS: dict[str, str] = {
    "radical_treatment": "F.HCC_HISTORY/I.RADICAL_DATE",
    "first_dose": "F.TREATMENT/I.FIRST_DOSE_DATE",
}
"""Where each start date is entered."""

Years = Annotated[StrictInt, Field(gt=0)]


class _Parameters(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_floats(cls, value: object) -> object:
        if isinstance(value, float):
            raise ValueError('write an exact number as a string (e.g. "0.05"), not a float')
        return value


class NoParameters(_Parameters):
    """An endpoint the protocol defines without parameters."""


class HbsagLossParameters(_Parameters):
    """HBsAg loss: HBsAg below ``threshold`` IU/mL (the protocols: < 0.05 IU/mL)."""

    threshold: Decimal = Field(gt=0)


class SeroconversionParameters(HbsagLossParameters):
    """HBsAg loss and anti-HBs ≥ ``anti_hbs_threshold`` mIU/mL (NCT07553767: 10 mIU/mL)."""

    anti_hbs_threshold: Decimal = Field(gt=0)


class ConfirmedLossParameters(HbsagLossParameters):
    """Loss confirmed by another ≥ ``min_weeks_apart`` weeks later (the recurrence study: 24)."""

    min_weeks_apart: StrictInt = Field(ge=0)


class DnaUndetectableParameters(_Parameters):
    """HBV DNA below ``lloq`` IU/mL in consecutive tests ≥ ``min_months_apart`` months apart."""

    lloq: Decimal = Field(gt=0)
    min_months_apart: StrictInt = Field(ge=0)


class DeteriorationParameters(_Parameters):
    """A rise of the Child-Pugh score of ≥ ``rise`` points over baseline (both protocols: 2)."""

    rise: StrictInt = Field(ge=1)


class SurvivalParameters(_Parameters):
    """Time from ``start`` to the event, with the status at each of ``landmark_years``."""

    start: Start
    landmark_years: tuple[Years, ...] = Field(min_length=1)


class QolParameters(_Parameters):
    """Change from baseline of one QLQ-C30 scale (e.g. ``QL2``, global health status/QoL)."""

    scale: str

    @field_validator("scale")
    @classmethod
    def _known_scale(cls, value: str) -> str:
        if value not in QLQ_C30_KEYS:
            raise ValueError(f"{value!r} is not a QLQ-C30 scale: one of {', '.join(QLQ_C30_KEYS)}")
        return value


class _Endpoint(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    note: Text | None = None


class HbsagLossEndpoint(_Endpoint):
    method: Literal["hbsag_loss"]
    parameters: HbsagLossParameters


class SeroconversionEndpoint(_Endpoint):
    method: Literal["hbsag_seroconversion"]
    parameters: SeroconversionParameters


class ConfirmedLossEndpoint(_Endpoint):
    method: Literal["hbsag_loss_confirmed"]
    parameters: ConfirmedLossParameters


class DnaUndetectableEndpoint(_Endpoint):
    method: Literal["hbv_dna_undetectable"]
    parameters: DnaUndetectableParameters


class HbsagDeclineEndpoint(_Endpoint):
    method: Literal["hbsag_decline"]
    parameters: NoParameters = NoParameters()


class DeteriorationEndpoint(_Endpoint):
    method: Literal["child_pugh_deterioration"]
    parameters: DeteriorationParameters


class RecurrenceEndpoint(_Endpoint):
    method: Literal["recurrence"]
    parameters: NoParameters = NoParameters()


class SurvivalEndpoint(_Endpoint):
    method: Literal["cumulative_recurrence", "recurrence_free_survival", "overall_survival"]
    parameters: SurvivalParameters


class QolEndpoint(_Endpoint):
    method: Literal["qlq_c30_change"]
    parameters: QolParameters


EndpointDef = Annotated[
    HbsagLossEndpoint
    | SeroconversionEndpoint
    | ConfirmedLossEndpoint
    | DnaUndetectableEndpoint
    | HbsagDeclineEndpoint
    | DeteriorationEndpoint
    | RecurrenceEndpoint
    | SurvivalEndpoint
    | QolEndpoint,
    Field(discriminator="method"),
]
"""One endpoint of a study file, its parameters typed by its method."""
