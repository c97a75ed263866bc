"""A real crawl of the demo news web over HTTP on 127.0.0.1: what lands in SQLite.

The ``crawl`` fixture (conftest.py) runs ``veille crawl`` once: feeds then sitemaps, extraction,
entity tagging. These tests read the database it wrote.
"""

import json
import sqlite3

import pytest

from crawler.config import load_config
from crawler.store import url_key
from tests.conftest import ROOT, SITE as SITE_ROOT, run_veille


def page_row(db, site_url, path):
    """The page stored for a URL of the demo web, whatever link variant led to it."""
    return db.execute("select * from pages where id = ?", [url_key(site_url + path)]).fetchone()


def article_row(db, site_url, path):
    return db.execute("select * from articles where page_id = ?", [url_key(site_url + path)]).fetchone()


def test_every_article_of_the_demo_web_is_fetched_and_extracted(db, site_url, expected):
    for article in expected["articles"]:
        page = page_row(db, site_url, article["path"])
        assert page is not None, article["path"]
        assert page["fetch_status"] == "ok" and page["status"] == 200
        row = article_row(db, site_url, article["path"])
        assert row["status"] == "article", article["path"]
        assert row["outlet"] == article["outlet"]


def test_pages_record_spider_source_and_headers(db, site_url):
    rows = db.execute("select * from pages where fetch_status = 'ok'").fetchall()
    assert {r["spider"] for r in rows} == {"feeds", "sitemaps"}
    assert all(r["source_url"].startswith(site_url) and r["fetched_at"] and r["body_size"] > 0 for r in rows)
    assert all(json.loads(r["headers"])["content-type"].startswith("text/html") for r in rows)


def test_failures_are_recorded_with_a_status(db, site_url, expected):
    special = expected["special"]
    missing = page_row(db, site_url, special["not_found"])
    assert (missing["fetch_status"], missing["status"]) == ("http_error", 404)
    blocked = page_row(db, site_url, special["robots_blocked"])
    assert blocked["fetch_status"] == "robots" and "robots.txt" in blocked["error"]
    pdf = page_row(db, site_url, special["non_html"])
    assert pdf["fetch_status"] == "not_html" and pdf["content_type"].startswith("application/pdf")
    assert db.execute("select count(*) from articles where page_id in (?, ?, ?)", [missing["id"], blocked["id"], pdf["id"]]).fetchone()[0] == 0


def test_paywalled_teaser_is_marked_and_not_tagged(db, site_url, expected):
    teaser = article_row(db, site_url, expected["special"]["teaser"])
    assert teaser["status"] == "teaser" and teaser["title"]
    assert db.execute("select count(*) from mentions where article_id = ?", [teaser["page_id"]]).fetchone()[0] == 0


def test_redirect_keeps_requested_and_final_url_as_one_page(db, site_url, expected):
    special = expected["special"]
    rows = db.execute("select * from pages where final_url = ?", [site_url + special["redirect_to"]]).fetchall()
    assert len(rows) == 1
    assert db.execute("select count(*) from articles where page_id = ?", [rows[0]["id"]]).fetchone()[0] == 1


def test_syndicated_copy_is_linked_and_not_counted_twice(db, site_url, expected):
    original = article_row(db, site_url, expected["syndicated"]["original"])
    assert original["duplicate_of"] is None
    for path in expected["syndicated"]["copies"]:
        copy = article_row(db, site_url, path)
        assert (copy["duplicate_of"], copy["duplicate_reason"]) == (original["page_id"], "near")
        assert db.execute("select count(*) from mentions where article_id = ?", [copy["page_id"]]).fetchone()[0] == 0
    assert db.execute("select count(*) from mentions where article_id = ?", [original["page_id"]]).fetchone()[0] > 5
    others = db.execute("select count(*) from articles where duplicate_of is not null").fetchone()[0]
    assert others == len(expected["syndicated"]["copies"])


def test_tracking_parameters_do_not_fetch_a_page_twice(db, site_url, expected):
    rows = db.execute("select url, spider from pages where final_url like ?", [site_url + expected["syndicated"]["original"] + "%"]).fetchall()
    assert len(rows) == 1  # the feed's ?utm_source=... link and the sitemap's plain link are one page
    assert rows[0]["spider"] == "feeds" and "utm_source" in rows[0]["url"]


def test_latin1_page_is_decoded(db, site_url, expected):
    page = page_row(db, site_url, expected["special"]["latin1"])
    assert page["encoding"].lower().replace("_", "-") in ("iso-8859-1", "latin-1", "cp1252", "windows-1252")
    text = article_row(db, site_url, expected["special"]["latin1"])["text"]
    assert "é" in text and "Ã" not in text and "\ufffd" not in text


def test_bodies_have_the_article_and_not_the_boilerplate(db, site_url, expected):
    for article in expected["articles"]:
        text = " ".join(article_row(db, site_url, article["path"])["text"].split())
        for phrase in article["body_contains"]:
            assert " ".join(phrase.split()) in text, (article["path"], phrase)
        for phrase in article["body_excludes"]:
            assert " ".join(phrase.split()) not in text, (article["path"], phrase)


def test_metadata_titles_dates_languages_authors(db, site_url, expected):
    authors_right = 0
    for article in expected["articles"]:
        row = article_row(db, site_url, article["path"])
        assert row["title"] == article["title"], article["path"]
        assert (row["published"] or "")[:10] == article["published"], article["path"]
        assert row["language"] == article["language"], article["path"]
        authors_right += json.loads(row["authors"]) == article["authors"]
    assert authors_right >= 0.75 * len(expected["articles"])


def test_relevance_separates_on_and_off_topic(db, site_url, expected):
    scores = {True: [], False: []}
    for article in expected["articles"]:
        row = article_row(db, site_url, article["path"])
        scores[article["on_topic"]].append(row["relevance"])
        assert isinstance(json.loads(row["relevance_terms"]), list)
    assert min(scores[True]) > max(scores[False])


def entity_names(db, page_id, label):
    return {
        r[0]
        for r in db.execute(
            "select e.name from mentions m join entities e on e.id = m.entity_id where m.article_id = ? and m.label = ?",
            [page_id, label],
        )
    }


def test_people_organisations_and_dates_found(db, site_url, expected):
    wanted = found = 0
    dates_wanted = dates_right = 0
    for article in expected["articles"]:
        row = article_row(db, site_url, article["path"])
        for label, names in (("PERSON", article["people"]), ("ORG", article["orgs"])):
            got = entity_names(db, row["page_id"], label)
            wanted += len(names)
            found += len(set(names) & got)
        values = {r[0] for r in db.execute("select value from mentions where article_id = ? and label = 'DATE'", [row["page_id"]])}
        dates_wanted += len(article["dates"])
        dates_right += sum(d["value"] in values for d in article["dates"])
    assert found / wanted >= 0.7, (found, wanted)
    assert dates_right / dates_wanted >= 0.6, (dates_right, dates_wanted)


def test_mentions_point_into_their_article(db):
    rows = db.execute("select m.*, a.text as body from mentions m join articles a on a.page_id = m.article_id").fetchall()
    assert rows
    for row in rows:
        assert row["body"][row["start"] : row["end"]] == row["text"]
        assert row["text"] in row["sentence"]
    labels = {r[0] for r in db.execute("select distinct label from entities")}
    assert {"PERSON", "ORG", "DATE"} <= labels <= {"PERSON", "ORG", "DATE", "LOC", "MISC"}


def test_feeds_and_sitemaps_are_remembered_with_validators(db, site_url):
    rows = db.execute("select * from sources").fetchall()
    kinds = {r["kind"] for r in rows}
    assert kinds == {"feed", "sitemap"}
    assert all(r["status"] == 200 and r["etag"] and r["last_modified"] and r["entries"] > 0 for r in rows)
    assert {site_url + "/le-veilleur/rss.xml", site_url + "/signal-noise/sitemap_index.xml", site_url + "/signal-noise/sitemap.xml"} <= {r["url"] for r in rows}


def test_run_is_recorded(db):
    run = db.execute("select * from runs where command = 'crawl' order by id limit 1").fetchone()
    assert run["ended_at"] and run["pages_fetched"] > 0 and run["articles"] > 0 and run["mentions"] > 0


def table_counts(path):
    connection = sqlite3.connect(path)
    result = {t: connection.execute(f"select count(*) from {t}").fetchone()[0] for t in ("pages", "articles", "entities", "mentions")}
    connection.close()
    return result


def test_second_run_duplicates_nothing_and_downloads_no_known_article(crawl, site_config, tmp_path):
    db_path, _ = crawl
    before = table_counts(db_path)
    done = run_veille("crawl", "--config", str(site_config), "--db", str(db_path))
    assert done.returncode == 0, done.stderr[-2000:]
    assert table_counts(db_path) == before
    connection = sqlite3.connect(db_path)
    last_run = connection.execute("select max(id) from runs").fetchone()[0]
    refetched = connection.execute("select count(*) from pages where run_id = ? and fetch_status = 'ok'", [last_run]).fetchone()[0]
    assert refetched == 0
    # The configured feeds and sitemaps were asked only for changes and answered "304 Not
    # Modified"; the sitemap nested in an unchanged index was not asked at all.
    sources = dict(connection.execute("select url, status from sources"))
    configured = {url for outlet in load_config(site_config).outlets for url in outlet.feeds + outlet.sitemaps}
    assert {sources[url] for url in configured} == {304}
    nested = {url: status for url, status in sources.items() if url not in configured}
    assert nested and set(nested.values()) == {200}


def test_url_list_with_an_unreachable_host(site_url, expected, tmp_path):
    good = site_url + expected["articles"][0]["path"]
    url_file = tmp_path / "urls.txt"
    url_file.write_text(f"# comment\n{good}\nhttp://127.0.0.1:1/gone.html\n")
    db_path = tmp_path / "urls.db"
    done = run_veille("crawl", "--urls", str(url_file), "--outlet", "mine", "--db", str(db_path), "--no-tag")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    connection = sqlite3.connect(db_path)
    statuses = dict(connection.execute("select url, fetch_status from pages"))
    assert statuses == {good: "ok", "http://127.0.0.1:1/gone.html": "network_error"}
    assert connection.execute("select status from articles where page_id = ?", [url_key(good)]).fetchone()[0] == "article"


def test_scrapy_crawl_from_the_repository_root(site_config, tmp_path):
    import subprocess
    import sys

    db_path = tmp_path / "scrapy.db"
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "feeds", "-a", "outlets=le-veilleur", "-s", f"VEILLE_DB={db_path}",
         "-s", f"VEILLE_CONFIG={site_config}", "-s", "AUTOTHROTTLE_START_DELAY=0.05", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    connection = sqlite3.connect(db_path)
    assert connection.execute("select count(*) from pages where outlet = 'le-veilleur' and fetch_status = 'ok'").fetchone()[0] >= 3


def test_date_window_skips_older_entries_before_download(site_config, site_url, expected, tmp_path):
    db_path = tmp_path / "window.db"
    done = run_veille("crawl", "--config", str(site_config), "--db", str(db_path), "--since", "2023-01-01", "--no-tag")
    assert done.returncode == 0, done.stderr[-2000:]
    connection = sqlite3.connect(db_path)
    fetched = {row[0] for row in connection.execute("select id from pages where fetch_status = 'ok'")}
    for article in expected["articles"]:
        assert (url_key(site_url + article["path"]) in fetched) == (article["published"] >= "2023-01-01"), article["path"]
    published = [row[0] for row in connection.execute("select published from articles where status = 'article'")]
    assert published and all(day >= "2023-01-01" for day in published)
    # No validators kept: a later run without the window must read the feeds in full.
    sources = connection.execute("select etag, last_modified, status from sources").fetchall()
    assert sources and all(row[:2] == (None, None) and row[2] == 200 for row in sources)


def test_site_crawl_follows_links_within_patterns(site_url, expected, tmp_path):
    config = tmp_path / "site.toml"
    config.write_text(
        "[crawl]\ndownload_delay = 0\nautothrottle_start_delay = 0.05\ndepth_limit = 2\n\n"
        f'[[outlets]]\nid = "demo"\nname = "Demo web"\nlanguage = "fr"\nstart_urls = ["{site_url}/"]\n'
        'deny = ["tarte", "orchard"]\n'
    )
    db_path = tmp_path / "site.db"
    done = run_veille("crawl", "--config", str(config), "--db", str(db_path), "--spider", "site", "--no-tag")
    assert done.returncode == 0, done.stderr[-2000:]
    connection = sqlite3.connect(db_path)
    pages = dict(connection.execute("select id, spider from pages where fetch_status = 'ok'"))
    for article in expected["articles"]:
        linked_from_home = article["path"] in (SITE_ROOT / article["outlet"] / "index.html").read_text(encoding="utf-8")
        denied = "tarte" in article["path"] or "orchard" in article["path"]
        assert (url_key(site_url + article["path"]) in pages) == (linked_from_home and not denied), article["path"]
    assert set(pages.values()) == {"site"}
    assert connection.execute("select count(*) from articles where status = 'article'").fetchone()[0] >= 10
