"""Topic relevance: how much an article is about a configured topic (accent- and case-insensitive).

Example::

    >>> score, terms = relevance("Parler est hors ligne", "Le réseau Parler...", [("alt-social", ["Parler", "Gab"])])
    >>> terms, score > 0
    (['parler'], True)
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

TITLE_WEIGHT = 3
MAX_HITS_PER_TERM = 3
# Weighted hits giving a score of 0.63 (1 - 1/e): one term in the title and one in the body.
HALF_SCALE = 4.0


def fold(text: str, keep_case: bool = False) -> str:
    """Without accents, in lower case unless ``keep_case``: ``"Télégram"`` → ``"telegram"``."""
    decomposed = unicodedata.normalize("NFKD", text if keep_case else text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=64)
def _term_pattern(terms: tuple[str, ...], keep_case: bool) -> re.Pattern:
    alternatives = sorted({fold(t, keep_case) for t in terms if t.strip()}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, alternatives)) + r")(?!\w)") if alternatives else re.compile(r"(?!)")


def relevance(
    title: str | None, text: str | None, topics: list[tuple[str, list[str]]], common_words: frozenset[str] = frozenset()
) -> tuple[float, list[str]]:
    """Best score in [0, 1] over the topics, and the terms that matched for that topic.

    Terms that are also common words (``common_words``, the gazetteer's ambiguous names such as
    "Parler") count only with their capital: "refuse de parler" is not about the platform.
    """
    best = (0.0, [])
    for _name, terms in topics:
        exact = tuple(t for t in terms if t in common_words)
        patterns = ((_term_pattern(tuple(t for t in terms if t not in common_words), False), False), (_term_pattern(exact, True), True))
        hits: dict[str, float] = {}
        for weight, field in ((TITLE_WEIGHT, title), (1, text)):
            for pattern, keep_case in patterns:
                for match in pattern.finditer(fold(field or "", keep_case)):
                    term = match.group(1).casefold()
                    hits[term] = hits.get(term, 0) + weight
        weighted = sum(min(h, MAX_HITS_PER_TERM * TITLE_WEIGHT) for h in hits.values())
        score = round(1 - math.exp(-weighted / HALF_SCALE), 3)
        if score > best[0]:
            best = (score, sorted(hits))
    return best
