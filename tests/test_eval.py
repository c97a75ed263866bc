"""Entity quality on the held-out test split stays above the floors (tests/gold/floors.json)."""

import json

from extract.evaluation import below_floors, score
from extract.gold import GoldEntity, load_gold, parse_gold
from tests.conftest import ROOT, run_veille

GOLD = ROOT / "tests" / "gold"


def test_gold_set_is_large_and_split():
    dev, test = load_gold(GOLD / "dev"), load_gold(GOLD / "test")
    assert len(dev) + len(test) >= 40 and sum(len(a.entities) for a in dev + test) >= 800
    for articles in (dev, test):
        assert {a.lang for a in articles} == {"fr", "en"}
    assert not {a.id for a in dev} & {a.id for a in test}


def test_test_split_meets_the_floors(tmp_path):
    report_path = tmp_path / "report.json"
    done = run_veille("eval", "--split", "test", "--report", str(report_path), "--check", str(GOLD / "floors.json"))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = json.loads(report_path.read_text())["reports"]["veille"]
    assert below_floors(report, json.loads((GOLD / "floors.json").read_text())) == []
    assert "entity   fr   PERSON" in done.stdout and "date normalisation" in done.stdout


def test_scores_count_spans_names_and_date_values():
    article = parse_gold("id: x\nlang: en\npublished: 2021-01-11\n\n[Trump](PERSON|Donald Trump) spoke [yesterday](DATE|2021-01-10) to [AWS](ORG|Amazon Web Services).")
    predicted = [
        {"label": "PERSON", "text": "Trump", "name": "Donald Trump", "start": 0, "end": 5, "value": None},
        {"label": "DATE", "text": "yesterday", "name": "2021-01-09", "start": 12, "end": 21, "value": "2021-01-09"},
        {"label": "ORG", "text": "AWS", "name": "AWS", "start": 25, "end": 28, "value": None},
    ]
    result = score([article], [predicted])
    assert result["mention"]["en"]["ORG"]["f1"] == 1.0  # the span is right
    assert result["entity"]["en"]["ORG"]["f1"] == 0.0  # the canonical name is not
    assert result["date_normalisation"]["en"] == {"accuracy": 0.0, "right": 0, "recognised": 1}
    assert isinstance(article.entities[0], GoldEntity) and article.text.startswith("Trump spoke yesterday")


def test_names_the_gazetteer_gives_as_one_entity_score_as_one():
    article = parse_gold("id: x\nlang: fr\npublished: 2021-01-11\n\nLa [Commission](ORG|Commission européenne) et [DWAC](ORG|Digital World Acquisition Corp).")
    predicted = [
        {"label": "ORG", "text": "Commission", "name": "European Commission", "start": 3, "end": 13, "value": None},
        {"label": "ORG", "text": "DWAC", "name": "Digital World Acquisition Corp.", "start": 17, "end": 21, "value": None},
    ]
    assert score([article], [predicted])["entity"]["fr"]["ORG"]["f1"] == 0.5  # the final dot is no error
    aliases = {"Commission européenne": "European Commission"}
    assert score([article], [predicted], aliases)["entity"]["fr"]["ORG"]["f1"] == 1.0
