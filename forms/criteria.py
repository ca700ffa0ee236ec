"""Eligibility criteria as data: the wording of the protocol and a rule that decides it.

A study file lists its criteria (:class:`Criterion`); :mod:`forms.eligibility` evaluates each
one from the entered data to met / not met / unknown. A protocol amendment changes the data, not
the code. Rules refer to entered items by *item reference* ``"F.FORM/I.ITEM"`` (non-repeating
items of the screening visit's forms).

Rules (``kind``):

- ``compare``: a numeric item against a threshold, optionally as a multiple of the lab's
  ``ULN``/``LLN`` (e.g. ALT > 3 × ULN); values below/above quantification are compared by what
  they tell for sure.
- ``age``: whole years between a birth date and another date (e.g. consent), inclusive bounds.
- ``choice``: a coded item is one of ``any_of``.
- ``interval``: a date falls ``min`` to ``max`` days or calendar months after another date.
- ``any`` / ``all``: a combination of rules, with three-valued logic.

Consistency checks (:class:`ConsistencyCheck`) compare two records of one fact across the
screening forms: ``same_value`` (two items must hold the same value) and ``implies`` (an answer
that makes another one necessary).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from forms.text import Text

ItemRef = Annotated[str, Field(pattern=r"^F\.[A-Z0-9_]+/I\.[A-Z0-9_.]+$")]
Operator = Literal["<", "<=", ">", ">=", "=="]


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CompareRule(_Rule):
    """``item op value [× times]``; ``value`` is a decimal string in ``unit`` (the item's own
    unit when omitted). With ``times``, the threshold is value × the item's LLN or ULN as the
    site laboratory reported it (``limit`` names that item; by default the form's item marked
    as the limit of ``item``)."""

    kind: Literal["compare"] = "compare"
    item: ItemRef
    op: Operator
    value: str
    unit: str | None = None
    times: Literal["ULN", "LLN"] | None = None
    limit: ItemRef | None = None


class AgeRule(_Rule):
    """Age in completed years on the date of ``on`` lies in ``[min_years, max_years]``."""

    kind: Literal["age"] = "age"
    birth_date: ItemRef
    on: ItemRef
    min_years: int | None = None
    max_years: int | None = None


class ChoiceRule(_Rule):
    """A coded (or boolean) item's value is one of ``any_of``."""

    kind: Literal["choice"] = "choice"
    item: ItemRef
    any_of: tuple[str, ...] = Field(min_length=1)


class IntervalRule(_Rule):
    """``end`` lies from ``min`` to ``max`` days or calendar months after ``start`` (inclusive),
    e.g. imaging within 1–3 months after the operation."""

    kind: Literal["interval"] = "interval"
    start: ItemRef
    end: ItemRef
    unit: Literal["days", "months"]
    min: int = Field(ge=0)
    max: int = Field(ge=0)


class AnyRule(_Rule):
    """True when any sub-rule is true; false when all are false; otherwise unknown."""

    kind: Literal["any"] = "any"
    rules: tuple[Rule, ...] = Field(min_length=1)


class AllRule(_Rule):
    """True when all sub-rules are true; false when any is false; otherwise unknown."""

    kind: Literal["all"] = "all"
    rules: tuple[Rule, ...] = Field(min_length=1)


Rule = Annotated[
    CompareRule | AgeRule | ChoiceRule | IntervalRule | AnyRule | AllRule,
    Field(discriminator="kind"),
]


class Criterion(BaseModel):
    """One inclusion or exclusion criterion, worded exactly as the protocol states it.

    For an inclusion criterion "met" means the subject qualifies on it; for an exclusion
    criterion "met" means the exclusion applies.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^(IN|EX)[0-9]{2}$")
    kind: Literal["inclusion", "exclusion"]
    text: Text
    rule: Rule


class SameValue(_Rule):
    """Two items that record one fact (e.g. the INR on the liver panel and on the Child-Pugh
    form of the same visit) disagree when both are entered and differ (numbers compared in
    their items' units, exactly)."""

    kind: Literal["same_value"] = "same_value"
    items: tuple[ItemRef, ItemRef]


class Implies(_Rule):
    """Answers disagree when ``when`` is true and ``then`` is false (e.g. recurrence on the
    screening scan but "recurrent or metastatic HCC: No"); unknown answers do not disagree."""

    kind: Literal["implies"] = "implies"
    when: Rule
    then: Rule


class ConsistencyCheck(BaseModel):
    """A check across the forms of the first visit: two records of one fact must agree. A
    disagreement is reported with both values and blocks enrolment until one is corrected."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^CC[0-9]{2}$")
    text: Text
    check: Annotated[SameValue | Implies, Field(discriminator="kind")]


AnyRule.model_rebuild()
AllRule.model_rebuild()
Implies.model_rebuild()
