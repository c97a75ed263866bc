"""Body text and metadata of an HTML page, with trafilatura.

Example::

    article = extract_article(html, url="https://example.org/a.html")
    article["status"], article["title"], article["language"]
"""

from __future__ import annotations

import re

import py3langid
import trafilatura
from trafilatura.utils import decode_file

from extract.boilerplate import without_boilerplate
from extract.metadata import article_authors, header_zone, headline, json_ld, published_date, structured_authors, url_day

# Below this many words a page is kept but marked ``not_article`` (home pages, tag pages, stubs).
MIN_ARTICLE_WORDS = 80
DECLARED_LANG = re.compile(rb"<html[^>]*?\slang\s*=\s*[\"']?([a-zA-Z]{2,3})", re.IGNORECASE)
# A page that says it is not free, or shows a subscription wall, and whose extracted body stays
# short, is a teaser of a paywalled article, not the article.
PAYWALL_MARKERS = re.compile(
    rb'"isAccessibleForFree"\s*:\s*"?(?:false|False)|class="[^"]*\bpaywall|id="paywall'
    rb"|r\xc3\xa9serv\xc3\xa9 aux abonn\xc3\xa9s|Subscribe to continue reading|Abonnez-vous pour lire la suite"
    rb"|This article is for subscribers",
    re.IGNORECASE,
)
TEASER_MAX_WORDS = 300


def declared_language(html: bytes) -> str | None:
    """The ``<html lang>`` of a page, e.g. ``b'<html lang="fr-FR">'`` gives ``"fr"``."""
    match = DECLARED_LANG.search(html[:5000])
    return match.group(1).decode("ascii").lower()[:2] if match else None


# The language shows in a text's first few thousand characters; scoring a whole long article
# costs more CPU and changes nothing.
LANGUAGE_SAMPLE = 2_000


def detect_language(text: str) -> str | None:
    """Language of a text by py3langid (ISO 639-1), or None for empty text.

        >>> detect_language("Le réseau social Parler revient en ligne après un mois d'absence.")
        'fr'
    """
    return py3langid.classify(text[:LANGUAGE_SAMPLE])[0] if text.strip() else None


# Soft hyphens and zero-width spaces split words for layout only ("réac\xadtion").
INVISIBLE = str.maketrans("", "", "\xad\u200b")
BLOCK_KINDS = {"head": "heading", "p": "paragraph", "quote": "quote", "code": "code"}


def main_blocks(body) -> list[dict]:
    """The article's paragraphs, headings, list items, quotes and table rows, in order, from
    trafilatura's main-content tree: ``[{"kind": "heading", "text": "..."}, ...]``."""
    blocks = []

    def add(kind: str, text: str) -> None:
        text = " ".join(text.translate(INVISIBLE).split())
        if text.strip(" |"):
            blocks.append({"kind": kind, "text": text})

    for element in body:
        if element.tag == "list":
            for item in element.iter("item"):
                add("item", "".join(item.itertext()))
        elif element.tag == "table":
            for row in element.iter("row"):
                add("table", " | ".join("".join(cell.itertext()) for cell in row))
        else:
            add(BLOCK_KINDS.get(element.tag, "paragraph"), "".join(element.itertext()))
    return blocks


def extract_article(html: bytes | str, url: str | None = None, hint_published: str | None = None) -> dict:
    """Extract an article from a page. Always returns a dict with a ``status``.

    ``status`` is ``article``, ``not_article`` when no body of at least ``MIN_ARTICLE_WORDS``
    words is found, or ``teaser`` for the short visible part of a paywalled article. ``hint_published`` (from a feed or sitemap) is used
    when the page itself gives no date, and the day in the ``url`` when neither does.
    """
    raw = html.encode("utf-8", "replace") if isinstance(html, str) else html  # "replace": lone surrogates
    page = html if isinstance(html, str) else decode_file(html)  # the page's own charset, as trafilatura reads it
    document = trafilatura.bare_extraction(
        page,
        url=url,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    sitename = document.sitename if document else None
    objects = json_ld(page)
    metadata_title = document.title.strip() if document and document.title else None
    title = headline(page, metadata_title, sitename, url)
    paragraphs = main_blocks(document.body) if document is not None and document.body is not None else []
    if paragraphs and paragraphs[0]["text"] == metadata_title:
        paragraphs = paragraphs[1:]
    paragraphs, removed = without_boilerplate(paragraphs)
    text = "\n".join(block["text"] for block in paragraphs)
    zone = header_zone(page, title, text)  # where the byline and the day are printed
    authors, authors_source = article_authors(
        page, title, zone, structured_authors(page, objects), document.author if document else None, sitename, url, text
    )
    declared = declared_language(raw)
    detected = detect_language(text) if len(text) >= 200 else None
    language = detected or declared or detect_language(" ".join(filter(None, [title, text])))
    words = len(text.split())
    if words < MIN_ARTICLE_WORDS:
        status = "not_article"
    elif words < TEASER_MAX_WORDS and PAYWALL_MARKERS.search(raw):
        status = "teaser"
    else:
        status = "article"
    return {
        "status": status,
        "url": (document.url if document else None) or url,
        "title": title,
        "text": text,
        "paragraphs": paragraphs,
        "authors": authors,
        "authors_source": authors_source,
        "published": published_date(page, objects, document.date if document else None, zone, title) or hint_published or url_day(url),
        "language": language,
        "language_source": "detected" if detected or not declared else "page",
        "sitename": sitename,
        "word_count": words,
        "boilerplate_removed": dict(removed),
    }
