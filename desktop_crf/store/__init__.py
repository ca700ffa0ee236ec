"""Encrypted local storage: key slots, schema and migrations, repository, audit trail, and the
device's sync storage (``sync_state``, ``queries``, ``pulled``). No Qt."""
