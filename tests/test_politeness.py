"""Delays servers ask for: Retry-After on 429, Crawl-delay in robots.txt."""

import sqlite3
import time

from tests.conftest import QuietHandler, local_server, run_veille

BODY = ("<html lang='en'><body><article><h1>Busy</h1>" + "".join(
    f"<p>Paragraph {n}: the platform asked crawlers to slow down during the outage.</p>" for n in range(30)
) + "</article></body></html>").encode()


def crawl_urls(tmp_path, base, paths, crawl_settings):
    (tmp_path / "urls.txt").write_text("".join(f"{base}{path}\n" for path in paths))
    config = tmp_path / "veille.toml"
    config.write_text("[crawl]\n" + crawl_settings)
    done = run_veille("crawl", "--config", str(config), "--urls", str(tmp_path / "urls.txt"), "--db", str(tmp_path / "v.db"), "--no-tag")
    assert done.returncode == 0, done.stderr[-2000:]


class Throttling(QuietHandler):
    hits: list[float] = []

    def do_GET(self):
        if self.path == "/robots.txt":
            return self.reply(404)
        Throttling.hits.append(time.monotonic())
        if len(Throttling.hits) == 1:
            return self.reply(429, headers=[("Retry-After", "2")])
        self.reply(200, BODY)


def test_retry_after_is_honoured(tmp_path):
    with local_server(Throttling) as base:
        crawl_urls(tmp_path, base, ["/busy.html"], "download_delay = 0\nautothrottle_start_delay = 0.05\nretry_times = 2\n")
    assert len(Throttling.hits) == 2
    assert Throttling.hits[1] - Throttling.hits[0] >= 1.9  # the 2 seconds asked for, not an immediate retry
    row = sqlite3.connect(tmp_path / "v.db").execute("select status, fetch_status from pages").fetchone()
    assert row == (200, "ok")


class CrawlDelaySite(QuietHandler):
    hits: list[float] = []

    def do_GET(self):
        if self.path == "/robots.txt":
            return self.reply(200, b"User-agent: *\nCrawl-delay: 1\nDisallow:\n", "text/plain")
        CrawlDelaySite.hits.append(time.monotonic())
        self.reply(200, BODY)


def test_robots_crawl_delay_is_honoured(tmp_path):
    with local_server(CrawlDelaySite) as base:
        crawl_urls(tmp_path, base, [f"/page-{n}.html" for n in range(3)],
                   "download_delay = 0\nautothrottle_start_delay = 0.01\nconcurrent_requests_per_domain = 4\n")
    hits = sorted(CrawlDelaySite.hits)
    assert len(hits) == 3
    assert min(b - a for a, b in zip(hits, hits[1:])) >= 0.9  # one request a second, as robots.txt asks
