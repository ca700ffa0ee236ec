"""PySide6 widgets. Talks to the services through the store worker, never to SQL."""
