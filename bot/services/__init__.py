"""League services: the use cases the CLI and the cogs call (one service per area)."""
