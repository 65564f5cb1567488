"""Live play plumbing: the rate-limited, exactly-once Discord outbox of tick narration."""
