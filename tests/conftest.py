"""Shared fixtures: a migrated site template made once, copied for each test that needs one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_crf.services.session import Session
from tests.helpers.sites import copy_site, login, make_site


@pytest.fixture(scope="session")
def site_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("template") / "site"
    recovery_key = make_site(root)
    return root, recovery_key


@pytest.fixture
def site_dir(site_template: tuple[Path, str], tmp_path: Path) -> Path:
    return copy_site(site_template[0], tmp_path / "site")


@pytest.fixture
def recovery_key(site_template: tuple[Path, str]) -> str:
    return site_template[1]


@pytest.fixture
def nurse(site_dir: Path) -> Iterator[Session]:
    session = login(site_dir, "nurse")
    yield session
    session.close()


@pytest.fixture
def investigator(site_dir: Path) -> Iterator[Session]:
    session = login(site_dir, "investigator")
    yield session
    session.close()


@pytest.fixture(scope="session")
def recurrence_site_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of the 3-year recurrence study (PEG-HCC-RECUR-3Y), made once."""
    root = tmp_path_factory.mktemp("recurrence-template") / "site"
    make_site(root, study_id="PEG-HCC-RECUR-3Y")
    return root


@pytest.fixture
def recurrence_nurse(recurrence_site_template: Path, tmp_path: Path) -> Iterator[Session]:
    session = login(copy_site(recurrence_site_template, tmp_path / "recurrence-site"), "nurse")
    yield session
    session.close()
