"""What can stop sync at a site, each with a message that says what to do; nothing is lost."""

from __future__ import annotations

from desktop_crf.errors import KnownError


class DemoSiteNeverSyncs(KnownError):
    def __init__(self) -> None:
        super().__init__(
            "This is the demonstration site: its made-up data is never sent to the server."
        )


class NotEnrolled(KnownError):
    def __init__(self) -> None:
        super().__init__(
            "This computer is not enrolled with a sync server yet. Ask the data manager for an "
            "enrolment token and run 'crf enroll'."
        )


class SyncFailed(KnownError):
    """A sync round that stopped; the message says why and what to do. Nothing was lost.

    ``offline``: the server could not be reached (the site is offline, not in trouble).
    ``update_required``: ``"app"`` when this app must be updated before it syncs again
    (another protocol, or below the server's minimum), ``"server"`` when the server is the
    older one; the data stay here, nothing was sent.
    """

    exit_code = 3

    def __init__(
        self, message: str, *, offline: bool = False, update_required: str | None = None
    ) -> None:
        super().__init__(message)
        self.offline = offline
        self.update_required = update_required


class RoundCancelled(KnownError):
    def __init__(self) -> None:
        super().__init__("The sync round was stopped because the site was locked.")
