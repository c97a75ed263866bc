"""Feed spider: RSS 0.9x/1.0/2.0 and Atom feeds of each outlet (parsed by feedparser).

    scrapy crawl feeds -a outlets=lemonde-pixels
"""

from __future__ import annotations

import io
from datetime import date

import feedparser

from spiders.base import OutletSpider


def read_feed(body: bytes, url: str):
    """feedparser's reading of a feed body. The body goes in as a stream: given bytes, feedparser
    first tries them as a file name, and a feed whose body is a local path would be read from disk.
    An error of feedparser's own comes back as an unreadable ("bozo") feed with no entry."""
    try:
        return feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
    except Exception as exc:  # e.g. ValueError from its fallback parser on "&#x110000;"
        return feedparser.FeedParserDict(bozo=True, bozo_exception=exc, entries=[], feed={})


def entry_date(entry) -> str | None:
    """ISO date of a feed entry (published, else updated; feedparser gives them in UTC), or None,
    also for a day no calendar has (year 0, or 10000 once "9999-12-31T23:59-12:00" is in UTC)."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    try:
        return date(*parsed[:3]).isoformat() if parsed else None
    except ValueError:
        return None


class FeedSpider(OutletSpider):
    name = "feeds"

    async def start(self):
        for outlet in self.outlets:
            for url in outlet.feeds:
                yield self.source_request(url, outlet, "feed", self.parse_feed).replace(cb_kwargs={"outlet": outlet})

    def parse_feed(self, response, outlet):
        if response.status == 304:  # not modified since the last full read
            yield self.source_fetched(response, None)
            return
        if response.status >= 400:
            self.logger.warning("feed %s answered HTTP %s", response.url, response.status)
            yield self.source_fetched(response, None)
            return
        feed = read_feed(response.body, response.url)
        if feed.bozo and not feed.entries:
            self.logger.warning("unreadable feed %s: %s", response.url, feed.get("bozo_exception"))
            fetched = self.source_fetched(response, 0)
            fetched.error = f"unreadable feed: {feed.get('bozo_exception')}"[:500]
            yield fetched
            return
        yield self.source_fetched(response, len(feed.entries))
        for entry in feed.entries:
            link, day = entry.get("link"), entry_date(entry)
            if link and self.window.contains(day):
                try:
                    link = response.urljoin(link)
                except ValueError:  # e.g. "http://[::1/x": recorded as it is by article_request
                    pass
                yield self.article_request(link, outlet, response.url, day)
