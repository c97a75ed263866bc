"""A crawl killed with SIGKILL resumes: the re-run fetches only what was not stored."""

import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import ROOT, VEILLE

PAGES = 30


class SlowSite(BaseHTTPRequestHandler):
    hits: Counter = Counter()

    def do_GET(self):
        if self.path == "/robots.txt":
            self.send_response(404)
            self.end_headers()
            return
        SlowSite.hits[self.path] += 1
        time.sleep(0.3)
        body = ("<html lang='en'><body><article>" + "".join(
            f"<p>Story {self.path}, paragraph {n}: moderators worked through the night.</p>" for n in range(25)
        ) + "</article></body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def stored(db_path) -> set[str]:
    if not db_path.exists():
        return set()
    try:
        with sqlite3.connect(db_path, timeout=5) as connection:
            return {row[0] for row in connection.execute("select url from pages where fetch_status = 'ok'")}
    except sqlite3.OperationalError:  # schema not created yet
        return set()


def test_killed_crawl_resumes_without_refetching(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]
    urls = [f"{base}/story-{n}.html" for n in range(PAGES)]
    (tmp_path / "urls.txt").write_text("\n".join(urls) + "\n")
    config = tmp_path / "veille.toml"
    config.write_text("[crawl]\ndownload_delay = 0\nautothrottle_start_delay = 0.05\nconcurrent_requests_per_domain = 2\nveille_flush_seconds = 0.2\n")
    db_path = tmp_path / "v.db"
    command = [*VEILLE, "crawl", "--config", str(config), "--urls", str(tmp_path / "urls.txt"), "--db", str(db_path), "--no-tag"]
    try:
        crawl = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while len(stored(db_path)) < 4 and time.monotonic() < deadline and crawl.poll() is None:
            time.sleep(0.05)
        os.killpg(crawl.pid, signal.SIGKILL)
        crawl.wait()
        before = stored(db_path)
        assert 4 <= len(before) < PAGES, len(before)
        hits_before = Counter(SlowSite.hits)
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
    finally:
        server.shutdown()
        server.server_close()
    connection = sqlite3.connect(db_path)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {row[0] for row in connection.execute("select url from pages where fetch_status = 'ok'")} == set(urls)
    for url in before:  # finished pages were not downloaded again
        path = url.removeprefix(base)
        assert SlowSite.hits[path] == hits_before[path] == 1
    assert connection.execute("select count(*) from articles where status = 'article'").fetchone()[0] == PAGES
