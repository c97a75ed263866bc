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
from email.utils import parsedate_to_datetime
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from extract.dates import DE_MONTHS, EN_MONTHS, FR_MONTHS

HEADING = re.compile(r"<(h1|h2|h3)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]+>")
# Inline elements do not separate words ("Will Knigh<span>t</span>" reads "Will Knight").
INLINE_TAG = re.compile(r"</?(?:a|span|em|strong|b|i|u|abbr|mark|sup|sub)\b[^>]*>", re.IGNORECASE)
# ...but a lowercase letter then a capital across them ends one word and starts another
# ("Delacrétaz</a><span>Journaliste": a name, then a job title).
INLINE_JOIN = re.compile(r"(?<=[a-zß-ÿ])(?:</?(?:a|span|em|strong|b|i|u|abbr|mark|sup|sub)\b[^>]*>)+(?=[A-ZÀ-Þ])")
# What a reader never reads: scripts, styles, drawings and image tags (whose source sets would
# otherwise make the markup between a headline and its byline look long). Every branch starts
# with "<", which keeps the scan nearly as fast as for scripts alone.
UNSEEN = re.compile(r"<(?:(script|style|svg)(?=[\s>/]).*?</\1\s*>|(?:img|source)(?=[\s>/])[^>]{0,100000}>)", re.IGNORECASE | re.DOTALL)
WORD = re.compile(r"\w+")
TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—·•»:-]|::)\s+")
# Headlines are searched this far into a page (some pages put 1 MB of scripts before theirs).
MAX_HEADLINE_SEARCH = 3_000_000
# The parts of host names that name no outlet.
HOST_WORDS = frozenset("www com fr org net info co uk de at ch be ca eu io".split())
# A headline found in an <h1> replaces the metadata title when they share this much of their words.
SAME_HEADLINE = 0.5

# Byline vocabulary, English, French and German: the word before the names ("By", "Par", "Von"),
# what may come before that word ("Written by", "Eine Analyse von"), and line labels ("Author:").
BY = r"(?:by|par|von)"
POSTED = r"(?:posted|written|écrit|rédigé|publié|geschrieben|verfasst)"  # "Posted by", "Écrit par"
BYLINE_LEAD = (
    rf"(?:(?:an?|une?|eine?)\s+)?(?:{POSTED}|article|text|texte|words|story|reported"
    r"|analysis|commentary|analyse|kommentar|commentaire|interview|entretien)"
)
BYLINE_LABEL = r"(?:authors?|auteure?s?|autor(?:in|innen|en|/in)?|contributor)"
# At most one "By" and one label ("von Autor: Georg Holzer"); a capital "Von" followed by a
# single word is a name ("Von Diaz"), a lowercase one never starts a byline's name.
BYLINE_PREFIX = re.compile(
    rf"^\s*(?:{BYLINE_LEAD}\s+{BY}\b|view all posts by|(?:by|par)\b|(?-i:von)\b|von\b(?=\s+\S+\s+\S)|de\b(?=\s+[A-ZÉ]))?\s*"
    rf"(?:{BYLINE_LABEL}\s*:\s*)?",
    re.IGNORECASE,
)
# Credits that are not authorship: photographers, illustrators, reviewers, editors, sponsors ("Art by").
CREDIT_BY = (
    r"\b(?:(?:art|photos?|photograph\w*|images?|illustrat\w*|video|vidéo|reviewed|checked|edited|crédits?|brought to you|sponsored|presented|paid for)\s+(?:by|par)"
    r"|(?:fotos?|bilder?|illustration(?:en)?|video|grafik(?:en)?)\s+von)\b"  # not "eine Art von"
)
NOT_A_BYLINE = re.compile(CREDIT_BY, re.IGNORECASE)
CREDITED = re.compile(CREDIT_BY + r"\s*:?\s*$", re.IGNORECASE)  # the text just before a name
AUTHOR_SEPARATORS = re.compile(r"\s*(?:;|,|\||\band\b|\bet\b|\bund\b|\bwith\b|\bavec\b|\bmit\b|&|/)\s*")
# What a byline prints after a name: a date or a time ("at 12:53", "on March 3, 2019", "le 12
# mars", "12.03.2019", "- 3 hours ago"), an update note, a handle or an e-mail address, or
# anything after a spaced dash ("Aurélien Beaudoin - France Télévisions").
DATE_OR_NOTE = (
    rf"(?:(?:at|on|le|du|à|am|um|vom)\s+)?(?:\d|(?:{EN_MONTHS}|{FR_MONTHS}|{DE_MONTHS})\.?\s+\d"
    r"|(?:updated|published|posted|last updated|mis à jour|publié|modifié|actualisé|aktualisiert|veröffentlicht)\b(?!\s+(?:by|par|von)\b))"
)
NAME_TAIL = re.compile(rf"(?<=[\w.])(?:\s+[-–—]\s.*|(?:\s*[-–—·•|,]\s*|\s+)(?:{DATE_OR_NOTE}|\S*@).*)$", re.IGNORECASE | re.DOTALL)
DATED = re.compile(DATE_OR_NOTE, re.IGNORECASE)  # a byline's part that starts so is no name ("Updated: Mar 3")
HONORIFIC = re.compile(r"^(?:(?:dr|prof|pr)\.?\s+)+(?=\w)", re.IGNORECASE)  # "Dr. Sebastian Brüggemann"
# Bylines that sign with a desk or an agency instead of a person.
DESKS = frozenset("""staff team editorial editors editor desk newsroom rédaction redaction redaktion agency agencies agence wire
afp reuters ap upi dpa epd kna sda apa ats belga ansa efe ians pti ani xinhua""".split())
# Words that make a byline an organisation, whatever stands before them ("Public Works Department").
ORGANISATIONS = frozenset("""
university université universität institute institut college school council ministry ministère government gouvernement
department département association foundation fondation company inc ltd corp society société bureau group
program programme sciences systems communications marketing relations affairs office center centre laboratory network
""".split())
# Words that make a byline an organisation, a desk or a date rather than a person.
NOT_A_PERSON = DESKS | ORGANISATIONS | frozenset("""
news media média médias reports report service services
press presse associated bbc cnn correspondent correspondents contributors contributor
online digital admin administrator webmaster guest partner sponsored content studio about
bio biography profile says follow posts view author authors
article articles artikel share partager teilen recommend recommander empfehlen
reporter reporters reporting writer writers columnist journalist journaliste chroniqueur chroniqueuse envoyé envoyée spécial spéciale
senior chief producer photographer analyst freelance intern trainee fellow research researcher scientist economist
professor professeur lecturer director directeur directrice president président manager coordinator associate assistant
specialist officer consultant
monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi vendredi samedi dimanche
montag dienstag mittwoch donnerstag freitag samstag sonntag
""".split())


# Words that start or join names ("Ursula von der Leyen") but never end one ("Letters To The").
PARTICLES = frozenset("the of to and for a an le la les de des du d von van der den da di del et".split())
# Words no name prints in lowercase ("Professor of Urban Economics", "Le Figaro avec"; "Moon
# Jae-in" and "Priyali Sur" are names).
NOT_IN_NAMES = frozenset("the of for at in on with avec pour sur dans mit für".split())
# "Shaun Walker in Kyiv", "Jane Doe for The Washington Post", "Jean Dupont à Paris": a place or an outlet follows.
PLACE_OR_OUTLET = re.compile(r"\s+(?:in|for|at|pour|à|aus|für)\s+[A-ZÀ-Þ].*$", re.DOTALL)


# Words author elements print besides names.
LAYOUT_WORDS = frozenset("""author authors auteur auteurs autor autorin autoren by par von text texte words story article share comment comments reply menu home login search subscribe more
phd md ceo cfo cto rd rn mph msc mba jr sr esq""".split())
NOT_A_HANDLE = NOT_A_PERSON | PARTICLES | NOT_IN_NAMES | LAYOUT_WORDS | {"am", "um", "au", "à", "und"}


def words(text: str | None) -> list[str]:
    return WORD.findall((text or "").casefold())


def inline_removed(text: str) -> str:
    """``text`` without its inline tags, a space where they separate two words.

        >>> inline_removed("<a>Will Knigh<span>t</span></a> <a>Sophie Delacrétaz</a><span>Journaliste</span>")
        'Will Knight Sophie Delacrétaz Journaliste'
    """
    return INLINE_TAG.sub("", INLINE_JOIN.sub(" ", text))


def plain(text: str) -> str:
    """Text of an HTML fragment, entities decoded, whitespace collapsed."""
    return " ".join(html_entities.unescape(TAG.sub(" ", inline_removed(text))).split())


def lines(text: str) -> list[str]:
    """The text of an HTML fragment one block per line: ``"<p>By</p><p>Jane Doe</p>"`` gives
    ``["By", "Jane Doe"]``."""
    found = html_entities.unescape(TAG.sub("\n", inline_removed(text))).split("\n")
    return [" ".join(line.split()) for line in found if line.strip()]


@lru_cache(maxsize=4)
def text_of(page: str) -> str:
    """The visible text of (the first 500 kB of) a page, what readers never read left out (see ``UNSEEN``)."""
    return plain(UNSEEN.sub(" ", page[:500_000]))


def shared_words(a: str, b: str) -> float:
    """Share of words two titles have in common, relative to the longer one."""
    left, right = set(words(a)), set(words(b))
    return len(left & right) / max(len(left), len(right)) if left and right else 0.0


def headline(html: str, title: str | None, sitename: str | None, url: str | None = None) -> str | None:
    """The page's visible headline: the ``<h1>`` that says the same as the metadata title (titles
    often carry the site's name or an SEO variant), else an ``<h2>`` that says the title (pages
    whose ``<h1>`` is the logo), else the title without the site's name. A kicker, section label
    or subtitle printed in the headline ("Politics | …", "<small>…</small>") is left out when the
    title does not carry it."""
    found = [(m.group(1).lower(), m.group(2)) for m in HEADING.finditer(html[:MAX_HEADLINE_SEARCH])]
    page_title = PAGE_TITLE.search(html[:500_000])
    if title and url and page_title and plain(page_title.group(1)) and any(level == "h1" and plain(h) == title and links_home(h, url) for level, h in found):
        # The title is the site's logo (an <h1> linking to the site's home): the headline is
        # in the page's <title> ("The Film Gang » Blog Archive » Stand Up Guys").
        found = [(level, h) for level, h in found if plain(h) != title]
        title, sitename = plain(page_title.group(1)), title
    short = without_site_name(title, sitename) if title else None
    candidates = [headline_part(h, short) for level, h in found if level == "h1"][:20]
    candidates = [c for c in candidates if len(c.split()) >= 3]
    if title and candidates:
        best = max(candidates, key=lambda c: shared_words(c, title))
        if shared_words(best, title) >= SAME_HEADLINE or title.casefold().startswith(best.casefold()) or len(candidates) == 1 and shared_words(best, title) > 0:
            return best
    if title and len(title.split()) == 1 and len(candidates) == 1:  # a CMS or site name, not a title
        return candidates[0]
    if title:
        # An <h2> printing the title, or one part of it ("Here's The Thing - Stacy Keach": the
        # show's name, then the episode's), is the headline of a page whose <h1> is the logo.
        parts = {part.casefold() for part in [short, *TITLE_SEPARATOR.split(short)] if len(part.split()) >= 2}
        subheads = (plain(h) for level, h in found if level == "h2")
        printed = [h for h in subheads if h.casefold() in parts]
        return max(printed, key=lambda h: len(h.split()), default=short)
    return None


LINK = re.compile(r"<a\b[^>]*\bhref=[\"']([^\"']+)[\"']", re.IGNORECASE)


def links_home(heading: str, url: str) -> bool:
    """Whether ``heading`` links to the home of the site (or blog) the page at ``url`` is part of.

        >>> links_home('<a href="http://blogs.test/filmgang/">The Film Gang</a>', "http://blogs.test/filmgang/2013/02/08/x/")
        True
    """
    link = LINK.search(heading)
    try:
        target, page = urlsplit(urljoin(url, link.group(1))), urlsplit(url)
    except (AttributeError, ValueError):  # no link, or an address that does not parse ("http://[oops/")
        return False
    home = target.path.rstrip("/")
    return target.hostname == page.hostname and page.path.startswith(home + "/") and len(home) < len(page.path.rstrip("/"))


def headline_part(heading: str, title: str | None) -> str:
    """The text of a heading, or the one part of it that says the ``title`` when the heading
    prints more around it on other lines or after a separator (a kicker, a section, a subtitle)::

        >>> headline_part("<h1><span>Opinion</span><br>Parler is back</h1>", "Parler is back")
        'Parler is back'
    """
    whole = plain(heading)
    if not title:
        return whole
    parts = [line.strip(" |") for line in lines(heading)]
    parts += [part for line in parts for part in TITLE_SEPARATOR.split(line)]
    best = max(parts, key=lambda part: shared_words(part, title), default=whole)
    return best if shared_words(best, title) > shared_words(whole, title) and shared_words(best, title) >= 0.8 else whole


def without_site_name(title: str, sitename: str | None) -> str:
    """``"Parler is back - The Daily Ledger"`` → ``"Parler is back"`` when the site is named so."""
    parts = TITLE_SEPARATOR.split(title)
    site = set(words(sitename))
    if len(parts) < 2 or not site:
        return title
    kept = [p for p in parts if not set(words(p)) <= site | HOST_WORDS]
    return " - ".join(kept) if kept and len(kept) < len(parts) else title


def as_printed(name: str, page: str) -> str:
    """The name as the page prints it, dots and hyphens included (trafilatura drops them):
    ``"Leah C Stokes"`` → ``"Leah C. Stokes"``."""
    tokens = name.split()
    if len(tokens) < 2:
        return name
    # A dot after the last word only when it is an initial ("Jane Q."), not a sentence's end.
    pattern = r"\b" + r"[\s.]{1,3}".join(re.escape(t) for t in tokens) + (r"\.?" if len(tokens[-1]) == 1 else "") + r"(?!\w)"
    match = re.search(pattern, page)
    return " ".join(match.group(0).split()) if match else name


def looks_like_a_person(name: str, site_words: set[str], outlet: list[str] = (), people: frozenset[str] = frozenset()) -> bool:
    """Whether a byline's part is a person's name: two to five words, capitalised, none of them a
    desk's, an organisation's or a date's, not the outlet's name or initials, unless the page's
    structured data declares it a Person: a personal site is named after its author
    ("annaschmidt.github.io")."""
    tokens = words(name)
    if not 2 <= len(tokens) <= 5 or any(t in NOT_A_PERSON or t.isdigit() for t in tokens) or tokens[-1] in PARTICLES:
        return False
    if tokens[0] == "the" or any(t in NOT_IN_NAMES for t in name.split()):
        return False
    if sum(part[:1].isupper() for part in name.split()) < 2:
        return False
    if " ".join(tokens) in people:
        return True
    if set(tokens) - {"the", "le", "la", "les", "com"} <= site_words:
        return False
    # The host spells the outlet out ("thelocal") or by its initials (dw.com: "Deutsche Welle").
    return not ("".join(tokens) in site_words or "".join(t[0] for t in tokens) in site_words | set(outlet))


def looks_like_a_handle(name: str, site_words: set[str], outlet: list[str]) -> bool:
    """A one-word pen name or username ("JeGX", "bjoernlinder01"), not a desk ("BBNTeam"), an
    acronym ("IWB": outlets sign so), a degree ("PhD"), a word of the layout or the outlet."""
    tokens = words(name)
    if len(name.split()) != 1 or len(tokens) != 1 or not 2 <= len(name) <= 30 or name.isdigit():
        return False
    token = tokens[0]
    return not (
        token in NOT_A_HANDLE or token in site_words | set(outlet)
        or any(token.startswith(desk) or token.endswith(desk) for desk in DESKS if len(desk) >= 4)
        or (name.isupper() and len(name) <= 5)
    )


JSON_LD = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished", "dc.date.issued", "pubdate", "publishdate")
# A date the page prints after a label: "Published: 3 March 2024", "Mise en ligne le 23 mai 2019".
PRINTED_DAY = (
    r"(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}(?:er|\.)?\s+[^\W\d]+\.?\s+\d{4}"
    r"|[^\W\d]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
)
DOTTED_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")  # "08.03.2016", "8.5.12": day first, wherever dots are written
# A day in the page's address, a section possibly between year and month ("/2010/POLITICS/08/13/").
URL_DAY = re.compile(r"/((?:19|20)\d{2})/(?:(?!page/)[a-z][\w-]*/)?(\d{1,2})/(\d{1,2})/", re.IGNORECASE)
PUBLISHED_LABEL = re.compile(
    r"(?:published(?: on)?|posted(?: on)?|written|publié(?:e)? le|mis(?:e)? en ligne(?: le)?|date de publication"
    r"|veröffentlicht(?: am)?|erschienen am)\s*:?\s*" + PRINTED_DAY,
    re.IGNORECASE,
)
# A line by the headline that prints a day; not an update ("Updated March 3, 2021").
HEADER_DAY = re.compile(PRINTED_DAY)
# A day with a two-digit year, on a byline's line only ("von Klaus-Peter Schöppner, 8.5.12"):
# elsewhere "3.6.13" is a version number.
SHORT_DOTTED_DAY = re.compile(rf"\b{BY}\b.*?(?<![\w.])(\d{{1,2}}\.\d{{1,2}}\.\d{{2}})(?![\w.])", re.IGNORECASE)
UPDATE = re.compile(r"updated|modified|mis à jour|modifié|actualisé|aktualisiert|geändert", re.IGNORECASE)


@lru_cache(maxsize=4)
def declared_people(page: str) -> frozenset[str]:
    """The names (lowercase words joined by spaces) of the objects a page's JSON-LD types
    ``Person``: names it vouches are people's, not outlets'."""
    people = set()

    def visit(node):
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            kind = node.get("@type")
            if (kind == "Person" or isinstance(kind, list) and "Person" in kind) and isinstance(node.get("name"), str):
                people.add(" ".join(words(node["name"])))
            for value in node.values():
                visit(value)

    visit(json_ld(page))
    return frozenset(people)


@lru_cache(maxsize=4)
def json_ld(page: str) -> list:
    """The JSON-LD objects of a page (blocks that do not parse are skipped); cached per page, so
    read them, never change them."""
    found = []
    for block in JSON_LD.findall(page[:2_000_000]):
        try:
            found.append(json.loads(block, strict=False))  # raw newlines inside strings are common
        except ValueError:
            continue
    return found


def structured_authors(page: str, objects: list | None = None) -> str | None:
    """The person authors a page's JSON-LD names, ``"; "``-joined, or None: structured data keep
    names whole where bylines scraped from the layout often do not. An author given by
    reference (``{"@id": ".../#/schema/person/1"}``, as WordPress SEO plugins write it) is
    looked up in the page's graph."""
    objects = json_ld(page) if objects is None else objects
    names: list[str] = []
    by_id: dict[str, dict] = {}

    def index(node):
        if isinstance(node, list):
            for item in node:
                index(item)
        elif isinstance(node, dict):
            if isinstance(node.get("@id"), str) and "name" in node:
                by_id.setdefault(node["@id"], node)
            for value in node.values():
                index(value)

    def visit(node, under_author=False):
        if isinstance(node, list):
            for item in node:
                visit(item, under_author)
        elif isinstance(node, dict) and under_author:
            node = by_id.get(node.get("@id"), node) if "name" not in node else node
            kind = node.get("@type")
            if (kind in (None, "Person") or isinstance(kind, list) and "Person" in kind) and isinstance(node.get("name"), str):
                names.append(node["name"])
        elif isinstance(node, dict):
            kind = node.get("@type")
            for key, value in node.items():
                visit(value, key == "author" and kind not in ("Comment", "Review"))
        elif under_author and isinstance(node, str) and not node.startswith(("http", "@")):
            names.append(node)

    index(objects)
    visit(objects)
    return "; ".join(dict.fromkeys(names)) or None


def as_iso(value: str) -> str | None:
    """``"2020-01-19T12:25:36Z"`` → ``"2020-01-19T12:25:36+00:00"``: the page's own time and
    offset kept (its day is the day the page shows), a date alone as ``YYYY-MM-DD``."""
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)  # "Thu, 08 May 2014 14:04:53 -0400" (RSS style)
        except (TypeError, ValueError, IndexError):
            return None
    if not 1995 <= moment.year <= datetime.now().year + 1:
        return None
    if len(value) <= 10:
        return moment.date().isoformat()
    return moment.isoformat()


def meta_contents(page: str, names: tuple[str, ...]) -> list[str]:
    """The ``content`` of the page's meta tags whose property, name or itemprop is one of
    ``names`` (lowercase), in page order.

        >>> meta_contents('<meta name="twitter:creator" content="Jane Doe">', ("twitter:creator",))
        ['Jane Doe']
    """
    return [
        attributes.get("content", "") for attributes in meta_attributes(page)
        if any(attributes.get(k, "").lower() in names for k in ("property", "name", "itemprop"))
    ]


@lru_cache(maxsize=4)
def meta_attributes(page: str) -> tuple[dict, ...]:
    """The attributes of each meta tag in the page's first 500 kB (read once per page: the date,
    the author and the title all look there; cached, so read them, never change them)."""
    return tuple({k.lower(): a or b for k, a, b in ATTRIBUTE.findall(tag)} for tag in META_TAG.findall(page[:500_000]))


def twitter_creator(page: str) -> str | None:
    """The ``twitter:creator`` meta tag when it gives a name rather than an ``@handle`` (trafilatura
    leaves this tag out because it mostly holds handles)."""
    return next((c for c in meta_contents(page, ("twitter:creator",)) if c.strip() and not c.strip().startswith("@")), None)


PAGE_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
TITLE_BYLINE = re.compile(rf"^{BY}\s+(\S.*)$", re.IGNORECASE)


def title_byline(page: str) -> str | None:
    """The author a page's ``<title>`` or social title names in a part of its own ("How To Scrape
    Google - By linksc", "Title | by Jane Doe | Medium").

        >>> title_byline("<title>How To Scrape Google With Python - By linksc</title>")
        'linksc'
    """
    found = PAGE_TITLE.search(page[:500_000])
    titles = ([plain(found.group(1))] if found else []) + meta_contents(page, ("og:title", "twitter:title"))
    for part in (part for title in titles for part in TITLE_SEPARATOR.split(html_entities.unescape(title))):
        match = TITLE_BYLINE.match(part.strip())
        if match:
            return match.group(1)
    return None


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
    dates += meta_contents(page, PUBLISHED_META)
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


def published_date(page: str, objects: list, guessed: str | None, zone: str | None = None, title: str | None = None) -> str | None:
    """The original publication date of a page: what it declares (JSON-LD, meta tags), checked
    against the day it shows when the declared time is in UTC; else the date it prints after a
    label; else the day printed under its headline (``zone``, see ``header_zone``); else
    htmldate's ``guessed`` date."""
    declared = structured_published(page, objects)
    if declared and (len(declared) <= 10 or not declared.endswith("+00:00")):
        return declared  # a local time, or a day: nothing to check it against
    printed = labelled_published(text_of(page)) or header_published(zone, title) or guessed
    return publication_date(declared, printed, local_time_published(page))


def url_day(url: str | None) -> str | None:
    """The day a page's address gives, as ``YYYY-MM-DD``, or None.

        >>> url_day("http://www.cnn.com/2010/POLITICS/08/13/democrats.social.security/index.html")
        '2010-08-13'
    """
    try:
        day = date(*map(int, URL_DAY.search(urlsplit(url).path).groups()))
    except (AttributeError, TypeError, ValueError):  # no day, no address, or one that does not parse
        return None
    return day.isoformat() if 1995 <= day.year <= date.today().year else None


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
    return next(filter(None, (printed_day(m.group(1)) for m in PUBLISHED_LABEL.finditer(text[:300_000]))), None)


def header_published(zone: str | None, title: str | None) -> str | None:
    """The day printed on a short line just under the headline (``"January 22, 2014"``,
    ``"Publié le 3 mars 2020 à 10h"``), not an update's day, as ``YYYY-MM-DD``."""
    if not zone or not title:
        return None
    shown = lines(zone)
    start = next((i for i, line in enumerate(shown) if title in line), None)
    for line in shown[start + 1: start + 15] if start is not None else []:
        match = HEADER_DAY.search(line) or SHORT_DOTTED_DAY.search(line)
        if match and len(line.split()) <= 12 and not UPDATE.search(line):
            day = printed_day(match.group(1))
            if day:
                return day
    return None


# Month names of printed days, English, French and German, numbered; dateparser reads the rest
# (it costs about 10 ms a call).
MONTHS = {
    name: number
    for names in (
        "january february march april may june july august september october november december",
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "januar februar märz april mai juni juli august september oktober november dezember",
        "jan feb mar apr may jun jul aug sep oct nov dec",
        "janv févr mars avr mai juin juil août sept oct nov déc",
    )
    for number, name in enumerate(names.split(), start=1)
} | {"fevrier": 2, "aout": 8, "decembre": 12, "sept": 9, "jänner": 1}
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:er|\.)?\s+([^\W\d]+)\.?\s+(\d{4})")
MONTH_DAY_YEAR = re.compile(r"([^\W\d]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


def printed_day(text: str) -> str | None:
    """``"January 22, 2014"``, ``"3 mars 2020"`` or ``"12.05.2019"`` as ``YYYY-MM-DD``, or None.

        >>> printed_day("January 22, 2014"), printed_day("1er août 2019"), printed_day("8.5.12")
        ('2014-01-22', '2019-08-01', '2012-05-08')
    """
    text = text.strip()
    dotted, day_first, month_first = DOTTED_DAY.fullmatch(text), DAY_MONTH_YEAR.fullmatch(text), MONTH_DAY_YEAR.fullmatch(text)
    if dotted:
        day, month, year = map(int, dotted.groups())
        if year < 100:  # "8.5.12": this century unless that would be in the future
            year += 2000 if 2000 + year <= datetime.now().year else 1900
    elif day_first and day_first.group(2).casefold() in MONTHS:
        day, month, year = int(day_first.group(1)), MONTHS[day_first.group(2).casefold()], int(day_first.group(3))
    elif month_first and month_first.group(1).casefold() in MONTHS:
        day, month, year = int(month_first.group(2)), MONTHS[month_first.group(1).casefold()], int(month_first.group(3))
    else:
        moment = day_parser().get_date_data(text).date_obj
        day, month, year = (moment.day, moment.month, moment.year) if moment else (0, 0, 0)
    try:
        moment = datetime(year, month, day)
    except ValueError:
        return None
    return moment.date().isoformat() if 1995 <= moment.year <= datetime.now().year else None


@lru_cache(maxsize=1)
def day_parser():
    """One English, French and German day parser, built once (building one costs more than parsing)."""
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en", "fr", "de"], settings={"STRICT_PARSING": True})


# Where layouts put bylines: a link to the author's page, or an element named for the author.
AUTHOR_LINK = re.compile(
    r"<a\b[^>]*href=[\"'][^\"']*/(?:authors?|auteurs?|autor(?:en|in)?|reporters?|journalistes?|writers?|redaction|redaktion|newsteam|profiles?|people|staff|contributors?|personnes?)/[^\"']+[\"'][^>]*>(.*?)</a>",
    re.IGNORECASE | re.DOTALL,
)
AUTHOR_ELEMENT = re.compile(
    r"<(span|div|p|a|strong|address)\b[^>]*(?:class|id|itemprop|rel)=[\"']?[^\"'>]*(?:author|autor|byl|auteur|signature|writer|reporter|journalist)[^>]*>(.*?)</\1>",
    re.IGNORECASE | re.DOTALL,
)
# Inside an author element, the name itself when the markup marks it (hCard's "fn", schema.org's
# itemprop="name"): the element may also print a job title or a biography.
MARKED_NAME = re.compile(
    r"<(\w+)\b[^>]*(?:class=[\"'](?:[^\"']*\s)?fn[\s\"']|itemprop=[\"']?name\b)[^>]*>(.*?)</\1>", re.IGNORECASE | re.DOTALL
)


def author_element_names(element: str) -> str:
    """The names an author element prints: its marked names when it marks them, else its text.

        >>> author_element_names('<b class="fn">Andrea Stone</b> <span>Senior Correspondent</span>')
        'Andrea Stone'
    """
    marked = [plain(m.group(2)) for m in MARKED_NAME.finditer(element)]
    return "; ".join(name for name in marked if name) or plain(element)


# A teaser card prints its headline close after its byline, and links to its story: from the
# headline, or around the whole card. A subtitle after an article's byline links nowhere.
SUBHEADING = re.compile(r"<h[2-4]\b[^>]*>(\s*<a\b)?", re.IGNORECASE)
LINK_EDGE = re.compile(r"<(/?)a\b", re.IGNORECASE)
# Classes of author elements that are not the article's: a comment's, a photo's, a caption's.
NON_AUTHOR_CLASS = re.compile(r"comment|photo[-_]?(?:author|byline|credit)|credit|caption", re.IGNORECASE)


def byline_authors(page: str) -> str | None:
    """The first byline a stretch of layout shows (author links and elements named for the
    author, close together), ``"; "``-joined in page order."""
    head = page[:1_000_000]
    found = [(m.start(), plain(m.group(1))) for m in AUTHOR_LINK.finditer(head)][:3]
    # A comment's author ("comment-author") did not write the article, a photo's ("tnt-photo-byline") took its pictures.
    found += [(m.start(), author_element_names(m.group(2))) for m in AUTHOR_ELEMENT.finditer(head) if not NON_AUTHOR_CLASS.search(m.group(0)[: m.start(2) - m.start()])][:6]

    def a_card(at: int) -> bool:
        heading = SUBHEADING.search(head, at, at + 300)
        edges = LINK_EDGE.findall(head, max(0, at - 2000), at)
        return bool(heading) and (heading.group(1) is not None or (bool(edges) and edges[-1] == ""))

    def a_byline(at: int, shown: str) -> bool:
        """Some words, not only layout ones ("Author"), not a biography, not a credit, not a
        teaser card's."""
        return (0 < len(words(shown)) <= BYLINE_WORDS and not set(words(shown)) <= LAYOUT_WORDS
                and not CREDITED.search(plain(head[max(0, at - 80): at])) and not a_card(at))

    found = sorted((at, shown) for at, shown in found if a_byline(at, shown))
    return "; ".join(shown for at, shown in found if at <= found[0][0] + BYLINE_SPAN) or None


# One byline's parts (names, links, "and") lie within this many characters of markup, and an
# author element prints at most this many words (three names with particles), not a biography.
BYLINE_SPAN = 800
BYLINE_WORDS = 12
# "By Todd Bates", "Par Camille Durand et Léo Martin", "Posted on March 3, 2024 by Gwen Alvarado"
# printed as text near the headline, or a label alone on its line above the name ("Author").
BYLINE_TEXT = re.compile(
    rf"(?:(?<![\w])(?:By|BY|Par|PAR|(?i:{BYLINE_LEAD})\s+(?i:by|par))|(?<=(?:19|20)\d\d|\d:\d\d)[ \t]+(?:by|par)|(?:^|(?<=\n))(?:{BY}|Von|VON|(?i:{BYLINE_LEAD})\s+(?i:von)|(?i:{BYLINE_LABEL})(?=[ \t]*:?[ \t]*\n)))[ \t]*:?\s+"
    r"([A-ZÉÈÀ][\w'’.-]+(?:[ \t]*(?:,|[ \t]and|[ \t]et|[ \t]und|[ \t]&)?[ \t]+(?:de |da |van |von |le |la )?[A-ZÉÈÀ][\w'’.-]+){1,7})"
)
# The article's own byline is printed near its headline; bylines further away belong to
# related-article cards, comments and sidebars.
BEFORE_HEADLINE, AFTER_HEADLINE, AFTER_ARTICLE = 1_500, 8_000, 600


def headline_at(page: str, title: str | None) -> re.Match | None:
    """The first ``<h1>`` or ``<h2>`` element that prints ``title``, else the first ``<h3>`` (old
    blog themes title their posts so), or None."""
    first_h3 = None
    for match in HEADING.finditer(page[:MAX_HEADLINE_SEARCH]) if title else ():
        if title in plain(match.group(2)):
            if match.group(1).lower() != "h3":
                return match
            first_h3 = first_h3 or match
    return first_h3


def header_zone(page: str, title: str | None, text: str = "") -> str | None:
    """The HTML just around the headline (the heading printing ``title``, see ``headline_at``,
    written as an ``<h1>``), what readers never read left out (``UNSEEN``), and nothing after the
    article's ``text`` ends but its own footer (related-article cards and comments follow a short
    article closely), or None when the headline is not found."""
    match = headline_at(page, title)
    if match is None:
        return None
    before = UNSEEN.sub(" ", page[max(0, match.start() - 20 * BEFORE_HEADLINE): match.start()])[-BEFORE_HEADLINE:]
    # Nothing of the site's navigation or masthead, which end before the article starts.
    before = before[max(before.rfind("</nav>"), before.rfind("</header>"), 0):]
    after = UNSEEN.sub(" ", page[match.end(): match.end() + 20 * AFTER_HEADLINE])
    end = article_end(after[:AFTER_HEADLINE], text)
    if end is not None:
        # The article's own footer ("Published by …") may follow its text; the next section,
        # aside, navigation or form starts something else (related stories, comments).
        furniture = NEXT_BLOCK.search(after, end, end + AFTER_ARTICLE)
        after = after[: furniture.start() if furniture else end + AFTER_ARTICLE]
    # The headline reads as an <h1> whatever its level, so that no byline takes it for a card's title.
    return before + f"<h1>{match.group(2)}</h1>" + after[:AFTER_HEADLINE]


NEXT_BLOCK = re.compile(r"<(?:section|aside|nav|form)\b", re.IGNORECASE)


def last_paragraph(text: str) -> str:
    """The article ``text``'s last paragraph of five words or more (shorter lines are captions
    and credits), or ``""``."""
    return next((p for p in reversed(text.split("\n")) if len(p.split()) >= 5), "")


def article_end(markup: str, text: str) -> int | None:
    """Where the last paragraph of the article's ``text`` ends in ``markup`` (its last words,
    whatever tags or entities lie between them), or None when it is not found there.

        >>> article_end("<p>It ended <em>there</em>, for good.</p><div>Related</div>", "It ended there, for good.")
        36
    """
    ending = WORD.findall(last_paragraph(text))[-4:]
    if not ending:
        return None
    # Possessive: tags such as "<!-- -->" could otherwise be read as tags or as non-word
    # characters in exponentially many ways.
    pattern = r"(?:<[^>]*>|&#?\w+;|\W)++".join(map(re.escape, ending))
    found = None
    for found in re.finditer(pattern, markup):
        pass
    return found.end() if found else None


def header_byline(zone: str) -> str | None:
    """The byline printed around the headline: author links and elements, else "By …" text
    (a name on the line of its "By", or on the next line after a lone "By")."""
    laid_out = byline_authors(zone)
    if laid_out:
        return laid_out
    text = "\n".join(lines(zone))
    printed = [m.group(1) for m in BYLINE_TEXT.finditer(text) if not CREDITED.search(text[max(0, m.start() - 20): m.start(1)])]
    return "; ".join(printed) or None


def article_authors(page: str, title: str | None, zone: str | None, declared: str | None, found: str | None,
                    sitename: str | None, url: str | None = None, text: str = "") -> tuple[list[str], str]:
    """The article's authors, what readers see first: the byline printed around its headline
    (``zone``, see ``header_zone``), else one its ``text`` opens with; else the persons its
    JSON-LD ``declared``; else a name in its ``twitter:creator`` tag or a "By …" part of its
    ``<title>``; else the byline trafilatura ``found`` when the page confirms it (a meta tag, the
    headline's surroundings or the text name them: names found only elsewhere are related-article
    cards); else the signature under its last paragraph; else a labelled "Author: …" line below
    the headline. An article the headline's byline signs with a desk or an agency has no person
    author. Returns the names and the source they came from (the evaluation counts the pages
    each source decides).

        >>> page = "<h1>Parler is back</h1><p class='byline'>By Jane Doe</p>"
        >>> article_authors(page, "Parler is back", header_zone(page, "Parler is back"), None, None, None)
        (['Jane Doe'], 'headline byline')
    """
    if zone is not None:
        printed = header_byline(zone)
        shown = clean_authors(printed, sitename, page, url, handles=True)[:5]
        if shown:
            return shown, "headline byline"
        if set(words(printed)) & DESKS:
            return [], "desk byline"  # a desk or an agency signs it ("By Staff", "Par AFP"): no person
    opening = clean_authors(text_byline(text), sitename, page, url)
    if opening:
        return opening, "text's opening byline"
    declared_names = clean_authors(declared, sitename, page, url, handles=True)
    if declared_names:
        return [linked_form(name, page) for name in declared_names], "json-ld"
    creator = clean_authors(twitter_creator(page), sitename, page, url)
    if creator:
        return creator, "twitter:creator"
    # A pen name from the title ("- By linksc") only when the layout shows it as the author's too:
    # "By Invitation", "By Design" are a column's and a slogan's.
    titled = [n for n in clean_authors(title_byline(page), sitename, page, url, handles=True) if len(n.split()) > 1 or in_author_markup(n, page)]
    if titled:
        return titled, "page title"
    found_names = clean_authors(found, sitename, page, url)
    if zone is not None and found_names:
        meta = " ".join(value for attributes in meta_attributes(page) for value in attributes.values())
        confirming = " ".join((meta, plain(zone), text)).casefold()
        found_names = [n for n in found_names if n.casefold() in confirming]
    if found_names:
        return found_names, "trafilatura, confirmed" if zone is not None else "trafilatura"
    if zone is not None:
        below = lines_below_headline(page, title)
        names, source = clean_authors(signature(below, text), sitename, page, url, handles=True)[:3], "signature"
        if not names:
            names, source = clean_authors(labelled_byline(below), sitename, page, url, handles=True)[:3], "labelled line"
    else:
        names, source = clean_authors(byline_authors(page), sitename, page, url)[:3], "layout byline, headline not found"
    return names, source if names else "none"


def linked_form(name: str, page: str) -> str:
    """``name`` as the page's author links print it when the page's text does not print it as
    given: structured data may shorten or change a first name ("Anna Galazka" for the
    "Ann-Marie Galazka" of the author's page link), readers see the link.

        >>> linked_form("Anna Galazka", '<a href="/redaktion/ann-marie-galazka">Ann-Marie Galazka</a>')
        'Ann-Marie Galazka'
    """
    if name.casefold() in text_of(page).casefold():
        return name
    given = words(name)
    linked = (plain(m.group(1)) for m in AUTHOR_LINK.finditer(page[:1_000_000]))
    # Same surname and same first letter ("Anna"/"Ann-Marie"): not a colleague who shares the surname.
    return next((shown for shown in linked if 2 <= len(shown.split()) <= 4 and words(shown)[-1:] == given[-1:] and words(shown)[0][:1] == given[0][:1]), name)


AUTHOR_MARKUP = re.compile(r"(?:class|id|rel|itemprop)=[\"'][^\"']*(?:author|byline)", re.IGNORECASE)


def in_author_markup(name: str, page: str) -> bool:
    """Whether ``name`` is printed within an element named for the author (in its first 1,000
    characters of markup)."""
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", plain(page[m.end(): m.end() + 1000])) for m in AUTHOR_MARKUP.finditer(page[:1_000_000]))


def text_byline(text: str) -> str | None:
    """A byline the article's text opens with, as a short paragraph of its own or ahead of the
    first sentence ("By Aaron Humes: The Americas…"): syndicated and reposted texts carry
    theirs there."""
    for paragraph in text.split("\n")[:2]:
        paragraph = paragraph.strip()
        match = BYLINE_TEXT.match(paragraph)
        if match and (len(paragraph.split()) <= 8 or paragraph[match.end():].lstrip()[:1] in (":", "–", "—", "|")):
            return match.group(1)
    return None


def lines_below_headline(page: str, title: str | None) -> list[str]:
    """The page's text one block per line from its headline (see ``headline_at``) on, or ``[]``
    when the headline is not found."""
    match = headline_at(page, title)
    return lines(UNSEEN.sub(" ", page[match.end(): MAX_HEADLINE_SEARCH])) if match else []


def signature(below: list[str], text: str) -> str | None:
    """The byline that signs the article at its end: among the lines ``below`` its headline, the
    one right after the ``text``'s last paragraph, when it starts with "By", "Par", "Von" or a
    byline label ("Von Clemens Höges" under a magazine story). Related-article cards further
    down start with their headline.

        >>> signature(["It ended there, for good this time.", "Von Clemens Höges"], "It ended there, for good this time.")
        'Clemens Höges'
    """
    ending = " ".join(last_paragraph(text).split()[-6:])
    if not ending:
        return None
    at = next((i for i, line in enumerate(below) if ending in line), None)
    if at is None or at + 1 == len(below):
        return None
    found = BYLINE_TEXT.match(below[at + 1]) or LABELLED_BYLINE.match(below[at + 1])
    return found.group(1) if found else None


# A line that starts with a byline label: "Author: Julia Hitz", "Posted by T. V. Raman".
LABELLED_BYLINE = re.compile(rf"^(?:{BYLINE_LABEL}\s*:|{POSTED}\s+{BY}\b\s*:?)\s*(\S.{{2,60}})$", re.IGNORECASE)


def labelled_byline(below: list[str]) -> str | None:
    """The first of the lines ``below`` the headline that a byline label starts (bylines printed
    far below the headline, in an info box or under the article, are labelled so; teaser cards
    say "By")."""
    return next((found.group(1) for found in map(LABELLED_BYLINE.match, below) if found), None)


def clean_authors(author: str | None, sitename: str | None, page: str, url: str | None = None, handles: bool = False) -> list[str]:
    """Person names of a byline: no "By"/"Par"/"Von", no outlet, desk, agency or date, one name
    each; with ``handles``, one-word pen names too ("JeGX"), for bylines that name a person for
    sure (the layout's author element, a JSON-LD Person), but only when the byline names no one
    in full: a single word beside full names is a place or a desk ("Von Markus Balser, Berlin")."""
    if not author:
        return []
    author = author[:500]  # a byline, not a page: long runs without spaces make the patterns slow
    host = (urlsplit(url).hostname or "") if url else ""
    # The outlet is named by its host's words ("MesOpinions com") or by its whole site name ("The
    # Haitian Times"); a blog named after its author ("Daniel Lemire's blog") keeps its author.
    site_words = set(words(host)) - HOST_WORDS
    outlet = words(sitename)
    names: list[str] = []
    pen_names: list[str] = []
    # A note in parentheses may hold a separator itself ("Chloé Da Silva (Lyon, correspondante)").
    for part in AUTHOR_SEPARATORS.split(BYLINE_PREFIX.sub("", re.sub(r"\(.*?\)", "", author).strip())):
        if NOT_A_BYLINE.search(part):
            continue
        part = BYLINE_PREFIX.sub("", re.sub(r"^.*?\s(?=(?:by|par)\s)", "", part, flags=re.IGNORECASE))  # "Features By Tom Francis"
        if DATED.match(part):
            continue
        part = HONORIFIC.sub("", NAME_TAIL.sub("", PLACE_OR_OUTLET.sub("", part)).strip(" .,-–—|"))
        # "Adam Aaronson PhillyVoice Staff", "Bryan Walsh Tuesday": a desk word, and the outlet
        # before it, or a day trail the name.
        kept = part.split()
        trimmed = bool(kept) and kept[-1].casefold() in NOT_A_PERSON
        if trimmed and kept[-1].casefold() in ORGANISATIONS:
            kept = []  # "Public Works Department": an organisation, not "Public Works" ("Jane Doe Bureau Chief" is trimmed)
        while trimmed and kept and (kept[-1].casefold() in NOT_A_PERSON or kept[-1].casefold() in site_words):
            kept.pop()
        name = as_printed(" ".join(kept), page)
        if looks_like_a_person(name, site_words, outlet, declared_people(page)):
            names.append(name)
        elif handles and not trimmed and looks_like_a_handle(name, site_words, outlet):
            pen_names.append(name)
    # A one-word name beside full names is a place or a desk ("Von Markus Balser, Berlin"); a name
    # printed again with a word more ("Callum McAteer Trainee", "Door Pieter Van den Bossche") is
    # the same person.
    kept = list(dict.fromkeys(n for n in names or pen_names if words(n) != outlet))
    return [n for n in kept if not any(other != n and contains_name(n, other) for other in kept)]


def contains_name(longer: str, name: str) -> bool:
    """Whether ``longer`` is ``name`` with words before or after it."""
    outer, inner = words(longer), words(name)
    return len(outer) > len(inner) and (outer[: len(inner)] == inner or outer[-len(inner):] == inner)
