"""Downloader middleware: article pages already stored are not downloaded again."""

from __future__ import annotations

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from crawler import store


class AlreadyFetched(IgnoreRequest):
    """The page is in the database already; not a failure."""


class SkipFetchedPages:
    """Drops requests for article pages (``meta["veille_article"]``) the database already holds.

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
        if request.meta.get("veille_article") and store.url_key(request.url) in self.known:
            raise AlreadyFetched(f"already stored: {request.url}")
        return None
