"""Item pipeline: stores every fetched page in the ``pages`` table, in batches. Nothing else."""

from __future__ import annotations

import json
import logging
import sqlite3
import time

from crawler import store
from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from crawler.items import RawPage, SourceFetch

logger = logging.getLogger(__name__)


class StorePagesPipeline:
    """Buffers ``RawPage`` items and upserts them in one transaction per batch: every
    ``batch_size`` pages or ``flush_seconds``, whichever comes first, so a killed crawl loses at
    most that much and its re-run skips everything already stored."""

    batch_size = 50
    # Why the database refused a write (disk full, read-only file), once per process: the crawl
    # stops, and the later spiders of the run stop at their first page.
    failure: str | None = None

    def __init__(self, db_path: str, run_id: int | None, crawler=None, flush_seconds: float = 2.0):
        self.db_path = db_path
        self.run_id = run_id
        self.crawler = crawler
        self.flush_seconds = flush_seconds
        self.buffer: list[dict] = []
        self.sources: list[dict] = []
        self.flushed_at = time.monotonic()
        self.db = None
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        pipeline = cls(settings.get("VEILLE_DB"), settings.getint("VEILLE_RUN_ID") or None, crawler, settings.getfloat("VEILLE_FLUSH_SECONDS"))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        self.db = store.open_db(self.db_path)

    def close_spider(self, spider=None):
        self.flush()

    def spider_closed(self, spider, reason):
        # Feed and sitemap validators are kept only after a whole, unwindowed run: after an
        # interrupted run or with --since/--until, a later "304 Not Modified" would hide entries
        # never fetched. (A run killed outright saves nothing here: its re-run reads them in full.)
        window = getattr(spider, "window", None)
        whole = reason == "finished" and (window is None or window.unbounded)
        if not whole:
            self.sources = [{**row, "etag": None, "last_modified": None} for row in self.sources]
        self.write(store.save_sources, self.sources)
        self.db.close()

    def process_item(self, item, spider=None):
        if StorePagesPipeline.failure:
            self.stop()
            return item
        if isinstance(item, SourceFetch):
            self.sources.append({**vars(item), "fetched_at": store.utc_now()})
        if isinstance(item, RawPage):
            self.buffer.append(self.row(item, self.crawler.spider.name if self.crawler else None))
            if len(self.buffer) >= self.batch_size or time.monotonic() - self.flushed_at >= self.flush_seconds:
                self.flush()
        return item

    def flush(self):
        self.write(store.save_pages, self.buffer)
        self.buffer = []
        self.flushed_at = time.monotonic()

    def write(self, save, rows: list[dict]) -> None:
        """``save(db, rows)``, or, if SQLite refuses, one error line and the crawl stops: no
        error per page downloaded for nothing (the pages not stored are fetched by the re-run)."""
        if StorePagesPipeline.failure:
            return
        try:
            save(self.db, rows)
        except sqlite3.Error as exc:
            StorePagesPipeline.failure = f"cannot store pages in {self.db_path}: {exc}"
            logger.error("%s; crawl stopped", StorePagesPipeline.failure)
            self.stop()

    def stop(self):
        engine = self.crawler.engine if self.crawler else None
        if engine and engine.spider and not self.stopping:
            self.stopping = True
            deferred_from_coro(engine.close_spider_async(reason="database_error"))

    def row(self, page: RawPage, spider_name: str | None) -> dict:
        return {
            # Keyed on where the page really is: a redirect and its target are one page.
            "id": store.url_key(page.final_url or page.url),
            "url": page.url,
            "final_url": page.final_url,
            "status": page.status,
            "fetch_status": page.fetch_status,
            "error": page.error,
            "content_type": page.content_type,
            "encoding": page.encoding,
            "headers": json.dumps(page.headers),
            "body": store.compress(page.body) if page.body else None,
            "body_size": len(page.body),
            "fetched_at": store.utc_now(),
            "outlet": page.outlet,
            "spider": spider_name,
            "source_url": page.source_url,
            "hint_published": page.hint_published,
            "run_id": self.run_id,
        }
