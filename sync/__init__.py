"""Change sets, the sync client and the central server of desktop-crf."""
