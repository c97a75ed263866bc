"""Archived captures (WARC files written here) go through the same storage and extraction."""

import io
import sqlite3

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.store import url_key
from tests.conftest import SITE, run_veille


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
