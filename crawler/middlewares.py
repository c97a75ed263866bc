"""Downloader middleware: article pages already stored are not downloaded again."""

from __future__ import annotations

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from crawler import store


class AlreadyFetched(IgnoreRequest):
    """The page is in the database already; not a failure."""


class SkipFetchedPages:
    """Drops requests for article pages (``meta["veille_article"]``) the database already holds, or
    that this run already requested under another URL ("?utm_source=rss", trailing slash...).

    Feeds and sitemaps are always fetched again, so a re-run only downloads what is new.
    ``VEILLE_REFETCH = True`` turns this off.
    """

    def __init__(self, db_path: str, refetch: bool):
        self.db_path = db_path
        self.refetch = refetch
        self.known: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler.settings.get("VEILLE_DB"), crawler.settings.getbool("VEILLE_REFETCH"))
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider=None):
        if not self.refetch:
            db = store.open_db(self.db_path)
            self.known = store.known_page_urls(db)
            db.close()

    def process_request(self, request, spider=None):
        # Retries and redirects of a request already let through are not new pages.
        if not request.meta.get("veille_article") or request.meta.get("retry_times") or request.meta.get("redirect_urls"):
            return None
        key = store.url_key(request.url)
        if key in self.known:  # stored before, or already requested in this run under another URL
            raise AlreadyFetched(f"already stored or requested: {request.url}")
        self.known.add(key)
        return None
