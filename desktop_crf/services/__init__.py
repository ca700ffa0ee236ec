"""The use cases the UI and the CLI call. One call is one transaction; no Qt here.

Each write returns a ``Changes`` value naming what it touched, so open views refresh only that.
Permissions are enforced here, not only hidden in the UI.
"""
