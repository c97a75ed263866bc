"""Property-based tests (hypothesis) of what reads untrusted input: article extraction, the URL
canonicaliser, and feed and sitemap parsing as the spiders do it. None may raise, hang or read a
local file, whatever the bytes.

The number of inputs each property was given is printed at the end of the module (and kept in
pytest's cache: ``pytest --cache-show 'veille/*'``).
"""

from __future__ import annotations

import gzip
import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy import Request
from scrapy.http import XmlResponse
from scrapy.utils.test import get_crawler

from crawler.config import Outlet
from crawler.items import RawPage, SourceFetch
from crawler.store import url_key
from crawler.urls import canonical_url
from extract.body import extract_article
from spiders.feeds import FeedSpider, entry_date, read_feed
from spiders.sitemaps import SitemapSpider, news_publication_dates

# feedparser warns of its own fallback from updated_parsed to published_parsed, once per entry.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:feedparser")

EXAMPLES: Counter[str] = Counter()
SLOWEST: dict[str, float] = {}
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MAX_SECONDS = 10.0  # per input: far above the usual milliseconds, far below a hang


def timed(name: str, function, *args, **kwargs):
    """Call ``function``, count the example, keep the slowest time, fail beyond ``MAX_SECONDS``."""
    EXAMPLES[name] += 1
    started = time.monotonic()
    result = function(*args, **kwargs)
    seconds = time.monotonic() - started
    SLOWEST[name] = max(SLOWEST.get(name, 0.0), seconds)
    assert seconds < MAX_SECONDS, (name, seconds)
    return result


@pytest.fixture(scope="module", autouse=True)
def report(request):
    yield
    lines = [f"{name}: {n} inputs, slowest {SLOWEST.get(name, 0):.2f} s" for name, n in sorted(EXAMPLES.items())]
    lines.append(f"total: {sum(EXAMPLES.values())} inputs")
    request.config.cache.set("veille/fuzz-counts", dict(EXAMPLES))
    with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        print("\n".join(["", "fuzzed inputs per property:", *lines]))


# --- strategies --------------------------------------------------------------------------------

ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates, controls, bidi marks...
ODD_TEXT = st.text(ANY_CHAR, max_size=40)
ENCODINGS = ["utf-8", "latin-1", "cp1252", "utf-16", "utf-16-be", "utf-32", "shift_jis", "koi8-r", "gb18030", "x-klingon", ""]
WORDS = st.sampled_from(
    ["Parler", "Gab", "Mastodon", "réseau", "société", "modération", "été", "日本語", "Ünïcödé", "&amp;", "&bogus;", "&#0;",
     "&#x110000;", "&#xD800;", "<", ">", "\x00", "\ufeff", "\u202e", "'", '"', "]]>", "<!--", "-->", "<![CDATA[", "\r\n"]
)
TEXT = st.lists(st.one_of(WORDS, ODD_TEXT), max_size=30).map(" ".join)
TAGS = st.sampled_from(["html", "head", "body", "title", "meta", "article", "main", "div", "p", "span", "h1", "a", "script",
                        "style", "table", "tr", "td", "ul", "li", "br", "img", "svg", "math", "template", "noscript", "iframe"])
ATTRIBUTE = st.tuples(st.sampled_from(["class", "id", "lang", "href", "charset", "content", "http-equiv", "itemprop", "src", "x"]), TEXT)


@st.composite
def html_tree(draw, depth=0):
    """Random markup: tags with attributes, text, entities, comments, unclosed or stray tags."""
    parts = []
    for _ in range(draw(st.integers(0, 6 if depth < 4 else 1))):
        kind = draw(st.sampled_from(["text", "element", "element", "unclosed", "stray", "comment", "doctype"]))
        if kind == "text":
            parts.append(draw(TEXT))
        elif kind in ("element", "unclosed"):
            tag = draw(TAGS)
            attributes = "".join(f' {k}="{v}"' for k, v in draw(st.lists(ATTRIBUTE, max_size=3)))
            inner = draw(html_tree(depth + 1)) if depth < 6 else draw(TEXT)
            parts.append(f"<{tag}{attributes}>{inner}" + ("" if kind == "unclosed" else f"</{tag}>"))
        elif kind == "stray":
            parts.append(f"</{draw(TAGS)}>")
        elif kind == "comment":
            parts.append(f"<!--{draw(TEXT)}")
        else:
            parts.append(f"<!DOCTYPE {draw(TEXT)}>")
    return "".join(parts)


@st.composite
def html_page(draw):
    """A page as servers send them: random markup, a real article sometimes, deep nesting
    sometimes, in some encoding (declared or not, rightly or not), possibly truncated."""
    body = draw(html_tree())
    if draw(st.booleans()):
        body = "<article><h1>Titre</h1>" + "<p>Parler et Gab ont annoncé une modération renforcée cette semaine.</p>" * 20 + body
    depth = draw(st.sampled_from([0, 0, 0, 10, 255, 257, 1000, 20000]))
    declared = draw(st.sampled_from(ENCODINGS))
    page = f'<html><head><meta charset="{declared}"></head><body>' + "<div>" * depth + body + "</div>" * draw(st.integers(0, depth))
    encoding = draw(st.sampled_from([e for e in ENCODINGS if e not in ("", "x-klingon")]))
    raw = page.encode(encoding, errors="replace" if encoding != "utf-16" else "surrogatepass")
    if draw(st.booleans()):
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


HTML_INPUTS = st.one_of(
    html_page(),
    st.binary(max_size=5000),
    st.text(ANY_CHAR, max_size=3000),  # str input, lone surrogates included
    html_page().map(lambda raw: raw.decode("utf-8", errors="surrogateescape")),
)


# --- extract.body.extract_article ----------------------------------------------------------------


@settings(FUZZ, max_examples=150)
@given(HTML_INPUTS, st.one_of(st.none(), st.just("https://news.example.org/2024/a.html"), ODD_TEXT))
def test_extract_article_never_raises(html, url):
    article = timed("extract_article", extract_article, html, url=url)
    assert isinstance(article, dict)
    assert article["status"] in ("article", "not_article", "teaser")
    assert isinstance(article["text"], str) and isinstance(article["word_count"], int)


# --- crawler.urls.canonical_url ----------------------------------------------------------------

HOSTS = st.one_of(
    st.sampled_from(["127.0.0.1", "EXAMPLE.org", "пример.испытание", "bücher.example", "xn--e1afmkfd.xn--80akhbyknj4f", "[::1]",
                     "[127.0.0.1", "a..b", "", "user:pass@host", "host:notaport", "host:99999", "host:0", "%65xample.org", "ex ample.org"]),
    ODD_TEXT,
)
PATH_PARTS = st.one_of(
    st.sampled_from(["%zz", "%", "%E9", "%C3%A9", "%2F", "%00", "%25", "é", "../", "./", "//", ";p=1", "\u202e", "\ufeff", " ", "+"]),
    ODD_TEXT,
)
QUERIES = st.lists(st.tuples(st.sampled_from(["utm_source", "UTM_Medium", "fbclid", "a", "é", "", "q", "page"]), ODD_TEXT), max_size=4)


@st.composite
def urls(draw):
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "HtTpS", "ftp", "javascript", "data", "file", "mailto", "", "h t tp"]))
    path = "/" + "/".join(draw(st.lists(PATH_PARTS, max_size=5)))
    query = "&".join(f"{k}={v}" for k, v in draw(QUERIES))
    url = f"{scheme}://{draw(HOSTS)}{path}" + (f"?{query}" if query else "") + (f"#{draw(ODD_TEXT)}" if draw(st.booleans()) else "")
    return url if draw(st.integers(0, 4)) else draw(ODD_TEXT)


@settings(FUZZ, max_examples=1000)
@given(urls())
def test_canonical_url_never_raises_and_is_idempotent(url):
    canonical = timed("canonical_url", canonical_url, url)
    assert isinstance(canonical, str)
    assert canonical_url(canonical) == canonical, (url, canonical)
    assert len(url_key(url)) == 16


# --- feeds, as spiders/feeds.py reads them -----------------------------------------------------

DATES = st.one_of(
    st.sampled_from(["Mon, 05 Feb 2024 10:00:00 GMT", "9999-12-31T23:59:59-12:00", "0000-01-01T00:00:00Z", "Sat, 32 Dec 2024 00:00:00 GMT",
                     "2024-02-30", "1969-12-31T23:59:59Z", "-0001-01-01", "2024-13-01T25:61:61+99:99", "99999999999999999999"]),
    ODD_TEXT,
)
LINKS = st.one_of(urls(), st.sampled_from(["/relative.html", "relative.html", "../up.html", "//127.0.0.1/x", "/etc/passwd",
                                          "file:///etc/passwd", "javascript:alert(1)", "http://[127.0.0.1/x", "http://127.0.0.1:notaport/",
                                          "http://127.0.0.1/&#xD800;", "http://127.0.0.1/&#0;"]))


def xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


@st.composite
def feed_body(draw):
    """RSS or Atom with random links, dates and text, escaped or not, maybe with entity
    declarations, maybe truncated; or random bytes."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.binary(max_size=2000))
    escape = xml_text if draw(st.booleans()) else (lambda text: text)
    atom = draw(st.booleans())
    entries = []
    for _ in range(draw(st.integers(0, 5))):
        link, day, title = escape(draw(LINKS)), escape(draw(DATES)), escape(draw(TEXT))
        if atom:
            entries.append(f'<entry><title>{title}</title><link href="{link}"/><updated>{day}</updated></entry>')
        else:
            entries.append(f"<item><title>{title}</title><link>{link}</link><pubDate>{day}</pubDate><description>{title}</description></item>")
    doctype = draw(st.sampled_from(["", '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                                    '<!DOCTYPE rss [<!ENTITY a "aa"><!ENTITY b "&a;&a;&a;&a;">]>', "<!DOCTYPE rss PUBLIC \"-//Netscape//DTD\" \"http://127.0.0.1:1/dtd\">"]))
    if atom:
        text = f'<?xml version="1.0"?>{doctype}<feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(draw(TEXT))}</title>{"".join(entries)}</feed>'
    else:
        text = f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>{escape(draw(TEXT))}</title>{"".join(entries)}</channel></rss>'
    raw = text.encode(draw(st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"])), errors="replace")
    if draw(st.booleans()):
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


def spider(cls, **settings_dict):
    instance = cls.from_crawler(get_crawler(cls, settings_dict))
    instance.outlets = (Outlet(id="fuzz", name="Fuzz", language="en"),)
    return instance


FEED_SPIDER = spider(FeedSpider)
OUTLET = FEED_SPIDER.outlets[0]


def response(url: str, body: bytes, kind: str) -> XmlResponse:
    return XmlResponse(url, body=body, request=Request(url, meta={"outlet": "fuzz", "veille_source": kind}))


@settings(FUZZ, max_examples=300)
@given(feed_body())
def test_feed_parsing_never_raises(body):
    items = timed("feeds.parse_feed", lambda: list(FEED_SPIDER.parse_feed(response("http://127.0.0.1:1/feed.xml", body, "feed"), OUTLET)))
    assert isinstance(items[0], SourceFetch)
    assert all(isinstance(item, (Request, RawPage)) for item in items[1:])
    for entry in read_feed(body, "http://127.0.0.1:1/feed.xml").entries:
        day = entry_date(entry)
        assert day is None or len(day) == 10


def test_a_feed_body_naming_a_local_file_is_not_read(tmp_path):
    local = tmp_path / "local.xml"
    local.write_bytes(b'<rss version="2.0"><channel><item><link>http://127.0.0.1:1/leak</link></item></channel></rss>')
    assert read_feed(str(local).encode(), "http://127.0.0.1:1/feed.xml").entries == []


# --- sitemaps, as spiders/sitemaps.py reads them -----------------------------------------------


@st.composite
def sitemap_body(draw):
    """Sitemaps and sitemap indexes with random locs and dates, news dates, entity declarations,
    truncated, gzipped (whole or cut); or random bytes."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.binary(max_size=2000))
    escape = xml_text if draw(st.booleans()) else (lambda text: text)
    index = draw(st.booleans())
    entries = []
    for _ in range(draw(st.integers(0, 5))):
        loc, day = escape(draw(LINKS)), escape(draw(DATES))
        if index:
            entries.append(f"<sitemap><loc>{loc}</loc><lastmod>{day}</lastmod></sitemap>")
        else:
            news = f"<news:news><news:publication_date>{day}</news:publication_date></news:news>" if draw(st.booleans()) else ""
            entries.append(f"<url><loc>{loc}</loc><lastmod>{day}</lastmod>{news}</url>")
    root = "sitemapindex" if index else "urlset"
    doctype = draw(st.sampled_from(["", f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "file:///etc/passwd">]>', f'<!DOCTYPE {root} [<!ENTITY a "aa">]>']))
    text = (
        f'<?xml version="1.0"?>{doctype}<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{"".join(entries)}</{root}>'
    )
    raw = text.encode(draw(st.sampled_from(["utf-8", "utf-16", "latin-1"])), errors="replace")
    if draw(st.booleans()):
        raw = raw[: draw(st.integers(0, len(raw)))]
    if draw(st.booleans()):
        raw = gzip.compress(raw)
        if draw(st.booleans()):
            raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


SITEMAP_SPIDER = spider(SitemapSpider, DOWNLOAD_MAXSIZE=20 * 1024 * 1024)


@settings(FUZZ, max_examples=300)
@given(sitemap_body(), st.sampled_from(["/sitemap.xml", "/sitemap.xml.gz", "/sitemap"]))
def test_sitemap_parsing_never_raises(body, path):
    url = "http://127.0.0.1:1" + path
    items = timed("sitemaps._parse_sitemap", lambda: list(SITEMAP_SPIDER._parse_sitemap(response(url, body, "sitemap"))))
    assert isinstance(items[0], SourceFetch)
    assert all(isinstance(item, (Request, RawPage)) for item in items[1:])
    dates = timed("sitemaps.news_publication_dates", news_publication_dates, body)
    assert all("root:x:" not in day for day in dates.values())
