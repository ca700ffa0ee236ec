"""Inputs a scrolling mouse cannot change.

Qt's drop-down lists, date and number editors take the mouse wheel even when the pointer only
passes over them: a nurse scrolling a long form changed answers without a click (grade,
"ongoing"). These take the wheel only once the person has put the focus on them (a click or
Tab); otherwise the wheel scrolls the form. Every such input in the app is one of these (a
test checks the sources).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QComboBox, QDateEdit, QDoubleSpinBox, QSpinBox, QWidget


def _guard(widget: QWidget) -> None:
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel does not give it focus


def _wheel(widget: QWidget, event: QWheelEvent, take: Callable[[QWheelEvent], None]) -> None:
    if widget.hasFocus():
        take(event)
    else:
        event.ignore()  # the scroll area behind it scrolls instead


class ComboBox(QComboBox):
    """A drop-down list that the wheel changes only while it has the focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _guard(self)

    def wheelEvent(self, event: QWheelEvent) -> None:
        _wheel(self, event, super().wheelEvent)


class DateEdit(QDateEdit):
    """A date editor that the wheel changes only while it has the focus."""

    def __init__(self, date: QDate, parent: QWidget | None = None) -> None:
        super().__init__(date, parent)
        _guard(self)

    def wheelEvent(self, event: QWheelEvent) -> None:
        _wheel(self, event, super().wheelEvent)


class SpinBox(QSpinBox):
    """A number editor that the wheel changes only while it has the focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _guard(self)

    def wheelEvent(self, event: QWheelEvent) -> None:
        _wheel(self, event, super().wheelEvent)


class DoubleSpinBox(QDoubleSpinBox):
    """A decimal editor that the wheel changes only while it has the focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _guard(self)

    def wheelEvent(self, event: QWheelEvent) -> None:
        _wheel(self, event, super().wheelEvent)
