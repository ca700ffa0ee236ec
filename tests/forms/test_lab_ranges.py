"""Laboratory reference ranges: which range applies to a sample, the H/L flag, and the range
file read row by row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from forms.lab_files import FileNotUnderstood, decode, find_analyte
from forms.lab_range_file import read_range_file
from forms.lab_ranges import (
    LabFlag,
    LabRange,
    age_on,
    flag_value,
    limits_in_item_unit,
    select_range,
)
from forms.schema import AltUnit, DataType, ItemDef, ItemValue
from forms.text import Text

LAB = "Ningbo No.2 central lab"
ALT = ItemDef(
    oid="I.ALT",
    label=Text(en="ALT", zh="ALT"),
    data_type=DataType.QUANTITY,
    unit="U/L",
    alt_units=(AltUnit(unit="ukat/L", factor="60"),),
)
PLT = ItemDef(
    oid="I.PLT",
    label=Text(en="Platelets", zh="血小板"),
    data_type=DataType.QUANTITY,
    unit="10^9/L",
    alt_units=(AltUnit(unit="/mm3", divisor="1000"),),
)
INR = ItemDef(oid="I.INR", label=Text(en="INR", zh="INR"), data_type=DataType.QUANTITY)


def rng(**fields: object) -> LabRange:
    base: dict[str, object] = {
        "laboratory": LAB,
        "analyte": "I.ALT",
        "unit": "U/L",
        "lln": "7",
        "uln": "40",
        "valid_from": date(2025, 1, 1),
    }
    return LabRange.model_validate({**base, **fields})


def choose(ranges: list[LabRange], *, on=date(2026, 3, 1), sex="M", age=50, lab=LAB):
    return select_range(ranges, laboratory=lab, analyte="I.ALT", on=on, sex=sex, age=age)


def test_the_newest_range_in_force_on_the_sample_date_applies() -> None:
    old, new = rng(uln="40"), rng(uln="50", valid_from=date(2026, 1, 1))
    assert choose([old, new], on=date(2025, 12, 31)) == old
    assert choose([old, new], on=date(2026, 1, 1)) == new  # valid_from is included
    assert choose([old, new], on=date(2024, 12, 31)) is None  # before any range


def test_laboratory_names_compare_ignoring_case_spacing_and_full_width() -> None:
    ranges = [rng()]
    assert choose(ranges, lab="  ningbo  NO.2 central lab") == ranges[0]
    assert choose(ranges, lab="Ｎｉｎｇｂｏ No.2 central lab") == ranges[0]
    assert choose(ranges, lab="Another lab") is None


def test_a_range_of_one_sex_is_preferred_and_the_other_sex_never_gets_it() -> None:
    both, women = rng(uln="45"), rng(sex="F", uln="35")
    assert choose([both, women], sex="F") == women
    assert choose([both, women], sex="M") == both
    assert choose([women], sex="M") is None


def test_age_bands_include_both_ends_in_completed_years() -> None:
    young, old = rng(age_max=64, uln="40"), rng(age_min=65, uln="35")
    assert choose([young, old], age=64) == young
    assert choose([young, old], age=65) == old
    assert age_on(date(1961, 3, 2), date(2026, 3, 1)) == 64
    assert age_on(date(1961, 3, 1), date(2026, 3, 1)) == 65


def test_an_unknown_sex_or_age_is_cannot_tell_not_a_guess() -> None:
    men, women = rng(sex="M", uln="50"), rng(sex="F", uln="35")
    assert choose([men, women], sex=None) is None
    assert choose([rng(age_min=18)], age=None) is None
    assert choose([rng()], sex=None, age=None) == rng()  # a range for everyone still applies
    # an older range for everyone is not used when the newer one depends on the sex
    older = rng(uln="45", valid_from=date(2024, 1, 1))
    assert choose([older, men, women], sex=None) is None


def test_limits_convert_into_the_items_unit_exactly() -> None:
    limits = limits_in_item_unit(ALT, rng(unit="ukat/L", lln="0.1", uln="0.67"))
    assert limits is not None
    assert (limits.lln, limits.uln, limits.unit) == (Decimal("6.0"), Decimal("40.20"), "U/L")
    assert limits_in_item_unit(ALT, rng(unit="mg/dL")) is None


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("41", None, LabFlag.HIGH),
        ("40", None, LabFlag.NORMAL),  # the limits themselves are normal
        ("7", "U/L", LabFlag.NORMAL),
        ("6.9", None, LabFlag.LOW),
        ("<5", None, LabFlag.LOW),  # below the LLOQ and the LLOQ below LLN
        ("<20", None, None),  # could be below 7 or not: cannot tell
        (">500", None, LabFlag.HIGH),
        ("0.7", "ukat/L", LabFlag.HIGH),  # 42 U/L
        ("target not detected", None, LabFlag.LOW),
        ("abc", None, None),
        ("41", "mg/dL", None),  # a unit the item does not take
    ],
)
def test_flags(text: str, unit: str | None, expected: LabFlag | None) -> None:
    entry = ItemValue(text=text, unit=unit)
    assert flag_value(ALT, entry, lln=Decimal(7), uln=Decimal(40)) == expected


def test_a_flag_needs_a_limit_and_uses_only_the_limits_given() -> None:
    assert flag_value(ALT, "99", lln=None, uln=None) is None
    assert flag_value(ALT, "99", lln=Decimal(7), uln=None) == LabFlag.NORMAL
    assert flag_value(PLT, ItemValue(text="90000", unit="/mm3"), lln=Decimal(100), uln=None) == (
        LabFlag.LOW
    )
    assert flag_value(INR, "1.3", lln=None, uln=Decimal("1.2")) == LabFlag.HIGH


def test_a_range_needs_a_limit_in_order_and_a_real_band() -> None:
    with pytest.raises(ValidationError, match="LLN, ULN or both"):
        rng(lln=None, uln=None)
    with pytest.raises(ValidationError, match="not below ULN"):
        rng(lln="40", uln="40")
    with pytest.raises(ValidationError, match="empty"):
        rng(age_min=65, age_max=18)
    with pytest.raises(ValidationError, match="not negative"):
        rng(lln="-1")


# -- the range file --------------------------------------------------------------------------

ANALYTES = {"I.ALT": ALT, "I.PLT": PLT, "I.INR": INR}
HEADER = "laboratory,analyte,unit,sex,age_from,age_to,lln,uln,valid_from\n"


def test_a_file_is_read_row_by_row_with_the_reason_each_bad_row_is_refused() -> None:
    text = HEADER + (
        f"{LAB},ALT,U/L,M,18,64,9,50,2026-01-01\n"
        f"{LAB},GPT,U/L,F,,,7,40,2026-01-01\n"  # a common code for ALT
        f"{LAB},PLT,/mm3,,,,100000,300000,2026-01-01\n"
        f"{LAB},INR,,,,,0.8,1.2,2026-01-01\n"
        f"{LAB},XYZ,U/L,,,,1,2,2026-01-01\n"
        f"{LAB},ALT,mg/dL,,,,1,2,2026-01-01\n"
        f"{LAB},ALT,U/L,X,,,1,2,2026-01-01\n"
        f"{LAB},ALT,U/L,,,,50,40,2026-01-01\n"
        f"{LAB},ALT,U/L,,,,1,2,2026-02-30\n"
        f"{LAB},ALT,U/L,,,,,,2026-02-01\n"
        f"{LAB},ALT,U/L,,abc,,1,2,2026-02-01\n"
    )
    rows = read_range_file(text, ANALYTES)
    assert [r.row for r in rows] == list(range(2, 13))
    good = [r.lab_range for r in rows if r.lab_range is not None]
    assert [(g.analyte, g.sex, g.unit) for g in good] == [
        ("I.ALT", "M", "U/L"),
        ("I.ALT", "F", "U/L"),
        ("I.PLT", None, "/mm3"),
        ("I.INR", None, None),
    ]
    problems = {r.row: r.problem for r in rows if r.problem}
    assert "'XYZ' is not a test the lab forms record" in problems[6]
    assert "'mg/dL' cannot be converted" in problems[7]
    assert "sex 'X'" in problems[8]
    assert "not below ULN" in problems[9]
    assert "2026-02-30" in problems[10]
    assert "LLN, ULN or both" in problems[11]
    assert "age 'abc'" in problems[12]


def test_rows_that_would_apply_to_the_same_subjects_refuse_each_other() -> None:
    text = HEADER + (
        f"{LAB},ALT,U/L,M,18,64,9,50,2026-01-01\n"
        f"{LAB},ALT,U/L,M,60,,9,45,2026-01-01\n"  # 60–64 in both bands
        f"{LAB},ALT,U/L,F,18,64,7,40,2026-01-01\n"
        f"{LAB},ALT,U/L,F,18,64,7,40,2026-01-01\n"  # twice
        f"{LAB},ALT,U/L,,,,7,45,2026-01-01\n"  # both sexes: a fallback, no overlap
    )
    rows = read_range_file(text, ANALYTES)
    problems = {r.row: r.problem for r in rows if r.problem}
    assert problems == {
        2: "overlaps row 3 (same laboratory, analyte, sex and date; ages overlap)",
        3: "overlaps row 2 (same laboratory, analyte, sex and date; ages overlap)",
        4: "records the same range as row 5",
        5: "records the same range as row 4",
    }


def test_exports_in_gb18030_with_semicolons_and_chinese_headers_are_read() -> None:
    text = "实验室;检验项目;单位;性别;年龄下限;年龄上限;参考下限;参考上限;生效日期\r\n"
    text += "宁波市第二医院检验科;ALT;U/L;男;;;9;50;2026-01-01\r\n"
    (row,) = read_range_file(decode(text.encode("gb18030")), ANALYTES)
    assert row.lab_range is not None
    assert (row.lab_range.laboratory, row.lab_range.sex) == ("宁波市第二医院检验科", "M")
    assert decode(b"\xef\xbb\xbf" + HEADER.encode()) == HEADER  # a UTF-8 BOM is dropped


def test_a_file_without_the_needed_columns_is_not_understood() -> None:
    with pytest.raises(FileNotUnderstood, match="lacks the column"):
        read_range_file("laboratory,analyte\nX,ALT\n", ANALYTES)
    with pytest.raises(FileNotUnderstood, match="empty"):
        read_range_file("\n\n", ANALYTES)
    with pytest.raises(FileNotUnderstood, match="not a text"):
        decode(b"PK\x03\x04\x00\x00")


def test_test_codes_name_analytes() -> None:
    assert find_analyte("alt", ANALYTES) == "I.ALT"
    assert find_analyte("I.ALT", ANALYTES) == "I.ALT"
    assert find_analyte("SGPT", ANALYTES) == "I.ALT"
    assert find_analyte("creatinine", ANALYTES) is None
