"""The schema, its migrations and idempotent writes, on a real SQLite file."""

import json
import sqlite3

import pytest

from crawler import store


def test_open_creates_schema_in_wal_mode_and_is_idempotent(tmp_path):
    path = str(tmp_path / "v.db")
    db = store.open_db(path)
    assert {"pages", "articles", "entities", "mentions", "runs", "articles_fts"} <= set(db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    db = store.open_db(path)  # second open applies nothing new
    assert store.migrate(db) == []
    assert db["_migrations"].count == len(store.MIGRATIONS)
    assert {"content_hash", "minhash", "duplicate_of", "duplicate_reason"} <= set(db["articles"].columns_dict)


def page(url, **extra):
    return {"id": store.url_key(url), "url": url, "fetch_status": "ok", "body": store.compress(b"<html></html>"), **extra}


def test_pages_upsert_on_canonical_url(tmp_path):
    db = store.open_db(str(tmp_path / "v.db"))
    store.save_pages(db, [page("http://a.test/x?b=1&a=2")])
    store.save_pages(db, [page("http://a.test/x?a=2&b=1#comments", status=200)])
    assert db["pages"].count == 1
    assert store.decompress(next(db["pages"].rows)["body"]) == b"<html></html>"


def test_mentions_replaced_and_aliases_merged(tmp_path):
    db = store.open_db(str(tmp_path / "v.db"))
    store.save_pages(db, [page("http://a.test/1"), page("http://a.test/2")])
    ids = [store.url_key("http://a.test/1"), store.url_key("http://a.test/2")]
    store.save_articles(db, [{"page_id": i, "status": "article", "text": "Trump. Donald Trump."} for i in ids])
    trump = {"label": "PERSON", "name": "Donald Trump", "sentence": None, "value": None}
    mentions = [{**trump, "text": "Trump", "start": 0, "end": 5}, {**trump, "text": "Donald Trump", "start": 7, "end": 19}]
    store.save_entities(db, ids[0], mentions)
    store.save_entities(db, ids[0], mentions)  # re-analysis replaces, does not add
    store.save_entities(db, ids[1], [{**trump, "text": "Mr Trump", "start": 0, "end": 8}])
    assert db["mentions"].count == 3
    (entity,) = db["entities"].rows
    assert entity["name"] == "Donald Trump" and json.loads(entity["aliases"]) == ["Mr Trump", "Trump"]
    assert all(row["analyzed_at"] for row in db["articles"].rows)


def test_full_text_search_over_articles(tmp_path):
    db = store.open_db(str(tmp_path / "v.db"))
    store.save_pages(db, [page("http://a.test/1")])
    store.save_articles(db, [{"page_id": store.url_key("http://a.test/1"), "status": "article", "title": "Télégram", "text": "Le réseau Gettr"}])
    assert [r["page_id"] for r in db["articles"].search("gettr")] == [store.url_key("http://a.test/1")]
    assert db["articles"].search("telegram")  # accents folded


def test_a_database_from_an_older_version_is_migrated(tmp_path):
    import sqlite_utils

    path = str(tmp_path / "old.db")
    old = sqlite_utils.Database(path)
    store.m001_initial(old)
    old[store.SCHEMA_VERSION_TABLE].insert({"name": "m001_initial", "applied_at": "2026-01-01"}, pk="name")
    old["pages"].insert({"id": "p", "url": "http://a.test/", "fetch_status": "ok"})
    old.close()
    db = store.open_db(path)
    assert "duplicate_of" in db["articles"].columns_dict
    assert db["pages"].count == 1  # what was stored is kept


def test_reviews_apply_to_any_writer_and_to_mentions_written_again(tmp_path):
    db = store.open_db(str(tmp_path / "v.db"))
    db["pages"].insert({"id": "p1", "url": "http://a.org/1"})
    db["articles"].insert({"page_id": "p1", "status": "article", "text": "Gab et Parler et Signal"})
    found = [
        {"label": "PERSON", "name": "Gab", "text": "Gab", "start": 0, "end": 3},
        {"label": "ORG", "name": "Parler", "text": "Parler", "start": 7, "end": 13},
        {"label": "ORG", "name": "Signal", "text": "Signal", "start": 17, "end": 23},
    ]
    store.save_entities(db, "p1", found)
    plain = sqlite3.connect(tmp_path / "v.db")  # no veille code: what another program would do
    with plain:
        plain.execute("insert into reviews (action, article_id, start, \"end\", label, new_label) values ('mention_label', 'p1', 0, 3, 'PERSON', 'ORG')")
        plain.execute("insert into reviews (action, article_id, start, \"end\", label) values ('mention_wrong', 'p1', 17, 23, 'ORG')")
    expected = [("Gab", "ORG", "Gab"), ("Parler", "ORG", "Parler")]
    listing = "select m.text, m.label, e.name from mentions m join entities e on e.id = m.entity_id order by m.start"
    assert plain.execute(listing).fetchall() == expected
    store.save_entities(db, "p1", found)  # re-tagging writes the model's view again
    assert plain.execute(listing).fetchall() == expected
    with pytest.raises(sqlite3.IntegrityError, match="unknown review"):
        with plain:
            plain.execute("insert into reviews (action) values ('delete everything')")
