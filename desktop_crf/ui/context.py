"""What every view needs: the store worker, the session (touched only inside worker calls),
the user's role and the display language."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_crf.services.permissions import Permission, allowed
from desktop_crf.services.session import Session
from desktop_crf.ui.worker import StoreWorker
from forms.text import Language


@dataclass
class UiContext:
    worker: StoreWorker
    session: Session
    role: str
    language: Language = "en"
    autosave_ms: int = 3000

    def may(self, permission: Permission) -> bool:
        """What a role may not do is not offered (the services refuse it anyway)."""
        return allowed(self.role, permission)
