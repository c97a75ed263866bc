"""Articles, entities and mentions read from a database as export records, streaming, read-only.

The records' shapes are versioned (``SCHEMA_VERSION``) and described by one JSON Schema per kind in
``crawler/schemas/``; ``crawler.api`` is the public face of this module. Filters are the same
everywhere: ``since``/``until`` (publication dates, inclusive, ``YYYY-MM-DD``), ``outlet``,
``language``, ``label`` (one value or a list), ``min_relevance``, and ``include_irrelevant``
(articles a reviewer marked irrelevant are left out unless it is set).

Example::

    for mention in mentions("veille.db", label="ORG", language="fr"):
        print(mention["name"], mention["sentence"])
"""

from __future__ import annotations

import csv
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from extract import VeilleError

SCHEMA_VERSION = 1
SCHEMAS = Path(__file__).with_name("schemas")
KINDS = ("articles", "entities", "mentions")
JSON_LISTS = {"authors", "relevance_terms", "aliases"}


def connect(db_path: str | Path) -> sqlite3.Connection:
    """A read-only connection: reading never migrates, locks out writers or creates a file."""
    if not Path(db_path).is_file():
        raise VeilleError(f"no database at {db_path}")
    connection = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection


def article_filter(
    since: str | None = None,
    until: str | None = None,
    outlet: str | Iterable[str] | None = None,
    language: str | Iterable[str] | None = None,
    min_relevance: float | None = None,
    include_irrelevant: bool = False,
) -> tuple[str, list[Any]]:
    """SQL condition on ``a`` (articles) and its parameters, e.g. ``("a.language in (?)", ["fr"])``."""
    clauses, params = ["a.status = 'article'"], []
    if since:
        clauses.append("a.published >= ?")
        params.append(since)
    if until:
        clauses.append("a.published < date(?, '+1 day')")
        params.append(until)
    for column, values in (("a.outlet", outlet), ("a.language", language)):
        values = as_list(values)
        if values:
            clauses.append(f"{column} in ({', '.join('?' for _ in values)})")
            params += values
    if min_relevance:
        clauses.append("coalesce(a.relevance, 0) >= ?")
        params.append(min_relevance)
    if not include_irrelevant:
        clauses.append("coalesce(a.review, '') != 'irrelevant'")
    return " and ".join(clauses), params


def label_filter(label: str | Iterable[str] | None, column: str) -> tuple[str, list[str]]:
    labels = as_list(label)
    if not labels:
        return "1", []
    return f"{column} in ({', '.join('?' for _ in labels)})", labels


def as_list(values: str | Iterable[str] | None) -> list[str]:
    if values is None:
        return []
    return [values] if isinstance(values, str) else list(values)


def articles(db_path: str | Path, **filters: Any) -> Iterator[dict]:
    """Articles, newest first, in the ``article`` record shape."""
    where, params = article_filter(**filters)
    sql = f"""select page_id as id, url, title, text, authors, published, language, outlet, sitename, word_count,
                     relevance, relevance_terms, duplicate_of, review, extracted_at, analyzed_at
              from articles a where {where} order by a.published desc, a.page_id"""
    with closing(connect(db_path)) as connection:
        for row in connection.execute(sql, params):
            yield record(row, "article")


def entities(db_path: str | Path, label: str | Iterable[str] | None = None, **filters: Any) -> Iterator[dict]:
    """Entities mentioned in the articles the filters keep, most mentioned first, with their counts
    there (``articles``, ``mentions``), in the ``entity`` record shape."""
    where, params = article_filter(**filters)
    labels, label_params = label_filter(label, "e.label")
    sql = f"""select e.id, e.label, e.name, e.aliases, count(distinct m.article_id) as articles, count(*) as mentions
              from articles a join mentions m on m.article_id = a.page_id join entities e on e.id = m.entity_id
              where {where} and {labels}
              group by e.id order by articles desc, mentions desc, e.name"""
    with closing(connect(db_path)) as connection:
        for row in connection.execute(sql, params + label_params):
            yield record(row, "entity")


def mentions(db_path: str | Path, label: str | Iterable[str] | None = None, **filters: Any) -> Iterator[dict]:
    """Mentions in the articles the filters keep, by article then offset, in the ``mention`` record shape."""
    where, params = article_filter(**filters)
    labels, label_params = label_filter(label, "m.label")
    sql = f"""select m.article_id, m.entity_id, m.label, e.name, m.text, m.start, m."end", m.value, m.sentence
              from articles a join mentions m on m.article_id = a.page_id join entities e on e.id = m.entity_id
              where {where} and {labels}
              order by a.published desc, m.article_id, m.start"""
    with closing(connect(db_path)) as connection:
        for row in connection.execute(sql, params + label_params):
            yield record(row, "mention")


def record(row: sqlite3.Row, kind: str) -> dict:
    """A row as an export record: JSON lists decoded, the schema named first."""
    data = {"schema": f"veille.{kind}/{SCHEMA_VERSION}"}
    for key in row.keys():
        value = row[key]
        data[key] = json.loads(value) if key in JSON_LISTS and value else ([] if key in JSON_LISTS else value)
    return data


def schema(kind: str) -> dict:
    """The JSON Schema of a record kind (``"articles"``, ``"entities"`` or ``"mentions"``)."""
    return json.loads((SCHEMAS / f"{kind}.v{SCHEMA_VERSION}.schema.json").read_text(encoding="utf-8"))


def export(db_path: str | Path, kind: str, out: IO[str], fmt: str = "jsonl", **filters: Any) -> int:
    """Write ``kind`` records as JSON lines or CSV (lists as JSON text) to ``out``, streaming;
    returns how many were written."""
    records = {"articles": articles, "entities": entities, "mentions": mentions}[kind](db_path, **filters)
    count = 0
    if fmt == "jsonl":
        for count, item in enumerate(records, 1):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
        return count
    writer = csv.DictWriter(out, fieldnames=list(schema(kind)["properties"]), extrasaction="ignore")
    writer.writeheader()
    for count, item in enumerate(records, 1):
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in item.items()})
    return count
