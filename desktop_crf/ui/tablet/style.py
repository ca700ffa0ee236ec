"""How the patient's screens look: readable at arm's length on a 1280×800 touch screen.

Every control is at least ``TOUCH_MIN`` pixels in both directions, answer buttons
``ANSWER_HEIGHT`` high, and no text is smaller than ``TEXT_PT`` points. Nothing depends on
hover, double-click or right-click: a tap does everything.
"""

from __future__ import annotations

#: The smallest touch target (WCAG 2.5.5 asks 44 CSS px; a tablet held by a patient, more).
TOUCH_MIN = 64
ANSWER_HEIGHT = 76
#: What a button's border (2 px) and padding (6 px) add around its contents: style sheet
#: heights are of the contents.
_CHROME = 16
TEXT_PT = 20
QUESTION_PT = 28
TITLE_PT = 30

STYLE = f"""
#KioskWindow, #KioskWindow QWidget#kioskPage, #KioskWindow QScrollArea,
#KioskWindow QScrollArea > QWidget > QWidget {{
    background: #fbfbf8;
}}
#KioskWindow QLabel {{
    font-size: {TEXT_PT}pt;
    color: #1c1c1c;
}}
#KioskWindow QLabel#kioskTitle {{
    font-size: {TITLE_PT}pt;
    font-weight: 600;
}}
#KioskWindow QLabel#question {{
    font-size: {QUESTION_PT}pt;
    font-weight: 600;
}}
#KioskWindow QLabel#heading, #KioskWindow QLabel#progress {{
    color: #3c4043;
}}
#KioskWindow QLabel#notice {{
    background: #fff4ce;
    color: #5c3c00;
    padding: 6px 48px;
}}
#KioskWindow QLabel#error {{
    background: #fde7e9;
    color: #8c0014;
    padding: 8px 16px;
}}
#KioskWindow QPushButton, #KioskWindow QLineEdit {{
    font-size: {TEXT_PT}pt;
    min-height: {TOUCH_MIN - _CHROME}px;
    min-width: {TOUCH_MIN - _CHROME}px;
    border-radius: 12px;
}}
#KioskWindow QPushButton {{
    background: #ffffff;
    color: #1c1c1c;
    border: 2px solid #70757a;
    padding: 6px 24px;
}}
#KioskWindow QPushButton:pressed {{
    background: #d2e3fc;
}}
#KioskWindow QPushButton:checked {{
    background: #1a57c8;
    color: #ffffff;
    border-color: #1a57c8;
    font-weight: 600;
}}
#KioskWindow QPushButton:disabled {{
    color: #9aa0a6;
    border-color: #c4c7c5;
}}
#KioskWindow QPushButton#answer {{
    min-height: {ANSWER_HEIGHT - _CHROME}px;
    text-align: left;
    padding-left: 32px;
}}
#KioskWindow QPushButton#scale {{
    min-height: {ANSWER_HEIGHT - _CHROME}px;
    font-size: {QUESTION_PT}pt;
    padding: 6px 0px;
}}
#KioskWindow QPushButton#back, #KioskWindow QPushButton#next,
#KioskWindow QPushButton#primary, #KioskWindow QPushButton#answerSkipped {{
    min-width: 200px;
}}
#KioskWindow QPushButton#primary {{
    background: #1a57c8;
    color: #ffffff;
    border-color: #1a57c8;
    font-weight: 600;
}}
#KioskWindow QPushButton#staff {{
    border-color: #c4c7c5;
    color: #5f6368;
}}
#KioskWindow QLineEdit {{
    border: 2px solid #70757a;
    padding: 6px 16px;
    background: #ffffff;
}}
"""
