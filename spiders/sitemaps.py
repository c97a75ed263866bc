"""Sitemap spider: sitemaps and sitemap indexes (plain or gzipped) of each outlet.

Scrapy's ``SitemapSpider`` does the parsing; this spider turns its article requests into
recorded fetches (errors included) and keeps each entry's ``lastmod`` as a date hint.

    scrapy crawl sitemaps -a outlets=theguardian-tech
"""

from __future__ import annotations

from lxml import etree
from scrapy import Request
from scrapy.spiders import SitemapSpider as ScrapySitemapSpider

from spiders.base import OutletSpider


def news_publication_dates(body: bytes) -> dict[str, str]:
    """loc → day of ``news:publication_date`` in a Google News sitemap (Scrapy's parser keeps only
    top-level tags). Entities are not resolved and nothing is fetched (no XXE).

    >>> news_publication_dates(b'<urlset xmlns:news="n"><url><loc>http://a/x</loc><news:news>'
    ...     b'<news:publication_date>2024-02-03T10:00:00Z</news:publication_date></news:news></url></urlset>')
    {'http://a/x': '2024-02-03'}
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    dates = {}
    try:
        root = etree.fromstring(body, parser=parser)
        for url in root.iterfind(".//{*}url") if root is not None else ():
            loc, day = url.findtext("{*}loc"), url.findtext(".//{*}publication_date")
            if loc and day:
                dates[loc.strip()] = day.strip()[:10]
    except (etree.XMLSyntaxError, ValueError):  # ValueError: text lxml kept but cannot decode ("&#xD800;")
        return {}
    return dates


class SitemapSpider(OutletSpider, ScrapySitemapSpider):
    name = "sitemaps"
    sitemap_rules = [("", "parse_article")]

    async def start(self):
        for outlet in self.outlets:
            for url in outlet.sitemaps:
                self.requested.add(url)
                yield self.source_request(url, outlet, "sitemap", self._parse_sitemap)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lastmod: dict[str, str] = {}
        self.unrequestable: list[str] = []  # locs of the sitemap being parsed that Scrapy refuses
        self.requested: set[str] = set()  # sitemaps requested in this run (an index may list itself)

    def sitemap_filter(self, entries):
        for entry in entries:
            try:  # Scrapy's parsing makes a Request of each loc: one "javascript:" would end it
                Request(entry["loc"])
            except ValueError:
                self.unrequestable.append(entry["loc"])
                continue
            if entry.get("lastmod"):
                self.lastmod.setdefault(entry["loc"], entry["lastmod"][:10])
            yield entry

    def unreadable(self, response, reason: str):
        """The fetch of a sitemap that could not be read, with why."""
        self.logger.warning("%s: %s", reason, response.url)
        fetched = self.source_fetched(response, None)
        fetched.error = reason
        return fetched

    def _parse_sitemap(self, response):
        outlet = next(o for o in self.outlets if o.id == response.meta["outlet"])
        if response.status == 304 or response.status >= 400:  # not modified, or no sitemap
            yield self.source_fetched(response, None)
            return
        body = self._get_sitemap_body(response)
        if body is None:
            yield self.unreadable(response, "not a sitemap, or larger than DOWNLOAD_MAXSIZE once decompressed")
            return
        if b"publication_date" in body:
            self.lastmod.update(news_publication_dates(body))
        self.unrequestable = []
        try:
            requests = list(super()._parse_sitemap(response))
        except (StopIteration, ValueError, etree.XMLSyntaxError) as exc:
            # Scrapy's Sitemap fails on a body with no root element (StopIteration), or on text
            # lxml kept but cannot decode ("&#xD800;": UnicodeDecodeError).
            yield self.unreadable(response, f"unreadable sitemap: {type(exc).__name__} {exc}"[:500])
            return
        yield self.source_fetched(response, len(requests) + len(self.unrequestable))
        for loc in self.unrequestable:  # recorded as failed pages
            yield self.article_request(loc, outlet, response.url)
        for request in requests:
            if request.callback == self.parse_article:
                day = self.lastmod.get(request.url)
                if self.window.contains(day):  # nested sitemaps are always read: their lastmod says little
                    yield self.article_request(request.url, outlet, response.url, day)
            elif request.url not in self.requested:  # a nested sitemap of an index
                self.requested.add(request.url)
                yield self.source_request(request.url, outlet, "sitemap", self._parse_sitemap)
