"""Pages as servers really send them: undeclared Windows-1252, brotli and deflate compression,
and a malformed feed with relative links."""

import sqlite3
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli

from tests.conftest import run_veille

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


class Realistic(BaseHTTPRequestHandler):
    def do_GET(self):
        headers = {"Content-Type": "text/html"}
        if self.path == "/robots.txt":
            body, headers = b"User-agent: *\nDisallow:\n", {"Content-Type": "text/plain"}
        elif self.path == "/feed.xml":
            body, headers = FEED, {"Content-Type": "application/rss+xml"}
        elif self.path == "/cp1252.html":
            body = PAGE.encode("cp1252")  # no charset in the header nor in the page
        elif self.path == "/brotli.html":
            body, headers["Content-Encoding"] = brotli.compress(PAGE.encode()), "br"
            headers["Content-Type"] = "text/html; charset=utf-8"
        elif self.path == "/deflate.html":
            body, headers["Content-Encoding"] = zlib.compress(PAGE.encode()), "deflate"
            headers["Content-Type"] = "text/html; charset=utf-8"
        else:
            body, headers = b"", {}
            self.send_response(404)
        if body:
            self.send_response(200)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_encodings_compression_and_a_malformed_feed(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Realistic)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]
    config = tmp_path / "veille.toml"
    config.write_text(
        "[crawl]\ndownload_delay = 0\nautothrottle_start_delay = 0.01\n\n"
        f'[[outlets]]\nid = "real"\nname = "Real"\nlanguage = "fr"\nfeeds = ["{base}/feed.xml"]\n'
    )
    try:
        done = run_veille("crawl", "--config", str(config), "--db", str(tmp_path / "v.db"), "--no-tag")
        assert done.returncode == 0, done.stderr[-2000:]
    finally:
        server.shutdown()
        server.server_close()
    connection = sqlite3.connect(tmp_path / "v.db")
    rows = dict(connection.execute("select p.url, a.text from pages p join articles a on a.page_id = p.id"))
    assert set(rows) == {f"{base}/cp1252.html", f"{base}/brotli.html", f"{base}/deflate.html"}
    for url, text in rows.items():
        assert "l’équipe de modération" in text and "« coordonnés »" in text, url
        assert "Ã" not in text and "\ufffd" not in text, url
