"""Token counts (cl100k when a tokenizer with a bundled table is installed) and call cost."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

from engine.llm.base import LLMUsage
from engine.llm.config import ModelPrice

CHARS_PER_TOKEN = 4  # the documented rule of thumb for English text when no tokenizer is present


@functools.cache
def _cl100k_encoder() -> Callable[[str], Any] | None:
    # bpe-openai ships the cl100k table inside the wheel (no download at run time); tiktoken
    # would fetch it from the network, so it is deliberately not tried. Loading costs ~0.1 s,
    # hence the one-entry cache.
    try:
        module = importlib.import_module("bpe_openai")
    except ImportError:
        return None
    encoding = module.get_encoding("cl100k_base")
    encode: Callable[[str], Any] = encoding.encode_ordinary
    return encode


def tokenizer_name() -> str:
    """Which counter estimate_tokens uses: "cl100k" or "chars/4"."""
    return "cl100k" if _cl100k_encoder() is not None else f"chars/{CHARS_PER_TOKEN}"


def estimate_tokens(text: str) -> int:
    """cl100k token count when available, else ceil(len/4)."""
    encode = _cl100k_encoder()
    if encode is not None:
        return len(encode(text))
    return -(-len(text) // CHARS_PER_TOKEN)


def estimate_cost(usage: LLMUsage, price: ModelPrice) -> float:
    """USD for one call: uncached input, cached input and output at their per-Mtok prices.
    ``usage.tokens_in`` includes the cached tokens (both vendors report it that way here)."""
    cached = min(usage.tokens_cached, usage.tokens_in)
    uncached = usage.tokens_in - cached
    total = (
        uncached * price.input_per_mtok
        + cached * price.cached_input_per_mtok
        + usage.tokens_out * price.output_per_mtok
    )
    return total / 1_000_000
