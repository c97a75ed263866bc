"""Feed spider: RSS 0.9x/1.0/2.0 and Atom feeds of each outlet (parsed by feedparser).

    scrapy crawl feeds -a outlets=lemonde-pixels
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

import feedparser

from spiders.base import OutletSpider


def entry_date(entry) -> str | None:
    """ISO date of a feed entry (published, else updated), or None."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(time.mktime(parsed), tz=timezone.utc).date().isoformat()


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
        feed = feedparser.parse(response.body, response_headers={"content-location": response.url})
        if feed.bozo and not feed.entries:
            self.logger.warning("unreadable feed %s: %s", response.url, feed.get("bozo_exception"))
            yield self.source_fetched(response, 0)
            return
        yield self.source_fetched(response, len(feed.entries))
        for entry in feed.entries:
            link, day = entry.get("link"), entry_date(entry)
            if link and self.window.contains(day):
                yield self.article_request(response.urljoin(link), outlet, response.url, day)
