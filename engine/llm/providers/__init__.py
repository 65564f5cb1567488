"""LLM providers: offline, Anthropic, OpenAI and OpenAI-compatible servers (the only SDK users)."""
