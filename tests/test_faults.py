"""Faults: SIGKILL at random moments in crawl, extract and tag; a reader open during a crawl; a
read-only database file; a full disk. Real ``veille`` subprocesses on real SQLite files, over the
generated news web of ``bench/newsweb.py`` served on 127.0.0.1.

Each stage is killed in rounds: from a fresh state, up to ``KILLS_PER_ROUND`` runs in a row are
killed (each resuming the last) at seeded random delays, then a run goes to completion. After
every kill: the file passes ``PRAGMA integrity_check`` (and the FTS and foreign-key checks),
nothing is stored twice, nothing committed before the kill is lost, an article marked tagged has
exactly its mentions. After every completion: the stage finished what was pending, and the
database is the one an uninterrupted run gives.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import pytest

from bench.newsweb import build_web, config_toml
from crawler import store
from crawler.demo import serve_site
from tests.conftest import ROOT, VEILLE

ARTICLES = 240  # 60 per outlet: each stage commits several batches, and runs a few seconds
SEED = 20241126
KILLS = {"crawl": 8, "extract": 8, "tag": 5}  # tag pays 5-10 s of model loading per run
KILLS_PER_ROUND = 3  # kills in a row (each run resumes the killed one) before a run to completion
TAG_OUTLET = "the-ledger"  # tag works on one English outlet's articles: one model, 60 articles
ENV = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()} | {"PYTHONUNBUFFERED": "1"}


# --- helpers ----------------------------------------------------------------------------------


def launch(args: list[str], log: Path) -> subprocess.Popen:
    """``veille ARGS`` in its own process group (SIGKILL reaches its worker processes too)."""
    with open(log, "w") as out:
        return subprocess.Popen([*VEILLE, *args], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=ENV, start_new_session=True)


def scalar(db_path: Path, sql: str, default=0):
    """One value read through a short-lived connection; ``default`` while the schema is not there."""
    if not db_path.exists():
        return default
    connection = sqlite3.connect(db_path, timeout=30)
    try:
        return connection.execute(sql).fetchone()[0]
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return default
        raise
    finally:
        connection.close()


def rows(db_path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(db_path, timeout=30)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def remove_db(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


def copy_db(source: Path, target: Path) -> None:
    remove_db(target)
    shutil.copy(source, target)


def check_intact(db_path: Path) -> None:
    """Checks that hold at any moment: a sound file, FTS indexes matching their tables, no
    dangling reference, nothing stored twice."""
    connection = sqlite3.connect(db_path, timeout=30)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        for fts in ("articles_fts", "entities_fts"):
            connection.execute(f"insert into {fts}({fts}) values ('integrity-check')")
        for sql in (
            "select url from pages group by url having count(*) > 1",
            "select final_url from pages where final_url is not null group by final_url having count(*) > 1",
            "select page_id from articles group by page_id having count(*) > 1",
            'select article_id, start, "end", label from mentions group by 1, 2, 3, 4 having count(*) > 1',
            "select label, name from entities group by label, name having count(*) > 1",
        ):
            assert connection.execute(sql).fetchall() == [], sql
    finally:
        connection.close()


def finished(process: subprocess.Popen, log: Path) -> str:
    """The output of a run that ended by itself: exit 0, no traceback, no lock error."""
    output = log.read_text()
    assert process.returncode == 0, output[-3000:]
    assert "Traceback" not in output and "locked" not in output.lower(), output[-3000:]
    return output


def grows(db_path: Path, sql: str):
    """A stage's ``started``: reads the count ``sql`` gives, and returns the check that it grew."""

    def start():
        before = scalar(db_path, sql)
        return lambda: scalar(db_path, sql) > before

    return start


# Kill delays count from a run's first write of its work: before it, a kill has nothing to break.
PAGES = "select count(*) from pages"
ARTICLES_STORED = "select count(*) from articles"
TAGGED = "select count(*) from articles where analyzed_at is not null"


def wait_for(process: subprocess.Popen, condition, timeout: float = 120) -> bool:
    """Poll ``condition()`` until true or the process ends; True if the condition held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.02)
    raise AssertionError("the stage did not start in time")


@dataclass
class Stage:
    """One stage run again and again on one database."""

    name: str
    args: list[str]
    db_path: Path
    started: Callable  # called before a run, returns the check that the run began its work
    prepare: Callable = lambda: None  # the fresh state a round starts from
    remaining: Callable = lambda: 1.0  # fraction of the work left, so that kill delays fit the run
    snapshot: Callable = lambda: None  # what is committed just before a kill
    after_kill: Callable = lambda snapshot: None
    after_completion: Callable = lambda: None

    def run(self, log: Path, kill_after: float | None = None) -> tuple[bool, object, float]:
        """Run once; with ``kill_after``, SIGKILL that many seconds after the run began its work.
        Returns (killed, snapshot, seconds of work)."""
        started = self.started()
        process = launch(self.args, log)
        try:
            wait_for(process, started)
            began = time.monotonic()
            while process.poll() is None and (kill_after is None or time.monotonic() - began < kill_after):
                time.sleep(0.01)
            if process.poll() is not None:
                finished(process, log)
                return False, None, time.monotonic() - began
            snapshot = self.snapshot()
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True, snapshot, time.monotonic() - began
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def kill_and_resume(stage: Stage, kills: int, work_seconds: float, rng: random.Random, logs: Path) -> dict:
    """Rounds from a fresh state: up to ``KILLS_PER_ROUND`` runs killed at random delays (each
    resuming the last), then a run to completion; checks after each kill and each completion."""
    done, progress = Counter(), []  # progress: share of the work done when each kill fell
    while done["kills"] < kills:
        assert done["rounds"] < 3 * kills, f"{stage.name}: the runs ended before the kills ({done})"
        done["rounds"] += 1
        stage.prepare()
        for _ in range(KILLS_PER_ROUND):
            # Within the work left (plus the start-up every run pays), so that most draws hit.
            delay = rng.uniform(0, 0.8) * work_seconds * (0.25 + 0.75 * stage.remaining())
            killed, snapshot, _ = stage.run(logs / f"{stage.name}-{done['runs']}.log", delay)
            done["runs"] += 1
            if not killed:
                break
            done["kills"] += 1
            progress.append(round(1 - stage.remaining(), 2))
            check_intact(stage.db_path)
            stage.after_kill(snapshot)
            if done["kills"] == kills:
                break
        if killed:
            stage.run(logs / f"{stage.name}-{done['runs']}.log")
            done["runs"] += 1
        check_intact(stage.db_path)
        stage.after_completion()
    return {**done, "progress at kills": progress}


# --- the generated web and uninterrupted reference runs ---------------------------------------


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    root = tmp_path_factory.mktemp("newsweb")
    truth = build_web(root / "site", "{{BASE}}", ARTICLES)  # the server writes its address for {{BASE}}
    with serve_site(root / "site") as base:
        config = config_toml(base, root / "veille.toml")
        # Pages are committed every 0.2 s rather than 2 s: more moments where a kill finds some stored.
        config.write_text(config.read_text().replace("[crawl]\n", "[crawl]\nveille_flush_seconds = 0.2\n", 1))
        yield SimpleNamespace(config=str(config), urls={r["url"].replace("{{BASE}}", base) for r in truth})


def ok_pages(db_path: Path) -> dict[str, str]:
    return dict(rows(db_path, "select id, url from pages where fetch_status = 'ok'"))


def articles_of(db_path: Path) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in rows(db_path, "select page_id, status, content_hash, title, published, language, duplicate_of, duplicate_reason from articles")}


def unextracted(db_path: Path) -> int:
    return scalar(db_path, "select count(*) from pages p where fetch_status = 'ok' and not exists (select 1 from articles a where a.page_id = p.id)")


def mentions_of(db_path: Path, where: str = "1") -> set[tuple]:
    return set(rows(db_path, f'select article_id, start, "end", label, entity_id, text, sentence, value from mentions where {where}'))


def untagged(db_path: Path) -> int:
    return scalar(db_path, f"select count(*) from {store.untagged_articles(False)}")


@pytest.fixture(scope="module")
def reference(web, tmp_path_factory):
    """Each stage run once without faults: the databases the kill tests start from, what their
    re-runs must end with, and how long each stage works (the range of the random delays)."""
    folder = tmp_path_factory.mktemp("reference")
    ref = SimpleNamespace(crawled=folder / "crawled.db", extracted=folder / "extracted.db", tag_base=folder / "tag-base.db",
                          tagged=folder / "tagged.db", seconds={})
    stage = Stage("crawl", ["crawl", "--config", web.config, "--db", str(ref.crawled), "--no-extract"], ref.crawled, grows(ref.crawled, PAGES))
    ref.seconds["crawl"] = stage.run(folder / "crawl.log")[2]
    assert set(ok_pages(ref.crawled).values()) >= web.urls

    copy_db(ref.crawled, ref.extracted)
    stage = Stage("extract", ["extract", "--config", web.config, "--db", str(ref.extracted)], ref.extracted, grows(ref.extracted, ARTICLES_STORED))
    ref.seconds["extract"] = stage.run(folder / "extract.log")[2]
    assert unextracted(ref.extracted) == 0

    # Tag's backlog: the articles of one outlet (the others marked done), well under the 200
    # articles from which tag starts worker processes.
    copy_db(ref.extracted, ref.tag_base)
    with sqlite3.connect(ref.tag_base) as connection:
        connection.execute("update articles set analyzed_at = ? where analyzed_at is null and outlet != ?", [store.utc_now(), TAG_OUTLET])
    connection.close()
    ref.pending = untagged(ref.tag_base)
    assert 20 <= ref.pending < 200, ref.pending
    copy_db(ref.tag_base, ref.tagged)
    stage = Stage("tag", ["tag", "--config", web.config, "--db", str(ref.tagged)], ref.tagged, grows(ref.tagged, TAGGED))
    ref.seconds["tag"] = stage.run(folder / "tag.log")[2]
    assert untagged(ref.tagged) == 0
    ref.mentions = mentions_of(ref.tagged)
    assert len(ref.mentions) > 10 * ref.pending
    print("reference seconds of work:", {k: round(v, 1) for k, v in ref.seconds.items()})
    return ref


# --- 1. SIGKILL at random moments -------------------------------------------------------------


def test_crawl_killed_at_random_moments(web, reference, tmp_path):
    db_path = tmp_path / "crawl.db"
    expected = ok_pages(reference.crawled)

    def after_kill(before):
        assert ok_pages(db_path).items() >= before.items()  # nothing committed was lost

    def after_completion():  # every article page of the web stored once, fetched fine
        stored = ok_pages(db_path)
        assert set(stored.values()) >= web.urls and stored == expected
        assert set(rows(db_path, "select id, fetch_status from pages")) == set(rows(reference.crawled, "select id, fetch_status from pages"))

    stage = Stage(
        "crawl", ["crawl", "--config", web.config, "--db", str(db_path), "--no-extract"], db_path, grows(db_path, PAGES),
        prepare=lambda: remove_db(db_path), remaining=lambda: 1 - len(ok_pages(db_path) if db_path.exists() else ()) / len(expected),
        snapshot=lambda: ok_pages(db_path), after_kill=after_kill, after_completion=after_completion,
    )
    done = kill_and_resume(stage, KILLS["crawl"], reference.seconds["crawl"], random.Random(SEED), tmp_path)
    print("crawl:", done)
    assert done["kills"] == KILLS["crawl"]


def test_extract_killed_at_random_moments(web, reference, tmp_path):
    db_path = tmp_path / "extract.db"
    expected = articles_of(reference.extracted)

    def after_kill(before):
        stored = articles_of(db_path)
        assert stored.keys() >= before.keys()
        unlinked = lambda row: row[:5]  # noqa: E731  (copies are linked at the end of the stage)
        assert {k: unlinked(v) for k, v in stored.items()} == {k: unlinked(expected[k]) for k in stored}

    def after_completion():
        assert unextracted(db_path) == 0
        assert articles_of(db_path) == expected

    stage = Stage(
        "extract", ["extract", "--config", web.config, "--db", str(db_path)], db_path, grows(db_path, ARTICLES_STORED),
        prepare=lambda: copy_db(reference.crawled, db_path), remaining=lambda: unextracted(db_path) / len(expected),
        snapshot=lambda: articles_of(db_path), after_kill=after_kill, after_completion=after_completion,
    )
    done = kill_and_resume(stage, KILLS["extract"], reference.seconds["extract"], random.Random(SEED + 1), tmp_path)
    print("extract:", done)
    assert done["kills"] == KILLS["extract"]


def test_tag_killed_at_random_moments(web, reference, tmp_path):
    db_path = tmp_path / "tag.db"
    tagged_ids = lambda: {r[0] for r in rows(db_path, f"select page_id from articles where outlet = '{TAG_OUTLET}' and analyzed_at is not null")}  # noqa: E731

    def after_kill(before):
        done = tagged_ids()
        assert done >= before
        # The articles marked tagged have exactly the mentions an uninterrupted run gives them,
        # and the others none yet.
        assert mentions_of(db_path) == {m for m in reference.mentions if m[0] in done}

    def after_completion():
        assert untagged(db_path) == 0
        assert mentions_of(db_path) == reference.mentions

    stage = Stage(
        "tag", ["tag", "--config", web.config, "--db", str(db_path)], db_path, grows(db_path, TAGGED),
        prepare=lambda: copy_db(reference.tag_base, db_path), remaining=lambda: untagged(db_path) / reference.pending,
        snapshot=tagged_ids, after_kill=after_kill, after_completion=after_completion,
    )
    done = kill_and_resume(stage, KILLS["tag"], reference.seconds["tag"], random.Random(SEED + 2), tmp_path)
    print("tag:", done)
    assert done["kills"] == KILLS["tag"]


# SIGKILL inside one write: each SQL statement of a transaction is a kill point. The random kills
# above rarely land in the few milliseconds of the first migration or of one article's mentions.
KILL_AT_STATEMENT = """
import os, signal, sys, sqlite_utils
from crawler import store
count, kill_at = 0, int(sys.argv[2])
opened = sqlite_utils.Database.__init__
def trace(sql):
    global count
    count += 1
    if count == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
def traced(self, *args, **kwargs):
    opened(self, *args, **kwargs)
    self.conn.set_trace_callback(trace)
sqlite_utils.Database.__init__ = traced
{body}
print(count)
"""
MIGRATE = "store.open_db(sys.argv[1])"
RETAG = """
db = store.open_db(sys.argv[1])
count = 0  # kill points: the statements of save_entities only
store.save_entities(db, "a1", [{"label": "ORG", "name": "Gab", "text": "Gab", "start": 0, "end": 3},
                               {"label": "PERSON", "name": "Andrew Torba", "text": "Torba", "start": 10, "end": 15}])
"""


def kill_at_statement(body: str, db_path: Path, kill_at: int) -> subprocess.CompletedProcess:
    script = KILL_AT_STATEMENT.replace("{body}", body)
    return subprocess.run([*VEILLE[:1], "-c", script, str(db_path), str(kill_at)], cwd=ROOT, capture_output=True, text=True, env=ENV, timeout=60)


def test_killed_inside_a_transaction(tmp_path):
    """The first migration and the re-tagging of an article, killed at random statements: the
    next open migrates from scratch, and the article keeps its old mentions or has its new ones."""
    rng = random.Random(SEED + 3)
    clean = tmp_path / "clean.db"
    statements = int(kill_at_statement(MIGRATE, clean, 0).stdout)
    schema = rows(clean, "select type, name from sqlite_master order by name")
    points = sorted(rng.sample(range(1, statements + 1), 5))  # the first migration, killed
    with ThreadPoolExecutor(2) as pool:
        killed = list(pool.map(lambda k: kill_at_statement(MIGRATE, tmp_path / f"migrate-{k}.db", k), points))
    for kill_at, process in zip(points, killed):
        db_path = tmp_path / f"migrate-{kill_at}.db"
        assert process.returncode == -signal.SIGKILL
        store.open_db(str(db_path)).close()  # the next run migrates from scratch
        assert rows(db_path, "select type, name from sqlite_master order by name") == schema
        check_intact(db_path)

    base = tmp_path / "tagged.db"
    db = store.open_db(str(base))
    store.save_pages(db, [{"id": "a1", "url": "http://127.0.0.1/a1", "fetch_status": "ok"}])
    store.save_articles(db, [{"page_id": "a1", "status": "article", "text": "Gab said Torba left."}])
    store.save_entities(db, "a1", [{"label": "ORG", "name": "Parler", "text": "Parler", "start": 0, "end": 6}])
    db.execute("update articles set analyzed_at = '2020-01-01T00:00:00+00:00'")
    db.close()
    before, analyzed = mentions_of(base), scalar(base, "select analyzed_at from articles")
    copy_db(base, tmp_path / "retag.db")
    statements = int(kill_at_statement(RETAG, tmp_path / "retag.db", 0).stdout)
    after = mentions_of(tmp_path / "retag.db")
    points = sorted(rng.sample(range(1, statements + 1), min(5, statements)))  # re-tagging one article, killed
    for kill_at in points:
        copy_db(base, tmp_path / f"retag-{kill_at}.db")
    with ThreadPoolExecutor(2) as pool:
        killed = list(pool.map(lambda k: kill_at_statement(RETAG, tmp_path / f"retag-{k}.db", k), points))
    for kill_at, process in zip(points, killed):
        db_path = tmp_path / f"retag-{kill_at}.db"
        assert process.returncode == -signal.SIGKILL
        check_intact(db_path)
        # All or nothing: the old mentions (and date), or the new ones.
        assert (mentions_of(db_path), scalar(db_path, "select analyzed_at from articles") == analyzed) in ((before, True), (after, False))


# --- 2. a reader open during a crawl ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_reader_during_crawl_meets_no_lock(web, tmp_path):
    """Datasette (``veille serve``) and a plain sqlite3 reader query the database in a loop while
    ``veille crawl`` fetches, extracts and stores into it."""
    db_path = tmp_path / "browsed.db"
    store.open_db(str(db_path)).close()
    port, name = free_port(), db_path.stem
    local = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1 only, never a proxy
    serve = launch(["serve", "--db", str(db_path), "-p", str(port)], tmp_path / "serve.log")
    stop, errors, answered = threading.Event(), [], Counter()

    def get(path: str) -> tuple[int, str]:
        try:
            with local.open(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def browse():
        paths = [f"/{name}/pages.json?_size=5&_col=url&_col=fetch_status", f"/{name}/articles.json?_facet=outlet&_facet=language&_size=5",
                 f"/{name}.json?sql=select+outlet,+count(*)+from+articles+group+by+outlet", f"/{name}/articles.json?_search=Parler&_size=3",
                 f"/{name}/runs.json"]
        while not stop.is_set():
            for path in paths:
                status, body = get(path)
                answered["http"] += 1
                if status != 200 or "locked" in body.lower():
                    errors.append(f"{path}: {status} {body[:300]}")

    def query():
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)  # as Datasette opens it
        while not stop.is_set():
            try:
                connection.execute("select count(*), sum(length(body)) from pages").fetchall()
                connection.execute("select a.outlet, count(*) from articles a join pages p on p.id = a.page_id group by a.outlet").fetchall()
                connection.execute("select rowid from articles_fts where articles_fts match 'Parler' limit 5").fetchall()
                answered["sql"] += 1
            except sqlite3.Error as exc:
                errors.append(f"sqlite3: {exc}")
            time.sleep(0.005)
        connection.close()

    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and serve.poll() is None:
            try:
                if get("/-/versions.json")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        assert serve.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
        readers = [threading.Thread(target=browse), threading.Thread(target=query)]
        for reader in readers:
            reader.start()
        crawl = subprocess.run([*VEILLE, "crawl", "--config", web.config, "--db", str(db_path), "--no-tag"],
                               cwd=ROOT, capture_output=True, text=True, env=ENV, timeout=600)
        stop.set()
        for reader in readers:
            reader.join()
    finally:
        stop.set()
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
    assert crawl.returncode == 0 and "locked" not in crawl.stderr.lower(), crawl.stderr[-3000:]
    assert not errors, errors[:5]
    assert answered["http"] >= 10 and answered["sql"] >= 10, answered
    assert "locked" not in (tmp_path / "serve.log").read_text().lower()
    check_intact(db_path)
    assert {u for (u,) in rows(db_path, "select url from pages where fetch_status = 'ok'")} >= web.urls


# --- 3. a read-only database file, a full disk ------------------------------------------------


def one_line_error(done: subprocess.CompletedProcess, cause: str) -> None:
    """Exit non-zero with the cause on one line: no traceback, no error per page."""
    lines = done.stderr.strip().splitlines()
    assert done.returncode not in (0, None), (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and 1 <= len(lines) <= 2, done.stderr[-3000:]
    assert cause in lines[-1], lines


def namespaces() -> bool:
    """Whether this user may make a mount namespace (``unshare -rm``) and mount a tmpfs in it."""
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


def snapshot_rows(db_path: Path) -> dict[str, set]:
    return {
        "pages": set(rows(db_path, "select id, url, body from pages")),
        "articles": set(rows(db_path, "select page_id, status, text from articles")),
        "mentions": mentions_of(db_path),
    }


@pytest.fixture(scope="module")
def stage_commands(web, reference, tmp_path_factory):
    """Per stage: its command (without --db), the database it starts from, with work to do, and
    the room left on the full disk."""
    partial = tmp_path_factory.mktemp("partial") / "one-outlet.db"  # the crawl has 3 outlets' pages to store
    shutil.copy(reference.crawled, partial)
    with sqlite3.connect(partial) as connection:
        connection.execute("delete from pages where outlet != ?", [TAG_OUTLET])
        connection.execute("delete from sources")  # no "304 Not Modified": feeds and sitemaps read in full
    connection.execute("vacuum")
    connection.close()
    return {
        "crawl": (["crawl", "--config", web.config, "--no-extract"], partial, 200_000),
        "extract": (["extract", "--config", web.config], reference.crawled, 600_000),
        "tag": (["tag", "--config", web.config], reference.tag_base, None),  # read-only test only
    }


@pytest.mark.parametrize("stage", ["crawl", "extract", "tag"])
def test_read_only_database(stage, stage_commands, web, tmp_path):
    """chmod 0444; as root, who writes through it, a read-only bind mount of the file too."""
    command, source, _ = stage_commands[stage]
    db_path = tmp_path / "ro.db"
    shutil.copy(source, db_path)
    before = snapshot_rows(db_path)
    db_path.chmod(0o444)
    argv = [*VEILLE, *command, "--db", str(db_path)]
    if os.geteuid() == 0:
        if not namespaces():
            pytest.skip("root ignores chmod, and no mount namespace for a read-only bind mount")
        argv = ["unshare", "-rm", "sh", "-c", 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" && shift && exec "$@"',
                "sh", str(db_path), *argv]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=ENV, timeout=300)
    one_line_error(done, "readonly database")
    for written in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):  # SQLite gives them the file's mode
        if written.exists():
            written.chmod(0o644)
    check_intact(db_path)
    assert snapshot_rows(db_path) == before


CAP_PAGES = """
import sys
from crawler import store
opened, free = store.open_db, int(sys.argv.pop(1))
def capped(path):
    # SQLITE_FULL beyond this many pages: the same error as a full disk (not the same failure).
    db = opened(path)
    db.execute("PRAGMA max_page_count = %d" % (db.execute("PRAGMA page_count").fetchone()[0] + free // 4096))
    return db
store.open_db = capped
from crawler.cli import main
sys.argv[0] = "veille"
main()
"""
FULL_DISK = """
size=$1 mnt=$2 source=$3 out=$4; shift 4
mount -t tmpfs -o size=$size tmpfs "$mnt" && cp "$source" "$mnt/full.db" || exit 97
"$@" --db "$mnt/full.db"; status=$?
cp "$mnt"/full.db* "$out"/
exit $status
"""


@pytest.mark.parametrize("stage", ["crawl", "extract"])  # tag fails like extract, after 5-10 s of model loading
def test_full_disk(stage, stage_commands, tmp_path):
    """A real full disk: the stage runs on a tmpfs of the database's size plus a few hundred KB,
    in a mount namespace. Without namespaces, SQLite's ``max_page_count`` gives the same "database
    or disk is full" error (SQLITE_FULL from SQLite rather than ENOSPC from the file system)."""
    command, source, free = stage_commands[stage]
    db_path = tmp_path / "full.db"
    before = snapshot_rows(source)
    if namespaces():
        (tmp_path / "mnt").mkdir()
        argv = ["unshare", "-rm", "sh", "-c", FULL_DISK, "sh", str(source.stat().st_size + free), str(tmp_path / "mnt"),
                str(source), str(tmp_path), *VEILLE, *command]
    else:
        shutil.copy(source, db_path)
        argv = [*VEILLE[:1], "-c", CAP_PAGES, str(free), *command, "--db", str(db_path)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=ENV, timeout=300)
    # The crawl stops at its first refused write (StorePagesPipeline.failure); its exit status
    # comes from cli.run_and_process, which must fail when that is set.
    one_line_error(done, "database or disk is full")
    check_intact(db_path)
    after = snapshot_rows(db_path)
    for table, kept in before.items():  # what was stored before is still there, unchanged
        assert after[table] >= kept, table
