"""The monitor's room's words: ages, query states, task kinds and SDV progress, translated."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QObject

from desktop_crf.services.sdv import Counts


class MonitorWording(QObject):
    """Words shared by the room's views (a QObject so that ``tr`` finds its context)."""

    def age(self, since: str | None, now: datetime | None = None) -> str:
        """How long ago ``since`` (an ISO date or UTC time) was: minutes, hours or days."""
        moment = _moment(since)
        if moment is None:
            return ""
        seconds = ((now or datetime.now(UTC)) - moment).total_seconds()
        if seconds < 3600:
            return self.tr("{0} min").format(max(int(seconds // 60), 0))
        if seconds < 2 * 86400:
            return self.tr("{0} h").format(int(seconds // 3600))
        return self.tr("{0} d").format(int(seconds // 86400))

    def query_status(self, status: str, pending: bool = False) -> str:
        if pending and status == "open":
            return self.tr("open, not sent yet")
        return {
            "open": self.tr("open"),
            "answered": self.tr("answered"),
            "closed": self.tr("closed"),
        }.get(status, status)

    def task(self, kind: str) -> str:
        return {
            "answer_query": self.tr("Query to answer"),
            "restored_typing": self.tr("Unsaved typing to save"),
            "overdue_visit": self.tr("Visit overdue"),
            "sae_clock": self.tr("SAE to report"),
            "sign_visit": self.tr("Forms to sign"),
            "resign_form": self.tr("Signature broken: sign again"),
            "sdv_critical": self.tr("Critical data to verify"),
            "changed_since_verified": self.tr("Changed since verified"),
            "close_query": self.tr("Answered query to close"),
        }.get(kind, kind)

    def percent(self, part: int, whole: int) -> str:
        return "—" if whole == 0 else f"{100 * part / whole:.0f} %"

    def progress(self, counts: Counts, sample: int) -> str:
        """The site's (or a subject's) SDV progress in one sentence."""
        return self.tr(
            "{0} of {1} values verified ({2}) · critical data {3} of {4} ({5}, 100 % due) · "
            "{6} changed since verified · other data: {7} % sampled"
        ).format(
            counts.verified,
            counts.values,
            self.percent(counts.verified, counts.values),
            counts.critical_verified,
            counts.critical,
            self.percent(counts.critical_verified, counts.critical),
            counts.changed,
            sample,
        )


def _moment(since: str | None) -> datetime | None:
    if not since:
        return None
    try:
        if "T" in since:
            parsed = datetime.fromisoformat(since.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        day = date.fromisoformat(since[:10])
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
