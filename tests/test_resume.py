"""A crawl killed with SIGKILL resumes: the re-run fetches only what was not stored."""

import os
import signal
import sqlite3
import subprocess
import time
from collections import Counter

from tests.conftest import ROOT, VEILLE, QuietHandler, local_server

PAGES = 30


class SlowSite(QuietHandler):
    hits: Counter = Counter()

    def do_GET(self):
        if self.path == "/robots.txt":
            return self.reply(404)
        SlowSite.hits[self.path] += 1
        time.sleep(0.3)
        self.reply(200, ("<html lang='en'><body><article>" + "".join(
            f"<p>Story {self.path}, paragraph {n}: moderators worked through the night.</p>" for n in range(25)
        ) + "</article></body></html>").encode())


def stored(db_path) -> set[str]:
    if not db_path.exists():
        return set()
    try:
        with sqlite3.connect(db_path, timeout=5) as connection:
            return {row[0] for row in connection.execute("select url from pages where fetch_status = 'ok'")}
    except sqlite3.OperationalError:  # schema not created yet
        return set()


def test_killed_crawl_resumes_without_refetching(tmp_path):
    config = tmp_path / "veille.toml"
    config.write_text("[crawl]\ndownload_delay = 0\nautothrottle_start_delay = 0.05\nconcurrent_requests_per_domain = 2\nveille_flush_seconds = 0.2\n")
    db_path = tmp_path / "v.db"
    with local_server(SlowSite) as base:
        urls = [f"{base}/story-{n}.html" for n in range(PAGES)]
        (tmp_path / "urls.txt").write_text("\n".join(urls) + "\n")
        command = [*VEILLE, "crawl", "--config", str(config), "--urls", str(tmp_path / "urls.txt"), "--db", str(db_path), "--no-tag"]
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
    connection = sqlite3.connect(db_path)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {row[0] for row in connection.execute("select url from pages where fetch_status = 'ok'")} == set(urls)
    for url in before:  # finished pages were not downloaded again
        path = url.removeprefix(base)
        assert SlowSite.hits[path] == hits_before[path] == 1
    assert connection.execute("select count(*) from articles where status = 'article'").fetchone()[0] == PAGES
