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
    """

    exit_code = 3

    def __init__(self, message: str, *, offline: bool = False) -> None:
        super().__init__(message)
        self.offline = offline


class PulledEntryInvalid(SyncFailed):
    def __init__(self, device: str, seq: int) -> None:
        super().__init__(
            f"An entry received from the server ({device}#{seq}) does not verify against its "
            "hash chain, so nothing of this download was applied. Tell your data manager."
        )


class PulledQueryInvalid(SyncFailed):
    def __init__(self, query_id: object) -> None:
        super().__init__(
            f"A query received from the server (#{query_id}) could not be read, so nothing of "
            "this download was applied. Tell your data manager."
        )


class RoundCancelled(KnownError):
    def __init__(self) -> None:
        super().__init__("The sync round was stopped because the site was locked.")
