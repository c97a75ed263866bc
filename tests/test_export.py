"""`veille export` and the Python API: records valid against the JSON Schemas, filters that
filter, counts that round-trip, and memory that does not grow with the database."""

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import tracemalloc

import jsonschema
import pytest
import sqlite_utils

from crawler import api, store
from tests.conftest import ROOT, run_veille


def export_lines(db_path, kind, *options):
    done = run_veille("export", kind, "--db", str(db_path), *options)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.strip() == f"exported {len(done.stdout.splitlines())} {kind}"
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.parametrize("kind", api.KINDS)
def test_every_record_follows_its_json_schema_and_counts_round_trip(crawl, db, kind):
    db_path, _ = crawl
    records = export_lines(db_path, kind)
    validator = jsonschema.Draft202012Validator(api.schema(kind))
    errors = [f"{error.json_path}: {error.message}" for record in records for error in validator.iter_errors(record)]
    assert records and errors == []
    sql = {
        "articles": "select count(*) from articles where status = 'article'",
        "entities": "select count(distinct m.entity_id) from mentions m join articles a on a.page_id = m.article_id where a.status = 'article'",
        "mentions": "select count(*) from mentions m join articles a on a.page_id = m.article_id where a.status = 'article'",
    }[kind]
    assert len(records) == db.execute(sql).fetchone()[0]
    as_csv = run_veille("export", kind, "--db", str(db_path), "--format", "csv")
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(table) == len(records) and list(table[0]) == list(api.schema(kind)["properties"])
    assert [row["id" if kind != "mentions" else "article_id"] for row in table] == [r["id" if kind != "mentions" else "article_id"] for r in records]


def test_filters_by_language_label_dates_outlet_and_relevance(crawl, db):
    db_path, _ = crawl
    french = export_lines(db_path, "articles", "--language", "fr")
    assert french and {a["language"] for a in french} == {"fr"}
    window = export_lines(db_path, "articles", "--since", "2021-01-01", "--until", "2021-12-31")
    assert window and all("2021-01-01" <= a["published"][:10] <= "2021-12-31" for a in window)
    in_window = db.execute("select count(*) from articles where status = 'article' and substr(published, 1, 10) between '2021-01-01' and '2021-12-31'").fetchone()[0]
    assert len(window) == in_window
    outlet = french[0]["outlet"]
    assert {a["outlet"] for a in export_lines(db_path, "articles", "--outlet", outlet)} == {outlet}
    relevant = export_lines(db_path, "articles", "--min-relevance", "0.5")
    assert relevant and all(a["relevance"] >= 0.5 for a in relevant) and len(relevant) < len(export_lines(db_path, "articles"))
    orgs = export_lines(db_path, "mentions", "--label", "ORG", "--language", "en")
    english = {a["id"] for a in export_lines(db_path, "articles", "--language", "en")}
    assert orgs and {m["label"] for m in orgs} == {"ORG"} and {m["article_id"] for m in orgs} <= english
    entities = export_lines(db_path, "entities", "--label", "PERSON", "--label", "ORG", "--language", "fr")
    assert {e["label"] for e in entities} == {"PERSON", "ORG"}
    assert [e["articles"] for e in entities] == sorted((e["articles"] for e in entities), reverse=True)


def test_bad_export_arguments_are_one_line_errors(crawl, tmp_path):
    db_path, _ = crawl
    for args, message in [
        (["articles", "--since", "2024-13-01"], "dates take the form YYYY-MM-DD"),
        (["articles", "--db", str(tmp_path / "none.db")], "no database at"),
        (["articles", "--label", "ORG"], "--label applies to entities and mentions"),
        (["mentions", "-o", str(tmp_path / "missing" / "m.jsonl")], "cannot write"),
    ]:
        done = run_veille("export", *args, *([] if "--db" in args else ["--db", str(db_path)]))
        assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr, done.stderr


def synthetic_database(path, articles: int, mentions_per_article: int) -> None:
    db = store.open_db(str(path))
    db["entities"].insert_all(({"id": f"e{n}", "label": "ORG", "name": f"Org {n}", "aliases": "[]"} for n in range(50)), pk="id")
    db["pages"].insert_all(({"id": f"p{n}", "url": f"http://example.org/{n}"} for n in range(articles)), pk="id")
    db["articles"].insert_all(
        ({"page_id": f"p{n}", "status": "article", "url": f"http://example.org/{n}", "title": f"Article {n}",
          "text": "Org text. " * 50, "language": "fr", "published": "2024-01-01", "authors": "[]", "relevance_terms": "[]"}
         for n in range(articles)),
        pk="page_id",
    )
    db["mentions"].insert_all(
        ({"article_id": f"p{n}", "start": 10 * k, "end": 10 * k + 3, "label": "ORG", "entity_id": f"e{k % 50}", "text": "Org"}
         for n in range(articles) for k in range(mentions_per_article)),
        pk=("article_id", "start", "end", "label"),
    )
    db.close()


def test_exports_stream_in_constant_memory(tmp_path):
    peaks = {}
    for articles in (200, 2_000):
        path = tmp_path / f"{articles}.db"
        synthetic_database(path, articles, 20)
        with open(os.devnull, "w") as out:
            tracemalloc.start()
            count = api.export(path, "mentions", out)
            peaks[articles] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        assert count == articles * 20
    assert peaks[2_000] < 2 * peaks[200] + 256_000, peaks  # ten times the rows, not ten times the memory


def test_python_api_needs_no_scrapy_and_reads_without_writing(crawl, tmp_path):
    db_path, _ = crawl
    script = (
        "import sys; from crawler.api import analyze_text, articles, entities\n"
        "r = analyze_text('Donald Trump a lancé Truth Social hier.', 'fr', '2022-02-22')\n"
        "assert {(e['label'], e['name']) for e in r['entities']} >= {('PERSON', 'Donald Trump'), ('ORG', 'Truth Social')}\n"
        f"assert next(articles({str(db_path)!r}, language='en'))['language'] == 'en'\n"
        f"assert next(entities({str(db_path)!r}, label='PERSON'))['label'] == 'PERSON'\n"
        "assert 'scrapy' not in sys.modules and 'twisted' not in sys.modules, 'the API pulled in Scrapy'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    read_only = tmp_path / "ro.db"
    synthetic_database(read_only, 3, 1)
    os.chmod(read_only, 0o444)
    assert len(list(api.mentions(read_only))) == 3  # a read-only file (or one another process writes) can be read
    with pytest.raises(api.VeilleError, match="no database"):
        next(api.articles(tmp_path / "absent.db"))
    assert not (tmp_path / "absent.db").exists()


def test_records_decode_lists_and_name_their_schema(crawl):
    db_path, _ = crawl
    article = next(api.articles(db_path))
    assert article["schema"] == "veille.article/1" and isinstance(article["authors"], list)
    connection = sqlite3.connect(db_path)
    assert json.loads(connection.execute("select authors from articles where page_id = ?", [article["id"]]).fetchone()[0] or "[]") == article["authors"]
    assert sqlite_utils.Database(connection)["articles"].count >= 1
