"""One page or text in, one JSON-ready result out: the contract of ``veille analyze``.

Example::

    result = analyze_html(html_bytes, url="https://example.org/a.html")
    result["entities"][0]  # {"label": "ORG", "text": "Parler", "name": "Parler", "start": 4, "end": 10, "value": None}

Models are loaded once per process (``extract.nlp.load_model``); ``analyze_many`` batches texts
through ``nlp.pipe``.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from extract.body import detect_language, extract_article
from extract.ner import mentions, without_bylines
from extract.nlp import ModelError, load_model, resolve_model_name


def tag_texts(
    items: Iterable[tuple[str, str, str | None]], models: dict[str, str] | None = None, batch_size: int = 32
) -> Iterator[list[dict]]:
    """Mentions for each ``(text, lang, published)``, in order, batching consecutive same-language texts."""
    batch: list[tuple[str, str | None]] = []
    batch_lang = None
    for text, lang, published in items:
        if batch and lang != batch_lang:
            yield from _tag_batch(batch, batch_lang, models, batch_size)
            batch = []
        batch_lang = lang
        batch.append((text, published))
    if batch:
        yield from _tag_batch(batch, batch_lang, models, batch_size)


def _tag_batch(batch, lang, models, batch_size) -> Iterator[list[dict]]:
    nlp = load_model(lang, resolve_model_name(lang, models))
    names, surnames = nlp.meta["veille_names"], nlp.meta["veille_surnames"]
    for doc, published in nlp.pipe(batch, as_tuples=True, batch_size=batch_size):
        yield mentions(doc, lang, published, names, surnames)


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
