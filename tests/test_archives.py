"""Archived captures (WARC files written here) go through the same storage and extraction."""

import io
import json
import sqlite3
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.store import url_key
from tests.conftest import SITE, QuietHandler, local_server, run_veille


def write_warc(path, records):
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, status, content_type, body in records:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))


def test_warc_captures_are_stored_and_extracted(tmp_path, expected):
    article = next(a for a in expected["articles"] if a["language"] == "en" and a["on_topic"])
    html = (SITE / article["path"].lstrip("/")).read_bytes()
    warc = tmp_path / "captures.warc.gz"
    write_warc(warc, [
        ("https://archived.example/story.html", "200 OK", "text/html; charset=utf-8", html),
        ("https://archived.example/gone.html", "404 Not Found", "text/html", b"<html>gone</html>"),
        ("https://archived.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
    ])
    db_path = tmp_path / "warc.db"
    done = run_veille("crawl", "--warc", str(warc), "--outlet", "archive", "--db", str(db_path), "--no-tag")
    assert done.returncode == 0, done.stderr[-2000:]
    connection = sqlite3.connect(db_path)
    statuses = dict(connection.execute("select url, fetch_status from pages"))
    assert statuses == {
        "https://archived.example/story.html": "ok",
        "https://archived.example/gone.html": "http_error",
        "https://archived.example/logo.png": "not_html",
    }
    title, status, outlet = connection.execute(
        "select title, status, outlet from articles where page_id = ?", [url_key("https://archived.example/story.html")]
    ).fetchone()
    assert (title, status, outlet) == (article["title"], "article", "archive")


def test_unreadable_warc_is_a_logged_failure_not_a_crash(tmp_path):
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"this is not a WARC file at all")
    done = run_veille("crawl", "--warc", str(bad), "--db", str(tmp_path / "bad.db"))
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "WARC file" in done.stderr  # "cannot read WARC file ..." or "no HTTP response in WARC file ..."


@contextmanager
def fake_archives(pages: dict[str, bytes]):
    """A local server answering like the Wayback CDX API and the Common Crawl index and data
    servers for the captures given; yields (base URL, list of the index queries received)."""
    queries: list[dict] = []
    warc = io.BytesIO()
    writer = WARCWriter(warc, gzip=True)
    index_lines = []
    for url, html in pages.items():
        start = warc.tell()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html), http_headers=headers))
        index_lines.append(json.dumps({"url": url, "filename": "crawl-data/test.warc.gz", "offset": str(start),
                                       "length": str(warc.tell() - start), "status": "200", "timestamp": "20210110120000"}))
    warc_bytes = warc.getvalue()

    class Archives(QuietHandler):
        def do_GET(self):
            parts = urlsplit(self.path)
            if parts.path == "/cdx/search/cdx":
                queries.append(parse_qs(parts.query))
                rows = [["timestamp", "original", "statuscode", "mimetype"]] + [["20210110120000", u, "200", "text/html"] for u in pages]
                self.reply(200, json.dumps(rows).encode(), "application/json")
            elif parts.path.startswith("/web/"):
                original = parts.path.split("id_/", 1)[1]
                self.reply(200, pages[original]) if original in pages else self.reply(404)
            elif parts.path.endswith("-index"):
                queries.append(parse_qs(parts.query))
                self.reply(200, ("\n".join(index_lines) + "\n").encode(), "text/plain")
            elif parts.path == "/crawl-data/test.warc.gz":
                first, last = map(int, self.headers["Range"].removeprefix("bytes=").split("-"))
                self.reply(206, warc_bytes[first : last + 1], "application/octet-stream")
            else:
                self.reply(404)

    with local_server(Archives) as base:
        yield base, queries


def archived_pages(expected):
    chosen = [a for a in expected["articles"] if a["on_topic"]][:2]
    return {f"https://archived.example/{n}.html": (SITE / a["path"].lstrip("/")).read_bytes() for n, a in enumerate(chosen)}, chosen


def test_wayback_captures_are_fetched_raw_and_stored_under_their_original_url(tmp_path, expected):
    pages, chosen = archived_pages(expected)
    db_path = tmp_path / "wayback.db"
    with fake_archives(pages) as (base, queries):
        done = run_veille("archive", "wayback", "archived.example", "--outlet", "archived", "--endpoint", base,
                          "--since", "2021-01-01", "--until", "2021-01-31", "--db", str(db_path), "--no-tag")
        assert done.returncode == 0, done.stderr[-2000:]
    (query,) = queries
    assert query["url"] == ["archived.example/*"] and query["from"] == ["20210101"] and query["to"] == ["20210131"]
    connection = sqlite3.connect(db_path)
    assert dict(connection.execute("select url, fetch_status from pages")) == {url: "ok" for url in pages}
    # The window also applies to the publication dates of what the archive returned.
    statuses = dict(connection.execute("select title, status from articles"))
    assert statuses == {a["title"]: "article" if a["published"].startswith("2021-01") else "out_of_window" for a in chosen}
    assert connection.execute("select kind, status, entries from sources").fetchall() == [("wayback-index", 200, 2)]


def test_commoncrawl_records_are_read_from_byte_ranges(tmp_path, expected):
    pages, chosen = archived_pages(expected)
    db_path = tmp_path / "cc.db"
    with fake_archives(pages) as (base, queries):
        done = run_veille("archive", "commoncrawl", "archived.example", "--collection", "CC-MAIN-TEST", "--outlet", "archived",
                          "--endpoint", base, "--data-endpoint", base, "--db", str(db_path), "--no-tag")
        assert done.returncode == 0, done.stderr[-2000:]
    assert queries[0]["url"] == ["archived.example/*"]
    connection = sqlite3.connect(db_path)
    assert dict(connection.execute("select url, fetch_status from pages")) == {url: "ok" for url in pages}
    titles = {row[0] for row in connection.execute("select title from articles where status = 'article'")}
    assert titles == {a["title"] for a in chosen}


def test_commoncrawl_needs_a_collection(tmp_path):
    done = run_veille("archive", "commoncrawl", "archived.example", "--db", str(tmp_path / "x.db"))
    assert done.returncode == 1 and "needs --collection" in done.stderr and "Traceback" not in done.stderr
