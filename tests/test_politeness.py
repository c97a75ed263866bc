"""A server that answers 429 with Retry-After is retried after the delay it asked for."""

import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import run_veille

BODY = "<html lang='en'><body><article><h1>Busy</h1>" + "".join(
    f"<p>Paragraph {n}: the platform asked crawlers to slow down during the outage.</p>" for n in range(30)
) + "</article></body></html>"


class Throttling(BaseHTTPRequestHandler):
    hits: list[float] = []

    def do_GET(self):
        if self.path == "/robots.txt":
            self.send_response(404)
            self.end_headers()
            return
        Throttling.hits.append(time.monotonic())
        if len(Throttling.hits) == 1:
            self.send_response(429)
            self.send_header("Retry-After", "2")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = BODY.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_retry_after_is_honoured(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Throttling)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = "http://127.0.0.1:%d/busy.html" % server.server_address[1]
        (tmp_path / "urls.txt").write_text(url + "\n")
        config = tmp_path / "veille.toml"
        config.write_text("[crawl]\ndownload_delay = 0\nautothrottle_start_delay = 0.05\nretry_times = 2\n")
        done = run_veille("crawl", "--config", str(config), "--urls", str(tmp_path / "urls.txt"), "--db", str(tmp_path / "v.db"), "--no-tag")
        assert done.returncode == 0, done.stderr[-2000:]
    finally:
        server.shutdown()
        server.server_close()
    assert len(Throttling.hits) == 2
    assert Throttling.hits[1] - Throttling.hits[0] >= 1.9  # the 2 seconds asked for, not an immediate retry
    row = sqlite3.connect(tmp_path / "v.db").execute("select status, fetch_status from pages").fetchone()
    assert row == (200, "ok")


class CrawlDelaySite(BaseHTTPRequestHandler):
    hits: list[float] = []

    def do_GET(self):
        if self.path == "/robots.txt":
            body = b"User-agent: *\nCrawl-delay: 1\nDisallow:\n"
            content_type = "text/plain"
        else:
            CrawlDelaySite.hits.append(time.monotonic())
            body, content_type = BODY.encode(), "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_robots_crawl_delay_is_honoured(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), CrawlDelaySite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = "http://127.0.0.1:%d" % server.server_address[1]
        (tmp_path / "urls.txt").write_text("".join(f"{base}/page-{n}.html\n" for n in range(3)))
        config = tmp_path / "veille.toml"
        config.write_text("[crawl]\ndownload_delay = 0\nautothrottle_start_delay = 0.01\nconcurrent_requests_per_domain = 4\n")
        done = run_veille("crawl", "--config", str(config), "--urls", str(tmp_path / "urls.txt"), "--db", str(tmp_path / "v.db"), "--no-tag")
        assert done.returncode == 0, done.stderr[-2000:]
    finally:
        server.shutdown()
        server.server_close()
    hits = sorted(CrawlDelaySite.hits)
    assert len(hits) == 3
    assert min(b - a for a, b in zip(hits, hits[1:])) >= 0.9  # one request a second, as robots.txt asks
