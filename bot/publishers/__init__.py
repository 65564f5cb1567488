"""Publishers: where narration goes (terminal, Discord, nowhere)."""
