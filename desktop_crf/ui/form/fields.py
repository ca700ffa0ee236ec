"""One editor per item, chosen by the item's data type, with its unit chooser and message line.

Every editor gives the value exactly as entered (a string) and, for measured items, the unit;
Enter moves to the next field (the form view catches the Enter that the editors pass on).
Showing, hiding and messages change a widget only when they differ from what is shown: the
form re-checks every item on each keystroke, and restyling unchanged widgets costs a relayout.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.ui.common.flow import FlowLayout
from desktop_crf.ui.common.inputs import ComboBox
from desktop_crf.ui.common.layouts import LayoutBatch
from forms.schema import DataType, ItemDef
from forms.text import Language
from forms.values import split_codes


class ItemField(QObject):
    """The editor of one item in one repeat of its group."""

    changed = Signal()

    def __init__(
        self,
        item: ItemDef,
        *,
        group: str,
        repeat: int,
        path: str,
        language: Language,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.item, self.group, self.repeat, self.path = item, group, repeat, path
        self.label: QLabel | None = None  # the row's label, shown and hidden with the editor
        self.layouts: LayoutBatch | None = None  # the form's: rows shown together laid out once
        self._shown: bool | None = None  # not yet set: the first set_shown always applies
        self._message: tuple[str, str | None] = ("", None)
        self._message_colour: str | None = None
        self.combo: QComboBox | None = None
        self.edit: QLineEdit | None = None
        self.boxes: list[QCheckBox] = []
        self.unit_box: QComboBox | None = None
        self.message: QLabel | None = None  # made when there is something to say
        self.caption_label: QLabel | None = None  # a range, a term's local name: made when needed
        self.mark_label: QLabel | None = None  # a query's or SDV's mark (ui.monitor.item_marks)
        self._line_layout: QHBoxLayout | None = None
        name = path.replace("/", "_").replace("[", "_").replace("]", "")
        beside: list[QWidget] = []  # what shares the editor's line (units, the other boxes)
        if item.data_type in (DataType.CHOICE, DataType.BOOLEAN):
            editor: QWidget = self._make_combo(item, name, language)
        elif item.data_type is DataType.MULTI_CHOICE:
            for choice in item.choices:
                box = QCheckBox(choice.label.get(language))
                box.setObjectName(f"field:{name}:{choice.code}")
                box.setProperty("code", choice.code)
                box.toggled.connect(self.changed)
                self.boxes.append(box)
            editor, beside = self.boxes[0], list[QWidget](self.boxes[1:])
        else:
            editor = self._make_edit(item, name)
            if len(item.units) > 1:
                self.unit_box = ComboBox()
                self.unit_box.setObjectName(f"unit:{name}")
                self.unit_box.addItems(list(item.units))
                # units a column: the editors of a lab panel line up whatever their unit
                self.unit_box.setMinimumWidth(self.unit_box.fontMetrics().averageCharWidth() * 14)
                self.unit_box.currentIndexChanged.connect(self.changed)
                beside.append(self.unit_box)
            elif item.unit:
                beside.append(QLabel(item.unit))
        self.container = QWidget()  # editor and what is beside it; the message goes below
        self._column = QVBoxLayout(self.container)
        self._line(editor, beside)
        if item.help is not None:
            self.editor().setToolTip(item.help.get(language))

    def _make_combo(self, item: ItemDef, name: str, language: Language) -> QComboBox:
        combo = ComboBox()
        combo.setObjectName(f"field:{name}")
        combo.addItem("", "")
        if item.data_type is DataType.BOOLEAN:
            combo.addItem(self.tr("Yes"), "Y")
            combo.addItem(self.tr("No"), "N")
        for choice in item.choices:
            combo.addItem(choice.label.get(language), choice.code)
        combo.currentIndexChanged.connect(self.changed)
        self.combo = combo
        return combo

    def _make_edit(self, item: ItemDef, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(f"field:{name}")
        edit.setPlaceholderText(self._placeholder())
        if item.max_length:
            edit.setMaxLength(item.max_length)
        edit.textChanged.connect(self.changed)
        if item.derivation is not None:
            edit.setReadOnly(True)
            edit.setStyleSheet("background: #eef3f8;")
        self.edit = edit
        return edit

    def _line(self, editor: QWidget, beside: list[QWidget]) -> None:
        """The editor and what goes beside it on one line; the answers of a multi-choice
        question wrap onto further lines rather than widen the form."""
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(2)
        if self.boxes:
            flow = QWidget()
            layout = FlowLayout(flow)
            for box in self.boxes:
                layout.addWidget(box)
            self._column.addWidget(flow)
            return
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        self._column.addLayout(line)
        self._line_layout = line
        line.addWidget(editor, 1)
        for widget in beside:
            line.addWidget(widget)

    def _placeholder(self) -> str:
        if self.item.data_type is DataType.DATE:
            return self.tr("YYYY-MM-DD")
        if self.item.data_type is DataType.PARTIAL_DATE:
            return self.tr("YYYY-MM-DD, YYYY-MM or YYYY")
        if self.item.data_type is DataType.QUANTITY:
            return self.tr("number, or <10 / >1000")
        if self.item.derivation is not None:
            return self.tr("calculated")
        return ""

    def editor(self) -> QWidget:
        """The widget that takes the focus for this item."""
        if self.combo is not None:
            return self.combo
        if self.edit is not None:
            return self.edit
        return self.boxes[0]

    def focus_widgets(self) -> list[QWidget]:
        if self.boxes:
            return list(self.boxes)
        return [w for w in (self.combo, self.edit, self.unit_box) if w is not None]

    @property
    def derived(self) -> bool:
        return self.item.derivation is not None

    def text(self) -> str:
        if self.combo is not None:
            return str(self.combo.currentData() or "")
        if self.edit is not None:
            return self.edit.text()
        return ",".join(str(b.property("code")) for b in self.boxes if b.isChecked())

    def unit(self) -> str | None:
        if self.unit_box is not None:
            return self.unit_box.currentText()
        return self.item.unit

    def set_value(self, text: str | None, unit: str | None = None) -> None:
        text = text or ""
        if self.combo is not None:
            index = self.combo.findData(text)
            self.combo.setCurrentIndex(max(index, 0))
        elif self.edit is not None:
            self.edit.setText(text)
            if self.unit_box is not None and unit:
                index = self.unit_box.findText(unit)
                self.unit_box.setCurrentIndex(max(index, 0))
        else:
            codes = set(split_codes(text))
            for box in self.boxes:
                box.setChecked(str(box.property("code")) in codes)

    def set_shown(self, shown: bool) -> None:
        """Show or hide the row (editor and label), as the form's show-when conditions say.

        A row added to a form already on screen must be shown explicitly (Qt would otherwise
        show it later, from the event loop, and Tab would skip it meanwhile).
        """
        if shown == self._shown:
            return
        self._shown = shown
        if shown and self.layouts is not None:
            self.layouts.hold(self.container.parentWidget())
        self.container.setVisible(shown)
        if self.label is not None:
            self.label.setVisible(shown)

    def show_caption(self, text: str, flag: str | None = None) -> None:
        """A short text beside the editor: a lab result's reference range (with its H or L
        flag, in red, when outside it), an AE term's name in the user's language."""
        label = self.caption_label
        if label is None:
            if not text or self._line_layout is None:
                return
            label = self.caption_label = QLabel()
            label.setObjectName("captionLabel")
            label.setMinimumWidth(label.fontMetrics().averageCharWidth() * 36)  # a column
            self._line_layout.addWidget(label)
        label.setText(text)
        colour = "#b00020; font-weight: 600" if flag else "#5f6368"
        label.setStyleSheet(f"color: {colour};")

    def show_mark(self, text: str, tooltip: str, colour: str) -> None:
        """A mark beside the editor (a query on the item, its source data verification),
        with what it means in the tooltip; empty text hides it."""
        label = self.mark_label
        if label is None:
            if not text:
                return
            label = self.mark_label = QLabel()
            label.setObjectName("itemMark")
            if self._line_layout is not None:
                self._line_layout.insertWidget(1, label)  # right after the editor
            else:
                self._column.addWidget(label)
        label.setText(text)
        label.setToolTip(tooltip)
        label.setStyleSheet(
            f"color: white; background: {colour}; border-radius: 3px; padding: 1px 5px; "
            "font-weight: 600;"
        )
        label.setVisible(bool(text))

    def show_message(self, text: str, severity: str | None) -> None:
        """Show what is wrong with the value: red for an error, amber for a warning.

        Once a row has said something it keeps the line, empty when the value is fixed: the
        rows below do not jump back and forth under the person's pointer."""
        if (text, severity) == self._message:
            return
        self._message = (text, severity)
        label = self.message
        if not text:
            if label is not None:
                label.setText(" ")  # the line stays, empty
            return
        colour = "#b00020" if severity == "error" else "#8a5a00"
        new = label is None
        if label is None:  # most rows never have anything to say: made on demand
            label = self.message = QLabel()
            label.setObjectName("fieldMessage")
            label.setWordWrap(True)
        if colour != self._message_colour:  # restyling costs a polish: only when it changes
            self._message_colour = colour
            label.setStyleSheet(f"color: {colour};")
        label.setText(text)
        if new:
            if self.layouts is not None:
                self.layouts.hold(self.container)
            self._column.addWidget(label)
            label.show()
