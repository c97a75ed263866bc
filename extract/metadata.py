"""Headline and author names as a reader sees them, from what trafilatura found and the page.

Example::

    >>> headline("<h1>Parler is back</h1>", "Parler is back | The Daily Ledger", "The Daily Ledger")
    'Parler is back'
    >>> clean_authors("By Jane Doe and Ledger Staff", "The Daily Ledger", "")
    ['Jane Doe']
"""

from __future__ import annotations

import html as html_entities
import json
import re
from datetime import date, datetime
from urllib.parse import urlsplit

H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]+>")
SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
WORD = re.compile(r"\w+")
TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—·»:-]|::)\s+")
# A headline found in an <h1> replaces the metadata title when they share this much of their words.
SAME_HEADLINE = 0.5

BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:article|text|texte|words|story|posted|written|reported|photos?|edited)\s+(?:by|par)\b|view all posts by|by\b|par\b"
    r"|de\b(?=\s+[A-ZÉ])|author\s*:|auteur\s*:|auteure\s*:|contributor\s*:)\s*",
    re.IGNORECASE,
)
AUTHOR_SEPARATORS = re.compile(r"\s*(?:;|,|\||\band\b|\bet\b|&|/)\s*")
# Words that make a byline an organisation, a desk or a date rather than a person.
NOT_A_PERSON = frozenset("""
staff team editorial editors editor desk newsroom rédaction redaction news media média médias reports report service services
wire agency agence press presse afp reuters ap associated bbc cnn correspondent correspondents contributors contributor
bureau online digital admin administrator webmaster guest partner sponsored content studio group
january february march april may june july august september october november december
janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre
""".split())


def words(text: str | None) -> list[str]:
    return WORD.findall((text or "").casefold())


def plain(text: str) -> str:
    """Text of an HTML fragment, entities decoded, whitespace collapsed."""
    return " ".join(html_entities.unescape(TAG.sub(" ", text)).split())


def text_of(page: str) -> str:
    """The visible text of (the first 500 kB of) a page, scripts and styles left out."""
    return plain(SCRIPT.sub(" ", page[:500_000]))


def shared_words(a: str, b: str) -> float:
    """Share of words two titles have in common, relative to the longer one."""
    left, right = set(words(a)), set(words(b))
    return len(left & right) / max(len(left), len(right)) if left and right else 0.0


def headline(html: str, title: str | None, sitename: str | None) -> str | None:
    """The page's visible headline: the ``<h1>`` that says the same as the metadata title (titles
    often carry the site's name or an SEO variant), else the title without the site's name."""
    candidates = [plain(h) for h in H1.findall(html[:1_000_000])[:20]]
    candidates = [c for c in candidates if len(c.split()) >= 3]
    if title and candidates:
        best = max(candidates, key=lambda c: shared_words(c, title))
        if shared_words(best, title) >= SAME_HEADLINE:
            return best
    if title and len(title.split()) == 1 and len(candidates) == 1:  # a CMS or site name, not a title
        return candidates[0]
    return without_site_name(title, sitename) if title else None


def without_site_name(title: str, sitename: str | None) -> str:
    """``"Parler is back - The Daily Ledger"`` → ``"Parler is back"`` when the site is named so."""
    parts = TITLE_SEPARATOR.split(title)
    site = set(words(sitename))
    if len(parts) < 2 or not site:
        return title
    kept = [p for p in parts if not set(words(p)) <= site | {"com", "www", "fr", "org", "net"}]
    return " - ".join(kept) if kept and len(kept) < len(parts) and kept[0] == parts[0] else title


def as_printed(name: str, page: str) -> str:
    """The name as the page prints it, dots and hyphens included (trafilatura drops them):
    ``"Leah C Stokes"`` → ``"Leah C. Stokes"``."""
    tokens = name.split()
    if len(tokens) < 2:
        return name
    pattern = r"\b" + r"[\s.]{1,3}".join(re.escape(t) for t in tokens) + r"\.?(?!\w)"
    match = re.search(pattern, page)
    return " ".join(match.group(0).split()) if match else name


def looks_like_a_person(name: str, site_words: set[str]) -> bool:
    tokens = words(name)
    if not 2 <= len(tokens) <= 5 or any(t in NOT_A_PERSON or t.isdigit() for t in tokens):
        return False
    if set(tokens) - {"the", "le", "la", "les", "com"} <= site_words:
        return False
    # The host spells the outlet out ("thelocal") or by its initials (dw.com: "Deutsche Welle").
    if "".join(tokens) in site_words or "".join(t[0] for t in tokens) in site_words:
        return False
    return sum(part[:1].isupper() for part in name.split()) >= 2


JSON_LD = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished", "dc.date.issued", "pubdate", "publishdate")
# A date the page prints after a label: "Published: 3 March 2024", "Mise en ligne le 23 mai 2019".
PUBLISHED_LABEL = re.compile(
    r"(?:published(?: on)?|posted(?: on)?|written|publié(?:e)? le|mis(?:e)? en ligne(?: le)?|date de publication)\s*:?\s*"
    r"(\d{4}-\d{2}-\d{2}|\d{1,2}(?:er)?\s+\w+\s+\d{4}|\w+\s+\d{1,2},\s+\d{4})",
    re.IGNORECASE,
)


def json_ld(page: str) -> list:
    """The JSON-LD objects of a page (blocks that do not parse are skipped)."""
    found = []
    for block in JSON_LD.findall(page[:2_000_000]):
        try:
            found.append(json.loads(block))
        except ValueError:
            continue
    return found


def structured_authors(page: str, objects: list | None = None) -> str | None:
    """The person authors a page's JSON-LD names, ``"; "``-joined, or None: structured data keep
    names whole where bylines scraped from the layout often do not."""
    names: list[str] = []

    def visit(node, under_author=False):
        if isinstance(node, list):
            for item in node:
                visit(item, under_author)
        elif isinstance(node, dict) and under_author:
            if node.get("@type") in (None, "Person") and isinstance(node.get("name"), str):
                names.append(node["name"])
        elif isinstance(node, dict):
            kind = node.get("@type")
            for key, value in node.items():
                visit(value, key == "author" and kind not in ("Comment", "Review"))
        elif under_author and isinstance(node, str) and not node.startswith(("http", "@")):
            names.append(node)

    visit(json_ld(page) if objects is None else objects)
    return "; ".join(dict.fromkeys(names)) or None


def as_iso(value: str) -> str | None:
    """``"2020-01-19T12:25:36Z"`` → ``"2020-01-19T12:25:36+00:00"``: the page's own time and
    offset kept (its day is the day the page shows), a date alone as ``YYYY-MM-DD``."""
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if not 1995 <= moment.year <= datetime.now().year + 1:
        return None
    if len(value) <= 10:
        return moment.date().isoformat()
    return moment.isoformat()


def structured_published(page: str, objects: list | None = None) -> str | None:
    """The original publication time the page declares: JSON-LD ``datePublished``, else an
    ``article:published_time``-like meta tag."""
    dates: list[str] = []

    def visit(node):
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            if isinstance(node.get("datePublished"), str):
                dates.append(node["datePublished"])
            for key, value in node.items():
                if key not in ("author", "publisher", "comment", "review"):
                    visit(value)

    visit(json_ld(page) if objects is None else objects)
    for tag in META_TAG.findall(page[:500_000]):
        attributes = {k.lower(): a or b for k, a, b in ATTRIBUTE.findall(tag)}
        if any(attributes.get(k, "").lower() in PUBLISHED_META for k in ("property", "name", "itemprop")):
            dates.append(attributes.get("content", ""))
    return next(filter(None, map(as_iso, dates)), None)


def publication_date(declared: str | None, printed: str | None, local: str | None = None) -> str | None:
    """The publication date to keep, from what the page ``declared`` in its metadata (ISO, offset
    kept), what it ``printed`` or htmldate found (a day), and the day of its ``local``-time
    ``<time>`` element.

    A declared time in UTC is a server's clock, not the newsroom's calendar: when the page's own
    day is the day before (early UTC hours, the Americas) or after (late UTC hours, Asia), that
    day is kept::

        >>> publication_date("2022-04-29T02:08:28+00:00", "2022-04-29", local="2022-04-28")
        '2022-04-28'
        >>> publication_date("2020-01-19T12:25:36+00:00", "2020-01-20")
        '2020-01-19T12:25:36+00:00'
    """
    if not declared:
        return printed
    own_day = local or printed
    if not own_day or len(declared) <= 10:
        return declared
    moment = datetime.fromisoformat(declared)
    if moment.utcoffset() is None or moment.utcoffset().total_seconds() != 0:
        return declared
    shift = (date.fromisoformat(own_day[:10]) - moment.date()).days
    if (shift == -1 and moment.hour < 8) or (shift == 1 and moment.hour >= 16):
        return own_day[:10]
    return declared


def published_date(page: str, objects: list, guessed: str | None) -> str | None:
    """The original publication date of a page: what it declares (JSON-LD, meta tags), checked
    against the day it shows when the declared time is in UTC; else the date it prints after a
    label; else htmldate's ``guessed`` date."""
    declared = structured_published(page, objects)
    if declared and (len(declared) <= 10 or not declared.endswith("+00:00")):
        return declared  # a local time, or a day: nothing to check it against
    return publication_date(declared, labelled_published(text_of(page)) or guessed, local_time_published(page))


TIME_ELEMENT = re.compile(r"<time\b[^>]*\bdatetime\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)


def local_time_published(page: str) -> str | None:
    """The day of the first ``<time datetime>`` that carries a local offset (not UTC): what the
    page shows its readers."""
    for value in TIME_ELEMENT.findall(page[:1_000_000])[:5]:
        iso = as_iso(value)
        if iso and len(iso) > 10 and not iso.endswith("+00:00") and datetime.fromisoformat(iso).utcoffset() is not None:
            return iso[:10]
    return None


def labelled_published(text: str) -> str | None:
    """A publication date printed after a label in the page's text, as ``YYYY-MM-DD``."""
    import dateparser

    for match in PUBLISHED_LABEL.finditer(text[:300_000]):
        moment = dateparser.parse(match.group(1), languages=["en", "fr"], settings={"STRICT_PARSING": True})
        if moment and 1995 <= moment.year <= datetime.now().year:
            return moment.date().isoformat()
    return None


# Where layouts put bylines: a link to the author's page, or an element named for the author.
AUTHOR_LINK = re.compile(
    r"<a\b[^>]*href=[\"'][^\"']*/(?:authors?|auteurs?|reporters?|journalistes?|writers?|redaction|newsteam|profiles?)/[^\"']+[\"'][^>]*>(.*?)</a>",
    re.IGNORECASE | re.DOTALL,
)
AUTHOR_ELEMENT = re.compile(
    r"<(span|div|p|a|strong|address)\b[^>]*(?:class|itemprop|rel)=[\"'][^\"']*(?:author|byline|auteur|signature)[^\"']*[\"'][^>]*>(.*?)</\1>",
    re.IGNORECASE | re.DOTALL,
)


def byline_authors(page: str) -> str | None:
    """The first byline the layout shows, for pages whose metadata names no person."""
    head = page[:1_000_000]
    candidates = [plain(m.group(1)) for m in AUTHOR_LINK.finditer(head)][:3]
    candidates += [plain(m.group(2)) for m in AUTHOR_ELEMENT.finditer(head)][:6]
    return "; ".join(c for c in candidates if 0 < len(c.split()) <= 8) or None


def clean_authors(author: str | None, sitename: str | None, page: str, url: str | None = None) -> list[str]:
    """Person names of a byline: no "By"/"Par", no outlet, desk, agency or date, one name each."""
    if not author:
        return []
    host = (urlsplit(url).hostname or "") if url else ""
    # The outlet is named by its host's words ("MesOpinions com") or by its whole site name ("The
    # Haitian Times"); a blog named after its author ("Daniel Lemire's blog") keeps its author.
    site_words = {w for w in words(host) if w not in {"www", "com", "fr", "org", "net", "co", "uk"}}
    outlet = words(sitename)
    names: list[str] = []
    for part in AUTHOR_SEPARATORS.split(BYLINE_PREFIX.sub("", author.strip())):
        part = BYLINE_PREFIX.sub("", part)
        part = re.sub(r"\(.*?\)", "", part).strip(" .,-|")
        # "Adam Aaronson PhillyVoice Staff": a desk word, and the outlet before it, trail the name.
        kept = part.split()
        if kept and kept[-1].casefold() in NOT_A_PERSON:
            while kept and (kept[-1].casefold() in NOT_A_PERSON or kept[-1].casefold() in site_words):
                kept.pop()
        name = as_printed(" ".join(kept), page)
        if looks_like_a_person(name, site_words) and words(name) != outlet and name not in names:
            names.append(name)
    return names
