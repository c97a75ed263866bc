"""The crawled database served by the real Datasette with veille's metadata, templates and plugin.

Each canned query is checked against the same answer computed in Python from the raw tables, so a
wrong join or filter fails here.
"""

import asyncio
import json
import re
import shutil
import sqlite3
from collections import Counter, defaultdict

import pytest
import yaml

from crawler.browse import METADATA, datasette_app
from tests.conftest import run_veille


def fetch(db_path, path, method="get", actor=None, **kwargs):
    async def go():
        ds = datasette_app(str(db_path))
        cookies = {"ds_actor": ds.sign({"a": actor}, "actor")} if actor else {}
        return await getattr(ds.client, method)(path, cookies=cookies, **kwargs)

    return asyncio.run(go())


def review(db_path, name, params, actor=None):
    """Post a review form as a browser does: open the query's page (which sets the CSRF cookie
    and token), then submit it; returns the JSON answer or the refused response."""

    async def go():
        ds = datasette_app(str(db_path))
        cookies = {"ds_actor": ds.sign({"a": actor}, "actor")} if actor else {}
        page = await ds.client.get(f"/veille/{name}", cookies=cookies)
        if page.status_code != 200:
            return page
        token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
        cookies["ds_csrftoken"] = page.cookies["ds_csrftoken"]
        return await ds.client.post(
            f"/veille/{name}", cookies=cookies, data={**params, "csrftoken": token}, headers={"accept": "application/json"}
        )

    return asyncio.run(go())


def rows(db_path, path):
    response = fetch(db_path, path)
    assert response.status_code == 200, response.text[:500]
    return response.json()["rows"]


def query(db_path, name, **params):
    """A canned query's rows; every parameter the query declares is sent (blank when not given)."""
    return rows(db_path, f"/veille/{name}.json?" + "&".join(f"{k}={v}" for k, v in params.items()) + "&_shape=objects&_size=max")


@pytest.fixture(scope="module")
def raw(db):
    """The tables as plain Python, the queries' reference."""
    articles = {r["page_id"]: dict(r) for r in db.execute("select * from articles")}
    entities = {r["id"]: dict(r) for r in db.execute("select * from entities")}
    mentions = [dict(r) for r in db.execute("select * from mentions")]
    return articles, entities, mentions


def entity_ids(entities, word):
    """Entities with ``word`` among the whole words of their name or aliases, as the entities'
    full-text index finds them."""
    return {i for i, e in entities.items() if word.casefold() in re.findall(r"\w+", f"{e['name']} {e['aliases']}".casefold())}


def test_every_table_and_column_is_described():
    tables = yaml.safe_load(METADATA.read_text())["databases"]["veille"]["tables"]
    connection = sqlite3.connect(":memory:")
    from crawler.store import open_db

    db = open_db(":memory:")
    for table in ("pages", "articles", "entities", "mentions", "reviews", "sources", "runs"):
        assert tables[table]["description"]
        columns = {row[1] for row in db.execute(f"pragma table_xinfo({table})").fetchall()}
        assert columns <= set(tables[table]["columns"]), (table, columns - set(tables[table]["columns"]))
    connection.close()


def test_tables_have_facets_by_language_outlet_and_month(crawl):
    db_path, _ = crawl
    data = fetch(db_path, "/veille/articles.json?_facet=published_month&_size=0").json()
    facets = data["facet_results"]
    facets = facets.get("results", facets)
    assert {"language", "outlet", "relevance_band", "published_month"} <= set(facets)
    assert {f["value"] for f in facets["language"]["results"]} == {"fr", "en"}


def test_articles_mentioning_an_entity(crawl, raw):
    db_path, _ = crawl
    articles, entities, mentions = raw
    got = query(db_path, "articles_mentioning", entity="Parler", language="fr", since="", until="")
    named = entity_ids(entities, "Parler")
    wanted = {(m["article_id"], entities[m["entity_id"]]["name"]) for m in mentions if m["entity_id"] in named and articles[m["article_id"]]["language"] == "fr"}
    assert got and {(r["article_id"], r["name"]) for r in got} == wanted
    assert [r["published"] for r in got] == sorted((r["published"] for r in got), reverse=True)


def test_entities_mentioned_with_an_entity(crawl, raw):
    db_path, _ = crawl
    articles, entities, mentions = raw
    gab = entity_ids(entities, "Gab")
    with_gab = {m["article_id"] for m in mentions if m["entity_id"] in gab}
    wanted = defaultdict(set)
    for m in mentions:
        if m["article_id"] in with_gab and m["entity_id"] not in gab and entities[m["entity_id"]]["label"] == "ORG":
            wanted[entities[m["entity_id"]]["name"]].add(m["article_id"])
    got = query(db_path, "cooccurring_entities", entity="Gab", label="ORG", language="", since="", until="")
    assert {r["name"]: set(json.loads(r["article_ids"])) for r in got} == wanted
    assert {r["name"]: r["articles"] for r in got} == {name: len(ids) for name, ids in wanted.items()}
    french = query(db_path, "cooccurring_entities", entity="Gab", label="ORG", language="fr", since="", until="")
    assert all(articles[a]["language"] == "fr" for r in french for a in json.loads(r["article_ids"]))


def test_top_entities_over_a_date_range(crawl, raw):
    db_path, _ = crawl
    articles, entities, mentions = raw
    in_range = {a for a, row in articles.items() if row["published"] and "2021-01-01" <= row["published"][:10] <= "2021-12-31"}
    wanted = defaultdict(set)
    for m in mentions:
        if m["article_id"] in in_range and entities[m["entity_id"]]["label"] in ("PERSON", "ORG"):
            wanted[m["entity_id"]].add(m["article_id"])
    got = query(db_path, "top_entities", label="", language="", since="2021-01-01", until="2021-12-31")
    assert {r["entity_id"]: r["articles"] for r in got} == {e: len(a) for e, a in wanted.items()}


def test_entity_timeline_and_articles_per_outlet_per_day(crawl, raw):
    db_path, _ = crawl
    articles, entities, mentions = raw
    parler = entity_ids(entities, "Parler")
    per_day = Counter(articles[m["article_id"]]["published"][:10] for m in mentions if m["entity_id"] in parler and articles[m["article_id"]]["published"])
    assert {r["day"]: r["mentions"] for r in query(db_path, "entity_timeline", entity="Parler")} == per_day
    wanted = Counter(
        (a["published"][:10], a["outlet"]) for a in articles.values()
        if a["status"] == "article" and a["duplicate_of"] is None and a["published"]
    )
    got = query(db_path, "articles_per_outlet_per_day", since="", until="")
    assert {(r["day"], r["outlet"]): r["articles"] for r in got} == wanted


def test_dates_mentioned_show_surface_and_value(crawl, raw):
    db_path, _ = crawl
    _, _, mentions = raw
    got = query(db_path, "dates_mentioned", value="2021-01")
    wanted = [m for m in mentions if m["label"] == "DATE" and (m["value"] or "").startswith("2021-01")]
    assert len(got) == len(wanted) > 0
    assert {(r["written"], r["normalised"]) for r in got} == {(m["text"], m["value"]) for m in wanted}


def test_full_text_search_over_articles_and_entity_aliases(crawl, raw):
    db_path, _ = crawl
    found = rows(db_path, "/veille/articles.json?_search=Mastodon&_shape=objects")
    assert found and all("mastodon" in (r["title"] + r["text"]).lower() for r in found)
    _, entities, _ = raw
    aliased = next(e for e in entities.values() if e["aliases"] and e["aliases"] != "[]" and e["label"] != "DATE")
    alias = json.loads(aliased["aliases"])[0]
    names = {r["name"] for r in rows(db_path, f'/veille/entities.json?_search="{alias}"&_shape=objects')}
    assert aliased["name"] in names


def test_article_page_shows_readable_text_with_linked_entities_and_back(crawl, raw):
    db_path, _ = crawl
    articles, entities, mentions = raw
    article_id = max(articles, key=lambda a: sum(m["article_id"] == a for m in mentions))
    page = fetch(db_path, f"/veille/articles/{article_id}").text
    assert 'class="veille-article"' in page and articles[article_id]["title"] in page.replace("&#39;", "'").replace("&#x27;", "'")
    linked = {m["entity_id"] for m in mentions if m["article_id"] == article_id}
    assert all(f"/veille/entities/{e}" in page for e in linked)
    entity_page = fetch(db_path, f"/veille/entities/{next(iter(linked))}").text
    assert f"/veille/articles/{article_id}" in entity_page and "Articles mentioning it" in entity_page


def test_reviews_need_a_signed_in_reviewer_and_survive_re_tagging(crawl, raw, tmp_path):
    articles, entities, mentions = raw
    db_path = tmp_path / "veille.db"
    shutil.copy(crawl[0], db_path)
    wrong = next(m for m in mentions if m["label"] == "ORG")
    relabel = next(m for m in mentions if m["label"] == "PERSON" and m["article_id"] != wrong["article_id"])
    params = {k: wrong[k] for k in ("article_id", "start", "end", "label")} | {"note": "not a company"}

    anonymous = review(db_path, "review_mention_wrong", params)
    assert anonymous.status_code == 403
    forged = fetch(db_path, "/veille/review_mention_wrong", "post", data=params)  # no page, no token, no sign-in
    assert forged.status_code == 403
    span = "select label from mentions where article_id = ? and start = ? and \"end\" = ?"
    assert sqlite3.connect(db_path).execute(span, [wrong["article_id"], wrong["start"], wrong["end"]]).fetchall() == [("ORG",)]

    reviewer = {"id": "alice"}
    done = review(db_path, "review_mention_wrong", params, reviewer)
    assert done.status_code == 200 and done.json()["ok"], done.text[:300]
    relabel_params = {k: relabel[k] for k in ("article_id", "start", "end", "label")} | {"new_label": "ORG", "note": ""}
    assert review(db_path, "review_mention_label", relabel_params, reviewer).json()["ok"]
    two = sorted((e for e in entities.values() if e["label"] == "ORG"), key=lambda e: e["name"])[:2]
    merge = {"entity_id": two[0]["id"], "into_entity_id": two[1]["id"], "note": ""}
    assert review(db_path, "review_entity_merge", merge, reviewer).json()["ok"]
    assert not review(db_path, "review_entity_merge", {**merge, "into_entity_id": "nope"}, reviewer).json()["ok"]  # refused by the database
    off_topic = min(m["article_id"] for m in mentions if m["label"] == "ORG" and m["article_id"] != wrong["article_id"])
    assert review(db_path, "review_article_irrelevant", {"article_id": off_topic, "note": ""}, reviewer).json()["ok"]

    def state():
        connection = sqlite3.connect(db_path)
        return (
            connection.execute(span, [wrong["article_id"], wrong["start"], wrong["end"]]).fetchall(),
            connection.execute(span, [relabel["article_id"], relabel["start"], relabel["end"]]).fetchall(),
            connection.execute("select count(*) from mentions where entity_id = ?", [two[0]["id"]]).fetchone()[0],
            connection.execute("select review, reviewed_by from articles where page_id = ?", [off_topic]).fetchone(),
            connection.execute("select count(*), min(reviewer) from reviews").fetchone(),
        )

    after_review = state()
    assert after_review == ([], [("ORG",)], 0, ("irrelevant", "alice"), (4, "alice"))
    retag = run_veille("tag", "--redo", "--db", str(db_path))
    assert retag.returncode == 0, retag.stderr[-2000:]
    assert state() == after_review  # the reviewers' decisions hold after a full re-tagging
    mentioned = next(entities[m["entity_id"]]["name"] for m in mentions if m["article_id"] == off_topic and m["label"] == "ORG")
    assert off_topic in {r["article_id"] for r in query(crawl[0], "articles_mentioning", entity=mentioned, language="", since="", until="")}
    assert off_topic not in {r["article_id"] for r in query(db_path, "articles_mentioning", entity=mentioned, language="", since="", until="")}
