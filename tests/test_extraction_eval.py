"""Body and metadata extraction on the real pages of tests/eval/extraction stay above their
floors, and the parts that move the numbers (cleaning rules, headline, bylines) do what they say."""

import hashlib
import json

import pytest

from extract.boilerplate import RULES, drop_boilerplate
from extract.extraction_eval import EVAL_DIR, EvalPage, body_counts, check_floors, field_matches, label_agreement, load_pages
from extract.metadata import NOT_A_BYLINE, article_authors, clean_authors, header_zone, headline, json_ld, printed_day, published_date, structured_authors, url_day
from tests.conftest import run_veille

FLOORS = EVAL_DIR / "floors.json"


def test_the_evaluation_set_is_whole_and_split():
    pages = load_pages(split="all")
    assert len(pages) == 195 and {p.lang for p in pages} == {"fr", "en"}
    dev, test = load_pages(split="dev"), load_pages(split="test")
    assert len(dev) + len(test) == 195 and not {p.key for p in dev} & {p.key for p in test}
    # Every labelled page was labelled twice, and the two annotators (settled) agree.
    agreement = label_agreement(pages)
    assert agreement["pages"] == sum(1 for p in pages if p.labels) == 193
    assert agreement["authors"] >= 0.95 * 193 and agreement["published"] >= 0.95 * 193
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
    # Each labelled article page's authors come from one named source, and the report says how often it is right.
    sources = veille["labelled_article_pages_by_authors_source"]
    assert sum(s["pages"] for s in sources.values()) == veille["metadata"]["authors"]["pages"]
    assert sum(s["right"] for s in sources.values()) == veille["metadata"]["authors"]["right"]


def test_metadata_only_sets_are_whole_labelled_and_above_their_floors(tmp_path):
    fresh, more = load_pages(split="fresh"), load_pages(split="dev-extra")
    assert len(fresh) == 49 and len(more) == 69 and all(p.labels and p.url and not p.with_snippets for p in fresh + more)
    # No page twice, whatever its key: compared by content.
    contents = [hashlib.sha1(p.html).hexdigest() for p in fresh + more + load_pages(split="all")]
    assert len(set(contents)) == len(contents)
    agreement = label_agreement(fresh)  # the fresh pages were labelled twice, blind
    assert agreement["pages"] == 49 and agreement["authors"] >= 0.95 * 49 and agreement["published"] >= 0.95 * 49
    for split in ("fresh", "dev-extra"):
        report_path = tmp_path / f"{split}.json"
        done = run_veille("eval", "extraction", "--split", split, "--report", str(report_path), "--check", str(FLOORS))
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert "metadata (" in done.stdout and json.loads(report_path.read_text())["extractors"]["veille"]["metadata"]["authors"]["pages"] > 20


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
    # Site names, host names and blog owners leave the title wherever they stand; a page whose
    # <h1> is the logo prints one part of the title in an <h2>.
    assert headline("<p>no h1</p>", "www.Heimicke.de - Zahlen und Daten", "www.Heimicke.de") == "Zahlen und Daten"
    assert headline("<h1>Voice interfaces</h1>", "Voice interfaces • Dustin Curtis", "Dustin Curtis on Svbtle") == "Voice interfaces"
    assert headline("<h2>Stacy Keach</h2><h2>WNYC</h2>", "Here's The Thing - Stacy Keach", "WNYC") == "Stacy Keach"
    assert headline("<h2>Politics</h2><h2>Parler is back</h2>", "Politics | Parler is back", None) == "Parler is back"
    scripts_first = "<script>" + "x" * 1_500_000 + "</script><h1>Parler returns after a month offline</h1>"
    assert headline(scripts_first, "Parler returns after a month offline - The Ledger", "The Ledger") == "Parler returns after a month offline"


def test_publication_day_from_rss_style_dates_and_the_line_under_the_headline():
    ld = '<script type="application/ld+json">{"@type": "BlogPosting", "datePublished": "Thu, 08 May 2014 14:04:53 -0400"}</script>'
    assert published_date(ld, json_ld(ld), None) == "2014-05-08T14:04:53-04:00"
    page = HEADLINE + "<p>January 22, 2014</p><p>Updated March 3, 2021</p>" + FAR
    assert published_date(page, [], None, header_zone(page, TITLE), TITLE) == "2014-01-22"
    updated_only = HEADLINE + "<p>Updated March 3, 2021</p>" + FAR
    assert published_date(updated_only, [], "2014-01-20", header_zone(updated_only, TITLE), TITLE) == "2014-01-20"
    # A day printed above the headline (the site's "today" banner) is not the article's.
    banner = "<p>Thursday, November 26, 2020</p>" + HEADLINE + FAR
    assert published_date(banner, [], None, header_zone(banner, TITLE), TITLE) is None
    # German days: "12. Mai 2019", day-first dotted numbers; "aktualisiert" is an update.
    german = HEADLINE + "<p>aktualisiert am 17.05.2019</p><p>15.05.2019, 18:31 Uhr</p>" + FAR
    assert published_date(german, [], None, header_zone(german, TITLE), TITLE) == "2019-05-15"
    assert printed_day("12. Mai 2019") == "2019-05-12" and printed_day("31.02.2019") is None


def test_json_ld_authors_given_by_reference_are_looked_up():
    graph = {"@graph": [
        {"@type": "NewsArticle", "author": {"@id": "https://x.test/#/schema/person/1"}},
        {"@type": "Person", "@id": "https://x.test/#/schema/person/1", "name": "Florina Ionescu"},
        {"@type": "Person", "@id": "https://x.test/#/schema/person/2", "name": "Kate May"},
    ]}
    page = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    assert structured_authors(page) == "Florina Ionescu"
    raw_newline = '<script type="application/ld+json">{"author": {"@type": "Person", "name": "Jacopo Cascioli"}, "description": "two\nlines"}</script>'
    assert structured_authors(raw_newline.replace("\\n", "\n")) == "Jacopo Cascioli"


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
    assert clean_authors("Jane Doe, Senior Reporter; Envoyé Spécial", None, "") == ["Jane Doe"]
    assert clean_authors("Dr. Sebastian Brüggemann", None, "") == ["Sebastian Brüggemann"]
    # A weekday printed after the name is cut off; layout links are no names.
    assert clean_authors("Bryan Walsh Tuesday", None, "") == ["Bryan Walsh"]
    assert clean_authors("Alexia Tsotsis; View Author Page; HuffPost Reporting", None, "") == ["Alexia Tsotsis"]
    assert clean_authors("So Artikel Empfehlen", None, "") == []  # a share widget: "recommend this article"
    assert clean_authors("Share Article", None, "") == []


def test_german_bylines_and_places_beside_names():
    assert clean_authors("Von Markus Balser, Berlin", None, "", handles=True) == ["Markus Balser"]
    assert clean_authors("JeGX", None, "", handles=True) == ["JeGX"]  # a pen name alone stays
    assert clean_authors("Autor/in: Korinna Hennig", None, "") == ["Korinna Hennig"]
    assert clean_authors("von Autor: Georg Holzer", None, "") == ["Georg Holzer"]
    assert clean_authors("geschrieben von Meike Neitz", None, "") == ["Meike Neitz"]
    assert authors_of(HEADLINE + "<p>Eine Analyse von Caspar Schwietering</p>" + FAR) == ["Caspar Schwietering"]
    assert authors_of(HEADLINE + "<p>Von Gregory Lipinski</p>" + FAR) == ["Gregory Lipinski"]
    # A lead word inside a sentence is prose, not a byline.
    assert authors_of(HEADLINE + "<p>Der SPIEGEL hat über 50 Texte von Claas Relotius gedruckt.</p>" + FAR) == []
    # An author element may name three people with particles (more than 8 words).
    three = HEADLINE + '<p class="authors">von Marcus Bensmann, Justus von Daniels und Ulrich van der Stoll</p>' + FAR
    assert authors_of(three) == ["Marcus Bensmann", "Justus von Daniels", "Ulrich van der Stoll"]
    # "Von" before a single word is a name; lead words are no pen names.
    assert clean_authors("By Von Diaz", None, "", handles=True) == ["Von Diaz"]
    assert clean_authors("von Heiner", None, "", handles=True) == ["Heiner"]
    assert clean_authors("Text und Fotos von Hans Müller", None, "", handles=True) == []  # not ["Text"]
    assert NOT_A_BYLINE.search("Fotos von Hans Müller") and not NOT_A_BYLINE.search("eine Art von Krise")  # "a kind of"
    assert clean_authors("Prof. Dr. Hans Müller", None, "") == ["Hans Müller"]
    # More agencies sign as desks; bylines in elements named by id, or "byl" (newspaper4k's list).
    assert authors_of(HEADLINE + '<span class="author">dpa</span>' + FAR, "Jane Doe") == []
    assert authors_of(HEADLINE + '<div id="story-byline"><a href="/x">Jane Doe</a></div>' + FAR) == ["Jane Doe"]
    assert authors_of(HEADLINE + '<p class="byl"><a href="/x">Jane Doe</a></p>' + FAR) == ["Jane Doe"]
    # A comment's author, close below a short article, is not its byline.
    comments = HEADLINE + "<p>Short post.</p><ol id=commentlist><li><div class='comment_author'><a href='http://x.com'>Yalcin Demir</a></div></li></ol>"
    assert authors_of(comments) == []
    # Country domains name no outlet: "DE" is not spiegel.de's initials.
    assert clean_authors("Daniel Eckert", None, "", "https://www.spiegel.de/x") == ["Daniel Eckert"]
    # English leads keep working mid-line; "Von" mid-sentence is German prose.
    assert authors_of(HEADLINE + "<p>Updated 3pm · Written by Jane Doe</p>" + FAR) == ["Jane Doe"]
    assert authors_of(HEADLINE + "<p>Heute: Von Berlin Hauptbahnhof aus fahren Züge</p>" + FAR) == []


HEADLINE = "<h1>Parler returns after a month offline</h1>"
TEASER = "<div class=card><a href=/b>Gab grows</a><span class=\"author\">By Tom Reyes</span></div>"
FAR = "<p>" + "Body text. " * 1000 + "</p>"
TITLE = "Parler returns after a month offline"


def authors_of(page, declared=None, found=None, text=""):
    return article_authors(page, TITLE, header_zone(page, TITLE, text), declared, found, None, text=text)[0]


def test_the_byline_printed_by_the_headline_wins_and_teaser_bylines_do_not_count():
    # A byline in separate blocks ("By", then the name) and a name split by an inline element.
    split = HEADLINE + "<p class=label>By</p><p class=name>Jane Doe</p>" + FAR + TEASER
    assert authors_of(split, None, None) == ["Jane Doe"]
    spaced = HEADLINE + '<p><span class="byline">Will Knigh<span class="x">t</span></span></p>' + FAR
    assert authors_of(spaced, None, None) == ["Will Knight"]
    # "Written by" and a lowercase "by" that starts a line introduce bylines too.
    assert authors_of(HEADLINE + "<p>Written by<br>Ana Sandoiu</p>" + FAR) == ["Ana Sandoiu"]
    assert authors_of(HEADLINE + "<p>by Mark Lavin | June 8, 2015</p>" + FAR) == ["Mark Lavin"]
    assert authors_of(HEADLINE + "<p>Words that stand by Mark Lavin</p>" + FAR) == []
    # Structured data naming someone the page does not show yields to the printed byline.
    assert authors_of(split, "Kathleen Ditton", None) == ["Jane Doe"]
    # No byline by the headline: a byline found only in a related-article card is not the author...
    teaser_only = HEADLINE + FAR + TEASER
    assert authors_of(teaser_only, None, "Tom Reyes") == []
    # ...but a name the page's meta tags or the article's text confirm is.
    assert authors_of('<meta name="author" content="Tom Reyes">' + teaser_only, None, "Tom Reyes") == ["Tom Reyes"]
    assert authors_of(teaser_only, None, "Tom Reyes", text="Reporting by Tom Reyes") == ["Tom Reyes"]
    # Photo and art credits, reviewers, printed by the headline are not bylines.
    credit = HEADLINE + "<figcaption>Photo By Ann Lee</figcaption>" + FAR
    assert authors_of(credit, None, None) == []
    art = HEADLINE + '<p>Words by <a rel="author" href="/people/jd">Jane Doe</a> Art by <a href="/people/k">Koichi</a></p>' + FAR
    assert authors_of(art, None, None) == ["Jane Doe"]
    reviewed = HEADLINE + "<p class=\"byline\">Written by Grant Tinsley, PhD</p><p class=\"reviewer\">Medically reviewed by Ann Lee</p>" + FAR
    assert authors_of(reviewed, None, None) == ["Grant Tinsley"]
    # A desk signs it: no person, even if structured data names a producer.
    desk = HEADLINE + "<p class=\"byline\">By Letters to the Editor</p>" + FAR
    assert authors_of(desk, "Jaime Welton", None) == []
    # Far from the headline, only a labelled byline counts ("Author: …", "Posted by …").
    labelled = HEADLINE + FAR + "<p>Author: Julia Hitz (eg)</p>" + TEASER
    assert authors_of(labelled, None, None) == ["Julia Hitz"]
    # The site's navigation before the headline is not a byline; the article text's own opening one is.
    nav = '<nav><a href="/author/stefanie/">Author: Stefanie Krugl</a></nav>' + HEADLINE + FAR
    assert authors_of(nav) == []
    assert authors_of(HEADLINE + FAR, text="By Aaron Humes: The Americas cannot ignore the risk.\nMore.") == ["Aaron Humes"]
    assert authors_of(HEADLINE + FAR, text="By the end of the year, Parler was back.\nMore.") == []
    # One-word pen names from an author element, not desks, acronyms or degrees.
    assert authors_of(HEADLINE + "<span class=\"author\">JeGX</span>" + FAR, None, None) == ["JeGX"]
    assert authors_of(HEADLINE + "<span class=\"author\">BBNTEAM</span>" + FAR, None, None) == []
    assert authors_of(HEADLINE + "<span class=\"author\">IWB</span>" + FAR, None, None) == []


def test_an_author_element_that_marks_the_name_gives_the_name_alone():
    # hCard's "fn" and schema.org's itemprop="name" mark the name beside a job title or a biography.
    vcard = HEADLINE + '<p class="author vcard"><a href="/x"><b class="fn">Andrea Stone</b></a> <span>Senior Washington Correspondent</span></p>' + FAR
    assert authors_of(vcard) == ["Andrea Stone"]
    microdata = HEADLINE + '<div itemprop="author" itemscope><span itemprop="name">Jane Doe</span> covers social networks for us since 2019.</div>' + FAR
    assert authors_of(microdata) == ["Jane Doe"]


def test_a_twitter_creator_that_is_a_name_signs_a_page_without_byline():
    assert authors_of('<meta name="twitter:creator" content="Andrew Tarantola">' + HEADLINE + FAR) == ["Andrew Tarantola"]
    assert authors_of('<meta name="twitter:creator" content="@dcurtis">' + HEADLINE + FAR) == []
    # The printed byline still comes first.
    assert authors_of('<meta name="twitter:creator" content="Andrew Tarantola">' + HEADLINE + "<p>By Jane Doe</p>" + FAR) == ["Jane Doe"]


def test_a_signature_under_the_last_paragraph_and_german_author_markup():
    ending = "<p>It ended there, for good this time, said the last witness.</p>"
    body = "It ended there, for good this time, said the last witness."
    signed = HEADLINE + FAR + ending + '<div class="dig-autoren">Von Clemens Höges</div>'
    assert authors_of(signed, text=body) == ["Clemens Höges"]
    # A card after the article starts with its own headline: its byline signs nothing here.
    assert authors_of(HEADLINE + FAR + ending + "<div><a href=/b>Gab grows</a><p>By Tom Reyes</p></div>", text=body) == []
    # German author pages and elements ("/redaktion/…", class "autor").
    assert authors_of(HEADLINE + '<a href="/redaktion/ann-marie-galazka">Ann-Marie Galazka</a>' + FAR) == ["Ann-Marie Galazka"]
    assert authors_of(HEADLINE + '<p class="artikel-autor">Jana Weiß</p>' + FAR) == ["Jana Weiß"]


def test_a_title_part_that_names_the_author():
    shown = '<div class="author"><a href="/@z"><div class="avatar"></div></a><div class="name"><strong>linksc</strong></div></div>'
    assert authors_of("<title>How To Scrape Google With Python - By linksc</title>" + HEADLINE + shown + FAR) == ["linksc"]
    # A one-word "By …" part the layout does not show as an author is a column's or a slogan's name.
    assert authors_of("<title>Why we must act now | By Invitation | The Economist</title>" + HEADLINE + FAR) == []
    assert authors_of('<meta property="og:title" content="Parler returns | by Jane Doe | Medium">' + HEADLINE + FAR) == ["Jane Doe"]
    assert authors_of("<title>Stand By Me - a review</title>" + HEADLINE + FAR) == []


def test_image_sets_and_drawings_do_not_push_the_byline_away_from_the_headline():
    sources = ", ".join(f"https://img.test/parler-{w}.jpg {w}w" for w in range(100, 1000))
    hero = f'<figure><img src="/p.jpg" srcset="{sources}" sizes="100vw"><svg><path d="{"M1 1 L2 2 " * 800}"/></svg></figure>'
    assert len(hero) > 2 * 8_000
    assert authors_of(HEADLINE + hero + '<p class="byline">By Jane Doe</p>' + FAR) == ["Jane Doe"]


def test_dates_handles_and_addresses_after_a_name_are_cut_and_month_names_are_names():
    for byline in ("Jane Doe at 12:53", "Jane Doe on March 3, 2019", "Jane Doe 12.03.2019", "Jane Doe - 3 hours ago",
                   "Jane Doe @janedoe", "Jane Doe jane@example.com", "Jane Doe Updated", "Jane Doe, le 12 mars 2020"):
        assert clean_authors(byline, None, "") == ["Jane Doe"], byline
    assert clean_authors("bjoernlinder01", None, "", handles=True) == ["bjoernlinder01"]  # digits of a handle stay
    assert clean_authors("April Glaser and Theresa May", None, "") == ["April Glaser", "Theresa May"]


def test_a_teaser_cards_byline_is_the_one_a_heading_follows():
    card = '<a class="card" href="/zz"><span class="date">October 30, 2020</span> <span class="author">Kate Brown</span><h2>ZZ Plant Care</h2><span>Read More</span></a>'
    assert authors_of(HEADLINE + card + FAR) == []
    linked = '<div class="card"><span class="author">Kate Brown</span><h3><a href="/zz">ZZ Plant Care</a></h3></div>'
    assert authors_of(HEADLINE + linked + FAR) == []
    # A subtitle after the article's byline links nowhere.
    assert authors_of(HEADLINE + '<span class="author">Jane Doe</span><h2>Why the network came back</h2>' + FAR) == ["Jane Doe"]
    # The article's own byline above its headline stays, whatever level the headline has.
    h2 = "<h2>Parler returns after a month offline</h2>"
    above = '<span class="author">Jane Doe</span>' + h2 + FAR
    assert article_authors(above, TITLE, header_zone(above, TITLE), None, None, None)[0] == ["Jane Doe"]


def test_labelled_and_signed_bylines_may_give_a_pen_name_and_a_label_needs_its_colon():
    ending = "<p>It ended there, for good this time, said the last witness.</p>"
    body = "It ended there, for good this time, said the last witness."
    assert authors_of(HEADLINE + FAR + ending + '<div class="meta">posted by Stadler at 12:53</div>', text=body) == ["Stadler"]
    assert authors_of(HEADLINE + FAR + "<p>Author: JeGX</p>") == ["JeGX"]
    # A menu entry "Autoren & Themen" (authors and topics) is no label.
    assert authors_of(HEADLINE + FAR + "<ul><li>Autoren & Themen</li></ul>") == []


def test_a_json_ld_name_the_page_does_not_print_takes_the_form_of_its_author_link():
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Anna Galazka"}}</script>'
    linked = ld + HEADLINE + FAR + '<a href="/redaktion/ann-marie-galazka">Ann-Marie Galazka</a>'
    assert article_authors(linked, TITLE, header_zone(linked, TITLE), structured_authors(linked), None, None)[0] == ["Ann-Marie Galazka"]
    # A name printed as declared stays as declared.
    printed = ld + HEADLINE + FAR + "<p>Anna Galazka reports.</p>" + '<a href="/redaktion/ann-marie-galazka">Ann-Marie Galazka</a>'
    assert article_authors(printed, TITLE, header_zone(printed, TITLE), structured_authors(printed), None, None)[0] == ["Anna Galazka"]


def test_short_dotted_days_and_days_in_the_address():
    assert printed_day("8.5.12") == "2012-05-08"
    page = HEADLINE + "<p>von Klaus-Peter Schöppner, 8.5.12</p>" + FAR
    assert published_date(page, [], None, header_zone(page, TITLE), TITLE) == "2012-05-08"
    assert url_day("http://www.cnn.com/2010/POLITICS/08/13/democrats.social.security/index.html") == "2010-08-13"
    assert url_day("https://example.test/2019/13/45/x") is None and url_day(None) is None


def test_an_h1_logo_linking_home_sends_the_headline_search_to_the_page_title():
    url = "http://blogs.test/filmgang/2013/02/08/stand-up-guys/"
    page = ('<title>The Film Gang &raquo; Blog Archive &raquo; Stand Up Guys</title><h1><a href="http://blogs.test/filmgang/">The Film Gang</a></h1>'
            '<h2><a href="/filmgang/2013/02/08/stand-up-guys/">Stand Up Guys</a></h2>' + FAR)
    assert headline(page, "The Film Gang", "blogs.test", url) == "Stand Up Guys"
    # An <h1> that links elsewhere (the article's own address) is the headline.
    own = '<title>Parler returns | The Film Gang</title><h1><a href="' + url + '">Parler returns after a month</a></h1>' + FAR
    assert headline(own, "Parler returns after a month", "The Film Gang", url) == "Parler returns after a month"
    # Old blog themes title a post with an <h3>; its byline is read around it.
    h3 = '<h1><a href="/">Internet-Law</a></h1><h3 class="storytitle">Parler returns after a month offline</h3><p>By Jane Doe</p>' + FAR
    assert article_authors(h3, TITLE, header_zone(h3, TITLE), None, None, None)[0] == ["Jane Doe"]


def test_outlets_agencies_notes_and_organisations_around_names_are_left_out():
    assert clean_authors("Le Figaro avec AFP", "Le Figaro", "") == []
    assert clean_authors("Anne-Sophie de Montclair avec AFP", None, "") == ["Anne-Sophie de Montclair"]
    assert clean_authors("Marie Dupont et Chloé Da Silva (Lyon, correspondante)", None, "") == ["Marie Dupont", "Chloé Da Silva"]
    assert clean_authors("Aurélien Beaudoin - France Télévisions", None, "") == ["Aurélien Beaudoin"]
    assert clean_authors("Public Works Department", None, "") == []
    assert clean_authors("Alan Whitfield, Professor of Urban Economics", None, "") == ["Alan Whitfield"]
    assert clean_authors("at 7:14 a.m.", None, "", handles=True) == []


def test_the_headline_zone_ends_with_the_article_and_its_own_footer():
    body = "Short post about the return of the network, in a few words."
    short = HEADLINE + f"<p>{body}</p>"
    cards = '<section class="more-stories"><article><a href="/b">Gab grows</a><p class="card__byline">By Evangeline Roark</p></article></section>'
    assert authors_of(short + cards) == ["Evangeline Roark"]  # without the text, the card is near enough
    assert authors_of(short + cards, text=body) == []
    footer = '<footer class="entry-footer"><span class="byline">Published by <a href="/author/lucia/">Lucía Fernández</a></span></footer>'
    assert authors_of(short + footer + cards, text=body) == ["Lucía Fernández"]


def test_photo_credit_elements_dated_bylines_and_a_label_above_the_name():
    agency = HEADLINE + '<span itemprop="author" class="tnt-byline">By The Associated Press</span><div class="tnt-photo-byline">Rosalind Whitcombe</div>' + FAR
    assert authors_of(agency) == []
    assert authors_of(HEADLINE + '<p class="meta">Posted on March 3, 2024 by Gwen Alvarado</p>' + FAR) == ["Gwen Alvarado"]
    field = HEADLINE + '<div class="field--name-field-byline"><div class="field__label">Author</div><div class="field__item">Dr. Alan Whitfield, Professor of Urban Economics</div></div>' + FAR
    assert authors_of(field) == ["Alan Whitfield"]


def test_a_personal_site_named_after_its_author_keeps_the_author_its_json_ld_declares_a_person():
    byline = HEADLINE + '<p class="post-meta"><span itemprop="author"><span itemprop="name">Anna Schmidt</span></span></p>' + FAR
    person = '<script type="application/ld+json">{"@type": "BlogPosting", "author": {"@type": "Person", "name": "Anna Schmidt"}}</script>'
    assert article_authors(person + byline, TITLE, header_zone(person + byline, TITLE), None, None, None, "https://annaschmidt.github.io/x")[0] == ["Anna Schmidt"]
    # Without that declaration a name the host spells is the outlet's ("The Local" on thelocal.se).
    assert article_authors(byline, TITLE, header_zone(byline, TITLE), None, None, None, "https://annaschmidt.github.io/x")[0] == []


def test_job_titles_joined_to_names_sponsors_and_repeated_names():
    joined = HEADLINE + '<p class="byline"><a href="/people/ev">Eleanor Vasquez-Lind</a><span class="role">Senior Fellow, Infrastructure Program</span></p>' + FAR
    assert authors_of(joined) == ["Eleanor Vasquez-Lind"]
    assert clean_authors("Harriet Okonjo-Price; Callum McAteer Trainee; Callum McAteer", None, "") == ["Harriet Okonjo-Price", "Callum McAteer"]
    assert clean_authors("Brought to you by Alucore Systems", None, "") == []
    assert clean_authors("Redaktion Neckartal-Bote", None, "") == []
    assert clean_authors("— Bernadette Kowalczyk", None, "") == ["Bernadette Kowalczyk"]


def test_a_part_that_starts_with_a_date_or_an_update_is_no_name_and_a_sentences_dot_is_no_initial():
    assert clean_authors("Jane Doe, Updated: Mar 3, 2024, 10:15 IST", None, "") == ["Jane Doe"]
    assert clean_authors("Publié le 3 mars 2024", None, "") == []
    assert clean_authors("Published by Jane Doe", None, "") == ["Jane Doe"]
    assert clean_authors("Gwenaëlle Le Goff", None, "<p>Par Gwenaëlle Le Goff.</p>") == ["Gwenaëlle Le Goff"]
    assert clean_authors("Leah C Stokes", None, "<p>By Leah C. Stokes</p>") == ["Leah C. Stokes"]


def test_names_with_places_titles_and_particles_and_odd_markup_stay_safe():
    assert clean_authors("Jane Doe Bureau Chief", None, "") == ["Jane Doe"]
    assert clean_authors("Shaun Walker in Kyiv", None, "") == ["Shaun Walker"]
    assert clean_authors("Jane Doe for The Washington Post", None, "") == ["Jane Doe"]
    assert clean_authors("Moon Jae-in", None, "") == ["Moon Jae-in"]
    assert clean_authors("The Canadian Press", None, "") == []
    assert authors_of(HEADLINE + '<div class="byline byline--with-photo">Jane Doe</div>' + FAR) == ["Jane Doe"]
    assert authors_of(HEADLINE + '<svg-icon name="x"></svg-icon><p class="byline">By Jane Doe</p><svg><path d="M0"/></svg>' + FAR) == ["Jane Doe"]
    # Comments written as "<!-- -->" between the last words do not make the end search explode.
    ending = "<p>said its" + "<!-- -->" * 24 + "chief</p>"
    assert header_zone(HEADLINE + ending + FAR, TITLE, "The board met and said its chief") is not None
    # An address that does not parse is no home link and no day; days outside 1995..today are none.
    logo = '<title>The Film Gang</title><h1><a href="http://[oops/">The Film Gang</a></h1>' + FAR
    assert headline(logo, "The Film Gang", "x.test", "https://x.test/a/b/") == "The Film Gang"
    assert url_day("http://[oops/2019/01/02/") is None and url_day("https://x.test/2099/01/01/a") is None
    assert url_day("https://x.test/2019/page/2/3/") is None  # an archive's page 2, not a day
    # Version numbers are no days; a two-digit year is read on a byline's line only.
    release = HEADLINE + "<p>Firefox 3.6.13 fixes eleven security holes</p>" + FAR
    assert published_date(release, [], None, header_zone(release, TITLE), TITLE) is None
    # A JSON-LD name takes the form of an author link with the same surname and the same initial only.
    ld = '<script type="application/ld+json">{"author": {"@type": "Person", "name": "John Smith"}}</script>'
    other = ld + HEADLINE + FAR + '<a href="/author/mary-smith">Mary Smith</a>'
    assert article_authors(other, TITLE, header_zone(other, TITLE), structured_authors(other), None, None)[0] == ["John Smith"]
