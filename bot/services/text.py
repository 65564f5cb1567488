"""Cleaning player text before it is stored or echoed: trimmed, capped, no mentions."""

from __future__ import annotations

import re
import unicodedata

from engine.errors import InvalidInput

_MENTION = re.compile(r"<(@[!&]?|#)\d+>|@(everyone|here)", re.IGNORECASE)
_MARKDOWN = re.compile(r"([\\`*_~|>\[\]()])")


def _strip_controls(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n")


def clean_name(value: str, what: str, *, min_length: int = 3, max_length: int = 40) -> str:
    """A trimmed single-line name of 3-40 characters with no mentions."""
    text = " ".join(_strip_controls(value).split())
    if _MENTION.search(text):
        raise InvalidInput(f"the {what} cannot contain mentions")
    if not min_length <= len(text) <= max_length:
        raise InvalidInput(
            f"the {what} must be {min_length}-{max_length} characters (got {len(text)})"
        )
    return text


def clean_text(value: str, max_length: int, what: str) -> str:
    text = _strip_controls(value).strip()
    if len(text) > max_length:
        raise InvalidInput(f"the {what} is too long: {len(text)} characters (max {max_length})")
    return _MENTION.sub(lambda m: m.group(0).replace("@", "@\u200b"), text)


def escape_markdown(text: str) -> str:
    """For echoing player text inside Discord markdown without it breaking formatting."""
    return _MARKDOWN.sub(r"\\\1", text)
