"""The audit room: the trail filtered and paged, verified, exported."""
