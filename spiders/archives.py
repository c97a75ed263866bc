"""Archive spiders: captures from WARC files go through the same storage and extraction as pages
fetched live.

    scrapy crawl warc -a file=captures.warc.gz -a outlet=numerama
    veille crawl --warc captures.warc.gz --outlet numerama
"""

from __future__ import annotations

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from w3lib.encoding import http_content_type_encoding

from crawler.items import RawPage
from spiders.base import HTML_TYPES, KEPT_HEADERS, OutletSpider


def warc_pages(path: str, outlet: str | None):
    """``RawPage`` items of the HTTP responses archived in a WARC / WARC.gz file."""
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            headers = record.http_headers
            status = int(headers.get_statuscode() or 0)
            content_type = (headers.get_header("Content-Type") or "").lower()
            body = record.content_stream().read()
            if status >= 400:
                fetch_status = "http_error"
            elif not content_type.startswith(HTML_TYPES):
                fetch_status = "not_html"
            else:
                fetch_status = "ok"
            url = record.rec_headers.get_header("WARC-Target-URI")
            yield RawPage(
                url=url,
                final_url=url,
                status=status,
                fetch_status=fetch_status,
                error=None if fetch_status == "ok" else f"archived {status} {content_type or 'unknown'}",
                content_type=content_type or None,
                encoding=http_content_type_encoding(content_type),
                headers={k: headers.get_header(k) for k in KEPT_HEADERS if headers.get_header(k)},
                body=body if fetch_status == "ok" else b"",
                outlet=outlet,
                source_url=f"warc:{path}",
            )


class WarcSpider(OutletSpider):
    name = "warc"

    def __init__(self, file: str | None = None, outlet: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.file = file
        self.outlet_id = outlet

    async def start(self):
        count = 0
        try:
            for page in warc_pages(self.file, self.outlet_id):
                count += 1
                yield page
        except (OSError, ArchiveLoadFailed) as exc:
            self.logger.error("cannot read WARC file %s: %s", self.file, exc)
            return
        if not count:
            self.logger.error("no HTTP response in WARC file %s", self.file)
