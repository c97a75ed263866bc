"""Reviewing in Datasette: veille's metadata, templates and plugin, for ``veille serve`` and tests.

Example::

    ds = datasette_app("veille.db")                  # the real Datasette, as `veille serve` runs it
    response = await ds.client.get("/veille/articles.json")
"""

from __future__ import annotations

import html
import json
import sqlite3
from pathlib import Path

import markupsafe
import yaml
from datasette import hookimpl


METADATA = Path(__file__).with_name("metadata.yml")
TEMPLATES = Path(__file__).with_name("templates")
# Suggested facets run a query per column of every table page: too slow on 100k articles. A
# whole-history query over 2 million mentions takes seconds; better slow than refused.
SETTINGS = {"suggest_facets": False, "sql_time_limit_ms": 15_000}
LABEL_ORDER = {"PERSON": 0, "ORG": 1, "DATE": 2, "LOC": 3, "MISC": 4}
LABEL_COLOURS = {"PERSON": "#fde68a", "ORG": "#bfdbfe", "DATE": "#bbf7d0", "LOC": "#e9d5ff", "MISC": "#e5e7eb"}


def datasette_metadata(db_path: str) -> dict:
    """The bundled metadata, keyed on this database's name (Datasette names a database by its file stem)."""
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    name = Path(db_path).stem
    metadata["databases"] = {name: metadata["databases"]["veille"]}
    metadata["description_html"] = metadata["description_html"].replace('href="/veille/', f'href="/{name}/')
    return metadata


def datasette_app(db_path: str):
    """A Datasette instance on ``db_path`` with veille's metadata and templates (the plugin is
    registered through the package's ``datasette`` entry point)."""
    from datasette.app import Datasette

    return Datasette([db_path], metadata=datasette_metadata(db_path), template_dir=str(TEMPLATES), settings=SETTINGS)


# How each kind of paragraph (``articles.paragraphs``) shows on the article page.
BLOCK_TAGS = {"heading": "h3", "quote": "blockquote", "item": "li", "code": "pre"}


def highlighted_text(text: str, mentions: list[dict], entity_url: str, kinds: list[str] | None = None) -> str:
    """The article text as HTML paragraphs (headings, quotes, list items as such when ``kinds``
    gives each line's kind), each mention a link to its entity, coloured by label.

    >>> highlighted_text("Gab said no.", [{"start": 0, "end": 3, "label": "ORG", "entity_id": "e1", "name": "Gab"}], "/db/entities/")
    '<p><a class="veille-mention veille-ORG" href="/db/entities/e1" title="ORG: Gab">Gab</a> said no.</p>'
    >>> highlighted_text("Moderation\\nGab said no.", [], "/", kinds=["heading", "paragraph"])
    '<h3>Moderation</h3><p>Gab said no.</p>'
    """
    pieces, position = [], 0
    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        if m["start"] < position:  # overlapping mentions: the first one shows
            continue
        pieces.append(html.escape(text[position : m["start"]]))
        title = html.escape(f"{m['label']}: {m['name']}" + (f" = {m['value']}" if m.get("value") else ""))
        pieces.append(
            f'<a class="veille-mention veille-{m["label"]}" href="{entity_url}{m["entity_id"]}" title="{title}">'
            f"{html.escape(text[m['start']:m['end']])}</a>"
        )
        position = m["end"]
    pieces.append(html.escape(text[position:]))
    paragraphs = "".join(pieces).split("\n")
    kinds = kinds if kinds and len(kinds) == len(paragraphs) else ["paragraph"] * len(paragraphs)
    tags = [BLOCK_TAGS.get(kind, "p") for kind in kinds]
    return "".join(f"<{tag}>{p}</{tag}>" for tag, p in zip(tags, paragraphs) if p.strip())


@hookimpl
def render_cell(value, column, table, database, datasette):
    """In query results, article and entity ids link to their pages (``article_ids``: a list)."""
    if table is not None or not isinstance(value, str) or column not in ("article_id", "entity_id", "article_ids"):
        return None
    target = "entities" if column == "entity_id" else "articles"
    base = datasette.urls.table(database, target) + "/"
    ids = json.loads(value) if column == "article_ids" and value.startswith("[") else [value]
    return markupsafe.Markup(", ".join(f'<a href="{base}{html.escape(i)}">{html.escape(i)}</a>' for i in ids))


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    """An article's page gets its readable, highlighted text and entity list; an entity's page its
    articles. Other databases' tables of the same names are left alone."""
    if view_name != "row" or table not in ("articles", "entities") or request is None:
        return {}

    async def page_vars():
        db, pk = datasette.get_database(database), request.url_vars.get("pks")
        try:
            if table == "articles":
                return await article_vars(db, pk, datasette.urls.table(database, "entities") + "/")
            return await entity_vars(db, pk, datasette.urls.table(database, "articles") + "/")
        except sqlite3.Error:  # not a veille database
            return {}

    return page_vars


async def article_vars(db, article_id: str, entity_url: str) -> dict:
    article = (await db.execute("select title, text, paragraphs, url, published, outlet, language from articles where page_id = ?", [article_id])).first()
    if article is None or not article["text"]:
        return {}
    rows = await db.execute(
        """select m.start, m."end", m.label, m.entity_id, m.value, m.text, e.name
           from mentions m join entities e on e.id = m.entity_id where m.article_id = ? order by m.start""",
        [article_id],
    )
    mentions = [dict(r) for r in rows]
    entities: dict[tuple[str, str, str], list[dict]] = {}
    for m in mentions:
        entities.setdefault((m["label"], m["name"], m["entity_id"]), []).append(m)
    order = sorted(entities.items(), key=lambda item: (LABEL_ORDER.get(item[0][0], 9), -len(item[1]), item[0][1]))
    return {
        "veille_article": dict(article),
        "veille_text_html": highlighted_text(
            article["text"], mentions, entity_url, [p["kind"] for p in json.loads(article["paragraphs"] or "[]")]
        ),
        "veille_entities": [
            {"label": label, "name": name, "url": entity_url + eid, "count": len(ms), "mentions": ms} for (label, name, eid), ms in order
        ],
        "veille_colours": LABEL_COLOURS,
    }


async def entity_vars(db, entity_id: str, article_url: str) -> dict:
    rows = await db.execute(
        """select a.page_id, a.title, a.published, a.outlet, a.language, count(*) as mentions
           from mentions m join articles a on a.page_id = m.article_id
           where m.entity_id = ? group by a.page_id order by a.published desc limit 200""",
        [entity_id],
    )
    return {"veille_entity_articles": [{**dict(r), "url": article_url + r["page_id"]} for r in rows]}
