"""The bundled demo news web, served on 127.0.0.1 (for ``veille demo`` and the tests).

Example::

    with serve_site("tests/site") as base_url:   # e.g. "http://127.0.0.1:40123"
        ...

Rules (see ``tests/site/README.md``): ``{{BASE}}`` in text files becomes the base URL;
``redirects.json`` maps paths to 301 targets; ``*-latin1.html`` is served as ISO-8859-1; every
file has an ETag and a Last-Modified date, and ``If-None-Match`` gets "304 Not Modified".
"""

from __future__ import annotations

import hashlib
import json
import threading
from email.utils import formatdate
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
}
TEXT_SUFFIXES = (".html", ".xml", ".txt", ".toml")


def make_handler(root: Path, hits=None):
    redirects_file = root / "redirects.json"
    redirects = json.loads(redirects_file.read_text()) if redirects_file.exists() else {}

    class SiteHandler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = unquote(urlsplit(self.path).path)
            if hits is not None:
                hits[path] += 1
            if path in redirects:
                self.send_response(301)
                self.send_header("Location", redirects[path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            file = (root / path.lstrip("/")).resolve()
            if file.is_dir():
                file = file / "index.html"
            if root.resolve() not in file.parents or not file.is_file():
                self.send_error(404)
                return
            body = file.read_bytes()
            if file.suffix in TEXT_SUFFIXES:
                base = f"http://{self.headers.get('Host') or '%s:%d' % self.server.server_address}"
                body = body.replace(b"{{BASE}}", base.encode())
            content_type = CONTENT_TYPES.get(file.suffix, "application/octet-stream")
            if file.name.endswith("-latin1.html"):
                content_type = "text/html; charset=iso-8859-1"
            etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(file.stat().st_mtime, usegmt=True))
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # keep test and demo output quiet
            pass

    return SiteHandler


@contextmanager
def serve_site(root: str | Path, port: int = 0, hits=None):
    """Serve ``root`` on 127.0.0.1 (an ephemeral port by default) in a thread; yields the base URL.
    ``hits``, a ``collections.Counter``, counts the requests per path."""
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(Path(root), hits))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d" % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def demo_config(site: str | Path, base_url: str, target: str | Path) -> Path:
    """Write the demo web's configuration with its real base URL; returns the path written."""
    text = (Path(site) / "veille.toml").read_text(encoding="utf-8").replace("{{BASE}}", base_url)
    Path(target).write_text(text, encoding="utf-8")
    return Path(target)
