"""Narration without a network: play-by-play, ring introductions, summaries and promo lines."""

from engine.narration.offline import OfflineNarrator, match_intro, match_outro
from engine.narration.promo import offline_promo_line, promo_line_heat
from engine.narration.variety import sentence_variety, split_sentences

__all__ = [
    "OfflineNarrator",
    "match_intro",
    "match_outro",
    "offline_promo_line",
    "promo_line_heat",
    "sentence_variety",
    "split_sentences",
]
