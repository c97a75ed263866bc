"""The crawled database served by the real Datasette with the bundled metadata."""

import asyncio

from datasette.app import Datasette

from crawler.cli import datasette_metadata


def get_json(db_path, path):
    async def fetch():
        ds = Datasette([str(db_path)], metadata=datasette_metadata(str(db_path)))
        response = await ds.client.get(path)
        assert response.status_code == 200, response.text[:500]
        return response.json()

    return asyncio.run(fetch())


def test_tables_have_descriptions_and_facets(crawl):
    db_path, _ = crawl
    data = get_json(db_path, "/veille/articles.json?_extra=facet_results&_size=0")
    facets = data["facet_results"]
    facets = facets.get("results", facets)
    assert {"language", "outlet"} <= set(facets)
    languages = {f["value"] for f in facets["language"]["results"]}
    assert languages == {"fr", "en"}


def test_canned_query_articles_mentioning_an_entity(crawl):
    db_path, _ = crawl
    data = get_json(db_path, "/veille/articles_mentioning.json?entity=Parler&_shape=objects")
    rows = data["rows"]
    assert rows and all("Parler" in row["name"] for row in rows)
    assert {row["language"] for row in rows} == {"fr", "en"}


def test_full_text_search(crawl):
    db_path, _ = crawl
    data = get_json(db_path, "/veille/articles.json?_search=Mastodon&_shape=objects")
    assert data["rows"] and all("mastodon" in (r["title"] + r["text"]).lower() for r in data["rows"])
