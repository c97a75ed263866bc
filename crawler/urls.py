"""Canonical form of a URL, so that one page has one key whatever link led to it.

    >>> canonical_url("HTTP://Example.COM:80/a/b/?utm_source=x&b=2&a=1&fbclid=9#comments")
    'http://example.com/a/b?a=1&b=2'
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that only say where a click came from (analytics and ad trackers).
TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|xtor|xts|at_\w+|igshid|yclid|_ga|_gl|ocid|cmpid|ncid|smid)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, sorted
    query, no trailing slash (except the root). Unparseable URLs are returned as they are."""
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:  # e.g. a port that is not a number
        return url
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)])
    path = parts.path.rstrip("/") or "/"
    return canonicalize_url(urlunsplit((scheme, netloc, path, query, "")))
