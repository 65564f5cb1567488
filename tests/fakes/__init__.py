"""Test doubles shared by the test suites (fake Discord, fake LLM servers)."""
