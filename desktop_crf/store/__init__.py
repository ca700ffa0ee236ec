"""Encrypted local storage: key slots, schema and migrations, repository, audit trail. No Qt."""
