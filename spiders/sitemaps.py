"""Sitemap spider: sitemaps and sitemap indexes (plain or gzipped) of each outlet.

Scrapy's ``SitemapSpider`` does the parsing; this spider turns its article requests into
recorded fetches (errors included) and keeps each entry's ``lastmod`` as a date hint.

    scrapy crawl sitemaps -a outlets=theguardian-tech
"""

from __future__ import annotations

from scrapy import Request
from scrapy.spiders import SitemapSpider as ScrapySitemapSpider

from spiders.base import OutletSpider


class SitemapSpider(OutletSpider, ScrapySitemapSpider):
    name = "sitemaps"
    sitemap_rules = [("", "parse_article")]

    async def start(self):
        for outlet in self.outlets:
            for url in outlet.sitemaps:
                yield Request(url, callback=self._parse_sitemap, meta={"outlet": outlet.id})

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
        for request in super()._parse_sitemap(response):
            if request.callback == self.parse_article:
                day = self.lastmod.get(request.url)
                if self.window.contains(day):  # nested sitemaps are always read: their lastmod says little
                    yield self.article_request(request.url, outlet, response.url, day)
            else:  # a nested sitemap of an index
                yield request.replace(meta={"outlet": outlet.id})
