"""Runners: the async loops around the pure step (matches, promos, shows)."""
