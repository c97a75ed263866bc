"""Canonical URLs: one key per page whatever link led to it."""

import pytest

from crawler.urls import canonical_url


@pytest.mark.parametrize(
    "variant",
    [
        "https://news.example.com/2021/01/parler",
        "https://news.example.com/2021/01/parler/",
        "HTTPS://News.Example.com:443/2021/01/parler",
        "https://news.example.com/2021/01/parler#comments",
        "https://news.example.com/2021/01/parler?utm_source=rss&utm_medium=feed",
        "https://news.example.com/2021/01/parler?xtor=RSS-1&fbclid=abc&gclid=x",
    ],
)
def test_variants_of_one_article_share_a_canonical_url(variant):
    assert canonical_url(variant) == "https://news.example.com/2021/01/parler"


def test_real_parameters_are_kept_and_sorted():
    assert canonical_url("http://a.test/list?page=2&id=7&utm_campaign=x") == "http://a.test/list?id=7&page=2"
    assert canonical_url("http://a.test:8080/") == "http://a.test:8080/"


def test_unparseable_url_is_returned_as_is():
    assert canonical_url("http://a.test:notaport/x") == "http://a.test:notaport/x"
