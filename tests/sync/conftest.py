"""Fixtures of the sync tests (defined in fixtures.py, shared with tests/e2e)."""

from tests.sync.fixtures import database, postgres_url

__all__ = ["database", "postgres_url"]
