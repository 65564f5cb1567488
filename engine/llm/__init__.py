"""The LLM layer: one provider protocol, typed errors, operations with schemas, call records."""
