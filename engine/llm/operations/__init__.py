"""LLM operations, one module each (prompt, schema, validation, offline twin), and the registry
the OfflineProvider answers from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.llm.base import LLMRequest
from engine.llm.operations import (
    choose_action,
    narrate,
    promo_line,
    rewrite_segment,
    write_match_script,
)

OPERATIONS = (choose_action, narrate, rewrite_segment, write_match_script, promo_line)


def offline_registry() -> dict[str, Callable[[LLMRequest], dict[str, Any]]]:
    """Operation name -> deterministic offline implementation (a fresh dict on every call)."""
    return {module.OPERATION: module.offline for module in OPERATIONS}
