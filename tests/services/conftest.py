"""Fixtures the service tests share: a subject screened at the site, and the site's monitor
signed in once it exists (a test module may give its own ``subject``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject
from tests.helpers.sites import login


@pytest.fixture
def subject(nurse: Session) -> str:
    subject_id = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
    assert subject_id is not None
    return subject_id


@pytest.fixture
def monitor(site_dir: Path, subject: str) -> Iterator[Session]:
    session = login(site_dir, "monitor")
    yield session
    session.close()
