"""Archive spiders: captures from WARC files go through the same storage and extraction as pages
fetched live.

    scrapy crawl warc -a file=captures.warc.gz -a outlet=numerama
    veille crawl --warc captures.warc.gz --outlet numerama
"""

from __future__ import annotations

import io
import json
from urllib.parse import urlencode

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from w3lib.encoding import http_content_type_encoding

from crawler.config import Outlet
from crawler.items import RawPage
from spiders.base import HTML_TYPES, KEPT_HEADERS, OutletSpider


def warc_pages(path: str, outlet: str | None):
    """``RawPage`` items of the HTTP responses archived in a WARC / WARC.gz file."""
    with open(path, "rb") as stream:
        yield from warc_pages_from(stream, outlet, f"warc:{path}")


def warc_pages_from(stream, outlet: str | None, source: str):
    """``RawPage`` items of the HTTP responses in a WARC stream."""
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
            source_url=source,
        )


class WarcSpider(OutletSpider):
    stays_on_outlets = False  # the archive names its pages
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


# --- web archives: Wayback Machine (CDX API) and Common Crawl (index API + WARC ranges) ------

WAYBACK = "https://web.archive.org"
COMMONCRAWL_INDEX = "https://index.commoncrawl.org"
COMMONCRAWL_DATA = "https://data.commoncrawl.org"


def compact_day(day: str | None) -> str | None:
    """``"2024-01-31"`` → ``"20240131"`` (the archives' timestamp form)."""
    return day.replace("-", "") if day else None


def wayback_cdx_url(domain: str, since: str | None = None, until: str | None = None, limit: int = 1000, endpoint: str = WAYBACK) -> str:
    """CDX query for the HTML pages of ``domain`` captured with status 200 in the window.

    >>> wayback_cdx_url("example.org", "2021-01-01", "2021-01-31", 10, "http://cdx.test")
    'http://cdx.test/cdx/search/cdx?url=example.org%2F%2A&output=json&fl=timestamp%2Coriginal%2Cstatuscode%2Cmimetype&filter=statuscode%3A200&filter=mimetype%3Atext%2Fhtml&collapse=urlkey&limit=10&from=20210101&to=20210131'
    """
    params = [
        ("url", f"{domain}/*"), ("output", "json"), ("fl", "timestamp,original,statuscode,mimetype"),
        ("filter", "statuscode:200"), ("filter", "mimetype:text/html"), ("collapse", "urlkey"), ("limit", str(limit)),
    ]
    params += [(key, compact_day(day)) for key, day in (("from", since), ("to", until)) if day]
    return f"{endpoint}/cdx/search/cdx?{urlencode(params)}"


def wayback_capture_url(timestamp: str, original: str, endpoint: str = WAYBACK) -> str:
    """The raw archived page (``id_``: as captured, without the archive's banner)."""
    return f"{endpoint}/web/{timestamp}id_/{original}"


def commoncrawl_index_url(
    collection: str, domain: str, since: str | None = None, until: str | None = None, limit: int = 1000, endpoint: str = COMMONCRAWL_INDEX
) -> str:
    """Common Crawl index query (one JSON object per line) for ``domain`` in ``collection``.

    >>> commoncrawl_index_url("CC-MAIN-2024-10", "example.org", limit=5, endpoint="http://cc.test")
    'http://cc.test/CC-MAIN-2024-10-index?url=example.org%2F%2A&output=json&filter=status%3A200&filter=mime%3Atext%2Fhtml&limit=5'
    """
    params = [("url", f"{domain}/*"), ("output", "json"), ("filter", "status:200"), ("filter", "mime:text/html"), ("limit", str(limit))]
    params += [(key, compact_day(day)) for key, day in (("from", since), ("to", until)) if day]
    return f"{endpoint}/{collection}-index?{urlencode(params)}"


class ArchiveSpider(OutletSpider):
    stays_on_outlets = False  # captures are served by the archive
    """Captures of one outlet's domain from the Wayback Machine or a Common Crawl collection.

        scrapy crawl archive -a source=wayback -a domain=example.org -a outlet=example -a since=2021-01-01
        scrapy crawl archive -a source=commoncrawl -a collection=CC-MAIN-2024-10 -a domain=example.org -a outlet=example
    """

    name = "archive"

    def __init__(self, source="wayback", domain=None, outlet=None, collection=None, limit="1000", endpoint=None, data_endpoint=None, **kwargs):
        super().__init__(**kwargs)
        self.source, self.domain, self.outlet_id, self.collection = source, domain, outlet, collection
        self.limit, self.endpoint, self.data_endpoint = int(limit), endpoint, data_endpoint

    def outlet(self) -> Outlet:
        known = {o.id: o for o in self.outlets}
        return known.get(self.outlet_id) or Outlet(id=self.outlet_id or self.domain, name=self.domain, language="en")

    async def start(self):
        window = (self.window.since, self.window.until)
        if self.source == "wayback":
            url = wayback_cdx_url(self.domain, *window, self.limit, self.endpoint or WAYBACK)
        else:
            url = commoncrawl_index_url(self.collection, self.domain, *window, self.limit, self.endpoint or COMMONCRAWL_INDEX)
        yield self.source_request(url, self.outlet(), f"{self.source}-index", self.parse_index)

    def parse_index(self, response):
        if response.status >= 400:
            self.logger.error("archive index %s answered HTTP %s", response.url, response.status)
            yield self.source_fetched(response, None)
            return
        captures = self.wayback_captures(response) if self.source == "wayback" else self.commoncrawl_captures(response)
        yield self.source_fetched(response, len(captures))
        yield from captures

    def wayback_captures(self, response) -> list:
        rows = json.loads(response.text or "[]")
        header, rows = (rows[0], rows[1:]) if rows else ([], [])
        outlet = self.outlet()
        requests = []
        for row in rows:
            capture = dict(zip(header, row))
            capture_url = wayback_capture_url(capture["timestamp"], capture["original"], self.endpoint or WAYBACK)
            requests.append(self.article_request(capture_url, outlet, response.url, original_url=capture["original"]))
        return requests

    def commoncrawl_captures(self, response) -> list:
        outlet = self.outlet()
        requests = []
        for line in response.text.splitlines():
            if not line.strip():
                continue
            capture = json.loads(line)
            start, length = int(capture["offset"]), int(capture["length"])
            request = self.article_request(
                f"{self.data_endpoint or COMMONCRAWL_DATA}/{capture['filename']}", outlet, response.url, original_url=capture["url"]
            ).replace(callback=self.parse_warc_record, headers={"Range": f"bytes={start}-{start + length - 1}"}, dont_filter=True)
            requests.append(request)
        return requests

    def parse_warc_record(self, response):
        """A Common Crawl range answer is one gzipped WARC record: read it like a WARC file."""
        if response.status >= 400:
            yield from self.parse_article(response)
            return
        yield from warc_pages_from(io.BytesIO(response.body), response.meta.get("outlet"), response.meta.get("source_url"))
