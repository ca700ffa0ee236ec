"""Fixtures of the end-to-end tests (shared with tests/sync)."""

from tests.sync.fixtures import database, postgres_url

__all__ = ["database", "postgres_url"]
