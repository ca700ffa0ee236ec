"""The validation messages, in English and Simplified Chinese, by translation key.

Every message names the item and says what is expected, so that a research nurse can correct
the entry without help. The key (``required``, ``hard_range``…) is stable: the UI and the audit
trail refer to findings by it.

Public names: :data:`MESSAGES`, :data:`EXPECTED`, :func:`render`.
"""

from __future__ import annotations

from collections.abc import Mapping

from forms.schema import DataType
from forms.text import Text

MESSAGES: Mapping[str, tuple[str, str]] = {
    "unknown_item": ("{label} is not an item of this form.", "{label}不是本表单的条目。"),
    "required": ("{label}: a value is required.", "{label}：此项为必填项。"),
    "type": (
        "{label}: {value} is not valid; expected {expected}.",
        "{label}：{value}无效，应为{expected}。",
    ),
    "unit": (
        "{label}: unit {value} is not accepted; use {expected}.",
        "{label}：不接受单位{value}，请使用{expected}。",
    ),
    "hard_range": (
        "{label}: {value} is outside the possible range {expected}.",
        "{label}：{value}超出可能范围{expected}。",
    ),
    "soft_range": (
        "{label}: {value} is outside the expected range {expected}; check it and confirm.",
        "{label}：{value}超出预期范围{expected}，请核对并确认。",
    ),
    "future": ("{label}: {value} is in the future.", "{label}：{value}晚于今天。"),
    "before_consent": (
        "{label}: {value} is before informed consent ({expected}).",
        "{label}：{value}早于知情同意日期（{expected}）。",
    ),
    "outside_window": (
        "{label}: {value} is outside the visit window {expected}; check it and confirm.",
        "{label}：{value}不在访视时间窗{expected}内，请核对并确认。",
    ),
    "not_before": (
        "{label}: {value} must not be before {expected}.",
        "{label}：{value}不得早于{expected}。",
    ),
    "at_most": (
        "{label}: {value} must not be greater than {expected}.",
        "{label}：{value}不得大于{expected}。",
    ),
    "requires": (
        "{label}: {value} requires {expected}.",
        "{label}：{value}要求{expected}。",
    ),
    "ctcae_grade": (
        "{label}: CTCAE v5.0 has no grade {expected}.",
        "{label}：CTCAE v5.0中没有{expected}。",
    ),
    "not_applicable": (
        "{label}: a value was entered although the item does not apply to the answers given; "
        "it will not be used.",
        "{label}：根据已填答案此项不适用，但已录入数值；该值将不被使用。",
    ),
    "derived_differs": (
        "{label}: {value} was entered but the form computes {expected}; check the inputs.",
        "{label}：录入值为{value}，但表单计算值为{expected}，请核对输入项。",
    ),
}

EXPECTED: Mapping[DataType, tuple[str, str]] = {
    DataType.INTEGER: ("a whole number such as 3", "整数，如3"),
    DataType.DECIMAL: ("a number such as 1.8", "数字，如1.8"),
    DataType.QUANTITY: (
        "a number, or a result such as <10, >1.7E+08 or target not detected",
        "数字，或如<10、>1.7E+08、target not detected（未检出）的结果",
    ),
    DataType.DATE: ("a date as YYYY-MM-DD", "日期，格式为YYYY-MM-DD"),
    DataType.PARTIAL_DATE: (
        "a date as YYYY-MM-DD, or YYYY-MM / YYYY when the day or month is unknown",
        "日期，格式为YYYY-MM-DD；日或月不详时为YYYY-MM或YYYY",
    ),
    DataType.CHOICE: ("one of {codes}", "以下之一：{codes}"),
    DataType.MULTI_CHOICE: ("codes from {codes}, separated by commas", "以逗号分隔的代码：{codes}"),
    DataType.BOOLEAN: ("Y (yes) or N (no)", "Y（是）或N（否）"),
    DataType.TEXT: ("at most {length} characters", "不超过{length}个字符"),
}


def render(key: str, *, label: Text, value: str = "", expected: Text | str = "") -> Text:
    """Fill the message ``key`` for an item; ``expected`` may differ per language."""
    en, zh = MESSAGES[key]
    wanted = (
        expected if isinstance(expected, Text) else Text.model_construct(en=expected, zh=expected)
    )
    shown = value if len(value) <= 60 else value[:57] + "…"
    return Text(
        en=en.format(label=label.en, value=repr(shown), expected=wanted.en),
        zh=zh.format(label=label.zh, value=repr(shown), expected=wanted.zh),
    )
