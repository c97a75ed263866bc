"""Distributed mode on a real ``redis-server`` (Debian's package, started on 127.0.0.1 with an
ephemeral port): two ``veille crawl --redis`` processes, ``veille worker`` processes and one
``veille writer`` over a generated news web, with every request counted by the server.

Without a kill, every article page is fetched exactly once and stored once. When one crawler and
one worker are killed with SIGKILL mid-crawl, the other processes put back what they held:
nothing is lost, and only pages the killed crawler had in flight may be fetched a second time.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bench.newsweb import build_web, config_toml
from bench.redis_server import redis_server
from crawler.demo import serve_site
from tests.conftest import ROOT, VEILLE

ARTICLES = 120
LEASE = "3"  # seconds: a killed process's work is put back this soon

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed (Debian package redis-server; .ci/run installs it)"
)


def start(*args: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen([*VEILLE, *args], cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)


def slow_config(base: str, path: Path) -> Path:
    """The generated web's configuration, throttled so that a crawl lasts long enough to be killed."""
    config_toml(base, path)
    text = path.read_text().replace("concurrent_requests_per_domain = 32", "concurrent_requests_per_domain = 2")
    path.write_text(text.replace("download_delay = 0", "download_delay = 0.08"))
    return path


def run_distributed(tmp_path: Path, kill: bool) -> tuple[Counter, list[dict], sqlite3.Connection, dict]:
    """Two crawlers, workers and a writer over a web of ``ARTICLES`` articles; with ``kill``, a
    crawler and a worker are SIGKILLed once 25 article pages were served. Returns the server's
    hits, the truth, the database and each process's output."""
    web, hits = tmp_path / "web", Counter()
    with redis_server(tmp_path) as url, serve_site(web, hits=hits) as base:
        truth = build_web(web, base, ARTICLES)
        config = str(slow_config(base, tmp_path / "veille.toml"))
        shared = ["--redis", url, "--lease-seconds", LEASE]
        crawlers = [start("crawl", "--config", config, *shared, log=tmp_path / f"crawler{i}.log") for i in (1, 2)]
        workers = [
            start("worker", "--config", config, *shared, "--exit-when-done", log=tmp_path / f"worker{i}.log")
            for i in (1, 2) if kill or i == 1
        ]
        writer = start("writer", "--db", str(tmp_path / "veille.db"), *shared, "--exit-when-done", log=tmp_path / "writer.log")
        if kill:
            deadline = time.monotonic() + 120
            while sum(n for path, n in hits.items() if "/article-" in path) < 25 and time.monotonic() < deadline:
                time.sleep(0.05)
            crawlers[0].send_signal(signal.SIGKILL)
            workers[0].send_signal(signal.SIGKILL)
        for process in [*crawlers, *workers, writer]:
            process.wait(300)
    outputs = {path.stem: path.read_text() for path in tmp_path.glob("*.log")}
    codes = [p.returncode for p in (crawlers[1:] if kill else crawlers) + (workers[1:] if kill else workers) + [writer]]
    assert codes == [0] * len(codes), outputs
    db = sqlite3.connect(tmp_path / "veille.db")
    return hits, truth, db, outputs


def article_hits(hits: Counter, truth: list[dict]) -> list[int]:
    return [hits[record["path"]] for record in truth]


def stored_articles(db: sqlite3.Connection) -> Counter:
    return Counter(url for (url,) in db.execute("select p.url from articles a join pages p on p.id = a.page_id"))


def test_two_crawlers_fetch_each_page_once_and_store_it_once(tmp_path):
    hits, truth, db, outputs = run_distributed(tmp_path, kill=False)
    assert article_hits(hits, truth) == [1] * ARTICLES
    stored = stored_articles(db)
    assert sorted(stored) == sorted(r["url"] for r in truth)
    assert set(stored.values()) == {1}
    assert db.execute("select count(*) from articles where status = 'article' and analyzed_at is not null").fetchone()[0] == ARTICLES
    assert db.execute("select count(*) from mentions").fetchone()[0] > 5 * ARTICLES
    # Both crawlers did part of the work: the frontier is shared, not copied.
    assert all("pages wait for workers" in outputs[f"crawler{i}"] for i in (1, 2))
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_nothing_is_lost_when_a_crawler_and_a_worker_are_killed(tmp_path):
    hits, truth, db, outputs = run_distributed(tmp_path, kill=True)
    fetched = article_hits(hits, truth)
    assert min(fetched) >= 1
    # Only what the killed crawler had taken and not finished is fetched again.
    assert sum(n - 1 for n in fetched) <= 8
    stored = stored_articles(db)
    assert sorted(stored) == sorted(r["url"] for r in truth)
    assert set(stored.values()) == {1}
    untagged = db.execute("select count(*) from articles where status = 'article' and analyzed_at is null").fetchone()[0]
    assert untagged == 0
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert "put back" in outputs["crawler2"], outputs["crawler2"]  # the kill caught the crawler at work
    print(f"\nkilled run: {ARTICLES} articles, {sum(fetched)} article fetches, "
          f"{sum(n > 1 for n in fetched)} fetched twice, all {len(stored)} stored once")
