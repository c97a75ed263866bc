"""A crawl stays where it was sent: article links outside the outlets' domains, and links from
public pages to loopback or private addresses (server-side request forgery), are refused and
recorded as ``blocked``, with switches to allow each. The "public" site here is a ``.test`` name
that the test's resolver maps to 127.0.0.1; nothing leaves this machine."""

import sqlite3
import threading
from collections import Counter
from http.server import ThreadingHTTPServer

import pytest

from tests.conftest import QuietHandler, run_veille

ARTICLE = "<html lang='en'><head><title>{0}</title></head><body><article><h1>{0}</h1>" + "<p>Parler and Gab were discussed at length by the panel today.</p>" * 30 + "</article></body></html>"


@pytest.fixture(scope="module")
def web():
    hits: Counter = Counter()

    class Handler(QuietHandler):
        def do_GET(self):
            host, port = self.headers["Host"].split(":")[0], self.server.server_address[1]
            hits[(host, self.path)] += 1
            public = f"http://news.example.test:{port}"
            links = [f"{public}/story.html", f"http://other.test:{port}/offsite.html", f"http://127.0.0.1:{port}/secret.html",
                     f"{public}/to-private.html"]
            if self.path == "/feed.xml":  # also a private-network address nothing may ever reach
                links.append("http://10.255.0.1/internal.html")
            if self.path in ("/feed.xml", "/feed-local-ok.xml"):
                items = "".join(f"<item><title>t</title><link>{link}</link></item>" for link in links)
                self.reply(200, f"<rss version='2.0'><channel><title>f</title>{items}</channel></rss>".encode(), "application/rss+xml")
            elif self.path == "/to-private.html":
                self.reply(302, headers=[("Location", f"http://127.0.0.1:{port}/secret.html")])
            elif self.path.endswith(".html"):
                self.reply(200, ARTICLE.format(self.path).encode())
            else:
                self.reply(404)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], hits
    server.shutdown()


def crawl(tmp_path, port, feed, extra=""):
    config = tmp_path / "veille.toml"
    config.write_text(
        f'[crawl]\ntwisted_dns_resolver = "tests.hostile.TestDomainsResolver"\ndownload_delay = 0\nretry_times = 0\n{extra}\n'
        f'[[outlets]]\nid = "example"\nname = "Example"\nlanguage = "en"\nfeeds = ["http://news.example.test:{port}/{feed}"]\n'
    )
    db = tmp_path / "veille.db"
    done = run_veille("crawl", "--config", str(config), "--db", str(db), "--no-tag", "--spider", "feeds")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    connection = sqlite3.connect(db)
    rows = connection.execute("select url, final_url, fetch_status, error from pages").fetchall()
    # A redirect and its target are one page: found under either address.
    return {address: (status, error) for url, final, status, error in rows for address in (url, final) if address}


def test_offsite_and_private_links_are_blocked_and_recorded(web, tmp_path):
    port, hits = web
    hits.clear()
    pages = crawl(tmp_path, port, "feed.xml")
    assert pages[f"http://news.example.test:{port}/story.html"][0] == "ok"
    for url, reason in [
        (f"http://other.test:{port}/offsite.html", "outside the outlets' domains"),
        (f"http://127.0.0.1:{port}/secret.html", "private address"),
        ("http://10.255.0.1/internal.html", "private address"),
        (f"http://news.example.test:{port}/to-private.html", "private address"),  # redirected to 127.0.0.1
    ]:
        status, error = pages[url]
        assert status == "blocked" and reason in error, (url, status, error)
    requested = {path for (_, path) in hits}
    assert "/secret.html" not in requested and "/offsite.html" not in requested
    assert hits[("news.example.test", "/to-private.html")] == 1  # the public hop was fetched, not its target


def test_switches_allow_offsite_and_private_links(web, tmp_path):
    port, hits = web
    hits.clear()
    pages = crawl(tmp_path, port, "feed-local-ok.xml", "veille_follow_offsite = true\nveille_allow_private_links = true")
    assert pages[f"http://other.test:{port}/offsite.html"][0] == "ok"
    assert pages[f"http://127.0.0.1:{port}/secret.html"][0] == "ok"
    assert hits[("127.0.0.1", "/secret.html")] >= 1
