"""SDK client construction (kept here because only engine.llm.providers may import the SDKs)."""

from __future__ import annotations

from anthropic import AsyncAnthropic
from openai import AsyncOpenAI

from engine.llm.config import ProviderSettings


def anthropic_client(
    api_key: str, base_url: str | None, settings: ProviderSettings, timeout_s: float
) -> AsyncAnthropic:
    """An AsyncAnthropic with an explicit key and URL (so no env or profile discovery) and at
    most one SDK retry; the per-request deadline is passed on each call."""
    return AsyncAnthropic(
        api_key=api_key,
        base_url=base_url,
        max_retries=settings.sdk_max_retries,
        timeout=timeout_s,
    )


def openai_client(
    api_key: str, base_url: str | None, settings: ProviderSettings, timeout_s: float
) -> AsyncOpenAI:
    """An AsyncOpenAI (also for OpenAI-compatible servers via base_url)."""
    return AsyncOpenAI(
        api_key=api_key,
        base_url=base_url,
        max_retries=settings.sdk_max_retries,
        timeout=timeout_s,
    )
