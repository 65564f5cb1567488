"""Rules of the ring: the action table (data) and the pure functions that apply it."""
