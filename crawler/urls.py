"""Canonical form of a URL, so that one page has one key whatever link led to it.

    >>> canonical_url("HTTP://Example.COM:80/a/b/?utm_source=x&b=2&a=1&fbclid=9#comments")
    'http://example.com/a/b?a=1&b=2'
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that only say where a click came from (analytics and ad trackers).
TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|xtor|xts|at_\w+|igshid|yclid|_ga|_gl|ocid|cmpid|ncid|smid)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}
SURROGATE = re.compile("[\ud800-\udfff]")


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, sorted
    query, no trailing slash (except the root). Unparseable URLs, and URLs with no host
    (``mailto:``, ``data:``, ``http:///x``...), are returned as they are."""
    # A lone surrogate (from a "&#xD800;") is no character and cannot be encoded: U+FFFD, as in browsers.
    url = SURROGATE.sub("\ufffd", url)
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:  # e.g. a port that is not a number
        return url
    if not host:  # no web page; and w3lib would take a path's "//x" for a host on a second pass
        return url
    if ":" in host:  # an IPv6 address: ``hostname`` dropped the brackets a netloc needs
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)])
    path = parts.path.rstrip("/") or "/"
    try:
        canonical = canonicalize_url(urlunsplit((scheme, netloc, path, query, "")))
        split = urlsplit(canonical)
    except ValueError:  # w3lib's parser is stricter than urllib's
        return url
    if split.path != "/" and split.path.endswith("/"):  # w3lib made "/a/./" "/a/"
        canonical = urlunsplit(split._replace(path=split.path.rstrip("/") or "/"))
    return canonical


# Second-level labels under which the registrable domain has three labels (bbc.co.uk, abc.net.au).
SECOND_LEVEL = {"co", "com", "net", "org", "gov", "ac", "edu", "gouv", "asso"}


def registrable_domain(host: str) -> str:
    """The domain an outlet owns, for host matching: ``feeds.arstechnica.com`` →
    ``arstechnica.com``, ``www.bbc.co.uk`` → ``bbc.co.uk``; an IP address stays as it is.

    >>> registrable_domain("www.lemonde.fr"), registrable_domain("127.0.0.1")
    ('lemonde.fr', '127.0.0.1')
    """
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def is_private_host(host: str | None) -> bool:
    """Whether a host is this machine or a private network: loopback, private, link-local and
    reserved addresses, ``localhost``, ``*.local`` and ``*.internal`` names.

    >>> is_private_host("10.0.0.7"), is_private_host("localhost"), is_private_host("lemonde.fr")
    (True, True, False)
    """
    host = (host or "").lower().strip("[]").rstrip(".")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global
