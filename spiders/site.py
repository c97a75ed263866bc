"""Site spider: follows links from an outlet's home or section pages (``start_urls``), within the
outlet's host and its ``allow`` / ``deny`` URL patterns, down to Scrapy's ``DEPTH_LIMIT``.
Links that look like articles are fetched as articles; the others are read as listings.

    scrapy crawl site -a outlets=numerama -s DEPTH_LIMIT=2
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import TextResponse
from scrapy.linkextractors import LinkExtractor

from crawler.config import Outlet
from spiders.base import OutletSpider

DATED_PATH = re.compile(r"/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])(?:/|-)")
NOT_ARTICLE = re.compile(r"/(?:tag|tags|category|categories|author|auteur|page|search|recherche|rubrique|section|feed|rss)(?:/|$)|\.(?:xml|rss|pdf|jpg|png)$", re.I)


def looks_like_article(url: str) -> bool:
    """URL heuristics for article pages: a dated path, an .html page, or a long hyphenated slug.

    >>> [looks_like_article(u) for u in ("https://a.fr/2021/01/parler.html", "https://a.fr/tech/", "https://a.fr/tag/gab",
    ...  "https://a.fr/tech/gab-revient-en-ligne-apres-une-semaine")]
    [True, False, False, True]
    """
    path = urlsplit(url).path
    if NOT_ARTICLE.search(path):
        return False
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(DATED_PATH.search(path) or slug.endswith((".html", ".htm", ".shtml")) or (slug.count("-") >= 3 and len(slug) >= 20))


class SiteSpider(OutletSpider):
    name = "site"

    async def start(self):
        for outlet in self.outlets:
            for url in outlet.start_urls:
                yield self.listing_request(url, outlet)

    def listing_request(self, url: str, outlet: Outlet) -> Request:
        return Request(url, callback=self.parse_listing, cb_kwargs={"outlet": outlet}, meta={"outlet": outlet.id})

    def parse_listing(self, response, outlet: Outlet):
        if not isinstance(response, TextResponse) or response.status >= 400:
            return
        # Same host as a start URL (LinkExtractor's allow_domains does not match IP addresses).
        hosts = {urlsplit(u).hostname for u in outlet.start_urls}
        extractor = LinkExtractor(allow=outlet.allow, deny=outlet.deny)
        for link in extractor.extract_links(response):
            if urlsplit(link.url).hostname not in hosts:
                continue
            if looks_like_article(link.url):
                yield self.article_request(link.url, outlet, response.url)
            else:
                yield self.listing_request(link.url, outlet)
