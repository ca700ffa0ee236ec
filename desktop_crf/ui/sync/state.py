"""What the sync indicator and panel show; kept apart from the controller so that the main
window can show it without loading the network stack at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_crf.services.sync import RoundResult, SyncStatus


@dataclass(frozen=True)
class SyncState:
    """What the status bar and the sync panel show.

    ``mode`` is one of: ``demo`` (never syncs), ``not_enrolled``, ``starting``, ``syncing``,
    ``online`` (the last try reached the server), ``offline`` (it did not), ``error`` (the
    server answered but the round stopped: the message says why), ``update_required`` (the
    server speaks a newer protocol: the app must be updated; nothing is lost).
    """

    mode: str
    status: SyncStatus | None = None
    message: str | None = None
    last_result: RoundResult | None = None
