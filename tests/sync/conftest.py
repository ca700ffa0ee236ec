"""Fixtures of the sync tests (defined in fixtures.py, shared with tests/e2e)."""

from tests.sync.fixtures import database, http, postgres_url

__all__ = ["database", "http", "postgres_url"]
