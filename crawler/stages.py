"""The stages after the crawl, over what the database holds: extract, then analyze.

Example::

    db = store.open_db("veille.db")
    extract_pages(db, config)   # pages → articles (trafilatura, in worker processes)
    analyze_articles(db, config)  # articles → entities + mentions (spaCy nlp.pipe)

Each stage only picks up what it has not done yet, so re-running is cheap and idempotent;
``redo=True`` runs it again over everything (after an extractor or model upgrade).
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Iterable, Iterator

from crawler import store
from crawler.config import LANGUAGES, Config
from extract.analyze import tag_texts
from extract.body import extract_article
from extract.ner import without_bylines
from extract.relevance import relevance

BATCH = 64


def extract_page(page: dict) -> dict:
    """Article row for one stored page (runs in a worker process: plain data in, plain data out)."""
    body = store.decompress(page["body"])
    try:
        html = body.decode(page["encoding"] or "utf-8", errors="replace")
    except LookupError:  # an encoding name Python does not know
        html = body.decode("utf-8", errors="replace")
    try:
        article = extract_article(html, url=page["final_url"] or page["url"], hint_published=page["hint_published"])
    except Exception as exc:  # one broken page must not stop the stage; its failure is recorded
        article = {"status": "failed", "title": None, "text": "", "authors": [], "url": page["url"], "word_count": 0}
        article["error"] = f"{type(exc).__name__}: {exc}"[:300]
    return {
        "page_id": page["id"],
        "status": article["status"],
        "url": article.get("url"),
        "title": article.get("title"),
        "text": article.get("text"),
        "authors": json.dumps(article.get("authors", []), ensure_ascii=False),
        "published": article.get("published"),
        "language": article.get("language"),
        "language_source": article.get("language_source"),
        "sitename": article.get("sitename"),
        "outlet": page["outlet"],
        "word_count": article.get("word_count", 0),
        "extracted_at": store.utc_now(),
        "analyzed_at": None,
    }


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def extract_pages(db, config: Config, redo: bool = False, workers: int | None = None, batch_size: int = BATCH) -> int:
    """Extract every stored page that has no article yet; returns the number of pages done.

    Pages are read and saved ``batch_size`` at a time, so memory does not grow with the database.
    """
    workers = workers or os.cpu_count() or 1
    topics = [(t.name, list(t.terms)) for t in config.topics]
    done = 0
    pool = ProcessPoolExecutor(workers) if workers > 1 else None
    try:
        for pages in batched(store.pages_to_extract(db, redo), batch_size):
            rows = list(pool.map(extract_page, pages, chunksize=4)) if pool else [extract_page(p) for p in pages]
            for row in rows:
                score, terms = relevance(row["title"], row["text"], topics)
                row.update(relevance=score, relevance_terms=json.dumps(terms, ensure_ascii=False))
            done += store.save_articles(db, rows)
    finally:
        if pool:
            pool.shutdown()
    return done


def analyze_articles(db, config: Config, redo: bool = False) -> int:
    """Tag entities of every article not analysed yet; returns the number of mentions stored."""
    total = 0
    articles = list(store.articles_to_analyze(db, redo))
    supported = [a for a in articles if a["language"] in LANGUAGES]
    for article in articles:
        if article["language"] not in LANGUAGES:  # no model for it: done, with no entities
            store.save_entities(db, article["page_id"], [])
    items = ((a["text"], a["language"], a["published"]) for a in supported)
    for article, found in zip(supported, tag_texts(items, config.models)):
        found = without_bylines(found, json.loads(article["authors"] or "[]"))
        total += store.save_entities(db, article["page_id"], found)
    return total
