"""How the review queries hold on a large database: 100,000 articles and 2 million mentions.

Generates a database with veille's schema (``crawler.store``), runs every canned query of the
bundled Datasette metadata through the real Datasette, and prints each one's time and query plan;
a plan that scans a big table is flagged. Not a test: it takes minutes and CI does not run it.

    .venv/bin/python bench/review_db.py                       # 100k articles, 2M mentions
    .venv/bin/python bench/review_db.py --articles 10000 --report review-bench.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler import store  # noqa: E402
from crawler.browse import datasette_app, datasette_metadata  # noqa: E402

OUTLETS = [f"outlet-{n}" for n in range(40)]
WORDS = "réseau plateforme modération annonce utilisateurs messagerie tribunal hébergeur application compte".split()
LABELS = ["PERSON"] * 3 + ["ORG"] * 4 + ["DATE"] * 2 + ["LOC"]


def generate(path: Path, articles: int, mentions_per_article: int, entity_count: int, seed: int = 1) -> None:
    """A database of ``articles`` articles over two years, each with ``mentions_per_article``
    mentions of entities drawn from a Zipf-like distribution (a few very frequent names)."""
    rng = random.Random(seed)
    db = store.open_db(str(path))
    db.close()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous = OFF")
    entities = []
    for n in range(entity_count):
        label = LABELS[n % len(LABELS)]
        name = f"2021-{n % 12 + 1:02d}-{n % 28 + 1:02d}" if label == "DATE" else f"{label.title()} {n}"
        entities.append((store.entity_key(label, name), label, name, json.dumps([f"{name} alias"])))
    with connection:
        connection.executemany("insert or ignore into entities (id, label, name, aliases) values (?, ?, ?, ?)", entities)
    weights = [1 / (rank + 1) for rank in range(len(entities))]
    started = time.time()
    batch = 2_000
    for first in range(0, articles, batch):
        pages, rows, mention_rows = [], [], []
        for n in range(first, min(first + batch, articles)):
            page_id = f"{n:016x}"
            day = f"202{rng.randint(1, 2)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            text = " ".join(rng.choice(WORDS) for _ in range(300))
            pages.append((page_id, f"https://example.org/{n}", "ok", OUTLETS[n % len(OUTLETS)]))
            rows.append((page_id, "article", f"https://example.org/{n}", f"Article {n}", text, "[]", day,
                         "fr" if n % 2 else "en", OUTLETS[n % len(OUTLETS)], 300, round(rng.random(), 2), "[]"))
            chosen = rng.choices(entities, weights=weights, k=mentions_per_article)
            for k, entity in enumerate(chosen):
                mention_rows.append((page_id, 10 * k, 10 * k + 6, entity[1], entity[0], entity[2], "Une phrase.",
                                     entity[2] if entity[1] == "DATE" else None))
        with connection:
            connection.executemany("insert into pages (id, url, fetch_status, outlet) values (?, ?, ?, ?)", pages)
            connection.executemany(
                """insert into articles (page_id, status, url, title, text, authors, published, language, outlet,
                   word_count, relevance, relevance_terms) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                rows,
            )
            connection.executemany(
                'insert into mentions (article_id, start, "end", label, entity_id, text, sentence, value) values (?, ?, ?, ?, ?, ?, ?, ?)',
                mention_rows,
            )
        print(f"\r{min(first + batch, articles):,} articles in {time.time() - started:.0f}s", end="", file=sys.stderr)
    connection.execute("analyze")
    connection.close()
    print(file=sys.stderr)


def canned_parameters(frequent: str) -> dict[str, dict[str, str]]:
    """Typical parameters for each canned query: a frequent entity, French articles, one month."""
    month = {"since": "2022-03-01", "until": "2022-03-31"}
    return {
        "articles_mentioning": {"entity": frequent, "language": "fr", **month},
        "cooccurring_entities": {"entity": frequent, "label": "ORG", "language": "fr", **month},
        "top_entities": {"label": "", "language": "", **month},
        "entity_timeline": {"entity": frequent},
        "articles_per_outlet_per_day": month,
        "dates_mentioned": {"value": "2021-03"},
    }


async def time_pages(path: Path, frequent: str, repeats: int) -> list[dict]:
    ds = datasette_app(str(path))
    name = path.stem
    pages = {f"/{name}/{query}.json?" + "&".join(f"{k}={v}" for k, v in params.items()): query
             for query, params in canned_parameters(frequent).items()}
    pages[f"/{name}/articles.json?_facet=outlet&_facet=language&_facet=published_month"] = "articles table, newest first, 3 facets"
    pages[f"/{name}/top_entities.json?label=&language=&since=&until="] = "top_entities, all time"
    pages[f"/{name}/cooccurring_entities.json?entity={frequent}&label=&language=&since=&until="] = "cooccurring_entities, all time"
    pages[f"/{name}/articles/{0:016x}"] = "an article's page (highlighted text, entity list)"
    pages[f"/{name}/entities/{store.entity_key('ORG', frequent)}"] = "the most mentioned entity's page"
    pages[f"/{name}/articles.json?_search=modération&_size=50"] = "full-text search of articles"
    pages[f"/{name}/entities.json?_search={frequent.split()[0]}"] = "full-text search of entities"
    results = []
    for url, label in pages.items():
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = await ds.client.get(url)
            timings.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code} {response.text[:300]}")
        rows = len(response.json().get("rows", [])) if ".json" in url else None
        results.append({"page": label, "url": url, "best_ms": round(1000 * min(timings), 1), "rows": rows})
    return results


def query_plans(path: Path, frequent: str) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of each canned query; 'SCAN' of articles or mentions is worth a look."""
    queries = datasette_metadata(str(path))["databases"][path.stem]["queries"]
    connection = sqlite3.connect(path)
    plans = {}
    for name, params in canned_parameters(frequent).items():
        plan = connection.execute("explain query plan " + queries[name]["sql"], params).fetchall()
        plans[name] = [row[-1] for row in plan]
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--mentions-per-article", type=int, default=20)
    parser.add_argument("--entities", type=int, default=50_000)
    parser.add_argument("--db", default="bench-review.db")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--report", help="Write the results as JSON here.")
    args = parser.parse_args()
    path = Path(args.db)
    if not path.exists():
        generate(path, args.articles, args.mentions_per_article, args.entities)
    counts = sqlite3.connect(path).execute("select (select count(*) from articles), (select count(*) from mentions)").fetchone()
    frequent = f"Org {LABELS.index('ORG')}"  # the most frequent organisation (weights fall with the rank)
    print(f"{counts[0]:,} articles, {counts[1]:,} mentions, {path.stat().st_size / 1e9:.1f} GB")
    results = asyncio.run(time_pages(path, frequent, args.repeats))
    plans = query_plans(path, frequent)
    for r in results:
        print(f"{r['best_ms']:>9.1f} ms  {r['rows'] if r['rows'] is not None else '':>5} rows  {r['page']}")
    for name, plan in plans.items():
        flagged = [step for step in plan if step.startswith("SCAN") and any(t in step for t in (" a", " m", "articles", "mentions"))]
        print(f"{name}: {'; '.join(plan)}" + ("   <-- full scan" if flagged else ""))
    if args.report:
        Path(args.report).write_text(json.dumps({"articles": counts[0], "mentions": counts[1], "pages": results, "plans": plans}, indent=1))


if __name__ == "__main__":
    main()
