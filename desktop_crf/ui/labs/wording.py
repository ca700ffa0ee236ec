"""Words the laboratory room shows for ranges: analytes by their label, sex and age bands,
limits with their unit, and why a row of a file is what it is."""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop_crf.services.lab_ranges import analytes
from forms.lab_ranges import LabRange
from forms.text import Language


class RangeWording(QObject):
    def __init__(self, language: Language, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.language = language

    def analyte(self, oid: str) -> str:
        """``"ALT (ALT)"``, ``"血小板 (PLT)"``: the label in the user's language and the code a
        file uses."""
        found = analytes().get(oid)
        code = oid.removeprefix("I.")
        return f"{found.item.label.get(self.language)} ({code})" if found else code

    def sex(self, code: str | None) -> str:
        if code == "M":
            return self.tr("male")
        if code == "F":
            return self.tr("female")
        return self.tr("both")

    def ages(self, lab_range: LabRange) -> str:
        low, high = lab_range.age_min, lab_range.age_max
        if low is None and high is None:
            return self.tr("all ages")
        if high is None:
            return self.tr("{0} years and older").format(low)
        if low is None:
            return self.tr("up to {0} years").format(high)
        return self.tr("{0}–{1} years").format(low, high)

    def limits(self, lab_range: LabRange) -> str:
        unit = f" {lab_range.unit}" if lab_range.unit else ""
        return f"{lab_range.lln or '–'} – {lab_range.uln or '–'}{unit}"

    def status(self, code: str) -> str:
        return {
            "new": self.tr("new"),
            "changed": self.tr("corrects the recorded range"),
            "unchanged": self.tr("already recorded"),
            "refused": self.tr("refused"),
        }.get(code, code)
