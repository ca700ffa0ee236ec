"""visible_paths(form, values, *, repeats): show-when decided once, for validation and the UI."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_crf.studies import bundled_forms, load_form
from forms.schema import FormDef, ItemValue
from forms.validation import ValidationContext, validate
from forms.visibility import visible_paths

CTX = ValidationContext(today=date(2026, 11, 22))
FORMS = bundled_forms()

_YES_NO = [
    {"code": "Y", "label": {"en": "Yes", "zh": "是"}},
    {"code": "N", "label": {"en": "No", "zh": "否"}},
]


def _item(
    oid: str, *, show_when: dict[str, object] | None = None, **extra: object
) -> dict[str, object]:
    item: dict[str, object] = {
        "oid": oid,
        "label": {"en": oid, "zh": oid},
        "data_type": "choice",
        "choices": _YES_NO,
        **extra,
    }
    if show_when is not None:
        item["show_when"] = show_when
    return item


#: A chain of show-when: B shows when A is Y; C shows when B is Y; D shows while B is blank.
#: A repeating group R shows when A is Y; in each repeat, R_DETAIL shows when R_ANY is Y.
CHAIN = FormDef.model_validate(
    {
        "oid": "F.CHAIN",
        "label": {"en": "Chain", "zh": "链"},
        "item_groups": [
            {
                "oid": "IG.MAIN",
                "label": {"en": "Main", "zh": "主"},
                "items": [
                    _item("I.A", required=True),
                    _item("I.B", show_when={"item": "I.A", "any_of": ["Y"]}),
                    _item("I.C", show_when={"item": "I.B", "any_of": ["Y"]}),
                    _item("I.D", show_when={"item": "I.B", "filled": False}, required=True),
                ],
            },
            {
                "oid": "IG.R",
                "label": {"en": "Repeats", "zh": "重复"},
                "repeating": True,
                "show_when": {"item": "I.A", "any_of": ["Y"]},
                "items": [
                    _item("I.R_ANY"),
                    _item("I.R_DETAIL", show_when={"item": "I.R_ANY", "any_of": ["Y"]}),
                ],
            },
        ],
    }
)


def test_an_item_shows_when_its_condition_holds() -> None:
    shown = visible_paths(CHAIN, {"I.A": "Y", "I.B": "Y"})
    assert {"I.A", "I.B", "I.C"} <= shown
    assert "I.D" not in shown  # B is filled


def test_a_hidden_controller_counts_as_blank() -> None:
    """B still holds "Y" from before A changed to N: B is hidden, so C (shown when B is Y)
    is hidden too, and D (shown while B is blank) is shown. Validation agrees."""
    values = {"I.A": "N", "I.B": "Y", "I.C": "Y"}
    shown = visible_paths(CHAIN, values)
    assert shown == {"I.A", "I.D"}
    findings = {(f.path, f.key) for f in validate(CHAIN, values, CTX)}
    assert findings == {
        ("I.B", "not_applicable"),
        ("I.C", "not_applicable"),
        ("I.D", "required"),
    }


def test_a_controller_that_is_blank_or_not_text_is_blank() -> None:
    assert visible_paths(CHAIN, {"I.A": "  "}) == {"I.A", "I.D"}
    assert visible_paths(CHAIN, {"I.A": 3}) == {"I.A", "I.D"}  # not an entry: blank
    assert "I.B" in visible_paths(CHAIN, {"I.A": ItemValue(text=" Y ")})


def test_repeats_shown_empty_are_counted_and_conditions_stay_in_their_repeat() -> None:
    values = {"I.A": "Y", "IG.R[1]/I.R_ANY": "Y", "IG.R[2]/I.R_ANY": "N"}
    shown = visible_paths(CHAIN, values, repeats={"IG.R": 3})
    repeats = {p for p in shown if p.startswith("IG.R[")}
    assert repeats == {
        "IG.R[1]/I.R_ANY",
        "IG.R[1]/I.R_DETAIL",
        "IG.R[2]/I.R_ANY",
        "IG.R[3]/I.R_ANY",
    }
    # without a count, the repeats are those that hold a value
    assert {p for p in visible_paths(CHAIN, values) if p.startswith("IG.R[")} == {
        "IG.R[1]/I.R_ANY",
        "IG.R[1]/I.R_DETAIL",
        "IG.R[2]/I.R_ANY",
    }


def test_a_hidden_group_hides_every_repeat() -> None:
    values = {"I.A": "N", "IG.R[1]/I.R_ANY": "Y"}
    assert visible_paths(CHAIN, values, repeats={"IG.R": 2}) == {"I.A", "I.D"}


def test_the_visit_form_asks_the_date_or_the_reason() -> None:
    form = load_form("F.VISIT")
    assert visible_paths(form, {"I.VISIT_DONE": "Y"}) == {"I.VISIT_DONE", "I.VISIT_DATE"}
    assert visible_paths(form, {"I.VISIT_DONE": "N"}) == {"I.VISIT_DONE", "I.NOT_DONE_REASON"}
    assert visible_paths(form, {}) == {"I.VISIT_DONE"}


def _codes(form: FormDef) -> list[str]:
    return sorted({c.code for item in form.items().values() for c in item.choices} | {"", "x"})


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data(), oid=st.sampled_from(sorted(FORMS)))
def test_validation_flags_exactly_the_filled_items_that_are_not_shown(
    data: st.DataObject, oid: str
) -> None:
    form = FORMS[oid]
    paths = sorted(
        p if not form.group_of(p).repeating else f"{form.group_of(p).oid}[1]/{p}"
        for p in form.items()
        if form.items()[p].derivation is None
    )
    values = data.draw(st.dictionaries(st.sampled_from(paths), st.sampled_from(_codes(form))))
    shown = visible_paths(form, values)
    flagged = {f.path for f in validate(form, values, CTX) if f.key == "not_applicable"}
    filled = {p for p, v in values.items() if v.strip()}
    assert flagged == filled - shown
