"""What every view needs: the way to the services (``ops``), who is working in which role on
which site, and the display language."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_crf.model import SiteInfo
from desktop_crf.services.permissions import Permission, allowed
from desktop_crf.services.session import Session
from desktop_crf.ui.common.labels import Labels, labels_for
from desktop_crf.ui.ops import Ops
from desktop_crf.ui.worker import StoreWorker
from forms.text import Language


@dataclass
class UiContext:
    ops: Ops
    role: str
    user: str
    full_name: str
    site: SiteInfo
    language: Language = "en"
    autosave_ms: int = 3000

    @classmethod
    def open(
        cls,
        worker: StoreWorker,
        session: Session,
        *,
        language: Language = "en",
        autosave_ms: int = 3000,
    ) -> UiContext:
        """The context of an unlocked session (its ``Ops`` made here)."""
        return cls(
            Ops(worker, session),
            session.role,
            session.user,
            session.full_name,
            session.site,
            language,
            autosave_ms,
        )

    @property
    def worker(self) -> StoreWorker:
        return self.ops.worker

    @property
    def session(self) -> Session:
        """Only for calls that ``ops`` runs on the store thread."""
        return self.ops.session

    @property
    def labels(self) -> Labels:
        """The words for the study's codes, in the current language."""
        return labels_for(self.site.study_id, self.language)

    def may(self, permission: Permission) -> bool:
        """What a role may not do is not offered (the services refuse it anyway)."""
        return allowed(self.role, permission)
