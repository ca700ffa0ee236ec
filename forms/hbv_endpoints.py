"""Hepatitis B endpoints: HBsAg loss and seroconversion, confirmed loss, undetectable HBV DNA.

Sources: the protocols (NCT07553767 outcome measures; the recurrence study's secondary
endpoints) as summarised in clinical.md, "Hepatitis B markers":

- HBsAg loss: HBsAg < 0.05 IU/mL. Seroconversion: loss and anti-HBs ≥ 10 mIU/mL (same day).
- Loss confirmed at two time points ≥ 24 weeks apart (no positive result in between).
- HBV DNA undetectable: < 10 IU/mL (LLOQ) in consecutive tests spanning ≥ 6 months: the first
  and last undetectable tests of an uninterrupted run are at least 6 calendar months apart.

Results below quantification count by what they tell (``"<10"`` and ``"target not detected"``
are below 10; ``"<20"`` cannot tell), never as a number. Every answer is three-valued.

Public names: :class:`Measurement`, :func:`measure`, :class:`HbsagStatus`, :func:`hbsag_status`,
:class:`Confirmation`, :func:`hbsag_loss_confirmed`, :func:`hbv_dna_undetectable`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from forms.dates import add_months
from forms.quantities import Quantity
from forms.schema import ItemDef
from forms.values import Entry, read_quantity

HBSAG_LOSS = Decimal("0.05")
ANTI_HBS_PROTECTIVE = Decimal(10)
HBV_DNA_LLOQ = Decimal(10)


@dataclass(frozen=True)
class Measurement:
    """One dated lab result, in its item's own unit (IU/mL for HBsAg and HBV DNA, mIU/mL for
    anti-HBs in the bundled forms)."""

    on: date
    quantity: Quantity


def measure(item: ItemDef, on: date, entry: Entry) -> Measurement:
    """Build a measurement from an entry as typed, converted to ``item``'s unit.

    Raises:
        ValueNotUnderstood: the entry is not a lab result.
        UnknownUnit: its unit is not one the item accepts.
    """
    return Measurement(on, read_quantity(item, entry))


@dataclass(frozen=True)
class HbsagStatus:
    """HBsAg loss and seroconversion at one time point; None where the data cannot tell."""

    on: date
    loss: bool | None
    seroconversion: bool | None


def _and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def hbsag_status(
    hbsag: Sequence[Measurement],
    anti_hbs: Sequence[Measurement],
    *,
    threshold: Decimal = HBSAG_LOSS,
    anti_hbs_threshold: Decimal = ANTI_HBS_PROTECTIVE,
) -> list[HbsagStatus]:
    """HBsAg loss (HBsAg < ``threshold``) and seroconversion (loss and anti-HBs ≥
    ``anti_hbs_threshold`` on the same day) at each HBsAg time point, in date order."""
    anti_by_day = {m.on: m.quantity for m in anti_hbs}
    statuses = []
    for m in sorted(hbsag, key=lambda m: m.on):
        loss = m.quantity.is_below(threshold)
        anti = anti_by_day.get(m.on)
        protective = None if anti is None else anti.compare(">=", anti_hbs_threshold)
        statuses.append(HbsagStatus(m.on, loss, _and(loss, protective)))
    return statuses


@dataclass(frozen=True)
class Confirmation:
    """A confirmed response: the first qualifying test and the test that confirmed it."""

    first: date
    confirmed: date


def hbsag_loss_confirmed(
    hbsag: Sequence[Measurement], *, threshold: Decimal = HBSAG_LOSS, min_weeks_apart: int = 24
) -> Confirmation | None:
    """The first HBsAg loss confirmed by another loss ≥ ``min_weeks_apart`` weeks later, with no
    HBsAg-positive result in between (results that cannot tell neither confirm nor break).

    Source: the recurrence study, "2-Year HBsAg Seroclearance Rate": "Confirmation: Required at
    two timepoints ≥24 weeks apart".
    """
    tests = sorted(hbsag, key=lambda m: m.on)
    gap = timedelta(weeks=min_weeks_apart)
    for i, first in enumerate(tests):
        if first.quantity.is_below(threshold) is not True:
            continue
        for later in tests[i + 1 :]:
            loss = later.quantity.is_below(threshold)
            if loss is False:
                break
            if loss and later.on - first.on >= gap:
                return Confirmation(first.on, later.on)
    return None


def hbv_dna_undetectable(
    dna: Sequence[Measurement], *, lloq: Decimal = HBV_DNA_LLOQ, min_months_apart: int = 6
) -> Confirmation | None:
    """The first run of consecutive HBV DNA tests all below ``lloq`` whose first and last tests
    are ≥ ``min_months_apart`` calendar months apart; None if there is none.

    A test that is not below the LLOQ, or cannot tell (``"<20"`` against 10), ends a run.
    Source: the recurrence study, "2-Year HBV DNA undetectable rate".
    """
    run_start: date | None = None
    for m in sorted(dna, key=lambda m: m.on):
        if m.quantity.is_below(lloq) is not True:
            run_start = None
            continue
        if run_start is None:
            run_start = m.on
        elif m.on >= add_months(run_start, min_months_apart):
            return Confirmation(run_start, m.on)
    return None
