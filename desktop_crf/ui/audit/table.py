"""The audit trail as a thin Qt model over the entries a service read returned, and the words
for audit actions, chain breaks and failed exports in the user's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from desktop_crf.services.audit_review import ExportCancelled, ExportFailed
from desktop_crf.ui.common.labels import Labels
from desktop_crf.ui.common.table_model import Index, RowsTableModel

BROKEN_COLOUR = "#b00020"


def local_stamp(ts: str | None) -> str:
    """``2026-10-01T08:00:00.123456Z`` → the local "YYYY-MM-DD HH:MM:SS"."""
    if not ts:
        return ""
    try:
        when = datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return ts
    return when.strftime("%Y-%m-%d %H:%M:%S")


class AuditWording(QObject):
    """Readable names of audit actions and of what verification found wrong."""

    def action_text(self, code: str) -> str:
        """Unknown actions (from a newer version on another device) are shown as they are."""
        return {
            "site.create": self.tr("Site created"),
            "user.add": self.tr("User added"),
            "user.password_changed": self.tr("Password changed"),
            "user.password_reset": self.tr("Password reset with the recovery key"),
            "session.login": self.tr("Signed in"),
            "session.login_failed": self.tr("Failed sign-in"),
            "session.unlock": self.tr("Unlocked"),
            "session.lock": self.tr("Locked"),
            "session.logout": self.tr("Signed out"),
            "session.patient_mode": self.tr("Tablet handed to the patient"),
            "sync.enrol": self.tr("Device enrolled with the server"),
            "subject.create": self.tr("Subject screened"),
            "subject.update": self.tr("Subject record changed"),
            "item.set": self.tr("Value entered or changed"),
            "form.status": self.tr("Form status changed"),
            "form.sign": self.tr("Form signed"),
            "conflict.resolve": self.tr("Conflict resolved"),
            "query.answer": self.tr("Query answered"),
            "audit.export": self.tr("Audit trail exported"),
            "ae.suggestion.decline": self.tr("Suggested adverse event declined"),
            "query.raise": self.tr("Query raised"),
            "query.close": self.tr("Query closed"),
            "query.reopen": self.tr("Query reopened"),
            "labrange.set": self.tr("Laboratory reference range recorded"),
            "labrange.remove": self.tr("Laboratory reference range removed"),
            "data.export": self.tr("Data exported (ODM, CSV or casebook)"),
        }.get(code, code)

    def break_text(self, reason: str) -> str:
        """``ChainBreak.reason`` (see ``sync.entries``) in the user's words."""
        if reason.startswith("sequence gap: expected "):
            expected = reason.rsplit(" ", 1)[-1]
            return self.tr("entries are missing before it (expected number {0})").format(expected)
        return {
            "content does not match its hash": self.tr(
                "its content was changed after it was written"
            ),
            "does not link to the previous entry's hash": self.tr(
                "it does not link to the entry before it (an entry was removed, inserted or "
                "changed)"
            ),
        }.get(reason, reason)

    def export_error(self, exc: BaseException) -> str:
        """Why an export made no file, and what to do."""
        if isinstance(exc, ExportCancelled):
            return self.tr("Export cancelled. No file was made.")
        if not isinstance(exc, ExportFailed):
            return str(exc)
        texts = {
            "not_writable": self.tr(
                "The audit trail was not exported: the folder {0} cannot be written. Choose "
                "another folder (for example Documents). No file was made."
            ),
            "no_folder": self.tr(
                "The audit trail was not exported: the folder {0} does not exist. Choose "
                "another folder. No file was made."
            ),
            "disk_full": self.tr(
                "The audit trail was not exported to {0}: the disk is full. Free some space or "
                "choose another drive. No file was made."
            ),
        }
        other = self.tr("The audit trail was not exported to {0}: {1}. No file was made.")
        return texts.get(exc.kind, other).format(str(exc.folder), exc.detail)


class AuditTableModel(RowsTableModel):
    """The loaded entries (dicts from ``audit_entries``), newest first; the entry that
    verification found broken, if any, in red."""

    _KEYS = ("ts", "entry", "user", "role", "action", "where", "change", "unit", "reason")

    def __init__(self, wording: AuditWording, labels: Labels) -> None:
        super().__init__()
        self._rows: list[dict[str, Any]] = []
        self._wording, self._labels = wording, labels
        self.broken: tuple[str, int] | None = None
        self._headers = [
            self.tr("Time"),
            self.tr("Entry"),
            self.tr("User"),
            self.tr("Role"),
            self.tr("Action"),
            self.tr("Subject / visit / form / item"),
            self.tr("Old → new"),
            self.tr("Unit"),
            self.tr("Reason for change"),
        ]

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def row_at(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def row_of(self, device: str, seq: int) -> int | None:
        for number, entry in enumerate(self._rows):
            if (entry["device"], entry["seq"]) == (device, seq):
                return number
        return None

    def mark_broken(self, broken: tuple[str, int] | None) -> None:
        self.broken = broken
        if self._rows:
            last = self.index(len(self._rows) - 1, len(self._headers) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return entry["action"]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._display(entry, column)
        is_broken = (entry["device"], entry["seq"]) == self.broken
        if role == Qt.ItemDataRole.ForegroundRole and is_broken:
            return QBrush(QColor(BROKEN_COLOUR))
        return None

    def _display(self, entry: dict[str, Any], column: int) -> str:
        value = entry.get(self._KEYS[column])
        if column == 0:
            return local_stamp(value)
        if column == 4:
            return self._wording.action_text(str(value))
        if column == 5:  # in words; the codes are in the detail pane
            place = self._labels.place(entry)
            return " · ".join(p for p in (entry.get("subject"), place) if p)
        if column == 6 and entry.get("item"):
            return self._change(entry)
        return "" if value is None else str(value)

    def _change(self, entry: dict[str, Any]) -> str:
        """Old → new of an item, each answer in words (an empty one as —)."""
        form, item = entry.get("form"), entry.get("item")
        old, new = entry.get("old"), entry.get("new")
        if old is None and new is None:
            return ""
        said = [self._labels.value(form, item, v) if v is not None else "—" for v in (old, new)]
        return f"{said[0]} → {said[1]}"
