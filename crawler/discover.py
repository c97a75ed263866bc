"""Outlet auto-discovery: feeds announced by a home page and sitemaps listed in robots.txt.

Example::

    outlet = discover_outlet(home_html, "https://www.example.org/", robots_txt)
    outlet["feeds"], outlet["sitemaps"]
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urljoin, urlsplit

import lxml.html
from scrapy.utils.sitemap import sitemap_urls_from_robots

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")


def discover_outlet(home_html: bytes, home_url: str, robots_txt: bytes | None = None) -> dict:
    """Name, language, feeds and sitemaps of an outlet from its home page and robots.txt."""
    try:
        tree = lxml.html.fromstring(home_html or b"<html></html>", base_url=home_url)
    except (ValueError, lxml.etree.ParserError):
        tree = lxml.html.fromstring(b"<html></html>")
    feeds = []
    for link in tree.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower() in FEED_TYPES:
            url = urljoin(home_url, link.get("href").strip())
            if url not in feeds:
                feeds.append(url)
    sitemaps = list(dict.fromkeys(sitemap_urls_from_robots(robots_txt or b"", base_url=home_url)))
    site_name = tree.xpath("string(//meta[@property='og:site_name']/@content)") or tree.xpath("string(//title)")
    language = (tree.xpath("string(/html/@lang)") or "")[:2].lower() or None
    host = urlsplit(home_url).hostname or "outlet"
    return {
        "id": slug(host.removeprefix("www.")),
        "name": " ".join(site_name.split()) or host,
        "language": language,
        "feeds": feeds,
        "sitemaps": sitemaps,
    }


def slug(text: str) -> str:
    """``"Le Monde – Pixels"`` → ``"le-monde-pixels"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def outlet_toml(outlet: dict) -> str:
    """The ``[[outlets]]`` block to paste into a configuration file."""
    def strings(values):
        return "[" + ", ".join(f'"{v}"' for v in values) + "]"

    return "\n".join(
        [
            "[[outlets]]",
            f'id = "{outlet["id"]}"',
            f'name = "{outlet["name"].replace(chr(34), chr(39))}"',
            f'language = "{outlet["language"] or "en"}"',
            f"feeds = {strings(outlet['feeds'])}",
            f"sitemaps = {strings(outlet['sitemaps'])}",
        ]
    )
