"""A generated news web for the benchmark: N articles in French and English over four outlets with
different page templates (navigation, sidebars, related links, comments, cookie banners), RSS feeds,
sitemaps and robots.txt, plus the truth about each article (title, body, date, authors) for scoring
extraction.

    build_web(Path("web"), "http://127.0.0.1:8000", 1000)   # writes web/ and web/truth.jsonl
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from html import escape
from pathlib import Path

OUTLETS = {
    "la-gazette": {"lang": "fr", "name": "La Gazette numérique", "template": "classic"},
    "le-fil": {"lang": "fr", "name": "Le Fil tech", "template": "magazine"},
    "the-ledger": {"lang": "en", "name": "The Ledger", "template": "classic"},
    "wire-report": {"lang": "en", "name": "Wire Report", "template": "magazine"},
}
PEOPLE = ["Elon Musk", "Pavel Durov", "Jay Graber", "Andrew Torba", "Chris Pavlovski", "John Matze", "Devin Nunes",
          "Linda Yaccarino", "Eugen Rochko", "Thierry Breton", "Margrethe Vestager", "Mark Zuckerberg", "Jack Dorsey",
          "Sophie Martin", "Julien Moreau", "Claire Dubois", "Thomas Bernard", "Emily Carter", "Daniel Brooks", "Sarah Nguyen"]
ORGS = ["Parler", "Gab", "Truth Social", "Gettr", "Rumble", "Mastodon", "Bluesky", "Telegram", "Amazon Web Services", "Apple",
        "Google", "Meta", "X", "Arcom", "the European Commission", "Cloudflare", "Signal", "Threads", "OVHcloud", "Reuters"]
FR = {
    "title": ["{org} face à une vague de départs", "{person} défend la modération de {org}", "{org} coupé par {org2}",
              "Le pari risqué de {org}", "{org} : {person} promet des changements", "Pourquoi {org} inquiète {org2}"],
    "sentences": [
        "{person} a annoncé {when} que {org} allait revoir ses règles de modération.",
        "Selon {org2}, plusieurs millions de comptes ont été créés sur {org} depuis {month}.",
        "Interrogé {when}, {person} a refusé de commenter les chiffres avancés par la presse.",
        "La plateforme, fondée en {year}, revendique désormais une audience en forte hausse.",
        "Les utilisateurs se plaignent de lenteurs et de pannes répétées depuis plusieurs semaines.",
        "{org} affirme travailler avec {org2} pour rétablir le service au plus vite.",
        "Des chercheurs ont observé une hausse des contenus haineux après le changement de politique.",
        "Le régulateur a ouvert une enquête le {day} {month_name}, selon un document consulté par notre rédaction.",
        "Pour {person}, « la liberté d'expression ne peut pas servir d'excuse à l'inaction ».",
        "L'application a été retirée puis remise en ligne dans les magasins d'applications.",
        "Les annonceurs restent prudents, et plusieurs grandes marques ont suspendu leurs campagnes.",
        "Le nombre d'utilisateurs actifs quotidiens aurait été divisé par deux en un an.",
    ],
    "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "when": ["hier", "lundi", "mardi dernier", "la semaine dernière", "ce matin", "dimanche"],
    "by": "Par", "related": "À lire aussi", "comments": "commentaires", "cookies": "Nous utilisons des cookies pour améliorer votre expérience.",
}
EN = {
    "title": ["{org} faces an exodus of users", "{person} defends moderation at {org}", "{org} cut off by {org2}",
              "The risky bet of {org}", "{org}: {person} promises changes", "Why {org} worries {org2}"],
    "sentences": [
        "{person} said {when} that {org} would review its moderation rules.",
        "According to {org2}, several million accounts have been created on {org} since {month}.",
        "Asked {when}, {person} declined to comment on the figures reported by the press.",
        "The platform, founded in {year}, now claims a fast-growing audience.",
        "Users have complained about slowdowns and repeated outages for several weeks.",
        "{org} says it is working with {org2} to restore the service as soon as possible.",
        "Researchers observed a rise in hateful content after the policy change.",
        "The regulator opened an investigation on {month_name} {day}, according to a document seen by this newspaper.",
        "For {person}, \"free speech cannot be an excuse for doing nothing.\"",
        "The app was removed and then restored in the app stores.",
        "Advertisers remain cautious, and several big brands have paused their campaigns.",
        "The number of daily active users reportedly halved in a year.",
    ],
    "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "when": ["yesterday", "on Monday", "last Tuesday", "last week", "this morning", "on Sunday"],
    "by": "By", "related": "Related stories", "comments": "comments", "cookies": "We use cookies to improve your experience.",
}


def article_text(rng: random.Random, words: dict, published: date) -> tuple[str, list[str]]:
    person, org = rng.choice(PEOPLE), rng.choice(ORGS)
    fill = lambda s: s.format(  # noqa: E731
        person=rng.choice(PEOPLE), org=rng.choice(ORGS), org2=rng.choice(ORGS), when=rng.choice(words["when"]),
        month=rng.choice(words["months"]), month_name=words["months"][published.month - 1], day=rng.randint(1, 28),
        year=rng.randint(2015, 2022),
    )
    title = rng.choice(words["title"]).format(person=person, org=org, org2=rng.choice(ORGS))
    paragraphs = [" ".join(fill(rng.choice(words["sentences"])) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(5, 9))]
    return title, paragraphs


def page_html(outlet: str, info: dict, words: dict, title: str, paragraphs: list[str], published: date, author: str, related: list[tuple[str, str]]) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    links = "".join(f"<li><a href='{u}'>{escape(t)}</a></li>" for u, t in related)
    head = (f"<head><meta charset='utf-8'><title>{escape(title)} | {info['name']}</title>"
            f"<meta property='og:title' content='{escape(title, quote=True)}'>"
            f"<meta property='article:published_time' content='{published.isoformat()}T08:00:00+00:00'>"
            f"<meta name='author' content='{author}'></head>")
    nav = "<nav>" + "".join(f"<a href='/{outlet}/{s}/'>{s}</a> " for s in ("tech", "politique", "economie", "culture")) + "</nav>"
    if info["template"] == "classic":
        main = (f"<div class='cookie'>{words['cookies']}</div><header><a href='/{outlet}/'>{info['name']}</a>{nav}</header>"
                f"<main><article><h1>{escape(title)}</h1><p class='byline'>{words['by']} {author} · {published.isoformat()}</p>{body}</article>"
                f"<aside><h2>{words['related']}</h2><ul>{links}</ul></aside></main><footer>© {info['name']}</footer>")
    else:
        main = (f"<header>{nav}<div class='promo'>{words['cookies']}</div></header><div class='layout'><div class='col'>"
                f"<h1 class='headline'>{escape(title)}</h1><div class='meta'><span>{author}</span> <time datetime='{published.isoformat()}'>{published.isoformat()}</time></div>"
                f"<div class='article-body'>{body}</div><section class='comments'>12 {words['comments']}</section></div>"
                f"<div class='sidebar'><h3>{words['related']}</h3><ul>{links}</ul></div></div><footer>{info['name']}</footer>")
    return f"<!doctype html><html lang='{info['lang']}'>{head}<body>{main}</body></html>"


def build_web(root: Path, base: str, n: int, seed: int = 11) -> list[dict]:
    """Write ``n`` articles under ``root`` for a server at ``base``; returns the truth records."""
    rng = random.Random(seed)
    truth = []
    per_outlet: dict[str, list[dict]] = {o: [] for o in OUTLETS}
    start = date(2023, 1, 1)
    for i in range(n):
        outlet = list(OUTLETS)[i % len(OUTLETS)]
        info = OUTLETS[outlet]
        words = FR if info["lang"] == "fr" else EN
        published = start + timedelta(days=rng.randint(0, 700))
        title, paragraphs = article_text(rng, words, published)
        author = rng.choice(PEOPLE[13:])
        path = f"/{outlet}/{published.year}/{published.month:02d}/article-{i}.html"
        record = {"url": base + path, "path": path, "outlet": outlet, "lang": info["lang"], "title": title,
                  "text": "\n".join(paragraphs), "published": published.isoformat(), "authors": [author]}
        per_outlet[outlet].append(record)
        truth.append(record)
    for outlet, records in per_outlet.items():
        info, words = OUTLETS[outlet], FR if OUTLETS[outlet]["lang"] == "fr" else EN
        for record in records:
            related = [(r["path"], r["title"]) for r in rng.sample(records, min(4, len(records)))]
            target = root / record["path"].lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page_html(outlet, info, words, record["title"], record["text"].split("\n"),
                                        date.fromisoformat(record["published"]), record["authors"][0], related), encoding="utf-8")
        latest = sorted(records, key=lambda r: r["published"], reverse=True)[:50]
        items = "".join(f"<item><title>{escape(r['title'])}</title><link>{r['url']}</link><pubDate>{r['published']}</pubDate></item>" for r in latest)
        (root / outlet / "feed.xml").write_text(f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{info['name']}</title>{items}</channel></rss>", encoding="utf-8")
        urls = "".join(f"<url><loc>{r['url']}</loc><lastmod>{r['published']}</lastmod></url>" for r in records)
        (root / outlet / "sitemap.xml").write_text(f"<?xml version='1.0' encoding='utf-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>", encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow:\n" + "".join(f"Sitemap: {base}/{o}/sitemap.xml\n" for o in OUTLETS))
    (root / "truth.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in truth), encoding="utf-8")
    return truth


def config_toml(base: str, path: Path) -> Path:
    """A veille configuration for the generated web (its outlets, their feeds and sitemaps)."""
    lines = ["[crawl]", "download_delay = 0", "autothrottle_enabled = false", "concurrent_requests = 32",
             "concurrent_requests_per_domain = 32", "", "[[topics]]", 'name = "alt-social"',
             'terms = ["Parler", "Gab", "Truth Social", "Gettr", "Rumble", "Mastodon", "Bluesky", "Telegram"]', ""]
    for outlet, info in OUTLETS.items():
        lines += ["[[outlets]]", f'id = "{outlet}"', f'name = "{info["name"]}"', f'language = "{info["lang"]}"',
                  f'feeds = ["{base}/{outlet}/feed.xml"]', f'sitemaps = ["{base}/{outlet}/sitemap.xml"]', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
