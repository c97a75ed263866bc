"""Hostile and broken input: one real crawl (feeds, sitemaps, extract, tag) of the hostile site of
``tests/hostile.py``. It must end cleanly, in bounded time and memory, record every hostile URL
with its failure, store the good articles, read no local file and contact nothing but 127.0.0.1.
"""

from __future__ import annotations

import resource
import sqlite3
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from w3lib.url import safe_url_string

from crawler import store
from crawler.store import url_key
from tests.conftest import run_veille
from tests.hostile import (
    FEEDS, GOOD, HOSTILE, JUNK, MESSY, ODD_LINKS, ODD_PATHS, PASSWD_MARKER, SECRET_MARKER, SITEMAPS, HostileSite, hostile_site,
)

CRAWL_SECONDS = 75  # the crawl's deadline; it takes about 35 s, extraction and tagging included
PEAK_RSS = 1.5 * 2**30


@dataclass
class Crawl:
    site: HostileSite
    db: sqlite3.Connection
    stdout: str
    stderr: str
    returncode: int
    seconds: float
    peak_rss: int  # bytes, the largest child process this test process has waited for


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("hostile")
    with hostile_site(workdir) as site:
        config = site.config(workdir / "veille.toml")
        started = time.monotonic()
        done = run_veille("crawl", "--config", str(config), "--db", str(workdir / "hostile.db"), timeout=CRAWL_SECONDS)
        seconds = time.monotonic() - started
        # ru_maxrss of children is the peak of the largest one waited for (KiB): veille itself or one
        # of its worker processes. Earlier tests' children count too, so it is an upper bound.
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        db = sqlite3.connect(workdir / "hostile.db")
        db.row_factory = sqlite3.Row
        yield Crawl(site, db, done.stdout, done.stderr, done.returncode, seconds, peak)
        db.close()


def page(crawl: Crawl, url: str):
    return crawl.db.execute("select * from pages where id = ?", [url_key(url)]).fetchone()


def test_crawl_ends_cleanly_in_bounded_time_and_memory(crawl):
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert "Traceback" not in crawl.stderr
    # A spider callback that raised lost the rest of its feed or sitemap (logged on one line).
    assert "Spider error processing" not in crawl.stderr, crawl.stderr[-3000:]
    assert crawl.seconds < CRAWL_SECONDS
    assert crawl.peak_rss < PEAK_RSS, crawl.peak_rss


# case → (fetch_status, HTTP status, words of the recorded error)
EXPECTED = {
    "gzip_bomb": ("network_error", None, "DOWNLOAD_MAXSIZE"),
    "gzip_gzip_bomb": ("network_error", None, "DOWNLOAD_MAXSIZE"),
    "big": ("network_error", None, "larger than download max size"),
    "big_streamed": ("network_error", None, "DownloadCancelledError"),  # the log line says why
    "redirect_chain": ("network_error", None, "max redirections reached"),
    "redirect_loop": ("network_error", None, "max redirections reached"),
    "trickle": ("network_error", None, "took longer than 3.0 seconds"),
    "cut_body": ("network_error", None, "ResponseDataLossError: Indicates that Scrapy couldn't get a complete response"),
    "cut_headers": ("network_error", None, "DownloadFailedError"),
    "storm_429": ("http_error", 429, "HTTP 429"),
    "storm_503": ("http_error", 503, "HTTP 503"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_each_hostile_page_is_recorded_with_its_failure(crawl, case):
    fetch_status, status, words = EXPECTED[case]
    row = page(crawl, crawl.site.url(HOSTILE[case]))
    assert row is not None, case
    assert (row["fetch_status"], row["status"]) == (fetch_status, status), dict(row)
    assert words in row["error"], row["error"]
    assert row["body"] is None
    assert crawl.db.execute("select count(*) from articles where page_id = ?", [row["id"]]).fetchone()[0] == 0


def test_hostile_servers_are_asked_a_bounded_number_of_times(crawl):
    hits = crawl.site.hits
    assert sum(n for path, n in hits.items() if path.startswith("/r/")) <= 11  # REDIRECT_MAX_TIMES = 10
    assert sum(n for path, n in hits.items() if path.startswith("/loop/")) <= 11
    for case in ("storm_429", "storm_503", "trickle", "cut_body", "gzip_bomb"):
        assert hits[HOSTILE[case]] <= 2, case  # retry_times = 1 in the test configuration
    assert hits["/sitemap.xml"] == 1  # the index lists itself


@pytest.mark.parametrize("case", sorted(ODD_LINKS))
def test_links_that_are_no_web_pages_are_recorded_not_fetched(crawl, case):
    # Stored as listed, or as Scrapy escaped it when it made a request of it (data:).
    link = ODD_LINKS[case]
    row = page(crawl, link) or crawl.db.execute("select * from pages where url = ?", [safe_url_string(link)]).fetchone()
    assert row is not None, case
    # A web link to a host outside the outlets' domains is refused before any lookup.
    expected = "blocked" if case == "idn_host" else "network_error"
    assert row["fetch_status"] == expected and row["status"] is None and row["error"], dict(row)


@pytest.mark.parametrize("case", sorted(ODD_PATHS))
def test_odd_unicode_and_percent_encoding_on_the_site_are_recorded(crawl, case):
    row = page(crawl, crawl.site.url(ODD_PATHS[case]))
    assert row is not None, case
    assert (row["fetch_status"], row["status"]) == ("http_error", 404)


@pytest.mark.parametrize("case", sorted(JUNK))
def test_binary_or_too_deep_html_is_no_article(crawl, case):
    row = page(crawl, crawl.site.url(JUNK[case]))
    assert row["fetch_status"] == "ok"
    assert crawl.db.execute("select status from articles where page_id = ?", [row["id"]]).fetchone()[0] == "not_article"


@pytest.mark.parametrize("path", sorted(GOOD))
def test_good_articles_are_stored_and_extracted(crawl, path):
    title, language = GOOD[path]
    row = page(crawl, crawl.site.url(path))
    assert row is not None and row["fetch_status"] == "ok", path
    article = crawl.db.execute("select * from articles where page_id = ?", [row["id"]]).fetchone()
    assert (article["status"], article["title"], article["language"]) == ("article", title, language)


@pytest.mark.parametrize("case", sorted(MESSY))
def test_broken_encodings_and_markup_still_give_the_article(crawl, case):
    row = page(crawl, crawl.site.url(MESSY[case]))
    assert row is not None and row["fetch_status"] == "ok", case
    article = crawl.db.execute("select * from articles where page_id = ?", [row["id"]]).fetchone()
    assert article["status"] == "article", case
    assert "Mastodon" in article["text"] and "Truth Social" in article["text"], article["text"][:200]
    if case != "lying_charset":  # Latin-1 read as UTF-8 cannot keep its accents
        assert "\ufffd" not in article["text"] and "Ã" not in article["text"], article["text"][:200]


def test_feeds_and_sitemaps_are_recorded(crawl):
    sources = {row["url"]: row for row in crawl.db.execute("select * from sources")}
    for path in [*FEEDS, *SITEMAPS]:
        assert crawl.site.url(path) in sources, path
    for path in ("/feed-bomb.xml", "/sitemap-http-bomb.xml", "/sitemap-bomb.xml.gz"):
        row = sources[crawl.site.url(path)]
        assert row["error"] and not row["entries"], dict(row)
    assert sources[crawl.site.url("/feed.xml")]["entries"] == len(crawl.site.feed_items())


def everything_stored(db: sqlite3.Connection) -> str:
    """Every value of every table as text, page bodies decompressed."""
    parts = []
    for (table,) in db.execute("select name from sqlite_master where type = 'table' and name not like '%fts%'"):
        for row in db.execute(f"select * from [{table}]"):
            for key in row.keys():
                value = row[key]
                if table == "pages" and key == "body" and value:
                    value = store.decompress(value).decode("utf-8", "replace")
                parts.append(value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value))
    return "\n".join(parts)


def test_no_local_file_is_read(crawl):
    stored = everything_stored(crawl.db)
    assert PASSWD_MARKER not in stored and SECRET_MARKER not in stored
    assert PASSWD_MARKER not in crawl.stderr and SECRET_MARKER not in crawl.stderr
    asked = " ".join(crawl.site.hits)
    assert PASSWD_MARKER not in asked and SECRET_MARKER not in asked  # no XXE content sent back in a URL
    # A feed whose body is the path of a local feed file: that file's link was never requested.
    assert "/leaked-from-local-file.html" not in crawl.site.hits
    # Billion laughs: no entity was expanded into a URL.
    assert "lollol" not in stored and not any("lollol" in path for path in crawl.site.hits)


def test_nothing_but_127_0_0_1_is_contacted(crawl):
    base = urlsplit(crawl.site.base)
    # The crawl's resolver was the test's, which refuses every other name, and the IDN host, being
    # outside the outlets' domains, was not even looked up: no DNS query left.
    assert set(crawl.site.dns_lookups()) == {"127.0.0.1"}
    assert "outside the outlets' domains" in page(crawl, ODD_LINKS["idn_host"])["error"]
    # Every answer stored came from the hostile site itself.
    for row in crawl.db.execute("select url, final_url from pages where status is not null"):
        assert urlsplit(row["final_url"]).netloc == base.netloc, dict(row)
    for row in crawl.db.execute("select url from sources where status is not null"):
        assert urlsplit(row["url"]).netloc == base.netloc, dict(row)


def test_report(crawl):
    print(f"\nhostile crawl: {crawl.seconds:.1f} s, peak RSS of children {crawl.peak_rss / 2**20:.0f} MB; {crawl.stdout.strip()}")
