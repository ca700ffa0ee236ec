"""The laboratory room: each laboratory's reference ranges, and lab results imported from a
laboratory's file with a preview before anything is written."""
