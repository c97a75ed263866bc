"""The stages over stored data, without a crawl: extract in batches and worker processes, then tag."""

import json

from crawler import store
from crawler.config import load_config
from crawler.stages import analyze_articles, extract_pages
from tests.conftest import SITE


def stored_pages(db, expected, count):
    rows = []
    for article in expected["articles"][:count]:
        raw = (SITE / article["path"].lstrip("/")).read_bytes()
        url = "http://example.test" + article["path"]
        encoding = "iso-8859-1" if article["path"].endswith("-latin1.html") else "utf-8"
        rows.append({"id": store.url_key(url), "url": url, "final_url": url, "fetch_status": "ok", "encoding": encoding,
                     "body": store.compress(raw), "outlet": article["outlet"]})
    store.save_pages(db, rows)


def test_extract_in_batches_with_workers_then_tag_then_redo(tmp_path, expected):
    db = store.open_db(str(tmp_path / "v.db"))
    config = load_config(SITE / "veille.toml")
    stored_pages(db, expected, 7)
    assert extract_pages(db, config, workers=2, batch_size=3) == 7
    assert extract_pages(db, config, workers=2, batch_size=3) == 0  # nothing new
    assert db["articles"].count == 7 and {r["status"] for r in db["articles"].rows} == {"article"}
    mentions = analyze_articles(db, config)
    assert mentions > 50 and db["mentions"].count == mentions
    assert analyze_articles(db, config) == 0  # nothing new
    assert analyze_articles(db, config, redo=True) == mentions  # same result, no duplicates
    assert db["mentions"].count == mentions
    listing = "select article_id, start, label, entity_id from mentions order by 1, 2, 3"
    alone = db.execute(listing).fetchall()
    # In two worker processes, batches of 2 and at most 4 in flight: the same mentions.
    assert analyze_articles(db, config, redo=True, workers=2, batch_size=2, parallel_from=0) == mentions
    assert db.execute(listing).fetchall() == alone
    assert extract_pages(db, config, redo=True, workers=1) == 7


def test_articles_in_other_languages_are_done_without_entities(tmp_path):
    db = store.open_db(str(tmp_path / "v.db"))
    store.save_pages(db, [{"id": "p1", "url": "http://x.test/de", "fetch_status": "ok"}])
    store.save_articles(db, [{"page_id": "p1", "status": "article", "text": "Ein Text.", "language": "de", "authors": json.dumps([])}])
    assert analyze_articles(db, load_config(SITE / "veille.toml")) == 0
    assert next(db["articles"].rows)["analyzed_at"]


def test_copies_link_to_the_first_article_seen(tmp_path, expected):
    from crawler.stages import link_duplicates

    db = store.open_db(str(tmp_path / "v.db"))
    body = " ".join(f"Phrase numéro {n} d'une dépêche sur Telegram et ses canaux fermés." for n in range(40))
    rows = [
        ("a", "http://one.test/story", body, "2023-01-01T00:00:01"),
        ("b", "http://two.test/story", body.upper(), "2023-01-01T00:00:02"),  # same words: exact
        ("c", "http://three.test/copy", body.replace("numéro 7", "n° 7") + " Une phrase ajoutée.", "2023-01-01T00:00:03"),
        ("d", "http://one.test/story/?utm_source=x", "Autre texte.", "2023-01-01T00:00:04"),  # same canonical URL
        ("e", "http://four.test/other", " ".join(f"Un match de football numéro {n}." for n in range(40)), "2023-01-01T00:00:05"),
    ]
    from extract.fingerprint import content_hash, minhash

    store.save_pages(db, [{"id": i, "url": u, "fetch_status": "ok"} for i, u, _, _ in rows])
    store.save_articles(db, [
        {"page_id": i, "url": u, "status": "article", "text": t, "content_hash": content_hash(t), "minhash": minhash(t), "extracted_at": at}
        for i, u, t, at in rows
    ])
    store.save_entities(db, "c", [{"label": "ORG", "name": "Telegram", "text": "Telegram", "start": 0, "end": 8}])
    assert link_duplicates(db) == 3
    links = {r["page_id"]: (r["duplicate_of"], r["duplicate_reason"]) for r in db["articles"].rows}
    assert links == {"a": (None, None), "b": ("a", "exact"), "c": ("a", "near"), "d": ("a", "url"), "e": (None, None)}
    assert db["mentions"].count == 0  # the copy's mentions are gone: counts do not double
    assert link_duplicates(db) == 3  # idempotent


def test_articles_published_outside_the_window_are_kept_but_marked(tmp_path, expected):
    from crawler.config import DateWindow

    db = store.open_db(str(tmp_path / "v.db"))
    stored_pages(db, expected, 6)
    extract_pages(db, load_config(SITE / "veille.toml"), workers=1, window=DateWindow(until="2021-12-31"))
    statuses = {row["published"][:10]: row["status"] for row in db["articles"].rows}
    assert statuses and all((status == "article") == (day <= "2021-12-31") for day, status in statuses.items())
    assert "out_of_window" in statuses.values()


def test_a_crawl_can_keep_only_relevant_articles(tmp_path, expected):
    db = store.open_db(str(tmp_path / "v.db"))
    stored_pages(db, expected, len(expected["articles"]))
    extract_pages(db, load_config(SITE / "veille.toml"), workers=1, min_relevance=0.5)
    topical = {a["path"]: a["on_topic"] for a in expected["articles"]}
    for row in db["articles"].rows:
        path = row["url"].removeprefix("http://example.test") if row["url"] else None
        on_topic = topical[path]
        assert (row["status"] == "irrelevant") == (not on_topic), (path, row["status"], row["relevance"])
    assert analyze_articles(db, load_config(SITE / "veille.toml")) > 0
    irrelevant = [r["page_id"] for r in db["articles"].rows if r["status"] == "irrelevant"]
    assert irrelevant and db.execute(f"select count(*) from mentions where article_id in ({','.join('?' * len(irrelevant))})", irrelevant).fetchone()[0] == 0
