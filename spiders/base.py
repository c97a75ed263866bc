"""What every veille spider shares: the outlets it works on, article requests, and fetch records."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.config import DateWindow, Outlet, load_config
from crawler.items import RawPage, SourceFetch
from crawler.middlewares import AlreadyFetched
from crawler.urls import registrable_domain

HTML_TYPES = ("text/html", "application/xhtml+xml")
KEPT_HEADERS = ("content-type", "content-language", "last-modified", "etag", "date")


def page_encoding(response: TextResponse) -> str:
    """The encoding of an HTML response, except a UTF-16 or UTF-32 that the body belies: markup
    with no NUL byte is not UTF-16, and browsers read such a ``<meta charset="utf-16">`` page as
    UTF-8 (HTML standard), where Python would make it Chinese-looking garbage."""
    encoding = response.encoding
    if encoding.replace("_", "-").lower().startswith(("utf-16", "utf-32")) and b"\x00" not in response.body[:1024]:
        try:
            response.body.decode("utf-8")
        except UnicodeDecodeError:
            return "cp1252"
        return "utf-8"
    return encoding


class OutletSpider(Spider):
    """Base spider: ``scrapy crawl NAME -a outlets=id1,id2`` limits the run to some outlets,
    ``-a since=2024-01-01 -a until=2024-06-30`` to entries a feed or sitemap dates in that window.

    The outlets come from the configuration file named by the ``VEILLE_CONFIG`` setting
    (the bundled default when unset).
    """

    outlets: tuple[Outlet, ...] = ()
    window: DateWindow = DateWindow()
    # Article pages must be on the outlets' domains (see OutletBoundaries); spiders given their
    # URLs explicitly (a list, an archive) set this to False.
    stays_on_outlets = True
    outlet_domains: set[str] | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        config = load_config(crawler.settings.get("VEILLE_CONFIG"))
        wanted = [o for o in str(kwargs.get("outlets") or "").split(",") if o]
        spider.outlets = tuple(config.outlet(o) for o in wanted) if wanted else config.outlets
        spider.window = DateWindow(kwargs.get("since") or None, kwargs.get("until") or None)
        if spider.stays_on_outlets:
            spider.outlet_domains = {
                registrable_domain(urlsplit(url).hostname or "")
                for outlet in spider.outlets for url in (*outlet.feeds, *outlet.sitemaps, *outlet.urls, *outlet.start_urls)
            } - {""}
        return spider

    def source_request(self, url: str, outlet: Outlet, kind: str, callback) -> Request:
        """A request for a feed or sitemap; conditional when it was read in full before.

        Never filtered as a duplicate: sources change, and a distributed crawl's duplicate filter
        remembers every URL of every run."""
        meta = {"veille_source": kind, "outlet": outlet.id}
        return Request(url, callback=callback, errback=self.record_source_failure, meta=meta, dont_filter=True)

    def source_fetched(self, response, entries: int | None) -> SourceFetch:
        """What to remember of a feed or sitemap response (validators for the next run)."""
        header = response.headers.get
        return SourceFetch(
            url=response.request.url if response.request else response.url,
            kind=response.meta.get("veille_source", "feed"),
            outlet=response.meta.get("outlet"),
            status=response.status,
            etag=header("ETag").decode("latin-1") if header("ETag") and response.status == 200 else None,
            last_modified=header("Last-Modified").decode("latin-1") if header("Last-Modified") and response.status == 200 else None,
            entries=entries,
        )

    def record_source_failure(self, failure: Failure):
        """Errback of feeds and sitemaps: the failure is remembered with the source."""
        request = failure.request
        yield SourceFetch(
            url=request.url,
            kind=request.meta.get("veille_source", "feed"),
            outlet=request.meta.get("outlet"),
            status=None,
            error=f"{failure.type.__name__}: {failure.getErrorMessage()}"[:500],
        )

    def article_request(
        self, url: str, outlet: Outlet, source_url: str | None, hint_published=None, original_url: str | None = None
    ) -> Request | RawPage:
        """A request for a page expected to be an article; its outcome always becomes a ``RawPage``.
        ``original_url``: the URL an archived capture (``url``) stands for.

        A link Scrapy cannot request (``javascript:``, ``mailto:``, a port that is not a number...)
        gives its failure record instead, so that it does not end the feed or sitemap listing it.
        """
        meta = {"veille_article": True, "outlet": outlet.id, "source_url": source_url, "hint_published": hint_published}
        if original_url:
            meta["original_url"] = original_url
        try:
            # SkipFetchedPages is the duplicate filter of article pages (by canonical URL). Scrapy's
            # would drop, with no record, a redirect back to a URL already seen: a loop a → b → a
            # must end at REDIRECT_MAX_TIMES, recorded as a failure.
            return Request(url, callback=self.parse_article, errback=self.record_failure, meta=meta, dont_filter=True)
        except ValueError as exc:
            return RawPage(
                url=url, fetch_status="network_error", error=f"ValueError: {exc}"[:500],
                outlet=outlet.id, source_url=source_url, hint_published=hint_published,
            )

    def parse_article(self, response):
        """Turn any response (HTML, error status, other content) into a ``RawPage``."""
        meta = response.meta
        content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if response.status >= 400:
            fetch_status, error = "http_error", f"HTTP {response.status}"
        elif not isinstance(response, TextResponse) or not content_type.startswith(HTML_TYPES):
            fetch_status, error = "not_html", f"content type {content_type or 'unknown'}"
        else:
            fetch_status, error = "ok", None
        yield RawPage(
            # An archived capture is stored under the URL it captured, so it meets the live page.
            url=meta.get("original_url") or (meta.get("redirect_urls") or [response.url])[0],
            final_url=meta.get("original_url") or response.url,
            status=response.status,
            fetch_status=fetch_status,
            error=error,
            content_type=content_type or None,
            encoding=page_encoding(response) if isinstance(response, TextResponse) else None,
            headers={
                k: response.headers.get(k).decode("latin-1") for k in KEPT_HEADERS if response.headers.get(k)
            },
            body=response.body if fetch_status == "ok" else b"",
            outlet=meta.get("outlet"),
            source_url=meta.get("source_url"),
            hint_published=meta.get("hint_published"),
        )

    def record_failure(self, failure: Failure):
        """Errback: a request that got no usable response is stored with the reason."""
        if failure.check(AlreadyFetched):
            return
        request = failure.request
        if failure.check(HttpError):  # only when HTTPERROR_ALLOW_ALL is turned off
            yield from self.parse_article(failure.value.response)
            return
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            fetch_status = "robots"
        elif failure.check(IgnoreRequest) and str(failure.value).startswith("blocked:"):
            fetch_status = "blocked"
        else:
            fetch_status = "network_error"
        # Some of Scrapy's errors have no message ("ResponseDataLossError: "): their doc says what.
        reason = failure.getErrorMessage() or (failure.type.__doc__ or "").strip().split("\n")[0]
        yield RawPage(
            # Stored under the link as listed, not the last hop of a redirect chain that failed.
            url=(request.meta.get("redirect_urls") or [request.url])[0],
            fetch_status=fetch_status,
            error=f"{failure.type.__name__}: {reason}"[:500],
            outlet=request.meta.get("outlet"),
            source_url=request.meta.get("source_url"),
            hint_published=request.meta.get("hint_published"),
        )
