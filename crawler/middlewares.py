"""Downloader middlewares: article pages already stored are not downloaded again, feeds and
sitemaps are asked only for changes, and the delays servers ask for are honoured."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from protego import Protego

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from crawler import store
from crawler.urls import is_private_host, registrable_domain


class AlreadyFetched(IgnoreRequest):
    """The page is in the database already; not a failure."""


class ReadsDatabaseAtOpen:
    """Base of the middlewares that read what earlier runs stored when a spider opens
    (nothing with ``VEILLE_REFETCH = True``)."""

    def __init__(self, db_path: str, refetch: bool):
        self.db_path = db_path
        self.refetch = refetch

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler.settings.get("VEILLE_DB"), crawler.settings.getbool("VEILLE_REFETCH"))
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider=None):
        window = getattr(spider, "window", None)
        if not self.refetch:
            db = store.open_db(self.db_path)
            self.load(db, window)
            db.close()

    def load(self, db, window) -> None:
        raise NotImplementedError


class SkipFetchedPages(ReadsDatabaseAtOpen):
    """Drops requests for article pages (``meta["veille_article"]``) the database already holds, or
    that this run already requested under another URL ("?utm_source=rss", trailing slash...).

    Feeds and sitemaps are not concerned (see ``ConditionalSources``).
    ``VEILLE_REFETCH = True`` turns this off.
    """

    def __init__(self, db_path: str, refetch: bool):
        super().__init__(db_path, refetch)
        self.known: set[str] = set()

    def load(self, db, window) -> None:
        self.known = store.known_page_urls(db)

    def process_request(self, request, spider=None):
        # Retries and redirects of a request already let through are not new pages.
        if not request.meta.get("veille_article") or request.meta.get("retry_times") or request.meta.get("redirect_urls"):
            return None
        key = store.url_key(request.meta.get("original_url") or request.url)
        if key in self.known:  # stored before, or already requested in this run under another URL
            raise AlreadyFetched(f"already stored or requested: {request.url}")
        self.known.add(key)
        return None


class HonourServerDelays:
    """Delays a server asks for are kept for its whole site (its download slot):
    ``Crawl-delay`` in robots.txt, on every response, and ``Retry-After`` on 429 or 503, after
    which Scrapy's RetryMiddleware retries the request. AutoThrottle never goes below them.
    """

    max_delay = 300.0

    def __init__(self, crawler):
        self.crawler = crawler
        self.user_agent = crawler.settings.get("USER_AGENT")
        self.crawl_delays: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        host = urlsplit(response.url).netloc
        if urlsplit(response.url).path == "/robots.txt" and response.status == 200:
            delay = Protego.parse(response.body.decode("utf-8", "replace")).crawl_delay(self.user_agent)
            if delay:
                self.crawl_delays[host] = float(delay)
        wanted = self.crawl_delays.get(host, 0.0)
        if response.status in (429, 503):
            wanted = max(wanted, retry_after_seconds(response.headers.get("Retry-After", b"").decode("latin-1")) or 0.0)
        if wanted:
            downloader = self.crawler.engine.downloader
            slot = downloader.slots.get(downloader.get_slot_key(request))
            if slot is not None:
                slot.delay = max(slot.delay, min(wanted, self.max_delay))
                # Scrapy's random jitter would go below the minimum the server asked for.
                slot.jitter = 0.0
        return response


def retry_after_seconds(value: str) -> float | None:
    """Seconds asked by a ``Retry-After`` header: ``"120"`` or an HTTP date; None if unreadable.

    >>> retry_after_seconds("2"), retry_after_seconds("soon")
    (2.0, None)
    """
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class ConditionalSources(ReadsDatabaseAtOpen):
    """Asks feeds and sitemaps (``meta["veille_source"]``) only for changes since the last full
    read (If-None-Match / If-Modified-Since); a "304 Not Modified" then costs no parsing and no
    article request. Not with a date window (what was out of the last window was never read)
    nor with ``VEILLE_REFETCH = True``."""

    def __init__(self, db_path: str, refetch: bool):
        super().__init__(db_path, refetch)
        self.validators: dict[str, tuple[str | None, str | None]] = {}

    def load(self, db, window) -> None:
        if window is None or window.unbounded:
            self.validators = store.source_validators(db)

    def process_request(self, request, spider=None):
        if request.meta.get("veille_source") and request.url in self.validators:
            etag, modified = self.validators[request.url]
            if etag:
                request.headers.setdefault("If-None-Match", etag)
            if modified:
                request.headers.setdefault("If-Modified-Since", modified)
        return None


class OutletBoundaries:
    """Keeps a crawl where it was sent. Refused requests become recorded failures (``blocked``):

    - article and listing pages outside the configured outlets' domains (``feeds.x.com`` and
      ``www.x.com`` are one domain), unless ``VEILLE_FOLLOW_OFFSITE``; feeds and sitemaps a
      configuration or a sitemap index names are not concerned, nor spiders given explicit URLs;
    - loopback, private and link-local addresses linked from a public page or redirected to from
      one (server-side request forgery), unless ``VEILLE_ALLOW_PRIVATE_LINKS``. A configuration
      that names a private address itself (a local test web) is trusted for it.
    """

    def __init__(self, follow_offsite: bool, allow_private_links: bool):
        self.follow_offsite = follow_offsite
        self.allow_private_links = allow_private_links

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler.settings.getbool("VEILLE_FOLLOW_OFFSITE"), crawler.settings.getbool("VEILLE_ALLOW_PRIVATE_LINKS"))
        mw.crawler = crawler
        return mw

    def process_request(self, request, spider=None):
        spider = self.crawler.spider
        host = urlsplit(request.url).hostname
        if not self.allow_private_links and is_private_host(host):
            source = request.meta.get("source_url") or request.headers.get("Referer", b"").decode("latin-1")
            source_host = urlsplit(source).hostname if source else None  # a URL file or archive has none
            if source_host and not is_private_host(source_host):
                raise IgnoreRequest(f"blocked: {host} is a private address, linked from {source}")
        domains = getattr(spider, "outlet_domains", None)
        if self.follow_offsite or not domains or not host or "veille_source" in request.meta:
            return None
        if registrable_domain(host) not in domains:
            raise IgnoreRequest(f"blocked: {host} is outside the outlets' domains (veille_follow_offsite = true follows it)")
        return None
