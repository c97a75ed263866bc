"""What a person sees: `veille serve` opened in headless Chromium (Debian's `chromium`, which
.ci/run installs when it is missing)."""

import re
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.request
from html import unescape

import pytest

from tests.conftest import VEILLE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(crawl, tmp_path_factory):
    db_path = tmp_path_factory.mktemp("served") / "veille.db"
    shutil.copy(crawl[0], db_path)
    port = free_port()
    server = subprocess.Popen([*VEILLE, "serve", "--db", str(db_path), "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("veille serve did not answer")
    yield base, db_path
    server.terminate()
    server.wait(10)


def chromium(*args: str) -> str:
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         "--proxy-server=direct://", "--proxy-bypass-list=*", *args],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-1000:]
    return done.stdout


def visible_text(dom: str) -> str:
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", dom)))


def test_a_search_shows_the_matching_articles(served):
    base, db_path = served
    dom = chromium("--dump-dom", f"{base}/veille/articles?_search=Mastodon&_sort_desc=published")
    text = visible_text(dom)
    wanted = [row[0] for row in sqlite3.connect(db_path).execute(
        "select title from articles where rowid in (select rowid from articles_fts where articles_fts match 'Mastodon')")]
    assert wanted and f"{len(wanted)} row" in text
    assert all(title in text for title in wanted)


def test_the_article_view_reads_as_text_with_its_entities_marked(served, tmp_path):
    base, db_path = served
    connection = sqlite3.connect(db_path)
    article_id, title = connection.execute(
        "select a.page_id, a.title from articles a join mentions m on m.article_id = a.page_id "
        "group by a.page_id order by count(*) desc limit 1").fetchone()
    dom = chromium("--dump-dom", f"{base}/veille/articles/{article_id}")
    assert title in visible_text(dom) and "Entities in this article" in dom
    marked = re.findall(r'class="veille-mention veille-(PERSON|ORG|DATE|LOC|MISC)" href="/veille/entities/(\w+)"', dom)
    stored = {row[0] for row in connection.execute("select entity_id from mentions where article_id = ?", [article_id])}
    assert {entity for _, entity in marked} == stored  # each entity is marked in the text and links to its page
    screenshot = tmp_path / "article.png"
    chromium(f"--screenshot={screenshot}", "--window-size=1200,1400", f"{base}/veille/articles/{article_id}")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
