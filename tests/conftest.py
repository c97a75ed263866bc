"""Shared fixtures: the demo news web on 127.0.0.1 and one real crawl of it into a temporary database.

The crawl runs ``veille crawl`` in a subprocess (Scrapy's reactor runs once per process), with the
real spaCy models; tests then read the SQLite file it wrote.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.demo import demo_config, serve_site

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "tests" / "site"
VEILLE = [sys.executable, "-m", "crawler.cli"]


def run_veille(*args: str, input: str | None = None, cwd: Path = ROOT, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the ``veille`` command line in a subprocess and return the finished process."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [*VEILLE, *args], input=input, capture_output=True, text=True, cwd=cwd, timeout=timeout, env=env
    )


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((SITE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def site_url():
    with serve_site(SITE) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def site_config(site_url, tmp_path_factory) -> Path:
    return demo_config(SITE, site_url, tmp_path_factory.mktemp("config") / "veille.toml")


@pytest.fixture(scope="session")
def crawl(site_config, tmp_path_factory):
    """One full crawl (feeds, sitemaps, extract, tag) of the demo web; returns (db path, process)."""
    db_path = tmp_path_factory.mktemp("crawl") / "veille.db"
    done = run_veille("crawl", "--config", str(site_config), "--db", str(db_path))
    assert done.returncode == 0, done.stderr[-3000:]
    return db_path, done


@pytest.fixture(scope="session")
def db(crawl):
    connection = sqlite3.connect(crawl[0])
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


class QuietHandler(BaseHTTPRequestHandler):
    """Base of the tests' purpose-built servers: ``reply`` sends a whole answer, no log lines."""

    def reply(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", headers=()):
        self.send_response(status)
        if body or status == 200:
            self.send_header("Content-Type", content_type)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def local_server(handler):
    """Serve ``handler`` on 127.0.0.1 with an ephemeral port in a thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield "http://127.0.0.1:%d" % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
