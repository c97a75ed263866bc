"""The database: the one module that knows the schema, its migrations and how rows are written.

Every stage reads and writes through these functions, so the shape of ``veille.db`` lives here only.

Example::

    db = open_db("veille.db")          # creates or migrates, WAL mode
    save_pages(db, [page_row])         # idempotent upserts keyed on the page id
"""

from __future__ import annotations

import hashlib
import json
import zlib
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

import sqlite_utils

from crawler.urls import canonical_url

SCHEMA_VERSION_TABLE = "_migrations"


def utc_now() -> str:
    """Current UTC time as ISO 8601 (seconds), e.g. ``2026-11-25T16:47:07+00:00``."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def url_key(url: str) -> str:
    """Stable short id of a URL: the hash of its canonical form (``crawler.urls.canonical_url``).

    >>> url_key("http://a.org/x/?b=1&a=2&utm_medium=rss#top") == url_key("http://A.org:80/x?a=2&b=1")
    True
    """
    return hashlib.sha1(canonical_url(url).encode()).hexdigest()[:16]


def entity_key(label: str, name: str) -> str:
    """Stable id of a canonical entity, e.g. ``entity_key("ORG", "Parler")``."""
    return hashlib.sha1(f"{label}\x1f{name}".encode()).hexdigest()[:16]


def compress(body: bytes) -> bytes:
    return zlib.compress(body, 6)


def decompress(blob: bytes | None) -> bytes:
    return zlib.decompress(blob) if blob else b""


# --- migrations -------------------------------------------------------------------------------
# Append new functions; never edit one that has shipped. Each runs once, in order, and is recorded.


def m001_initial(db: sqlite_utils.Database) -> None:
    db["pages"].create(
        {
            "id": str,  # url_key(final_url): one row per page, whatever redirected to it
            "url": str,  # requested URL
            "final_url": str,  # after redirects
            "status": int,  # HTTP status, null when no response
            "fetch_status": str,  # ok | http_error | not_html | network_error | robots
            "error": str,
            "content_type": str,
            "encoding": str,
            "headers": str,  # JSON: the headers that matter
            "body": bytes,  # zlib-compressed raw body
            "body_size": int,
            "fetched_at": str,
            "outlet": str,
            "spider": str,
            "source_url": str,  # feed or sitemap the URL came from
            "hint_published": str,  # date given by the feed or sitemap
            "run_id": int,
        },
        pk="id",
    )
    db["articles"].create(
        {
            "page_id": str,
            "status": str,  # article | not_article | failed
            "url": str,  # canonical URL
            "title": str,
            "text": str,
            "authors": str,  # JSON list
            "published": str,
            "language": str,
            "language_source": str,  # page | detected
            "sitename": str,
            "outlet": str,
            "word_count": int,
            "relevance": float,
            "relevance_terms": str,  # JSON list
            "extracted_at": str,
            "analyzed_at": str,
        },
        pk="page_id",
        foreign_keys=[("page_id", "pages", "id")],
    )
    db["entities"].create(
        {"id": str, "label": str, "name": str, "aliases": str},
        pk="id",
    )
    db["mentions"].create(
        {
            "article_id": str,
            "start": int,
            "end": int,
            "label": str,
            "entity_id": str,
            "text": str,
            "sentence": str,
            "value": str,  # normalised ISO value, DATE only
        },
        pk=("article_id", "start", "end", "label"),
        foreign_keys=[("article_id", "articles", "page_id"), ("entity_id", "entities", "id")],
    )
    db["runs"].create(
        {
            "id": int,
            "command": str,
            "arguments": str,
            "started_at": str,
            "ended_at": str,
            "pages_fetched": int,
            "pages_failed": int,
            "articles": int,
            "mentions": int,
        },
        pk="id",
    )
    db["pages"].create_index(["outlet"])
    db["pages"].create_index(["fetch_status"])
    db["articles"].create_index(["language"])
    db["articles"].create_index(["outlet"])
    db["articles"].create_index(["published"])
    db["articles"].create_index(["status"])
    db["entities"].create_index(["label", "name"], unique=True)
    db["mentions"].create_index(["entity_id"])
    db["mentions"].create_index(["label"])
    db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")


def m002_duplicates(db: sqlite_utils.Database) -> None:
    """Syndicated copies: each article's fingerprints and, for a copy, the article it copies."""
    articles = db["articles"]
    articles.add_column("content_hash", str)
    articles.add_column("minhash", bytes)
    articles.add_column("duplicate_of", str)
    articles.add_column("duplicate_reason", str)  # url | exact | near
    articles.create_index(["content_hash"])
    articles.create_index(["url"])
    articles.create_index(["duplicate_of"])


def m003_sources(db: sqlite_utils.Database) -> None:
    """Feeds and sitemaps: last outcome, validators for conditional requests, entries listed."""
    db["sources"].create(
        {
            "url": str,
            "kind": str,
            "outlet": str,
            "status": int,
            "etag": str,
            "last_modified": str,
            "entries": int,
            "error": str,
            "fetched_at": str,
        },
        pk="url",
    )


def m004_reviews(db: sqlite_utils.Database) -> None:
    """Reviewers' decisions, applied by triggers so that they hold whoever writes them (Datasette's
    canned queries, the Python API, plain SQL) and whenever ``veille tag`` writes the mentions again:

    - ``mention_wrong`` (article_id, start, end, label): the mention is removed;
    - ``mention_label`` (... and new_label): the mention moves to the entity of that label;
    - ``entity_merge`` (entity_id, into_entity_id): the entity becomes an alias of the other;
    - ``article_irrelevant`` / ``article_relevant`` (article_id): sets ``articles.review``.
    """
    db["reviews"].create(
        {
            "id": int,
            "action": str,
            "article_id": str,
            "start": int,
            "end": int,
            "label": str,
            "new_label": str,
            "entity_id": str,
            "into_entity_id": str,
            "reviewer": str,
            "note": str,
            "created_at": str,
        },
        pk="id",
    )
    db["reviews"].create_index(["article_id"])
    db["entities"].add_column("merged_into", str)
    db["entities"].create_index(["merged_into"])
    db["articles"].add_column("review", str)  # irrelevant | relevant, by a reviewer
    db["articles"].add_column("reviewed_by", str)
    # Facets by day, month and relevance band, computed by SQLite (never written, never stale).
    for column, expression in {
        "published_day": "substr(published, 1, 10)",
        "published_month": "substr(published, 1, 7)",
        "relevance_band": "case when relevance is not null then printf('%.1f', relevance) end",
    }.items():
        db.execute(f"alter table articles add column {column} text generated always as ({expression}) virtual")
    db.executescript(
        """
        create trigger reviews_check before insert on reviews
        when new.action not in ('mention_wrong', 'mention_label', 'entity_merge', 'article_irrelevant', 'article_relevant')
          or (new.action = 'mention_label' and new.new_label not in ('PERSON', 'ORG', 'DATE', 'LOC', 'MISC'))
          or (new.action = 'entity_merge' and (new.entity_id = new.into_entity_id
              or not exists (select 1 from entities where id = new.into_entity_id)))
        begin
          select raise(abort, 'unknown review action, label or entity');
        end;

        -- A decision about mentions re-writes them, so that mentions_reviewed below is the one
        -- place saying how a review changes a mention, whether it is new or re-tagged.
        create trigger reviews_apply after insert on reviews
        begin
          update entities set aliases = (
              select json_group_array(value) from (
                select value from json_each(coalesce(entities.aliases, '[]'))
                union select value from json_each(coalesce((select aliases from entities where id = new.entity_id), '[]'))
                union select name from entities where id = new.entity_id))
            where new.action = 'entity_merge' and id = new.into_entity_id;
          update entities set merged_into = new.into_entity_id
            where new.action = 'entity_merge' and (id = new.entity_id or merged_into = new.entity_id);
          insert or replace into mentions (article_id, start, "end", label, entity_id, text, sentence, value)
            select article_id, start, "end", label, entity_id, text, sentence, value from mentions
            where (new.action in ('mention_wrong', 'mention_label') and article_id = new.article_id
                   and start = new.start and "end" = new."end" and label = new.label)
               or (new.action = 'entity_merge' and entity_id = new.entity_id);
          update articles set review = substr(new.action, 9), reviewed_by = new.reviewer
            where new.action in ('article_irrelevant', 'article_relevant') and page_id = new.article_id;
        end;

        create trigger mentions_reviewed after insert on mentions
        when exists (select 1 from reviews where article_id = new.article_id)
          or exists (select 1 from entities where id = new.entity_id and merged_into is not null)
        begin
          delete from mentions where rowid = new.rowid and exists (
            select 1 from reviews r where r.action = 'mention_wrong' and r.article_id = new.article_id
              and r.start = new.start and r."end" = new."end" and r.label = new.label);
          insert or ignore into entities (id, label, name, aliases)
            select lower(hex(randomblob(8))), r.new_label, e.name, '[]'
            from reviews r join entities e on e.id = new.entity_id
            where r.action = 'mention_label' and r.article_id = new.article_id
              and r.start = new.start and r."end" = new."end" and r.label = new.label;
          update or replace mentions
            set label = r.new_label,
                entity_id = (select n.id from entities o join entities n on n.label = r.new_label and n.name = o.name
                             where o.id = new.entity_id)
            from (select new_label from reviews where action = 'mention_label' and article_id = new.article_id
                  and start = new.start and "end" = new."end" and label = new.label order by id desc limit 1) as r
            where mentions.rowid = new.rowid;
          update mentions set entity_id = (select merged_into from entities where id = new.entity_id)
            where rowid = new.rowid and exists (select 1 from entities where id = new.entity_id and merged_into is not null);
        end;
        """
    )
    db["entities"].enable_fts(["name", "aliases"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")
    # Joins and facets of the review queries (checked with EXPLAIN QUERY PLAN on 2 million mentions).
    db["mentions"].create_index(["entity_id", "article_id"])
    db["articles"].create_index(["outlet", "published"])
    db["articles"].create_index(["language", "published"])
    db["entities"].create_index(["label"])


def m005_paragraphs(db: sqlite_utils.Database) -> None:
    """``articles.paragraphs``: the body's structure, a JSON list of ``{"kind", "text"}`` (kind
    ``heading``, ``paragraph``, ``item``, ``quote``, ``table`` or ``code``) whose texts, one per
    line, are ``articles.text``. Articles extracted before stay NULL until ``veille extract --redo``."""
    db["articles"].add_column("paragraphs", str)


MIGRATIONS = [m001_initial, m002_duplicates, m003_sources, m004_reviews, m005_paragraphs]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this database has not seen yet; return their names."""
    done = {row["name"] for row in db[SCHEMA_VERSION_TABLE].rows} if db[SCHEMA_VERSION_TABLE].exists() else set()
    applied = []
    for migration in MIGRATIONS:
        if migration.__name__ in done:
            continue
        # One transaction per migration (sqlite-utils 4 commits each statement outside one):
        # a process killed half-way leaves the schema as it was, not half-created for ever.
        with db.atomic():
            migration(db)
            db[SCHEMA_VERSION_TABLE].insert({"name": migration.__name__, "applied_at": utc_now()}, pk="name")
        applied.append(migration.__name__)
    return applied


def open_db(path: str) -> sqlite_utils.Database:
    """Open (creating or migrating) the database at ``path`` in WAL mode."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA busy_timeout = 30000")
    db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    migrate(db)
    return db


# --- runs -------------------------------------------------------------------------------------


def start_run(db: sqlite_utils.Database, command: str, arguments: dict[str, Any]) -> int:
    with db.atomic():
        return db["runs"].insert(
            {"command": command, "arguments": json.dumps(arguments, default=str), "started_at": utc_now()}
        ).last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, **counts: int) -> None:
    with db.atomic():
        db["runs"].update(run_id, {"ended_at": utc_now(), **counts})


# --- pages ------------------------------------------------------------------------------------


def upsert(db: sqlite_utils.Database, table: str, rows: Iterable[dict[str, Any]], pk: str) -> int:
    """Insert or update ``rows`` in one transaction; returns how many were written."""
    rows = list(rows)
    if rows:
        with db.atomic():
            db[table].upsert_all(rows, pk=pk)
    return len(rows)


def save_pages(db: sqlite_utils.Database, rows: Iterable[dict[str, Any]]) -> int:
    """Upsert fetched pages (one row per final URL); returns how many were written."""
    return upsert(db, "pages", rows, "id")


def known_page_urls(db: sqlite_utils.Database) -> set[str]:
    """``url_key`` of every URL (requested or final) of pages already fetched successfully."""
    known = set()
    for page_id, url in db.execute("select id, url from pages where fetch_status = 'ok'"):
        known.update((page_id, url_key(url)))
    return known


def pages_to_extract(db: sqlite_utils.Database, redo: bool = False, batch_size: int = 64) -> Iterator[dict[str, Any]]:
    """Fetched HTML pages with no article yet (or all of them with ``redo``).

    The ids are read first and the pages ``batch_size`` at a time, so that the caller can write
    articles between batches (SQLite refuses writes to a table an open query is reading).
    """
    sql = "select p.id from pages p where p.fetch_status = 'ok'"
    if not redo:
        sql += " and not exists (select 1 from articles a where a.page_id = p.id)"
    ids = [row[0] for row in db.execute(sql + " order by p.id")]
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        yield from list(db.query(f"select * from pages where id in ({', '.join('?' * len(chunk))}) order by id", chunk))


def save_sources(db: sqlite_utils.Database, rows: Iterable[dict[str, Any]]) -> int:
    """Upsert feed and sitemap fetches; a 304 keeps the validators it did not repeat."""
    rows = [{k: v for k, v in row.items() if v is not None or k in ("error", "entries")} for row in rows]
    return upsert(db, "sources", rows, "url")


def source_validators(db: sqlite_utils.Database) -> dict[str, tuple[str | None, str | None]]:
    """url → (ETag, Last-Modified) of feeds and sitemaps last read in full."""
    if not db["sources"].exists():
        return {}
    return {url: (etag, modified) for url, etag, modified in db.execute("select url, etag, last_modified from sources")}


# --- articles ---------------------------------------------------------------------------------


def save_articles(db: sqlite_utils.Database, rows: Iterable[dict[str, Any]]) -> int:
    """Upsert extracted articles (one per page); returns how many were written."""
    return upsert(db, "articles", rows, "page_id")


def untagged_articles(redo: bool) -> str:
    """The articles the entity stage works on: originals (not copies), not tagged yet unless ``redo``."""
    return "articles where status = 'article' and duplicate_of is null" + ("" if redo else " and analyzed_at is null")


def analysis_backlog(db: sqlite_utils.Database, redo: bool = False) -> int:
    """How many articles ``articles_to_analyze`` would hand out."""
    return db.execute(f"select count(*) from {untagged_articles(redo)}").fetchone()[0]


def articles_to_analyze(db: sqlite_utils.Database, redo: bool = False, batch_size: int = 64) -> Iterator[dict[str, Any]]:
    """Articles whose entities are not tagged yet (or all of them with ``redo``), by language so
    that ``nlp.pipe`` gets long same-language batches. Like ``pages_to_extract``, ids first and
    texts ``batch_size`` at a time: memory does not grow with the database, and the caller can
    write mentions between batches."""
    ids = [row[0] for row in db.execute(f"select page_id from {untagged_articles(redo)} order by language, page_id")]
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        # Read whole before it is handed out: the caller writes mentions while it holds these rows.
        yield from list(db.query(
            f"select page_id, text, language, published, authors from articles where page_id in ({', '.join('?' * len(chunk))})"
            " order by language, page_id",
            chunk,
        ))


def articles_for_duplicates(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    """Articles with their fingerprints, earliest published first, then first fetched (the pages'
    insertion order): the first of a story stays canonical, whatever order a re-run sees."""
    yield from db.query(
        """select a.page_id, a.url, a.content_hash, a.minhash from articles a join pages p on p.id = a.page_id
           where a.status = 'article' order by coalesce(a.published, '9999'), p.rowid"""
    )


def mark_duplicates(db: sqlite_utils.Database, links: dict[str, tuple[str | None, str | None]]) -> None:
    """Set ``duplicate_of`` and its reason per article; a copy's mentions go, so counts do not double."""
    with db.atomic():
        for page_id, (canonical, reason) in links.items():
            db.execute("update articles set duplicate_of = ?, duplicate_reason = ? where page_id = ?", [canonical, reason, page_id])
            if canonical:
                db.execute("delete from mentions where article_id = ?", [page_id])


# --- entities and mentions --------------------------------------------------------------------


def save_entities(db: sqlite_utils.Database, article_id: str, mentions: list[dict[str, Any]]) -> int:
    """Replace the mentions of one article; entities are shared rows, their aliases merged.

    ``mentions`` are dicts with ``label, name, text, start, end, sentence, value``.
    """
    with db.atomic():
        db.execute("delete from mentions where article_id = ?", [article_id])
        aliases: dict[tuple[str, str], set[str]] = {}
        for m in mentions:
            aliases.setdefault((m["label"], m["name"]), set()).add(m["text"])
        ids: dict[tuple[str, str], str] = {}
        for (label, name), seen in aliases.items():
            # The row of this label and name, whatever its id (a reviewer's relabelling may have made it).
            existing = db.execute("select id, aliases from entities where label = ? and name = ?", [label, name]).fetchone()
            ids[label, name] = existing[0] if existing else entity_key(label, name)
            known = set(json.loads(existing[1])) if existing and existing[1] else set()
            merged = sorted((known | seen) - {name})
            db["entities"].upsert(
                {"id": ids[label, name], "label": label, "name": name, "aliases": json.dumps(merged, ensure_ascii=False)}, pk="id"
            )
        db["mentions"].insert_all(
            (
                {
                    "article_id": article_id,
                    "start": m["start"],
                    "end": m["end"],
                    "label": m["label"],
                    "entity_id": ids[m["label"], m["name"]],
                    "text": m["text"],
                    "sentence": m.get("sentence"),
                    "value": m.get("value"),
                }
                for m in mentions
            ),
            pk=("article_id", "start", "end", "label"),
            replace=True,
        )
        db["articles"].update(article_id, {"analyzed_at": utc_now()})
    return len(mentions)


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Row counts of the main tables, e.g. ``{"pages": 30, "articles": 18, ...}``."""
    return {name: db[name].count for name in ("pages", "articles", "entities", "mentions", "runs")}
