"""Controllers: who decides a wrestler's action (offline policy, LLM, the player)."""
