"""Sitemap spider: sitemaps and sitemap indexes (plain or gzipped) of each outlet.

Scrapy's ``SitemapSpider`` does the parsing; this spider turns its article requests into
recorded fetches (errors included) and keeps each entry's ``lastmod`` as a date hint.

    scrapy crawl sitemaps -a outlets=theguardian-tech
"""

from __future__ import annotations

from scrapy.spiders import SitemapSpider as ScrapySitemapSpider

from spiders.base import OutletSpider


class SitemapSpider(OutletSpider, ScrapySitemapSpider):
    name = "sitemaps"
    sitemap_rules = [("", "parse_article")]

    async def start(self):
        for outlet in self.outlets:
            for url in outlet.sitemaps:
                yield self.source_request(url, outlet, "sitemap", self._parse_sitemap)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lastmod: dict[str, str] = {}

    def sitemap_filter(self, entries):
        for entry in entries:
            if entry.get("lastmod"):
                self.lastmod[entry["loc"]] = entry["lastmod"][:10]
            yield entry

    def _parse_sitemap(self, response):
        outlet = next(o for o in self.outlets if o.id == response.meta["outlet"])
        if response.status == 304 or response.status >= 400:  # not modified, or no sitemap
            yield self.source_fetched(response, None)
            return
        requests = list(super()._parse_sitemap(response))
        yield self.source_fetched(response, len(requests))
        for request in requests:
            if request.callback == self.parse_article:
                day = self.lastmod.get(request.url)
                if self.window.contains(day):  # nested sitemaps are always read: their lastmod says little
                    yield self.article_request(request.url, outlet, response.url, day)
            else:  # a nested sitemap of an index
                yield self.source_request(request.url, outlet, "sitemap", self._parse_sitemap)
