"""Entity quality against the hand-annotated gold set (``veille eval``).

Example::

    articles = load_gold("tests/gold/test")
    report = evaluate(articles)                  # the full entity stage
    baseline = evaluate(articles, plain="fr_core_news_sm")  # a plain spaCy model, for comparison
    print(format_report(report))

Scores:
- mention level: exact span and label;
- entity level: the set of (label, canonical name) per article (for dates, the ISO value);
- date normalisation: among recognised dates (exact span) whose gold value is known, the share
  with the right value.
"""

from __future__ import annotations

import time
from collections import defaultdict
from extract.analyze import tag_texts
from extract.gold import LABELS, GoldArticle
from extract.ner import LABELS as MODEL_LABELS
from extract.nlp import PATTERNS_DIR, load_model, load_plain_model, read_patterns, resolve_model_name


def plain_mentions(articles: list[GoldArticle], model: str) -> list[list[dict]]:
    """Mentions from a plain spaCy model: its own entities, labels mapped, no rules, no normalisation."""
    nlp = load_plain_model(model)
    results = []
    for doc in nlp.pipe([a.text for a in articles], batch_size=32):
        found = []
        for ent in doc.ents:
            label = MODEL_LABELS.get(ent.label_)
            if label in LABELS:
                found.append({"label": label, "text": ent.text, "name": ent.text, "start": ent.start_char, "end": ent.end_char, "value": None})
        results.append(found)
    return results


def prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "tp": tp, "fp": fp, "fn": fn}


def scored_name(mention, label: str, aliases: dict[str, str] | None = None) -> str:
    """What entity-level scoring compares: the ISO value of a date, else the canonical name, where
    the names the gazetteer gives as one entity count as one ("Commission européenne" is the
    "European Commission"), and a final dot does not count ("Corp." = "Corp")."""
    if label == "DATE":
        return mention["value"] or mention["text"]
    name = mention["name"]
    name = (aliases or {}).get(name, name)
    return name.casefold().rstrip(".")


def score(articles: list[GoldArticle], predictions: list[list[dict]], aliases: dict[str, str] | None = None) -> dict:
    """Counts and scores per language and label, at mention and entity level."""
    counts = defaultdict(lambda: [0, 0, 0])  # (level, lang, label) → tp, fp, fn
    dates = defaultdict(lambda: [0, 0])  # lang → right, recognised with a gold value
    for article, predicted in zip(articles, predictions):
        for label in LABELS:
            gold = [e for e in article.entities if e.label == label]
            pred = [m for m in predicted if m["label"] == label]
            gold_spans = {(e.start, e.end): e for e in gold}
            pred_spans = {(m["start"], m["end"]): m for m in pred}
            tp = len(gold_spans.keys() & pred_spans.keys())
            for lang in (article.lang, "all"):
                c = counts[("mention", lang, label)]
                c[0] += tp
                c[1] += len(pred_spans) - tp
                c[2] += len(gold_spans) - tp
            gold_entities = {scored_name({"value": e.value, "text": e.text, "name": e.name}, label, aliases) for e in gold}
            pred_entities = {scored_name(m, label, aliases) for m in pred}
            tp = len(gold_entities & pred_entities)
            for lang in (article.lang, "all"):
                c = counts[("entity", lang, label)]
                c[0] += tp
                c[1] += len(pred_entities) - tp
                c[2] += len(gold_entities) - tp
            if label == "DATE":
                for span, e in gold_spans.items():
                    if e.value and span in pred_spans:
                        for lang in (article.lang, "all"):
                            dates[lang][1] += 1
                            dates[lang][0] += pred_spans[span]["value"] == e.value
    result = {"mention": {}, "entity": {}, "date_normalisation": {}}
    for (level, lang, label), (tp, fp, fn) in sorted(counts.items()):
        result[level].setdefault(lang, {})[label] = prf(tp, fp, fn)
    for lang, (right, total) in sorted(dates.items()):
        result["date_normalisation"][lang] = {"accuracy": round(right / total, 4) if total else 0.0, "right": right, "recognised": total}
    return result


def evaluate(articles: list[GoldArticle], plain: dict[str, str] | None = None, models: dict[str, str] | None = None) -> dict:
    """Score the entity stage (or, with ``plain={"fr": model, ...}``, plain models) on ``articles``."""
    articles = sorted(articles, key=lambda a: (a.lang, a.id))
    words = sum(len(a.text.split()) for a in articles)
    for lang in {a.lang for a in articles}:  # load before timing: speed is tagging only
        load_plain_model(plain[lang]) if plain else load_model(lang, resolve_model_name(lang, models))
    started = time.process_time()
    if plain:
        predictions = []
        for lang in sorted({a.lang for a in articles}):
            predictions += plain_mentions([a for a in articles if a.lang == lang], plain[lang])
    else:
        predictions = list(tag_texts(((a.text, a.lang, a.published) for a in articles), models))
    seconds = time.process_time() - started
    report = score(articles, predictions, read_patterns(sorted(PATTERNS_DIR.glob("*.jsonl"))).aliases)
    report["articles"] = len(articles)
    report["gold_mentions"] = sum(len(a.entities) for a in articles)
    report["words"] = words
    report["cpu_seconds"] = round(seconds, 3)
    report["errors"] = errors(articles, predictions)
    return report


def errors(articles: list[GoldArticle], predictions: list[list[dict]]) -> list[dict]:
    """Every mention-level miss and false alarm, for reading (``veille eval --errors``)."""
    found = []
    for article, predicted in zip(articles, predictions):
        gold = {(e.start, e.end, e.label): e for e in article.entities}
        pred = {(m["start"], m["end"], m["label"]): m for m in predicted if m["label"] in LABELS}
        for key in sorted(gold.keys() - pred.keys()):
            found.append({"article": article.id, "kind": "missed", "label": key[2], "text": gold[key].text})
        for key in sorted(pred.keys() - gold.keys()):
            found.append({"article": article.id, "kind": "false", "label": key[2], "text": pred[key]["text"]})
        for key in sorted(gold.keys() & pred.keys()):
            if key[2] == "DATE" and gold[key].value and gold[key].value != pred[key]["value"]:
                found.append({"article": article.id, "kind": "date value", "label": "DATE", "text": gold[key].text,
                              "gold": gold[key].value, "predicted": pred[key]["value"]})
    return found


def format_report(report: dict, title: str = "") -> str:
    """The scores as a text table: one row per level, language and label."""
    lines = [title] if title else []
    lines.append(f"{report['articles']} articles, {report['gold_mentions']} gold mentions, "
                 f"{report['words']} words, {report['words'] / max(report['cpu_seconds'], 1e-9):,.0f} words/s (CPU)")
    lines.append(f"{'level':8} {'lang':4} {'label':7} {'P':>6} {'R':>6} {'F1':>6}  {'tp':>4} {'fp':>4} {'fn':>4}")
    for level in ("mention", "entity"):
        for lang, labels in report[level].items():
            for label, s in labels.items():
                lines.append(f"{level:8} {lang:4} {label:7} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}  {s['tp']:4} {s['fp']:4} {s['fn']:4}")
    for lang, d in report["date_normalisation"].items():
        lines.append(f"date normalisation {lang:4} accuracy {d['accuracy']:.3f} ({d['right']}/{d['recognised']} recognised dates)")
    return "\n".join(lines)


def below_floors(report: dict, floors: dict) -> list[str]:
    """Failures against ``floors`` = ``{"entity": {"fr": {"PERSON": 0.9}}, "date_normalisation": {"all": 0.9}}``."""
    failures = []
    for level in ("mention", "entity"):
        for lang, labels in floors.get(level, {}).items():
            for label, floor in labels.items():
                value = report[level].get(lang, {}).get(label, {}).get("f1", 0.0)
                if value < floor:
                    failures.append(f"{level} {lang} {label} F1 {value:.3f} < floor {floor:.3f}")
    for lang, floor in floors.get("date_normalisation", {}).items():
        value = report["date_normalisation"].get(lang, {}).get("accuracy", 0.0)
        if value < floor:
            failures.append(f"date normalisation {lang} {value:.3f} < floor {floor:.3f}")
    return failures
