"""LLMFed engine: the pure, deterministic wrestling game (no Discord, no database)."""
