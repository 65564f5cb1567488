"""LLMFed application layer: CLI, settings, league services, publishers, Discord bot wiring."""
