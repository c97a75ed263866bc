"""URL-list spider: fetches the article URLs listed in a file (one per line, ``#`` comments).

    scrapy crawl urls -a file=urls.txt -a outlet=my-outlet
    veille crawl --urls urls.txt --outlet my-outlet
"""

from __future__ import annotations

from pathlib import Path

from crawler.config import Outlet
from spiders.base import OutletSpider


def read_url_list(path: str) -> list[str]:
    """Non-empty, non-comment lines of a URL list file."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


class UrlListSpider(OutletSpider):
    stays_on_outlets = False  # the list names its pages
    name = "urls"

    def __init__(self, file: str | None = None, outlet: str | None = None, language: str = "en", **kwargs):
        super().__init__(**kwargs)
        self.file = file
        self.outlet_id = outlet
        self.language = language

    async def start(self):
        outlets = {o.id: o for o in self.outlets}
        outlet = outlets.get(self.outlet_id) or Outlet(id=self.outlet_id or "urls", name=self.outlet_id or "URL list", language=self.language)
        for url in read_url_list(self.file):
            yield self.article_request(url, outlet, f"file:{self.file}")
