"""Derived items: values a form computes from other items of the same form.

A derived item names its method and inputs in the form file (``ItemDef.derivation``).
:func:`derive` computes every derived item of a form from the entered values; a derivation
whose inputs are missing, unreadable or not exact numbers gives no value (never a guess: a
bilirubin of ``"<3"`` leaves the Child-Pugh score open).

Methods (``METHODS``):

- ``bmi``: weight (kg) / height (m)², one decimal.
- ``child_pugh_score`` / ``child_pugh_class``: :func:`forms.instruments.child_pugh.score`,
  with the cut-offs applied in the unit entered (clinical.md, "Child-Pugh").
- ``lirads_category``: the LI-RADS v2018 CT/MRI diagnostic table from the major features
  (arterial phase hyperenhancement, size, washout, capsule, threshold growth). A suggestion
  only: ancillary features, LR-M and LR-TIV are the radiologist's.
- ``qlq_c30_<SCALE>`` (``QL2``, ``PF2`` … ``FI``, ``SUM``): one score of
  :func:`forms.instruments.qlq_c30.score` from the answers given as inputs named by item number
  ("1" … "30"); unrounded (``repr`` of the float, which reads back as the same number), absent
  when the scoring manual's missing-item rules leave it missing or an answer is out of range.

Public names: :class:`DerivationInput`, :data:`METHODS`, :func:`derive`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from forms.errors import FormsError
from forms.instruments import qlq_c30
from forms.instruments.child_pugh import score as child_pugh_score
from forms.instruments.errors import InstrumentError
from forms.quantities import parse_quantity
from forms.schema import FormDef, ItemDef, repeat_keys, resolve_path
from forms.values import Entry, as_item_value, is_blank, normalise_unit, read_quantity


@dataclass(frozen=True)
class DerivationInput:
    """One input of a derivation: its item definition and what was entered (or None)."""

    item: ItemDef
    entry: Entry | None


Inputs = Mapping[str, DerivationInput]
Method = Callable[[Inputs], str | None]


def _exact(given: DerivationInput) -> Decimal | None:
    """The input as an exact number in its item's unit, or None."""
    if given.entry is None or is_blank(given.entry):
        return None
    try:
        quantity = read_quantity(given.item, given.entry)
    except FormsError:
        return None
    return quantity.value if quantity.is_exact else None


def _code(given: DerivationInput) -> str | None:
    return (
        None
        if given.entry is None or is_blank(given.entry)
        else as_item_value(given.entry).text.strip()
    )


def _as_entered(given: DerivationInput, units: tuple[str, ...]) -> tuple[Decimal, str] | None:
    """The input's exact number and unit *as entered* (for cut-offs applied in that unit)."""
    if given.entry is None or is_blank(given.entry):
        return None
    value = as_item_value(given.entry)
    try:
        quantity = parse_quantity(value.text)
    except FormsError:
        return None
    unit = value.unit or quantity.unit or given.item.unit or ""
    spelled = {normalise_unit(u): u for u in units}.get(normalise_unit(unit))
    if not quantity.is_exact or quantity.value is None or spelled is None:
        return None
    return quantity.value, spelled


def bmi(inputs: Inputs) -> str | None:
    """Body mass index = weight (kg) / height (m)², rounded half up to one decimal."""
    height, weight = _exact(inputs["height"]), _exact(inputs["weight"])
    if height is None or weight is None or height <= 0:
        return None
    value = weight / (height / 100) ** 2
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _child_pugh(inputs: Inputs) -> tuple[int, str] | None:
    bilirubin = _as_entered(inputs["bilirubin"], ("umol/L", "mg/dL"))
    albumin = _as_entered(inputs["albumin"], ("g/L", "g/dL"))
    inr = _exact(inputs["inr"])
    ascites, encephalopathy = _code(inputs["ascites"]), _code(inputs["encephalopathy"])
    if bilirubin is None or albumin is None or inr is None or not ascites or not encephalopathy:
        return None
    try:
        return child_pugh_score(
            bilirubin=bilirubin[0],
            albumin=albumin[0],
            inr=inr,
            ascites=ascites,
            encephalopathy=encephalopathy,
            bilirubin_unit=bilirubin[1],
            albumin_unit=albumin[1],
        )
    except InstrumentError:
        return None


def child_pugh_points(inputs: Inputs) -> str | None:
    """Child-Pugh total points (5–15), by :func:`forms.instruments.child_pugh.score`."""
    result = _child_pugh(inputs)
    return None if result is None else str(result[0])


def child_pugh_class(inputs: Inputs) -> str | None:
    """Child-Pugh class (A, B or C), by :func:`forms.instruments.child_pugh.score`."""
    result = _child_pugh(inputs)
    return None if result is None else result[1]


def lirads_category(inputs: Inputs) -> str | None:
    """LI-RADS v2018 CT/MRI diagnostic table (ACR LI-RADS v2018 core, "CT/MRI Diagnostic
    Table"): category from APHE, size (mm) and the count of additional major features."""
    aphe, size = _code(inputs["aphe"]), _exact(inputs["size_mm"])
    features = [_code(inputs[name]) for name in ("washout", "capsule", "threshold_growth")]
    if aphe not in ("Y", "N") or size is None or any(f not in ("Y", "N") for f in features):
        return None
    count = features.count("Y")
    if aphe == "N":
        if count == 0 or (count == 1 and size < 20):
            return "LR3"
        return "LR4"
    if size < 10:
        return "LR3" if count == 0 else "LR4"
    if size < 20:
        if count == 0:
            return "LR3"
        # One feature: LR-5 for washout or threshold growth, LR-4 for capsule alone.
        return "LR4" if count == 1 and features[1] == "Y" else "LR5"
    return "LR4" if count == 0 else "LR5"


def _qlq_c30_scale(code: str) -> Method:
    def scale(inputs: Inputs) -> str | None:
        responses: dict[int, int | None] = {}
        for name, given in inputs.items():
            text = _code(given)
            if text is not None and not text.isdigit():
                return None
            responses[int(name)] = None if text is None else int(text)
        try:
            value = qlq_c30.score(responses)[code]
        except InstrumentError:
            return None
        return None if value is None else repr(value)

    scale.__doc__ = f"QLQ-C30 score {code} (EORTC scoring manual, 3rd edition)."
    return scale


METHODS: Mapping[str, Method] = {
    "bmi": bmi,
    "child_pugh_score": child_pugh_points,
    "child_pugh_class": child_pugh_class,
    "lirads_category": lirads_category,
    **{f"qlq_c30_{code}": _qlq_c30_scale(code) for code in qlq_c30.KEYS},
}


def derive(form: FormDef, values: Mapping[str, Entry]) -> dict[str, str]:
    """Compute every derived item of ``form`` from ``values`` (item path → entry).

    Returns the derived values by item path; a derivation that cannot be computed is absent.
    Unknown method names are definition errors caught by the bundled-forms test.
    """
    derived: dict[str, str] = {}
    items = form.items()
    for group in form.item_groups:
        for repeat in repeat_keys(group.oid, values) if group.repeating else [None]:
            for item in group.items:
                if item.derivation is None:
                    continue
                inputs = {
                    name: DerivationInput(
                        items[oid],
                        values.get(resolve_path(form, oid, group_oid=group.oid, repeat=repeat)),
                    )
                    for name, oid in item.derivation.inputs.items()
                }
                result = METHODS[item.derivation.method](inputs)
                if result is not None:
                    path = resolve_path(form, item.oid, group_oid=group.oid, repeat=repeat)
                    derived[path] = result
    return derived
