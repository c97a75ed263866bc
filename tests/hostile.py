"""A hostile news site for tests, on 127.0.0.1 with an ephemeral port.

Its feeds and sitemaps list a few good articles among pages and links built to hurt a crawler:
compression bombs, billion laughs and external entities (XXE), pages too large or endless,
redirect chains and loops, a server that trickles or hangs up, a 429/503 storm, links that are no
web pages or no parseable URLs, odd Unicode, binary "HTML", lying charsets, broken markup.

    with hostile_site(tmp_path) as site:
        config = site.config(tmp_path / "veille.toml")   # an outlet with its feeds and sitemaps
        ...   # veille crawl --config config; then site.hits, site.dns_lookups()

Nothing here contacts any address but 127.0.0.1: ``LoopbackOnlyResolver`` (the crawl's
``TWISTED_DNS_RESOLVER`` in ``site.config``) refuses every host name and writes it down.
"""

from __future__ import annotations

import gzip
import random
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from contextlib import contextmanager
from functools import lru_cache
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from tests.conftest import QuietHandler

# What a resolved XXE would bring in: /etc/passwd, and a file of the test's own with a marker.
SECRET_MARKER = "VEILLE-SECRET-7f3a"
PASSWD_MARKER = "root:x:"

PARAGRAPHS = {
    "en": "Paragraph {n}: Parler and Gab asked their users to move to Mastodon after the outage, "
    "and Truth Social said the moderation team would publish a report on Monday.",
    "fr": "Paragraphe {n} : Parler et Gab ont demandé à leurs utilisateurs de passer sur Mastodon "
    "après la panne, et Truth Social a promis un rapport de la modération lundi.",
}


def article(title: str, lang: str = "en", paragraphs: int = 12) -> str:
    """A plain news article page, long enough to be extracted as an article."""
    body = "".join(f"<p>{PARAGRAPHS[lang].format(n=n)}</p>\n" for n in range(paragraphs))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article></body></html>"
    )


# Good pages: (path as served, title, language). The site must go on and store them.
GOOD = {
    "/news/2024/parler-back-online.html": ("Parler back online", "en"),
    "/news/2024/gab-moderation.html": ("Gab et la modération", "fr"),
    "/news/2024/café-été-mastodon.html": ("Mastodon en été", "fr"),  # non-ASCII path, linked raw
    "/news/2024/bluesky et élections.html": ("Bluesky and elections", "en"),  # linked percent-encoded
    "/news/2024/far-future.html": ("A date in year 9999", "en"),  # its feed entry has an absurd date
    "/news/2024/sitemap-only.html": ("Listed by the sitemap only", "en"),
}

# Pages that fail, by case: path (served by this site) → what it does.
HOSTILE = {
    "gzip_bomb": "/bomb/gzip.html",  # Content-Encoding: gzip, 1 MB → 1 GB of zeros
    "gzip_gzip_bomb": "/bomb/gzip-gzip.html",  # Content-Encoding: gzip, gzip, a few KB → 1 GB
    "big": "/big/50mb.html",  # 50 MB, with Content-Length
    "big_streamed": "/big/streamed.html",  # 50 MB, no Content-Length
    "redirect_chain": "/r/1",  # /r/1 → /r/2 → ... for ever
    "redirect_loop": "/loop/a",  # /loop/a → /loop/b → /loop/a
    "trickle": "/slow.html",  # one byte a second
    "cut_body": "/cut/body.html",  # hangs up after 2 KB of the 100 KB announced
    "cut_headers": "/cut/headers.html",  # hangs up in the middle of the status line's headers
    "storm_429": "/storm/429.html",  # always 429, Retry-After: 1
    "storm_503": "/storm/503.html",  # always 503, Retry-After: 1
}

# Listed by a sitemap, not the feed: the storm's Retry-After slows the whole site down (one request
# a second), so it comes in the second spider, where little is left to fetch.
IN_SITEMAP_ONLY = ("storm_429", "storm_503")

# Pages that are fetched but hold no article: recorded, extracted as not_article (or failed).
JUNK = {
    "binary": "/junk/binary.html",  # random bytes served as text/html
    # An article under 5,000 unclosed <div>: libxml2 stops at depth 256 (a guard against such
    # pages), so the article is lost, quickly and without an error.
    "deep_nesting": "/junk/deep-nesting.html",
}

# Pages with broken encodings or markup that still hold an article.
MESSY = {
    "lying_charset": "/messy/lying-charset.html",  # says UTF-8, is Latin-1
    "unknown_charset": "/messy/unknown-charset.html",  # charset=x-klingon, UTF-8 body
    "meta_utf16": "/messy/meta-utf16.html",  # <meta charset="utf-16">, UTF-8 body
    "broken_markup": "/messy/broken-markup.html",  # unclosed tags, stray ends, NUL bytes, 200 nested divs
}

# Links that are no web pages, or no URLs at all, or hosts other than 127.0.0.1.
ODD_LINKS = {
    "javascript": "javascript:alert(document.cookie)",
    "data": "data:text/html,<h1>Injected</h1><p>not from the site</p>",
    "file": "file:///etc/passwd",
    "mailto": "mailto:newsroom@example.org",
    "bad_port": "http://127.0.0.1:notaport/x.html",
    "bad_ipv6": "http://[127.0.0.1/x.html",  # feedparser drops it; recorded from the sitemap
    "idn_host": "http://пример.invalid/новости/статья.html",  # offsite: never looked up
}
# On 127.0.0.1 but not served: odd Unicode and percent-encoding in the path (404, recorded).
ODD_PATHS = {
    "bidi_and_bom": "/odd/\u202egnp.html\ufeff",
    "bad_percent": "/odd/%zz%E9%%41.html",
    "latin1_percent": "/odd/%E9t%E9.html",
}

# Feeds and sitemaps: the source URL → the case it stands for.
FEEDS = {
    "/feed.xml": "links to every case but the storm",
    "/feed-xxe.xml": "external entities (file:///etc/passwd and a secret file)",
    "/feed-laughs.xml": "billion laughs",
    "/feed-local-path.xml": "a body that is the path of a local feed file",
    "/feed-bomb.xml": "Content-Encoding: gzip bomb",
}
SITEMAPS = {
    "/sitemap.xml": "index of the others, and of itself",
    "/sitemap-pages.xml": "the storm, odd locs and an article",
    "/sitemap-bomb.xml.gz": "a gzip file of 1 GB of zeros",
    "/sitemap-http-bomb.xml": "Content-Encoding: gzip bomb",
    "/sitemap-laughs.xml": "billion laughs",
    "/sitemap-xxe.xml": "news sitemap with external entities",
}

LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 if n > 1 else "")) * 10}">' for n in range(1, 10))
    + "]>"
)


def gzip_bomb(size: int = 1 << 30) -> bytes:
    """A valid gzip file of ``size`` zero bytes (1 GB: about 1 MB), made by repeating one
    compressed MiB: deflate blocks after a full flush refer to nothing before them."""
    block = bytes(1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    count = size // len(block)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03"
    return header + chunk * count + deflate.flush(zlib.Z_FINISH) + struct.pack("<II", crc, (count * len(block)) & 0xFFFFFFFF)


@lru_cache(maxsize=1)
def bombs() -> tuple[bytes, bytes]:
    """(1 GB in one gzip layer, the same gzipped again), built once per process."""
    once = gzip_bomb()
    return once, gzip.compress(once, 9)


class LoopbackOnlyResolver(CachingThreadedResolver):
    """Scrapy ``TWISTED_DNS_RESOLVER`` for tests: resolves 127.0.0.1 only, so no host name is sent
    to a DNS server; each name asked for is appended to the file named by the
    ``VEILLE_TEST_DNS_LOG`` setting."""

    log_path: str | None = None

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.log_path = crawler.settings.get("VEILLE_TEST_DNS_LOG")
        return resolver

    def getHostByName(self, name, timeout=()):
        if self.log_path:
            with open(self.log_path, "a", encoding="utf-8") as log:
                log.write(name + "\n")
        if name == "127.0.0.1":
            return defer.succeed(name)
        return defer.fail(DNSLookupError(f"{name}: only 127.0.0.1 is reachable in tests"))


class TestDomainsResolver(LoopbackOnlyResolver):
    """Like ``LoopbackOnlyResolver``, and names under ``.test`` (a reserved top-level domain)
    resolve to 127.0.0.1: local servers that look like public sites to the crawler."""

    def getHostByName(self, name, timeout=()):
        if name.endswith(".test"):
            return defer.succeed("127.0.0.1")
        return super().getHostByName(name, timeout)


def rss(items: list[tuple[str, str | None]], doctype: str = "") -> bytes:
    """An RSS 2.0 feed of ``(link, pubDate)`` items (links written as they are: no escaping)."""
    entries = "".join(
        f"<item><title>Entry {n}</title><link>{link}</link>" + (f"<pubDate>{day}</pubDate>" if day else "") + "</item>\n"
        for n, (link, day) in enumerate(items)
    )
    return f'<?xml version="1.0" encoding="utf-8"?>{doctype}<rss version="2.0"><channel><title>Hostile news</title>\n{entries}</channel></rss>'.encode()


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class HostileSite:
    """The site's content, built for one base URL and one temporary directory."""

    def __init__(self, base: str, workdir: Path):
        self.base = base
        self.workdir = workdir
        self.hits: Counter[str] = Counter()
        self.dns_log = workdir / "dns.log"
        self.secret_file = workdir / "secret.txt"
        self.secret_file.write_text(f"{SECRET_MARKER}\n", encoding="utf-8")
        # A valid feed on the local disk: read only if the crawler takes a body for a file name.
        self.local_feed = workdir / "local-feed.xml"
        self.local_feed.write_bytes(rss([(f"{base}/leaked-from-local-file.html", None)]))

    def url(self, path: str) -> str:
        return self.base + path

    def feed_items(self) -> list[tuple[str, str | None]]:
        """The main feed: odd links and hostile pages first, so that a link that ends the
        feed's parsing loses the good articles after it."""
        day = "Mon, 05 Feb 2024 10:00:00 GMT"
        items = [(xml_escape(link), day) for link in ODD_LINKS.values()]
        items += [(self.url(path), day) for path in ODD_PATHS.values()]
        items.append((self.url("/news/2024/far-future.html"), "9999-12-31T23:59:59-12:00"))
        hostile = [path for case, path in HOSTILE.items() if case not in IN_SITEMAP_ONLY]
        items += [(self.url(path), day) for path in [*hostile, *JUNK.values(), *MESSY.values()]]
        items += [(self.url(path), day) for path in GOOD if path not in ("/news/2024/far-future.html", "/news/2024/sitemap-only.html")]
        # The percent-encoded link of the page with a space and accents in its name.
        items = [(link.replace("bluesky et élections", "bluesky%20et%20%C3%A9lections"), d) for link, d in items]
        return items

    def config(self, path: Path, outlet: str = "hostile") -> Path:
        """A configuration with one outlet reading this site's feeds and sitemaps, short
        timeouts, one retry, and the loopback-only resolver."""
        feeds = ", ".join(f'"{self.url(p)}"' for p in FEEDS)
        sitemaps = f'"{self.url("/sitemap.xml")}"'
        path.write_text(
            "[crawl]\n"
            "download_delay = 0\nautothrottle_start_delay = 0.01\nautothrottle_max_delay = 2.0\n"
            "download_timeout = 3\nretry_times = 1\n"
            'twisted_dns_resolver = "tests.hostile.LoopbackOnlyResolver"\n'
            f'veille_test_dns_log = "{self.dns_log}"\n\n'
            f'[[outlets]]\nid = "{outlet}"\nname = "Hostile news"\nlanguage = "en"\n'
            f"feeds = [{feeds}]\nsitemaps = [{sitemaps}]\n",
            encoding="utf-8",
        )
        return path

    def dns_lookups(self) -> list[str]:
        return self.dns_log.read_text(encoding="utf-8").split() if self.dns_log.exists() else []

    # --- feeds and sitemaps ---------------------------------------------------------------------

    def document(self, path: str) -> tuple[bytes, str, list[tuple[str, str]]] | None:
        """(body, content type, extra headers) of a feed or sitemap, None if not one."""
        entities = f'<!DOCTYPE rss [<!ENTITY passwd SYSTEM "file:///etc/passwd"><!ENTITY secret SYSTEM "file://{self.secret_file}">]>'
        if path == "/feed.xml":
            return rss(self.feed_items()), "application/rss+xml", []
        if path == "/feed-xxe.xml":
            items = [(self.url("/xxe/&passwd;&secret;.html"), None), (self.url("/news/2024/parler-back-online.html"), None)]
            body = rss(items, entities).replace(b"<title>Entry 0</title>", b"<title>&passwd;&secret;</title><description>&secret;</description>")
            return body, "application/rss+xml", []
        if path == "/feed-laughs.xml":
            body = rss([(self.url("/laughs/&lol9;.html"), None), (self.url("/news/2024/gab-moderation.html"), None)], LAUGHS)
            return body.replace(b"<title>Entry 0</title>", b"<title>&lol9;</title>"), "application/rss+xml", []
        if path == "/feed-local-path.xml":
            return str(self.local_feed).encode(), "application/rss+xml", []
        if path == "/feed-bomb.xml":
            return bombs()[0], "application/rss+xml", [("Content-Encoding", "gzip")]
        urlset = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        if path == "/sitemap.xml":
            nested = [self.url(p) for p in SITEMAPS] + ["file:///etc/passwd", "javascript:void(0)"]
            locs = "".join(f"<sitemap><loc>{xml_escape(u)}</loc></sitemap>" for u in nested)
            return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</sitemapindex>'.encode(), "application/xml", []
        if path == "/sitemap-pages.xml":
            locs = [self.url("/news/2024/sitemap-only.html"), *(self.url(HOSTILE[case]) for case in IN_SITEMAP_ONLY), self.url(JUNK["binary"]),
                    ODD_LINKS["file"], ODD_LINKS["mailto"], ODD_LINKS["bad_port"], ODD_LINKS["bad_ipv6"],
                    self.url("/news/2024/gab-moderation.html")]
            entries = "".join(f"<url><loc>{xml_escape(u)}</loc><lastmod>2024-02-05</lastmod></url>" for u in locs)
            return f'<?xml version="1.0"?>{urlset}{entries}</urlset>'.encode(), "application/xml", []
        if path == "/sitemap-bomb.xml.gz":
            return bombs()[0], "application/gzip", []
        if path == "/sitemap-http-bomb.xml":
            return bombs()[0], "application/xml", [("Content-Encoding", "gzip")]
        if path == "/sitemap-laughs.xml":
            entry = f"<url><loc>{self.url('/laughs/&lol9;.html')}</loc><lastmod>&lol9;</lastmod></url>"
            return f'<?xml version="1.0"?>{LAUGHS.replace("lolz", "urlset")}{urlset}{entry}</urlset>'.encode(), "application/xml", []
        if path == "/sitemap-xxe.xml":
            entry = (
                f"<url><loc>{self.url('/xxe/&passwd;&secret;.html')}</loc><news:news><news:title>&secret;</news:title>"
                "<news:publication_date>2024-02-05&secret;</news:publication_date></news:news></url>"
            )
            return f'<?xml version="1.0"?>{entities.replace("rss", "urlset")}{urlset}{entry}</urlset>'.encode(), "application/xml", []
        return None


def make_handler(site: HostileSite):
    class Hostile(QuietHandler):
        protocol_version = "HTTP/1.0"  # one request per connection: a hang-up hurts no other request

        def do_GET(self):
            path = unquote(urlsplit(self.path).path)
            site.hits[path] += 1
            try:
                self.route(path)
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                pass  # the crawler gave up: what it should do

        def route(self, path: str):
            html = "text/html; charset=utf-8"
            if path == "/robots.txt":
                return self.reply(200, b"User-agent: *\nDisallow:\n", "text/plain")
            if path in GOOD:
                title, lang = GOOD[path]
                return self.reply(200, article(title, lang).encode(), html)
            if (document := site.document(path)) is not None:
                body, content_type, headers = document
                return self.reply(200, body, content_type, headers)
            if path == HOSTILE["gzip_bomb"]:
                return self.reply(200, bombs()[0], html, [("Content-Encoding", "gzip")])
            if path == HOSTILE["gzip_gzip_bomb"]:
                return self.reply(200, bombs()[1], html, [("Content-Encoding", "gzip, gzip")])
            if path in (HOSTILE["big"], HOSTILE["big_streamed"]):
                return self.stream(50 << 20, with_length=path == HOSTILE["big"])
            if path.startswith("/r/") and path[3:].isdigit():
                return self.reply(302, headers=[("Location", f"/r/{int(path[3:]) + 1}")])
            if path in ("/loop/a", "/loop/b"):
                return self.reply(302, headers=[("Location", "/loop/b" if path == "/loop/a" else "/loop/a")])
            if path == HOSTILE["trickle"]:
                return self.trickle()
            if path == HOSTILE["cut_body"]:
                return self.hang_up(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n" + b"<p>Half</p>" * 200)
            if path == HOSTILE["cut_headers"]:
                return self.hang_up(b"HTTP/1.0 200 OK\r\nContent-Ty")
            if path in (HOSTILE["storm_429"], HOSTILE["storm_503"]):
                return self.reply(int(path[7:10]), b"<h1>Slow down</h1>", html, [("Retry-After", "1")])
            if path == JUNK["binary"]:
                return self.reply(200, random.Random(7).randbytes(200_000), html)
            if path == MESSY["lying_charset"]:
                return self.reply(200, article("Ça a été dévoilé", "fr").encode("latin-1"), html)
            if path == MESSY["unknown_charset"]:
                return self.reply(200, article("Modération été", "fr").encode(), "text/html; charset=x-klingon")
            if path == MESSY["meta_utf16"]:
                page = article("Modération élargie", "fr").replace('<meta charset="utf-8">', '<meta charset="utf-16">')
                return self.reply(200, page.encode(), "text/html")
            if path in (MESSY["broken_markup"], JUNK["deep_nesting"]):
                page = article("Broken markup everywhere", "en").replace("</p>", "").replace("</article>", "</div></span></table>")
                depth = 200 if path == MESSY["broken_markup"] else 5000
                page = page.replace("<body>", "<body>" + "<div>" * depth + "<<>>&&;<" + "\x00\x01")
                return self.reply(200, page.encode(), html)
            return self.reply(404, b"<h1>Not found</h1>", html)

        def stream(self, size: int, with_length: bool):
            """``size`` bytes of HTML-ish filler, written as the crawler reads."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if with_length:
                self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b"<p>" + b"filler " * 9360 + b"</p>\n"  # 64 KiB
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)

        def trickle(self, seconds: int = 60):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(seconds))
            self.end_headers()
            for _ in range(seconds):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(1)

        def hang_up(self, raw: bytes):
            """Send ``raw`` and close the connection, whatever it announced."""
            self.wfile.write(raw)
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True

    return Hostile


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a crawler hanging up on a bomb is the point of the exercise


@contextmanager
def hostile_site(workdir: str | Path):
    """Serve the hostile site on 127.0.0.1 (ephemeral port) in a thread; yields the ``HostileSite``."""
    bombs()  # built before the clock of any crawl starts
    server = QuietServer(("127.0.0.1", 0), None)
    site = HostileSite("http://127.0.0.1:%d" % server.server_address[1], Path(workdir))
    server.RequestHandlerClass = make_handler(site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":  # python -m tests.hostile: serve it for a look (127.0.0.1 only)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, hostile_site(tmp) as site:
        print(site.url("/feed.xml"), site.url("/sitemap.xml"), sep="\n")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
