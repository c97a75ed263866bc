"""The command line, run as a user would (subprocesses), including its errors on bad input."""

import json

import pytest

from tests.conftest import ROOT, SITE, run_veille

CONTRACT_KEYS = {"url", "title", "language", "published", "authors", "text", "entities"}
ENTITY_KEYS = {"label", "text", "name", "start", "end", "value"}


def first_article(expected, language):
    return next(a for a in expected["articles"] if a["language"] == language and a["on_topic"])


def check_contract(result):
    assert set(result) >= CONTRACT_KEYS
    assert isinstance(result["authors"], list) and isinstance(result["text"], str)
    for entity in result["entities"]:
        assert set(entity) == ENTITY_KEYS
        assert result["text"][entity["start"] : entity["end"]] == entity["text"]
        assert entity["value"] is None or entity["label"] == "DATE"


def one_line_error(done, *fragments):
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_analyze_a_page_file(expected, language):
    article = first_article(expected, language)
    path = SITE / article["path"].lstrip("/")
    done = run_veille("analyze", str(path), "--url", "http://example.test" + article["path"])
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    check_contract(result)
    assert result["language"] == language
    assert result["title"] == article["title"]
    assert result["published"][:10] == article["published"]
    names = {e["name"] for e in result["entities"] if e["label"] in ("PERSON", "ORG")}
    wanted = set(article["people"]) | set(article["orgs"])
    assert len(names & wanted) >= 0.5 * len(wanted), (names, wanted)


def test_analyze_a_url(site_url, expected):
    article = first_article(expected, "en")
    done = run_veille("analyze", site_url + article["path"])
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    check_contract(result)
    assert result["url"].endswith(article["path"])


def test_analyze_text_from_stdin():
    done = run_veille("analyze", "--text", "--lang", "fr", input="Gab et Parler ont été bannis hier par Apple.")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    check_contract(result)
    assert {"Gab", "Parler", "Apple"} <= {e["name"] for e in result["entities"] if e["label"] == "ORG"}
    assert result["title"] is None and result["url"] is None


def test_analyze_jsonl_loads_once_and_reports_bad_lines():
    lines = [
        json.dumps({"id": 1, "text": "Donald Trump launched Truth Social. Trump spoke yesterday.", "lang": "en", "published": "2022-02-21"}),
        "{not json",
        json.dumps({"id": 3, "html": "<html><body><p>Gettr et Rumble.</p></body></html>", "lang": "fr"}),
        json.dumps({"id": 4, "text": "Hallo", "lang": "de"}),
        json.dumps({"id": 5}),
    ]
    done = run_veille("analyze", "--jsonl", input="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r.get("id") for r in results] == [1, None, 3, 4, 5]
    check_contract(results[0])
    dates = [e for e in results[0]["entities"] if e["label"] == "DATE"]
    assert dates[0]["value"] == "2022-02-20"
    assert "error" in results[1] and "error" in results[3] and "error" in results[4]
    check_contract(results[2])


def test_analyze_errors_are_one_line(tmp_path, site_url):
    one_line_error(run_veille("analyze", str(tmp_path / "missing.html")), "no such file")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    one_line_error(run_veille("analyze", str(binary)), "binary")
    one_line_error(run_veille("analyze", str(SITE / "robots.txt"), "--lang", "de"), "unknown language 'de'")
    one_line_error(run_veille("analyze", str(tmp_path)), "directory")
    one_line_error(run_veille("analyze", "http://127.0.0.1:1/page.html"), "cannot read")
    one_line_error(run_veille("analyze", site_url + "/no/such/page.html"), "cannot read", "404")


def test_empty_page_gives_empty_result(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("")
    done = run_veille("analyze", str(empty))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["text"] == "" and result["entities"] == []


def test_bad_configuration_and_arguments(tmp_path):
    one_line_error(run_veille("crawl", "--config", str(tmp_path / "nope.toml"), "--db", str(tmp_path / "x.db")), "not found")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[outlets]\nid=")
    one_line_error(run_veille("outlets", "--config", str(bad)), "not valid TOML")
    bad.write_text('[[outlets]]\nid = "x"\nname = "X"\nlanguage = "de"\n')
    one_line_error(run_veille("outlets", "--config", str(bad)), "language 'de'")
    one_line_error(run_veille("crawl", "--outlet", "no-such-outlet", "--db", str(tmp_path / "x.db")), "unknown outlet")
    one_line_error(run_veille("summary", "--db", str(tmp_path / "absent.db")), "no database")
    one_line_error(run_veille("extract", "--db", str(tmp_path / "no" / "such" / "dir.db")), "cannot open database")
    one_line_error(run_veille("serve", "--db", str(tmp_path / "absent.db")), "no database")


def test_default_config_lists_real_outlets_in_both_languages():
    done = run_veille("outlets")
    assert done.returncode == 0
    lines = [line.split("\t") for line in done.stdout.splitlines() if not line.startswith("\t")]
    assert {"fr", "en"} <= {line[1] for line in lines} and len(lines) >= 8
    assert all(url.strip().startswith("https://") for url in done.stdout.splitlines() if url.startswith("\t"))


def test_scrapy_project_works_from_the_repository_root():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert set(done.stdout.split()) == {"archive", "feeds", "sitemaps", "site", "urls", "warc"}


def test_every_command_is_documented_in_the_readme():
    from crawler.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in cli.commands if f"veille {name}" not in readme]
    assert missing == []


def test_discover_an_outlet_from_its_home_page(site_url):
    import tomllib

    done = run_veille("discover", site_url + "/le-veilleur/")
    assert done.returncode == 0, done.stderr
    outlet = tomllib.loads(done.stdout)["outlets"][0]
    assert outlet["feeds"] == [site_url + "/le-veilleur/rss.xml"]
    assert outlet["sitemaps"] == [site_url + "/sitemap_index.xml"]
    assert outlet["language"] == "fr" and outlet["name"]
    relative = tomllib.loads(run_veille("discover", site_url + "/daily-ledger/").stdout)["outlets"][0]
    assert relative["feeds"] == [site_url + "/daily-ledger/feed.xml"]  # relative link made absolute
    one_line_error(run_veille("discover", "http://127.0.0.1:1/"), "cannot read")
    one_line_error(run_veille("discover", "not-a-url"), "not an http(s) URL")


def test_demo_twice_adds_nothing_and_a_busy_port_is_a_clear_error(tmp_path):
    import socket
    import sqlite3

    with socket.socket() as probe:  # a free port for the demo web
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    db_path = tmp_path / "demo.db"

    def counts():
        connection = sqlite3.connect(db_path)
        return {t: connection.execute(f"select count(*) from {t}").fetchone()[0] for t in ("pages", "articles", "entities", "mentions")}

    first = run_veille("demo", "--db", str(db_path), "--port", port)
    assert first.returncode == 0, first.stderr[-2000:]
    before = counts()
    assert before["articles"] >= 20 and before["mentions"] > 100
    second = run_veille("demo", "--db", str(db_path), "--port", port)
    assert second.returncode == 0, second.stderr[-2000:]
    assert counts() == before
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        one_line_error(run_veille("demo", "--db", str(db_path), "--port", str(busy.getsockname()[1])), "pass --port")
