"""Pages as servers really send them: undeclared Windows-1252, brotli and deflate compression,
and a malformed feed with relative links."""

import sqlite3
import zlib

import brotli

from tests.conftest import QuietHandler, local_server, run_veille

TEXT = "".join(
    f"<p>Paragraphe {n} : l’équipe de modération a supprimé des comptes « coordonnés » sur le réseau, a précisé la société.</p>"
    for n in range(20)
)
PAGE = f"<html><head><title>Modération</title></head><body><article><h1>Modération renforcée</h1>{TEXT}</article></body></html>"
# Malformed as feeds often are: bare "&", an unclosed <item>, no closing </channel></rss>.
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Feed & co</title>
<item><title>Windows-1252 & no charset</title><link>/cp1252.html</link></item>
<item><title>Brotli & more</title><link>/brotli.html</link>
<item><title>Deflate</title><link>deflate.html</link></item>
"""


class Realistic(QuietHandler):
    def do_GET(self):
        html = "text/html; charset=utf-8"
        if self.path == "/robots.txt":
            self.reply(200, b"User-agent: *\nDisallow:\n", "text/plain")
        elif self.path == "/feed.xml":
            self.reply(200, FEED, "application/rss+xml")
        elif self.path == "/cp1252.html":
            self.reply(200, PAGE.encode("cp1252"), "text/html")  # no charset in the header nor in the page
        elif self.path == "/brotli.html":
            self.reply(200, brotli.compress(PAGE.encode()), html, [("Content-Encoding", "br")])
        elif self.path == "/deflate.html":
            self.reply(200, zlib.compress(PAGE.encode()), html, [("Content-Encoding", "deflate")])
        else:
            self.reply(404)


def test_encodings_compression_and_a_malformed_feed(tmp_path):
    config = tmp_path / "veille.toml"
    with local_server(Realistic) as base:
        config.write_text(
            "[crawl]\ndownload_delay = 0\nautothrottle_start_delay = 0.01\n\n"
            f'[[outlets]]\nid = "real"\nname = "Real"\nlanguage = "fr"\nfeeds = ["{base}/feed.xml"]\n'
        )
        done = run_veille("crawl", "--config", str(config), "--db", str(tmp_path / "v.db"), "--no-tag")
        assert done.returncode == 0, done.stderr[-2000:]
    connection = sqlite3.connect(tmp_path / "v.db")
    rows = dict(connection.execute("select p.url, a.text from pages p join articles a on a.page_id = p.id"))
    assert set(rows) == {f"{base}/cp1252.html", f"{base}/brotli.html", f"{base}/deflate.html"}
    for url, text in rows.items():
        assert "l’équipe de modération" in text and "« coordonnés »" in text, url
        assert "Ã" not in text and "\ufffd" not in text, url
