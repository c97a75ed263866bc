"""One page or text in, one JSON-ready result out: the contract of ``veille analyze``.

Example::

    result = analyze_html(html_bytes, url="https://example.org/a.html")
    result["entities"][0]  # {"label": "ORG", "text": "Parler", "name": "Parler", "start": 4, "end": 10, "value": None}

Models are loaded once per process (``extract.nlp.load_model``); ``analyze_many`` batches texts
through ``nlp.pipe``.
"""

from __future__ import annotations

from itertools import groupby
from typing import Iterable, Iterator

from extract.body import detect_language, extract_article
from extract.ner import mentions, without_bylines
from extract.nlp import ModelError, load_model, resolve_model_name


# spaCy refuses texts over nlp.max_length and its memory grows with text length: longer texts
# are tagged in pieces cut at line breaks, offsets shifted back into the whole text.
CHUNK_CHARS = 100_000


def chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    r"""``(offset, piece)`` pieces of ``text`` of at most ``size`` characters, cut after a line break
    when there is one.

    >>> chunks("ab\ncd\nef", 4)
    [(0, 'ab\n'), (3, 'cd\n'), (6, 'ef')]
    """
    pieces, start = [], 0
    while True:
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        pieces.append((start, text[start:end]))
        if end >= len(text):
            return pieces
        start = end


def tag_texts(
    items: Iterable[tuple[str, str, str | None]],
    models: dict[str, str] | None = None,
    batch_size: int = 32,
    chunk_chars: int = CHUNK_CHARS,
) -> Iterator[list[dict]]:
    """Mentions for each ``(text, lang, published)``, in order, through ``nlp.pipe`` (one model load
    per language; consecutive texts of one language stream through it together)."""
    for lang, group in groupby(items, key=lambda item: item[1]):
        nlp = load_model(lang, resolve_model_name(lang, models))
        names, surnames, aliases = nlp.meta["veille_names"], nlp.meta["veille_surnames"], nlp.meta["veille_aliases"]
        pieces = (
            (piece, (offset, len(parts), published))
            for text, _, published in group
            for parts in [chunks(text, chunk_chars)]
            for offset, piece in parts
        )
        found, done = [], 0
        for doc, (offset, count, published) in nlp.pipe(pieces, as_tuples=True, batch_size=batch_size):
            for m in mentions(doc, lang, published, names, surnames, aliases):
                found.append({**m, "start": m["start"] + offset, "end": m["end"] + offset})
            done += 1
            if done == count:
                yield found
                found, done = [], 0


def contract_entities(found: list[dict]) -> list[dict]:
    """Mentions in the public JSON shape of ``veille analyze``."""
    return [
        {"label": m["label"], "text": m["text"], "name": m["name"], "start": m["start"], "end": m["end"], "value": m["value"]}
        for m in found
    ]


def analyze_text(
    text: str, lang: str | None = None, published: str | None = None, url: str | None = None, models=None
) -> dict:
    """Tag a plain text (language detected when not given)."""
    lang = lang or detect_language(text) or "en"
    found = next(tag_texts([(text, lang, published)], models))
    return {
        "url": url,
        "title": None,
        "language": lang,
        "published": published,
        "authors": [],
        "text": text,
        "entities": contract_entities(found),
    }


def analyze_html(
    html: bytes | str, url: str | None = None, lang: str | None = None, published: str | None = None, models=None
) -> dict:
    """Extract the article of an HTML page, then tag it (``lang`` overrides the detected language)."""
    article = extract_article(html, url=url, hint_published=published)
    lang = lang or article["language"] or "en"
    published = published or article["published"]
    result = analyze_text(article["text"], lang, published, article["url"] or url, models)
    found = without_bylines(result["entities"], article["authors"])
    result.update(title=article["title"], authors=article["authors"], entities=found)
    return result


__all__ = ["ModelError", "analyze_html", "analyze_text", "tag_texts", "contract_entities"]
