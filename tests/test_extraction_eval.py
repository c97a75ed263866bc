"""Body and metadata extraction on the real pages of tests/eval/extraction stay above their
floors, and the parts that move the numbers (cleaning rules, headline, bylines) do what they say."""

import json

import pytest

from extract.boilerplate import RULES, drop_boilerplate
from extract.extraction_eval import EVAL_DIR, EvalPage, body_counts, check_floors, field_matches, load_pages
from extract.metadata import article_authors, clean_authors, headline, structured_authors
from tests.conftest import run_veille

FLOORS = EVAL_DIR / "floors.json"


def test_the_evaluation_set_is_whole_and_split():
    pages = load_pages(split="all")
    assert len(pages) == 195 and {p.lang for p in pages} == {"fr", "en"}
    dev, test = load_pages(split="dev"), load_pages(split="test")
    assert len(dev) + len(test) == 195 and not {p.key for p in dev} & {p.key for p in test}
    assert sum(1 for p in pages if p.labels) >= 60


@pytest.mark.parametrize("split", ["all", "demo"])
def test_extraction_meets_the_floors(tmp_path, split):
    report_path = tmp_path / "extraction.json"
    done = run_veille("eval", "extraction", "--split", split, "--report", str(report_path), "--check", str(FLOORS))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = json.loads(report_path.read_text())
    assert check_floors(report, json.loads(FLOORS.read_text())[split]) == []
    veille = report["extractors"]["veille"]
    assert set(veille["body"]) == {"all", "en", "fr"} and veille["cpu_ms_per_page"] > 0
    assert veille["metadata"]["title"]["pages"] >= (60 if split == "all" else 20)


def test_a_score_under_its_floor_fails_the_check(tmp_path):
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"demo": {"metadata": {"title": 1.01}}}))
    done = run_veille("eval", "extraction", "--split", "demo", "--check", str(floors))
    assert done.returncode == 1 and "below floor: title accuracy" in done.stderr


def test_snippets_count_as_found_missing_or_leaked():
    page = EvalPage("k", None, "en", b"", ["Brazil went dark.", "the smoke"], ["Tagged:", "Watch this next"])
    assert body_counts("Intro. Brazil  went\ndark. Tagged: fires", page) == (1, 1, 1)
    assert field_matches("title", "L’Université PSL", "L'Université  PSL")
    assert field_matches("authors", ["JANE DOE"], ["Jane Doe"]) and not field_matches("authors", [], ["Jane Doe"])
    assert field_matches("published", "2021-03-08T10:00:00+01:00", "2021-03-08")


def test_each_cleaning_rule_removes_short_furniture_and_keeps_long_paragraphs():
    examples = {
        "read more": "À lire aussi : Bluesky ouvre ses portes",
        "subscription": "Subscribe now to our digital edition for the full story.",
        "newsletter": "Sign up for our weekly newsletter",
        "apps and social": "Follow us on Twitter and Facebook",
        "reader prompts": "Submit a letter to the editor",
        "donation appeal": "We need your help: donate today",
        "affiliate disclosure": "We may receive compensation if you buy through our links.",
        "copyright": "© 2024 Example Media. All rights reserved.",
        "photo credits": "Crédits photos : AFP",
        "page furniture": "Last updated: 3 March 2024",
    }
    assert set(examples) == {name for name, _, _ in RULES}
    for rule, line in examples.items():
        text, removed = drop_boilerplate(f"The story begins.\n{line}\nThe story ends.")
        assert text == "The story begins.\nThe story ends." and removed == {rule: 1}, rule
    article = ("Telegram said it had 900 million users, and that channels where people subscribe now to "
               "follow news grew fastest; its founder told reporters the figure would rise again next year " * 2)
    assert drop_boilerplate(article)[0] == article


def test_headline_is_the_visible_h1_not_the_seo_title():
    page = "<h1 class=logo>Site</h1><h1>Coronavirus: New York ramps up mass burials amid outbreak</h1>"
    assert headline(page, "New York ramps up mass burials amid virus outbreak", "BBC News") == (
        "Coronavirus: New York ramps up mass burials amid outbreak")
    assert headline("<p>no h1</p>", "Parler returns | The Daily Ledger", "The Daily Ledger") == "Parler returns"
    assert headline("<p>no h1</p>", "Parler returns | Tech", None) == "Parler returns | Tech"


def test_headline_from_an_h2_and_without_a_section_label():
    logo_h1 = "<h1>The Ledger</h1><h2>Gab Returns to the App Store</h2><h2>Most read</h2>"
    assert headline(logo_h1, "Gab Returns To The App Store", "The Ledger") == "Gab Returns to the App Store"
    labelled = "<h1>Politics | Parler returns after a month offline</h1>"
    assert headline(labelled, "Parler returns after a month offline", "The Ledger") == "Parler returns after a month offline"
    kicker = "<h1><span>Open Progress</span><br/><span>Why collaborative thinking wins</span></h1>"
    assert headline(kicker, "Why collaborative thinking wins", None) == "Why collaborative thinking wins"
    subtitle = "<h1>Fish cakes, hot and fresh <small>Welcome to the flavour capital</small></h1>"
    assert headline(subtitle, "Fish cakes, hot and fresh", None) == "Fish cakes, hot and fresh"
    # The page's only headline wins over an SEO title that says it otherwise.
    only = "<h1>20 Clever Small Nursery Ideas When Tight On Space</h1>"
    assert headline(only, "Clever Ideas to Set Up a Nursery in a Small Space", None) == "20 Clever Small Nursery Ideas When Tight On Space"
    scripts_first = "<script>" + "x" * 1_500_000 + "</script><h1>Parler returns after a month offline</h1>"
    assert headline(scripts_first, "Parler returns after a month offline - The Ledger", "The Ledger") == "Parler returns after a month offline"


def test_bylines_become_person_names():
    page = "<p>By Logan C. Ritchie</p>"
    assert clean_authors("Logan C Ritchie", "Rough Draft Atlanta", page) == ["Logan C. Ritchie"]
    assert clean_authors("Adam Aaronson PhillyVoice Staff", None, "", "https://www.phillyvoice.com/a") == ["Adam Aaronson"]
    assert clean_authors("View all posts by Daniel Lemire", "Daniel Lemire's blog", "", "https://lemire.me/blog/x") == ["Daniel Lemire"]
    assert clean_authors("The Haitian Times; Editorial Staff; AFP", "The Haitian Times", "") == []
    assert clean_authors("Deutsche Welle", "DW", "", "https://www.dw.com/en/x") == []
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Julia Hitz"}, {"@type": "Organization", "name": "DW"}]}</script>'
    assert structured_authors(ld) == "Julia Hitz"
    assert clean_authors("Features By Tom Francis", None, "") == ["Tom Francis"]
    assert clean_authors("James Lynch; University of Michigan", None, "") == ["James Lynch"]


HEADLINE = "<h1>Parler returns after a month offline</h1>"
TEASER = "<div class=card><a href=/b>Gab grows</a><span class=\"author\">By Tom Reyes</span></div>"
FAR = "<p>" + "Body text. " * 1000 + "</p>"


def test_the_byline_printed_by_the_headline_wins_and_teaser_bylines_do_not_count():
    title = "Parler returns after a month offline"
    # A byline in separate blocks ("By", then the name) and a name split by an inline element.
    split = HEADLINE + "<p class=label>By</p><p class=name>Jane Doe</p>" + FAR + TEASER
    assert article_authors(split, title, None, None, None) == ["Jane Doe"]
    spaced = HEADLINE + '<p><span class="byline">Will Knigh<span class="x">t</span></span></p>' + FAR
    assert article_authors(spaced, title, None, None, None) == ["Will Knight"]
    # Structured data naming someone the page does not show yields to the printed byline.
    assert article_authors(split, title, "Kathleen Ditton", None, None) == ["Jane Doe"]
    # No byline by the headline: a byline found only in a related-article card is not the author...
    teaser_only = HEADLINE + FAR + TEASER
    assert article_authors(teaser_only, title, None, "Tom Reyes", None) == []
    # ...but a name the page's meta tags or the article's text confirm is.
    assert article_authors('<meta name="author" content="Tom Reyes">' + teaser_only, title, None, "Tom Reyes", None) == ["Tom Reyes"]
    assert article_authors(teaser_only, title, None, "Tom Reyes", None, text="Reporting by Tom Reyes") == ["Tom Reyes"]
    # Photo and art credits, reviewers, printed by the headline are not bylines.
    credit = HEADLINE + "<figcaption>Photo By Ann Lee</figcaption>" + FAR
    assert article_authors(credit, title, None, None, None) == []
    art = HEADLINE + '<p>Words by <a rel="author" href="/people/jd">Jane Doe</a> Art by <a href="/people/k">Koichi</a></p>' + FAR
    assert article_authors(art, title, None, None, None) == ["Jane Doe"]
    reviewed = HEADLINE + "<p class=\"byline\">Written by Grant Tinsley, PhD</p><p class=\"reviewer\">Medically reviewed by Ann Lee</p>" + FAR
    assert article_authors(reviewed, title, None, None, None) == ["Grant Tinsley"]
    # A desk signs it: no person, even if structured data names a producer.
    desk = HEADLINE + "<p class=\"byline\">By Letters to the Editor</p>" + FAR
    assert article_authors(desk, title, "Jaime Welton", None, None) == []
    # Far from the headline, only a labelled byline counts ("Author: …", "Posted by …").
    labelled = HEADLINE + FAR + "<p>Author: Julia Hitz (eg)</p>" + TEASER
    assert article_authors(labelled, title, None, None, None) == ["Julia Hitz"]
    # One-word pen names from an author element, not desks, acronyms or degrees.
    assert article_authors(HEADLINE + "<span class=\"author\">JeGX</span>" + FAR, title, None, None, None) == ["JeGX"]
    assert article_authors(HEADLINE + "<span class=\"author\">BBNTEAM</span>" + FAR, title, None, None, None) == []
    assert article_authors(HEADLINE + "<span class=\"author\">IWB</span>" + FAR, title, None, None, None) == []
