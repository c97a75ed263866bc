"""Body and metadata extraction with trafilatura, as a plain function (no Scrapy)."""

from extract.body import declared_language, extract_article
from extract.metadata import clean_authors

PARAGRAPH = "Le réseau social Parler a été coupé par Amazon Web Services dimanche 10 janvier, selon son fondateur. "


def page(body: str, lang: str | None = "fr", head: str = "") -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return f"<html{lang_attr}><head><title>Titre</title>{head}</head><body>{body}</body></html>"


ARTICLE = page(
    "<nav><a href='/'>Accueil</a> <a href='/tech'>Tech</a></nav>"
    "<article><h1>Parler hors ligne</h1><p class='byline'>Par Camille Durand et Léo Martin</p>"
    + "".join(f"<p>Paragraphe {n}. {PARAGRAPH * 3}</p>" for n in range(4))
    + "</article><aside><h3>Les plus lus</h3><ul><li><a href='/x'>Un autre titre sans rapport</a></li></ul></aside>"
    "<footer>© 2021 Le Veilleur, tous droits réservés</footer>",
    head='<meta property="article:published_time" content="2021-01-11T08:30:00+01:00">',
)


def test_article_metadata_and_body():
    article = extract_article(ARTICLE, url="http://example.test/a.html")
    assert article["status"] == "article"
    assert article["title"] == "Parler hors ligne"
    assert article["published"] == "2021-01-11T08:30:00+01:00"  # the page's own time and offset kept
    assert article["language"] == "fr"
    assert "Amazon Web Services dimanche 10 janvier" in article["text"]
    assert "Les plus lus" not in article["text"] and "droits réservés" not in article["text"]
    assert not article["text"].startswith("Parler hors ligne")  # the headline is not repeated in the body


def test_language_detected_when_the_page_does_not_declare_it():
    sentence = "The alternative platform went dark after the hosting provider cut it off."
    html = page("<article>" + "".join(f"<p>Part {n}. {sentence}</p>" for n in range(20)) + "</article>", lang=None)
    article = extract_article(html)
    assert article["language"] == "en" and article["language_source"] == "detected"


def test_short_or_empty_pages_are_marked_not_article():
    assert extract_article(page("<p>Bienvenue.</p>"))["status"] == "not_article"
    assert extract_article("")["status"] == "not_article"
    assert extract_article(b"\x89PNG\r\n\x1a\n\x00\x00")["status"] == "not_article"


def test_short_paywalled_page_is_a_teaser_and_a_long_one_an_article():
    wall = '<div class="paywall">Abonnez-vous pour lire la suite</div>'
    short = page("<article>" + "".join(f"<p>{n}. {PARAGRAPH}</p>" for n in range(8)) + wall + "</article>")
    long = page("<article>" + "".join(f"<p>{n}. {PARAGRAPH}</p>" for n in range(25)) + wall + "</article>")
    assert extract_article(short)["status"] == "teaser"
    assert extract_article(long)["status"] == "article"
    free = page("<article>" + "".join(f"<p>{n}. {PARAGRAPH}</p>" for n in range(8)) + "</article>")
    assert extract_article(free)["status"] == "article"


def test_broken_html_still_extracts():
    broken = "<html><body><div><p>" + "<p>".join(f"{n}. {PARAGRAPH * 2}" for n in range(6)) + "<div><span></body"
    article = extract_article(broken)
    assert article["status"] == "article" and "Amazon Web Services" in article["text"]


def test_hint_date_used_only_when_page_has_none():
    no_date = page("<article>" + "".join(f"<p>{n}. {PARAGRAPH}</p>" for n in range(12)) + "</article>")
    assert extract_article(no_date, hint_published="2021-01-09")["published"] == "2021-01-09"
    assert extract_article(ARTICLE, hint_published="2020-01-01")["published"][:10] == "2021-01-11"
    # The address's day comes last: after the page's own date and after the feed's.
    dated_url = "https://news.test/2020/politics/03/04/story.html"
    assert extract_article(no_date, url=dated_url)["published"] == "2020-03-04"
    assert extract_article(no_date, url=dated_url, hint_published="2021-01-09")["published"] == "2021-01-09"


def test_authors_are_split_and_cleaned():
    assert clean_authors("Par Camille Durand et Léo Martin", None, "") == ["Camille Durand", "Léo Martin"]
    assert clean_authors("By Sarah O'Neil; Tom Reyes", None, "") == ["Sarah O'Neil", "Tom Reyes"]
    assert clean_authors(None, None, "") == []


def test_declared_language():
    assert declared_language(b'<!doctype html><html class="x" lang="fr-FR">') == "fr"
    assert declared_language(b"<html>") is None


def test_body_keeps_its_structure_and_drops_furniture():
    html = page(
        "<article><h1>Parler hors ligne</h1>"
        + "".join(f"<p>Paragraphe {n}. {PARAGRAPH * 3}</p>" for n in range(2))
        + "<h2>Ce que dit Amazon</h2><ul><li>Premier point de la liste, assez long pour compter.</li>"
        "<li>Second point de la liste, lui aussi assez long.</li></ul>"
        + "".join(f"<p>Suite {n}. {PARAGRAPH * 3}</p>" for n in range(2))
        + "<p>À lire aussi : Gab lève des fonds</p><p>Crédits photos : AFP</p></article>"
    )
    article = extract_article(html)
    kinds = [p["kind"] for p in article["paragraphs"]]
    assert kinds == ["paragraph", "paragraph", "heading", "item", "item", "paragraph", "paragraph"]
    assert article["text"] == "\n".join(p["text"] for p in article["paragraphs"])
    assert article["boilerplate_removed"] == {"read more": 1, "photo credits": 1}
