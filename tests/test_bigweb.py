"""A generated web of 300 articles over five outlets, with the traps of real news sites: tracking
parameters in feed links, gzipped sitemaps, wire stories syndicated with small edits, articles
listed only in sitemaps. It checks coverage, zero duplicate downloads, grouping of copies, and a
second run that only asks feeds and sitemaps."""

import gzip
import random
import sqlite3
from collections import Counter

import pytest

from crawler.demo import serve_site
from crawler.store import url_key
from tests.conftest import run_veille

OUTLETS = ["alpha", "bravo", "charlie", "delta", "echo"]
PER_OUTLET = 60
WIRE_STORIES = 10
SUBJECTS = ["The platform", "Its founder", "A spokesperson", "The regulator", "Researchers", "The board", "Advertisers", "Moderators", "Users", "The company"]
VERBS = ["announced", "denied", "confirmed", "questioned", "delayed", "expanded", "suspended", "reviewed", "defended", "criticised"]
OBJECTS = ["the new policy", "a funding round", "its moderation rules", "the app update", "an outage", "the court ruling", "a data request", "the merger", "its user numbers", "the ban"]
PLACES = ["in Paris", "in Austin", "in Brussels", "in Toronto", "in Lyon", "in Seattle", "in Berlin", "in Montreal", "in Lisbon", "in Dublin"]


# Distinct stories share few 3-word sequences, as real articles do: words drawn from a large
# made-up vocabulary.
SYLLABLES = ["ka", "lo", "mi", "ren", "tu", "sa", "vel", "do", "pri", "na", "zu", "te", "bor", "li", "gan"]


def story(rng: random.Random, n: int) -> list[str]:
    def word():
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))

    return [
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)}, "
        + " ".join(word() for _ in range(rng.randint(8, 14))) + f" ({n}-{i})."
        for i in range(rng.randint(10, 14))
    ]


def page(title: str, paragraphs: list[str], outlet: str, day: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html lang='en'><head><title>{title}</title><meta property='article:published_time' content='{day}T09:00:00Z'></head>"
        f"<body><nav><a href='/{outlet}/'>{outlet} home</a></nav><article><h1>{title}</h1>{body}</article>"
        f"<aside>Most read on {outlet}: {' '.join(rng_headline(outlet, i) for i in range(3))}</aside><footer>© {outlet}</footer></body></html>"
    )


def rng_headline(outlet, i):
    return f"<a href='/{outlet}/'>{outlet} headline {i}</a>"


def build(root, base):
    """Write the web under ``root`` for a server at ``base``; returns (article paths, copy → original)."""
    rng = random.Random(7)
    articles, copies = [], {}
    wires = {n: story(rng, 10_000 + n) for n in range(WIRE_STORIES)}
    for o, outlet in enumerate(OUTLETS):
        (root / outlet).mkdir()
        entries = []
        for n in range(PER_OUTLET):
            path = f"/{outlet}/2024/{(n % 12) + 1:02d}/story-{n}.html"
            day = f"2024-{(n % 12) + 1:02d}-{(n % 27) + 1:02d}"
            if n < WIRE_STORIES and o < 2:  # the same wire stories on alpha and bravo, lightly edited
                paragraphs = list(wires[n])
                if o == 1:
                    paragraphs[0] = paragraphs[0].replace("according to", "as reported by")
                    paragraphs.append(f"This dispatch was edited by the {outlet} desk.")
                    copies[path] = f"/alpha/2024/{(n % 12) + 1:02d}/story-{n}.html"
            else:
                paragraphs = story(rng, o * 1000 + n)
            (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
            (root / path.lstrip("/")).write_text(page(f"{outlet.title()} story {n}", paragraphs, outlet, day))
            articles.append(path)
            entries.append((path, day))
        items = "".join(
            f"<item><title>{outlet} {n}</title><link>{base}{path}{'?utm_source=rss&amp;utm_medium=feed' if n % 2 else ''}</link>"
            f"<pubDate>Mon, 01 Jan 2024 00:00:00 +0000</pubDate></item>"
            for n, (path, _) in enumerate(entries[: PER_OUTLET // 2])
        )
        (root / outlet / "rss.xml").write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>{outlet}</title>{items}</channel></rss>")
        urls = "".join(f"<url><loc>{base}{path}</loc><lastmod>{day}</lastmod></url>" for path, day in entries)
        sitemap = f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>"
        (root / outlet / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap.encode()))
    (root / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    outlets = "".join(
        f'\n[[outlets]]\nid = "{o}"\nname = "{o}"\nlanguage = "en"\nfeeds = ["{base}/{o}/rss.xml"]\nsitemaps = ["{base}/{o}/sitemap.xml.gz"]\n'
        for o in OUTLETS
    )
    (root / "veille.toml").write_text(
        "[crawl]\ndownload_delay = 0\nautothrottle_start_delay = 0.01\nconcurrent_requests_per_domain = 8\n\n"
        '[[topics]]\nname = "t"\nterms = ["platform"]\n' + outlets
    )
    return articles, copies


@pytest.fixture(scope="module")
def bigweb(tmp_path_factory):
    root = tmp_path_factory.mktemp("bigweb")
    hits = Counter()
    with serve_site(root, hits=hits) as base:
        articles, copies = build(root, base)
        db_path = root / "big.db"
        first = run_veille("crawl", "--config", str(root / "veille.toml"), "--db", str(db_path), "--no-tag")
        first_hits = Counter(hits)
        second = run_veille("crawl", "--config", str(root / "veille.toml"), "--db", str(db_path), "--no-tag")
        second_hits = hits - first_hits
    return base, articles, copies, db_path, first, second, first_hits, second_hits


def test_every_page_fetched_once(bigweb):
    base, articles, _, db_path, first, _, first_hits, _ = bigweb
    assert first.returncode == 0, first.stderr[-2000:]
    assert len(articles) >= 300
    fetched = {row[0] for row in sqlite3.connect(db_path).execute("select id from pages where fetch_status = 'ok'")}
    assert fetched == {url_key(base + path) for path in articles}
    assert {path: first_hits[path] for path in articles} == {path: 1 for path in articles}  # no duplicate download


def test_syndicated_copies_are_grouped(bigweb):
    base, articles, copies, db_path, *_ = bigweb
    connection = sqlite3.connect(db_path)
    linked = {frozenset(pair) for pair in connection.execute("select page_id, duplicate_of from articles where duplicate_of is not null")}
    # Both copies were published the same day and fetched together: either may be the original.
    assert linked == {frozenset((url_key(base + copy), url_key(base + original))) for copy, original in copies.items()}
    assert len(linked) == WIRE_STORIES


def test_second_run_asks_only_feeds_and_sitemaps(bigweb):
    _, articles, _, _, _, second, _, second_hits = bigweb
    assert second.returncode == 0, second.stderr[-2000:]
    assert not any(second_hits[path] for path in articles)
    assert set(second_hits) <= {"/robots.txt"} | {f"/{o}/rss.xml" for o in OUTLETS} | {f"/{o}/sitemap.xml.gz" for o in OUTLETS}
