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
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from itertools import islice
from typing import Iterable, Iterator

from crawler import store
from crawler.config import LANGUAGES, Config, DateWindow
from extract.analyze import tag_texts
from extract.body import extract_article
from extract.fingerprint import NEAR_SIMILARITY, bands, content_hash, minhash, similarity
from extract.ner import without_bylines
from extract.nlp import PATTERNS_DIR, read_patterns
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
        "paragraphs": json.dumps(article.get("paragraphs", []), ensure_ascii=False),
        "authors": json.dumps(article.get("authors", []), ensure_ascii=False),
        "published": article.get("published"),
        "language": article.get("language"),
        "language_source": article.get("language_source"),
        "sitename": article.get("sitename"),
        "outlet": page["outlet"],
        "word_count": article.get("word_count", 0),
        "content_hash": content_hash(article["text"]) if article["status"] == "article" else None,
        "minhash": minhash(article["text"]) if article["status"] == "article" else None,
        "extracted_at": store.utc_now(),
        "analyzed_at": None,
    }


class ArticleJudge:
    """Sets an extracted article's relevance to the topics, and its status ``out_of_window`` when
    published outside ``window``, or ``irrelevant`` when scoring under ``min_relevance``."""

    def __init__(self, config: Config, window: DateWindow = DateWindow(), min_relevance: float = 0.0):
        self.topics = [(t.name, list(t.terms)) for t in config.topics]
        self.common_words = frozenset(read_patterns(sorted(PATTERNS_DIR.glob("*.jsonl"))).ambiguous)
        self.window, self.min_relevance = window, min_relevance

    def __call__(self, row: dict) -> dict:
        if row["status"] == "article" and not self.window.contains(row["published"]):
            row["status"] = "out_of_window"
        score, terms = relevance(row["title"], row["text"], self.topics, self.common_words)
        row.update(relevance=score, relevance_terms=json.dumps(terms, ensure_ascii=False))
        if row["status"] == "article" and score < self.min_relevance:
            row["status"] = "irrelevant"
        return row


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def extract_pages(
    db,
    config: Config,
    redo: bool = False,
    workers: int | None = None,
    batch_size: int = BATCH,
    window: DateWindow = DateWindow(),
    min_relevance: float = 0.0,
) -> int:
    """Extract every stored page that has no article yet; returns the number of pages done.

    Pages are read and saved ``batch_size`` at a time, so memory does not grow with the database.
    An article published outside ``window`` gets the status ``out_of_window``, one scoring under
    ``min_relevance`` the status ``irrelevant`` (both kept, not tagged).
    """
    workers = workers or os.cpu_count() or 1
    judge = ArticleJudge(config, window, min_relevance)
    done = 0
    pool = ProcessPoolExecutor(workers) if workers > 1 else None
    try:
        for pages in batched(store.pages_to_extract(db, redo, batch_size), batch_size):
            rows = list(pool.map(extract_page, pages, chunksize=4)) if pool else [extract_page(p) for p in pages]
            for row in rows:
                judge(row)
            done += store.save_articles(db, rows)
    finally:
        if pool:
            pool.shutdown()
    link_duplicates(db)
    return done


def analyze_pages(pages: list[dict], judge: ArticleJudge, models: dict[str, str]) -> list[dict]:
    """What ``extract_pages`` and ``analyze_articles`` make of a batch of fetched pages, in this
    process: ``{"page", "article" (None unless fetched), "mentions" (None unless an article)}`` each."""
    results = [
        {"page": page, "article": judge(extract_page(page)) if page["fetch_status"] == "ok" else None, "mentions": None}
        for page in pages
    ]
    articles = [r for r in results if r["article"] and r["article"]["status"] == "article"]
    for result in articles:  # no model for its language: done, with no entities (as in analyze_articles)
        result["mentions"] = []
    taggable = [r for r in articles if r["article"]["language"] in LANGUAGES]
    found = tag_texts([(r["article"]["text"], r["article"]["language"], r["article"]["published"]) for r in taggable], models)
    for result, mentions in zip(taggable, found):
        result["mentions"] = without_bylines(mentions, json.loads(result["article"]["authors"] or "[]"))
    return results


def store_results(db, results: list[dict], run_id: int | None = None) -> None:
    """Store what ``analyze_pages`` made: pages, articles, then each article's mentions (upserts:
    storing a result twice changes nothing)."""
    store.save_pages(db, [{**r["page"], "run_id": run_id or r["page"].get("run_id")} for r in results])
    store.save_articles(db, [r["article"] for r in results if r["article"]])
    for result in results:
        if result["mentions"] is not None:
            store.save_entities(db, result["page"]["id"], result["mentions"])


def link_duplicates(db) -> int:
    """Link each syndicated copy to the first article seen with the same story: same canonical
    URL, same words (content hash), or a near-identical body (MinHash similarity). Returns the
    number of copies."""
    by_url: dict[str, str] = {}
    by_hash: dict[str, str] = {}
    by_band: dict[bytes, list[tuple[str, bytes]]] = {}
    links: dict[str, tuple[str | None, str | None]] = {}
    for article in store.articles_for_duplicates(db):
        page_id, signature = article["page_id"], article["minhash"]
        url = store.url_key(article["url"]) if article["url"] else None
        canonical, reason = by_url.get(url), "url"
        if canonical is None:
            canonical, reason = by_hash.get(article["content_hash"] or ""), "exact"
        if canonical is None and signature:
            candidates = {c for key in bands(signature) for c in by_band.get(key, [])}
            scored = [(similarity(signature, other), c) for c, other in candidates]
            near = [pair for pair in scored if pair[0] >= NEAR_SIMILARITY]
            canonical, reason = (max(near)[1], "near") if near else (None, None)
        links[page_id] = (canonical, reason if canonical else None)
        if canonical is None:
            if url:
                by_url[url] = page_id
            if article["content_hash"]:
                by_hash[article["content_hash"]] = page_id
            for key in bands(signature) if signature else ():
                by_band.setdefault(key, []).append((page_id, signature))
    store.mark_duplicates(db, links)
    return sum(1 for canonical, _ in links.values() if canonical)


def tag_batch(items: list[tuple[str, str, str | None]], models: dict[str, str]) -> list[list[dict]]:
    """Mentions of each ``(text, lang, published)`` (runs in a worker process: models load once
    per process, plain data in and out)."""
    return list(tag_texts(items, models))


def in_order(pool: ProcessPoolExecutor | None, function, jobs: Iterable[tuple], window: int) -> Iterator[tuple]:
    """For each ``(context, argument)`` job, ``(context, function(argument))``, in order, with at
    most ``window`` jobs in the workers: a bounded queue, so memory does not grow with the input.
    Without a pool, in this process."""
    pending: deque = deque()
    for context, argument in jobs:
        if pool is None:
            yield context, function(argument)
            continue
        pending.append((context, pool.submit(function, argument)))
        if len(pending) >= window:
            context, future = pending.popleft()
            yield context, future.result()
    while pending:
        context, future = pending.popleft()
        yield context, future.result()


# Below this many articles, loading the models in each worker (seconds) costs more than it saves.
PARALLEL_TAGGING_FROM = 200


def analyze_articles(
    db, config: Config, redo: bool = False, workers: int | None = None, batch_size: int = 16,
    parallel_from: int = PARALLEL_TAGGING_FROM,
) -> int:
    """Tag entities of every article not analysed yet; returns the number of mentions stored.

    Articles stream from the database in batches; with enough of them, the batches go to one
    worker process per core (spaCy tags on one core), at most two per worker in flight.
    """
    workers = workers or os.cpu_count() or 1
    if store.analysis_backlog(db, redo) < parallel_from:
        workers = 1

    def jobs() -> Iterator[tuple[list[dict], list[tuple]]]:
        for batch in batched(store.articles_to_analyze(db, redo), batch_size):
            for article in batch:
                if article["language"] not in LANGUAGES:  # no model for it: done, with no entities
                    store.save_entities(db, article["page_id"], [])
            if kept := [a for a in batch if a["language"] in LANGUAGES]:
                yield kept, [(a["text"], a["language"], a["published"]) for a in kept]

    total = 0
    pool = ProcessPoolExecutor(workers) if workers > 1 else None
    try:
        for batch, results in in_order(pool, partial(tag_batch, models=dict(config.models)), jobs(), window=2 * workers):
            for article, found in zip(batch, results):
                found = without_bylines(found, json.loads(article["authors"] or "[]"))
                total += store.save_entities(db, article["page_id"], found)
    finally:
        if pool:
            pool.shutdown()
    return total
