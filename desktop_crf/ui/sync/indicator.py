"""The sync state in the status bar: online or offline, pending changes, last success, and
what needs the site's attention (conflicts, refused change sets). Clicking it opens the panel."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QToolButton, QWidget

from desktop_crf.ui.sync.state import SyncState

_COLOURS = {
    "online": "#188038",
    "offline": "#5f6368",
    "error": "#b00020",
    "update_required": "#b00020",
    "syncing": "#1a73e8",
    "starting": "#5f6368",
    "not_enrolled": "#8a5a00",
    "demo": "#8a5a00",
}


def local_time(stamp: str | None) -> str:
    """``2026-11-22T08:05:00.000Z`` → local "HH:MM" today, else "YYYY-MM-DD HH:MM"."""
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp.split(" ", 1)[0].replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    if when.date() == datetime.now().astimezone().date():
        return when.strftime("%H:%M")
    return when.strftime("%Y-%m-%d %H:%M")


class SyncWording(QObject):
    """The words for a sync state, shared by the status bar and the sync panel."""

    def text_for(self, state: SyncState) -> str:
        modes = {
            "demo": self.tr("Demo site: never syncs"),
            "not_enrolled": self.tr("Not connected to a sync server"),
            "starting": self.tr("Sync: checking…"),
            "syncing": self.tr("● Syncing…"),
            "online": self.tr("● Online"),
            "offline": self.tr("○ Offline"),
            "error": self.tr("▲ Sync stopped"),
            "update_required": self.tr("▲ Update required"),
        }
        parts = [modes.get(state.mode, state.mode)]
        status = state.status
        if status is not None and state.mode not in ("demo", "not_enrolled"):
            parts.append(self.tr("{0} pending").format(status.pending))
            if status.last_success:
                parts.append(self.tr("last sync {0}").format(local_time(status.last_success)))
            else:
                parts.append(self.tr("never synced"))
            if status.conflicts == 1:
                parts.append(self.tr("1 conflict"))
            elif status.conflicts:
                parts.append(self.tr("{0} conflicts").format(status.conflicts))
            if status.quarantined:
                parts.append(self.tr("{0} refused").format(status.quarantined))
            if status.set_aside:
                parts.append(self.tr("{0} set aside").format(status.set_aside))
            if status.open_queries == 1:
                parts.append(self.tr("1 open query"))
            elif status.open_queries:
                parts.append(self.tr("{0} open queries").format(status.open_queries))
        return " · ".join(parts)

    def details_for(self, state: SyncState) -> list[str]:
        status = state.status
        lines = []
        if state.mode == "demo":
            lines.append(self.tr("The demonstration site's made-up data is never sent anywhere."))
        if status is not None:
            if status.server_url:
                lines.append(self.tr("Server: {0}").format(status.server_url))
            lines.append(self.tr("Changes waiting to be sent: {0}").format(status.pending))
            if status.last_success:
                lines.append(self.tr("Last success: {0}").format(local_time(status.last_success)))
            stamp, _, text = (status.last_error or "").partition(" ")
            if text and stamp > (status.last_success or ""):
                lines.append(self.tr("Last error ({0}): {1}").format(local_time(stamp), text))
        notice = self.notice_for(state)
        if notice:
            lines.append(notice)
        if state.message and state.mode in ("error", "offline", "not_enrolled"):
            lines.append(state.message)
        return lines

    def notice_for(self, state: SyncState) -> str | None:
        """What to tell the user once about updates: one is required (this app, or the
        server), or a newer app version is recommended; None if nothing."""
        status = state.status
        if state.mode == "update_required":
            if status is not None and status.update_required == "server":
                return self.tr(
                    "Update required: the sync server is older than this app and must be "
                    "updated; ask your data manager. Until then everything you enter is kept "
                    "on this computer."
                )
            return self.tr(
                "Update required: the sync server needs a newer version of this app. Ask for "
                "the update; until then everything you enter is kept on this computer."
            )
        if status is not None and status.update_recommended:
            return self.tr(
                "A newer version of this app ({0}) is recommended. Ask for the update when "
                "convenient; sync goes on meanwhile."
            ).format(status.update_recommended)
        return None


class SyncIndicator(QToolButton):
    """A flat button whose text and tooltip follow ``SyncController.state_changed``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncIndicator")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.words = SyncWording(self)
        self.show_state(SyncState("starting"))

    def show_state(self, state: SyncState) -> None:
        self.setText(self.words.text_for(state))
        self.setToolTip("\n".join([*self.words.details_for(state), self.tr("Click for details.")]))
        colour = _COLOURS.get(state.mode, "#5f6368")
        attention = state.status is not None and (
            state.status.conflicts or state.status.quarantined
        )
        loud = state.mode in ("error", "update_required")
        weight = "font-weight: 600;" if attention or loud else ""
        self.setStyleSheet(f"QToolButton {{ color: {colour}; {weight} }}")
