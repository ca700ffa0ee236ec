"""What a study says about monitoring: the critical data that needs 100 % source data
verification (SDV), and how much of the rest is sampled.

Risk-based monitoring (ICH E6(R3) section 3.11.1 and Annex 1 "Risk-based quality
management"; FDA guidance "A Risk-Based Approach to Monitoring of Clinical Investigations",
2023): the protocol names the data critical to the subjects' safety and to the reliability of
the results — eligibility, consent, the primary endpoint, serious adverse events — and those are
verified against the source in full; other data may be verified on a sample.

A study file's ``monitoring`` names each critical set as forms, optionally narrowed to some
visits, some items and the repeats of a group where an item holds one of some values (an AE
whose "serious" item is Yes). Pure: what is critical is decided here and by the store's SQL
built from these same fields (``desktop_crf.store.sdv``).

Public names: :class:`Monitoring`, :class:`CriticalData`, :class:`ItemEquals`,
:func:`is_critical`.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, model_validator

from forms.text import Text


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ItemEquals(_Model):
    """Only the repeats of an item group where ``item`` holds one of ``values`` (codes)."""

    item: str = Field(pattern=r"^I\.[A-Z0-9_]+$")
    values: tuple[str, ...] = Field(min_length=1)


class CriticalData(_Model):
    """One set of critical data: every item of ``forms`` (or only ``items``), at every visit
    (or only ``visits``), in every repeat of its group (or only where ``when`` holds)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    forms: tuple[str, ...] = Field(min_length=1)
    visits: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    when: ItemEquals | None = None

    def covers(
        self,
        event: str,
        form: str,
        item: str,
        group_values: Mapping[str, str | None] | None = None,
    ) -> bool:
        """Whether the item ``item`` of ``form`` at visit ``event`` belongs to this set;
        ``group_values``: the other values of the item's group repeat (for ``when``)."""
        if form not in self.forms or (self.visits and event not in self.visits):
            return False
        if self.items and item not in self.items:
            return False
        if self.when is None:
            return True
        return (group_values or {}).get(self.when.item) in self.when.values


class Monitoring(_Model):
    """The study's monitoring plan as data: critical data (100 % SDV) and the share of the
    other data the monitor verifies (``sample_percent``, a target shown beside the progress)."""

    critical: tuple[CriticalData, ...] = ()
    sample_percent: int = Field(default=100, ge=0, le=100)
    note: Text | None = None

    @model_validator(mode="after")
    def _apart(self) -> Monitoring:
        """Two sets never name one form at one visit, so that every critical value is
        counted once (a set's ``visits`` empty: every visit)."""
        for n, first in enumerate(self.critical):
            for second in self.critical[n + 1 :]:
                shared = set(first.forms) & set(second.forms)
                visits_meet = (
                    not first.visits or not second.visits or set(first.visits) & set(second.visits)
                )
                if shared and visits_meet:
                    raise ValueError(
                        f"critical sets {first.id} and {second.id} both name "
                        f"{sorted(shared)} at the same visits: merge them into one set"
                    )
        return self


def is_critical(
    monitoring: Monitoring,
    event: str,
    form: str,
    item: str,
    group_values: Mapping[str, str | None] | None = None,
) -> bool:
    """Whether an item value is critical data: some set of ``monitoring.critical`` covers it."""
    return any(c.covers(event, form, item, group_values) for c in monitoring.critical)
