"""veille's Python API: analyse a page or a text, and read articles, entities and mentions from a
database, without Scrapy, a running crawl or any global state (each call opens what it needs).

Example::

    from crawler.api import analyze_text, articles, entities

    result = analyze_text("Parler a été coupé dimanche 10 janvier.", "fr", "2021-01-11")
    for article in articles("veille.db", language="fr", since="2021-01-01"):
        print(article["title"], article["published"])
    for entity in entities("veille.db", label="ORG", language="fr"):
        print(entity["name"], entity["articles"])

``analyze_text`` / ``analyze_html`` return the JSON of ``veille analyze``; ``articles``,
``entities`` and ``mentions`` yield the records of ``veille export`` (JSON Schemas in
``crawler/schemas/``) and take the same filters (see ``crawler.records``).
"""

from crawler.records import KINDS, SCHEMA_VERSION, articles, entities, export, mentions, schema
from extract import VeilleError
from extract.analyze import analyze_html, analyze_text

__all__ = [
    "KINDS", "SCHEMA_VERSION", "VeilleError", "analyze_html", "analyze_text", "articles", "entities", "export",
    "mentions", "schema",
]
