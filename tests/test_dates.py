"""Date recognition and normalisation relative to the publication date (never the crawl date)."""

import pytest

from extract.dates import find_dates, normalise_date

PUBLISHED = "2021-01-11"  # a Monday


@pytest.mark.parametrize(
    "lang, expression, value",
    [
        ("fr", "dimanche 10 janvier", "2021-01-10"),
        ("fr", "10 janvier 2021", "2021-01-10"),
        ("fr", "1er mars 2022", "2022-03-01"),
        ("fr", "hier", "2021-01-10"),
        ("fr", "aujourd'hui", "2021-01-11"),
        ("fr", "il y a deux jours", "2021-01-09"),
        ("fr", "lundi dernier", "2021-01-04"),
        ("fr", "janvier 2021", "2021-01"),
        ("fr", "06/01/2021", "2021-01-06"),
        ("en", "January 6, 2021", "2021-01-06"),
        ("en", "Jan. 8", "2021-01-08"),
        ("en", "yesterday", "2021-01-10"),
        ("en", "two days ago", "2021-01-09"),
        ("en", "last week", "2021-W01"),
        ("en", "May 2020", "2020-05"),
        ("en", "06/01/2021", "2021-06-01"),
    ],
)
def test_normalise_relative_to_publication(lang, expression, value):
    assert normalise_date(expression, lang, PUBLISHED) == value


def test_bare_weekday_is_the_latest_such_day_including_publication_day():
    assert normalise_date("Monday", "en", PUBLISHED) == "2021-01-11"
    assert normalise_date("lundi", "fr", PUBLISHED) == "2021-01-11"
    assert normalise_date("Sunday", "en", PUBLISHED) == "2021-01-10"
    assert normalise_date("mardi", "fr", PUBLISHED) == "2021-01-05"
    assert normalise_date("lundi dernier", "fr", PUBLISHED) == "2021-01-04"


def test_yearless_dates_take_the_year_nearest_publication():
    assert normalise_date("Sept. 8", "en", "2023-07-21") == "2023-09-08"  # a coming hearing
    assert normalise_date("September", "en", "2024-01-10") == "2023-09"
    assert normalise_date("mercredi 28 août", "fr", "2024-08-26") == "2024-08-28"  # the weekday decides
    assert normalise_date("mercredi 28 août", "fr", "2023-09-20") == "2024-08-28"
    assert normalise_date("l'an dernier", "fr", "2023-05-01") == "2022"


def test_relative_dates_need_a_publication_date():
    assert normalise_date("hier", "fr", None) is None
    assert normalise_date("yesterday", "en", None) is None
    # An absolute date with a year needs no publication date.
    assert normalise_date("10 janvier 2021", "fr", None) == "2021-01-10"


def test_same_expression_depends_on_publication_date():
    assert normalise_date("hier", "fr", "2022-03-01") == "2022-02-28"


def test_find_dates_in_french_and_english():
    fr = "Le site a fermé dimanche 10 janvier, puis hier, il y a deux jours et en 2019."
    assert [d.text for d in find_dates(fr, "fr")] == ["dimanche 10 janvier", "hier", "il y a deux jours", "2019"]
    en = "It went dark on Sunday, January 10, 2021, two days ago, and in 2019, said the CEO on Tuesday."
    assert [d.text for d in find_dates(en, "en")] == ["Sunday, January 10, 2021", "two days ago", "2019", "Tuesday"]


def test_offsets_point_into_the_text():
    text = "Il a parlé hier soir."
    (mention,) = find_dates(text, "fr")
    assert text[mention.start : mention.end] == "hier"


def test_month_names_and_capitalised_relative_words():
    en = "Yesterday the board met. In September and last September, then on Friday. Two days ago, in May."
    found = {d.text: normalise_date(d.text, "en", PUBLISHED) for d in find_dates(en, "en")}
    assert found == {
        "Yesterday": "2021-01-10", "September": "2020-09", "last September": "2020-09",
        "Friday": "2021-01-08", "Two days ago": "2021-01-09", "May": "2020-05",
    }
    fr = "En avril dernier, puis en décembre."
    assert {d.text: normalise_date(d.text, "fr", PUBLISHED) for d in find_dates(fr, "fr")} == {"avril dernier": "2020-04", "décembre": "2020-12"}


def test_no_dates_in_plain_words():
    assert find_dates("Le mai est un mot rare, may I say.", "en") == []
