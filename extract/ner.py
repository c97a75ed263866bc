"""Entities of a tagged text: one label set, canonical names, dates with ISO values.

Example::

    nlp = load_model("en")
    doc = nlp("Donald Trump joined Truth Social. Trump said so on Tuesday.")
    mentions(doc, "en", "2022-02-21", nlp.meta["veille_names"])
    # [{"label": "PERSON", "text": "Donald Trump", "name": "Donald Trump", ...},
    #  {"label": "ORG", "text": "Truth Social", ...}, {"label": "PERSON", "text": "Trump", "name": "Donald Trump"},
    #  {"label": "DATE", "text": "Tuesday", "value": "2022-02-15", ...}]  (2022-02-21 is a Monday)
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from extract.dates import find_dates, normalise_date

# Model labels → veille labels. PERSON, ORG and DATE are the ones veille promises;
# LOC and MISC are kept for reviewers; numeric labels (MONEY, CARDINAL...) are dropped.
LABELS = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "ORG": "ORG",
    "DATE": "DATE",
    "LOC": "LOC",
    "GPE": "LOC",
    "FAC": "LOC",
    "MISC": "MISC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
}
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def clean_surface(text: str) -> str:
    """Surface form without possessive endings or stray punctuation: ``"Trump's"`` → ``"Trump"``."""
    return POSSESSIVE.sub("", text.strip()).strip(" .,;:«»\"“”()")


def canonical_people(names: list[str]) -> dict[str, str]:
    """Within one article, map each person name to the longest name that ends with it.

    >>> canonical_people(["Donald Trump", "Trump", "Matze"])
    {'Donald Trump': 'Donald Trump', 'Trump': 'Donald Trump', 'Matze': 'Matze'}
    """
    result = {}
    for name in names:
        longer = [n for n in names if n != name and n.endswith(" " + name)]
        result[name] = max(longer, key=len) if longer else name
    return result


def sentence_of(doc: Doc, start: int, end: int) -> str:
    """The sentence(s) holding tokens ``start:end`` (a span the parser split across sentences
    gets both, so the mention is always inside its sentence)."""
    first, last = doc[start].sent, doc[end - 1].sent
    return doc.text[first.start_char : last.end_char].strip()


def mentions(doc: Doc, lang: str, published: str | None, canonical_ids: dict[str, str] | None = None) -> list[dict]:
    """Mentions of ``doc`` sorted by offset, each ``{label, text, name, start, end, sentence, value}``.

    ``canonical_ids`` maps gazetteer ids to canonical names (``nlp.meta["veille_names"]``).
    """
    canonical_ids = canonical_ids or {}
    dates = find_dates(doc.text, lang)
    taken = [(d.start, d.end) for d in dates]
    found: list[dict] = []
    for ent in doc.ents:
        label = LABELS.get(ent.label_)
        if label is None:
            continue
        overlaps_date = any(ent.start_char < e and s < ent.end_char for s, e in taken)
        if label == "DATE" or (overlaps_date and label not in ("PERSON", "ORG")):
            continue  # dates come from find_dates, which also normalises them
        surface = clean_surface(ent.text)
        if not surface:
            continue
        start = ent.start_char + ent.text.find(surface)
        found.append(
            {
                "label": label,
                "text": surface,
                "name": canonical_ids.get(ent.ent_id_, surface),
                "start": start,
                "end": start + len(surface),
                "sentence": sentence_of(doc, ent.start, ent.end),
                "value": None,
                "gazetteer": bool(ent.ent_id_),
            }
        )
    for date in dates:
        span = doc.char_span(date.start, date.end, alignment_mode="expand")
        found.append(
            {
                "label": "DATE",
                "text": date.text,
                "name": date.text,
                "start": date.start,
                "end": date.end,
                "sentence": sentence_of(doc, span.start, span.end) if span is not None else None,
                "value": normalise_date(date.text, lang, published),
                "gazetteer": False,
            }
        )
    for m in found:
        if m["label"] == "DATE":
            m["name"] = m["value"] or m["text"]
    full_names = [m["name"] for m in found if m["label"] == "PERSON" and " " in m["name"]]
    for m in found:
        # Small models often call a lone surname an organisation ("Trump said...").
        if m["label"] in ("ORG", "MISC", "LOC") and not m["gazetteer"] and any(n.endswith(" " + m["text"]) for n in full_names):
            m["label"] = "PERSON"
    people = canonical_people(sorted({m["name"] for m in found if m["label"] == "PERSON"}))
    for m in found:
        if m["label"] == "PERSON":
            m["name"] = people[m["name"]]
    for m in found:
        del m["gazetteer"]
    return sorted(found, key=lambda m: (m["start"], m["end"]))


def without_bylines(found: list[dict], authors: list[str]) -> list[dict]:
    """Drop person mentions that are the article's own authors (a byline left in the body).

    >>> without_bylines([{"label": "PERSON", "name": "Camille Durand"}], ["Camille Durand"])
    []
    """
    bylines = {a.casefold() for a in authors}
    return [m for m in found if not (m["label"] == "PERSON" and m["name"].casefold() in bylines)]
