"""The sync room: when a round runs, the status bar indicator and the Sync tab."""
