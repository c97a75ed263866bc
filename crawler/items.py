"""Items the spiders yield. Spiders only discover and fetch; pipelines store."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawPage:
    """One fetch attempt: the response as received, or why there was none.

    ``fetch_status`` is ``ok``, ``http_error`` (4xx/5xx), ``not_html``, ``network_error``
    (DNS, refused, timeout...), ``robots`` (disallowed by robots.txt) or ``blocked`` (outside the
    outlets' domains, or a private address linked from a public page).
    """

    url: str
    fetch_status: str
    final_url: str | None = None
    status: int | None = None
    error: str | None = None
    content_type: str | None = None
    encoding: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    outlet: str | None = None
    source_url: str | None = None
    hint_published: str | None = None


@dataclass
class SourceFetch:
    """One fetch of a feed or sitemap: its HTTP outcome, validators for the next conditional
    request (ETag, Last-Modified), and how many entries it listed."""

    url: str
    kind: str  # feed | sitemap
    outlet: str | None
    status: int | None
    etag: str | None = None
    last_modified: str | None = None
    entries: int | None = None
    error: str | None = None
