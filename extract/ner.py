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
import unicodedata
from bisect import bisect_right
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

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
GAZETTEER_KEY = "veille_gazetteer"
HONORIFICS = {
    "m.", "mm.", "mme", "mmes", "mlle", "me", "dr", "dr.", "pr", "mr", "mr.", "mrs", "mrs.", "ms", "ms.",
    "sir", "dame", "lord", "sen.", "rep.", "gov.", "gen.", "president", "président", "présidente",
}
NAME_PARTICLES = {"de", "du", "des", "d'", "d’", "van", "von", "der", "den", "da", "di", "dos", "bin", "al", "el", "la", "le"}
COMPANY_SUFFIXES = {"Co", "Corp", "Inc", "Ltd", "Bros", "Cie", "Jr", "Sr", "Mfg"}
# Nouns that announce an organisation's name right after them ("la société Ingram Micro",
# "the startup Loomfeed"): a model entity there is relabelled ORG, a missed name is added.
ORG_CUES = {
    "société", "groupe", "entreprise", "start-up", "startup", "cabinet", "association", "collectif", "ong",
    "fonds", "journal", "quotidien", "hebdomadaire", "magazine", "syndicat", "parti", "banque", "agence",
    "éditeur", "fabricant", "opérateur", "hébergeur", "firme", "constructeur", "chaîne", "fondation",
    "confrérie", "distributeur", "enseigne", "marque", "assureur", "company", "firm", "nonprofit", "newspaper", "bank", "agency",
    "publisher", "broker", "maker", "operator", "provider", "lender", "insurer", "retailer", "charity",
    "grossiste", "filiale", "géant", "rival", "concurrent", "laboratoire", "studio", "équipe", "club",
    "mutuelle", "holding", "giant", "subsidiary", "competitor", "lab", "team",
}
# Nouns that announce a person's name right after them ("sa sœur Caroline", "le gastronome
# Curnonsky"): a lone name there is a person even when never introduced by a full name.
PERSON_CUES = {
    "sœur", "frère", "fille", "fils", "mère", "père", "épouse", "époux", "mari", "femme", "compagne",
    "compagnon", "cousin", "cousine", "oncle", "tante", "neveu", "nièce", "grand-mère", "grand-père",
    "sister", "brother", "daughter", "son", "mother", "father", "wife", "husband", "partner", "cousin",
    "uncle", "aunt", "nephew", "niece", "grandmother", "grandfather",
    "gastronome", "cuisinier", "cuisinière", "pâtissier", "pâtissière", "écrivain", "écrivaine", "romancier",
    "romancière", "poète", "auteur", "autrice", "journaliste", "avocat", "avocate", "chanteur", "chanteuse",
    "acteur", "actrice", "réalisateur", "réalisatrice", "philosophe", "historien", "historienne",
    "sociologue", "économiste", "chercheur", "chercheuse", "professeur", "professeure", "juge", "maire",
    "député", "députée", "sénateur", "sénatrice", "ministre", "fondateur", "fondatrice", "influenceur",
    "influenceuse", "youtubeur", "youtubeuse", "blogueur", "blogueuse", "militant", "militante", "artiste",
    "writer", "novelist", "poet", "author", "journalist", "reporter", "lawyer", "attorney", "singer", "actor",
    "actress", "filmmaker", "philosopher", "historian", "sociologist", "economist", "researcher", "professor",
    "judge", "mayor", "senator", "congressman", "congresswoman", "founder", "influencer", "youtuber",
    "blogger", "activist", "artist", "comedian", "humoriste", "rapper", "rappeur", "rappeuse",
    "président", "présidente", "vice-président", "vice-présidente", "directeur", "directrice", "commissaire",
    "porte-parole", "pdg", "patron", "patronne", "dirigeant", "dirigeante", "ceo", "president", "chairman",
    "chairwoman", "spokesperson", "spokesman", "spokeswoman", "director", "secretary", "commissioner",
}
# Words that make a name an organisation's whatever the model says: first words ("Maison Vellin",
# "Instituto Veredito") and last words ("Workers' Party", "Loomfeed Labs").
ORG_FIRST_WORDS = {
    "Maison", "Institut", "Instituto", "Institute", "Agence", "Agência", "Agencia", "Agency", "Fondation", "Fundação",
    "Fundación", "Foundation", "Groupe", "Group", "Banque", "Banco", "Bank", "Université", "Universidade",
    "Universidad", "University", "Association", "Associação", "Asociación", "Éditions", "Editions", "Laboratoires",
    "Compagnie", "Société", "Caisse", "Fédération", "Federation", "Union", "Syndicat", "Collectif", "Centre",
    "Center", "Comité", "Committee", "Conseil", "Council", "Observatoire", "Observatório", "Partido", "Parti",
}
ORG_LAST_WORDS = {
    "Party", "Inc", "Inc.", "Corp", "Corp.", "Corporation", "Group", "Foundation", "Institute", "Association",
    "Partners", "Capital", "Ventures", "Labs", "Media", "Technologies", "Holdings", "Bank", "Fund", "Network",
    "Studios", "Games", "Systems", "Software", "Solutions", "Airlines", "Motors", "Entertainment",
    "Communications", "SA", "SAS", "GmbH", "AG", "LLC", "Ltd", "Ltd.", "plc", "Consulting", "University",
    "College", "School", "Hospital", "Museum", "Library", "Program", "Project", "Council", "Committee",
}
GIVEN_NAMES = frozenset(
    line for line in (Path(__file__).parent / "patterns" / "given_names.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
)
NOT_ACRONYMS = {
    "PDG", "DG", "CEO", "CTO", "CFO", "COO", "DRH", "IA", "AI", "TVA", "PIB", "GDP", "SMS", "URL", "VPN", "API",
    "USA", "US", "UK", "OK", "TV", "PC", "PDF", "NFT", "DNS", "IP", "HTML", "HTTP", "HTTPS", "JO", "QR", "SUV",
    "GPS", "ADN", "DNA", "VIH", "HIV", "PME", "TPE", "ETI", "BTP", "RER", "TGV", "SAV", "FAQ", "ONG", "NGO", "BD",
    "RSA", "CDI", "CDD", "SMIC", "HLM", "ZAD", "LGBT", "LGBTQ", "COVID", "SIDA", "AIDS", "OTAN", "ID", "PS", "AM",
    "PM", "GMT", "UTC", "CET", "EST", "PST", "AFK", "LOL", "NB", "VR", "AR", "IT", "RH", "HR",
    "SA", "SAS", "SARL", "LLC", "INC", "CO", "TTC", "HT", "EUR", "USD", "RSS", "APP", "IOS", "MP", "VIP", "CV",
}
ACRONYM_SKIPPED = {"de", "des", "du", "d", "la", "le", "les", "l", "et", "of", "the", "for", "and", "à", "en", "pour", "sur"}
TICKER_CUES = {"symbole", "ticker", "symbol", "mnémonique"}
NOT_NAMES = {"Internet", "Web", "Etat", "État", "State", "France", "Europe"}
# Part-of-speech tags saying a capitalised word is used as a common word ("Parler de censure...").
COMMON_WORD_POS = {"VERB", "AUX", "ADJ", "ADV", "ADP", "DET", "PRON", "SCONJ", "CCONJ"}


@Language.factory("veille_merge_gazetteer", default_config={"ambiguous": []})
def make_merge_gazetteer(nlp: Language, name: str, ambiguous: list[str]):
    return MergeGazetteer(set(ambiguous))


class MergeGazetteer:
    """Decides between gazetteer spans and the model's entities, after the model's NER.

    - A gazetteer name that is also a common word is dropped where the tagger reads it as one.
    - A longer model organisation that contains a gazetteer name keeps its span ("Mastodon gGmbH").
    - Otherwise the gazetteer wins: its label and canonical id replace overlapping model entities.
    """

    def __init__(self, ambiguous: set[str]):
        self.ambiguous = ambiguous

    def __call__(self, doc: Doc) -> Doc:
        model_ents = list(doc.ents)
        gazetteer = filter_spans(doc.spans.get(GAZETTEER_KEY, []))
        kept: list[Span] = []
        for span in gazetteer:
            if span.text in self.ambiguous and self.common_word(span):
                continue
            if any(self.longer_name(e, span, gazetteer) for e in model_ents):
                continue
            kept.append(span)
        taken = {i for span in kept for i in range(span.start, span.end)}
        others = [e for e in model_ents if not taken.intersection(range(e.start, e.end))]
        doc.ents = self.cued_organisations(doc, sorted(kept + others, key=lambda s: s.start), taken)
        return doc

    @staticmethod
    def cued_organisations(doc: Doc, ents: list[Span], gazetteer_tokens: set[int]) -> list[Span]:
        """Names right after an organisation cue ("la société X") become ORG."""
        for cue in doc:
            if cue.lower_ not in ORG_CUES or cue.i + 1 >= len(doc):
                continue
            end = cue.i + 1
            # "le fabricant de cosmétiques Maison Vellin", "l'enseigne de sport Ardeo"
            if end + 2 < len(doc) and doc[end].lower_ == "de" and doc[end + 1].is_lower and not doc[end + 1].is_stop:
                end += 2
            start = end
            while end < len(doc) and end - start < 4 and doc[end].is_title and doc[end].text not in NOT_NAMES:
                end += 1
            if end == start or gazetteer_tokens.intersection(range(start, end)):
                continue
            name = Span(doc, start, end, label="ORG")
            overlapping = [e for e in ents if e.start < name.end and name.start < e.end]
            if all(e.label_ != "ORG" for e in overlapping):
                ents = sorted([e for e in ents if e not in overlapping] + [name], key=lambda s: s.start)
        return ents

    @staticmethod
    def common_word(span: Span) -> bool:
        """Read as a common word: only where capitals say nothing (opening a sentence or a quote),
        and the tagger reads a verb or adjective not followed by one ("Parler de censure...",
        but "Parler a été coupé")."""
        first = span[0]
        previous = span.doc[first.i - 1] if first.i > 0 else None
        opening = first.is_sent_start or previous is None or previous.is_quote or previous.text in (":", "—", "-")
        following = span.doc[span.end] if span.end < len(span.doc) else None
        subject = following is not None and (following.pos_ in ("VERB", "AUX") or following.text in (",", "'s", "’s"))
        return opening and first.pos_ in COMMON_WORD_POS and not subject

    @staticmethod
    def longer_name(entity: Span, span: Span, gazetteer: list[Span]) -> bool:
        """A model organisation that extends one gazetteer name ("Mastodon gGmbH"), not a list
        of several ("Facebook and YouTube")."""
        inside = [g for g in gazetteer if entity.start <= g.start and g.end <= entity.end]
        return (
            entity.label_ == "ORG"
            and entity.start <= span.start
            and span.end <= entity.end
            and len(entity) > len(span)
            and len(inside) == 1
            and not any(t.pos_ in ("CCONJ", "PUNCT") for t in entity)
        )


def clean_surface(text: str) -> str:
    """Surface form without possessive endings or stray punctuation: ``"Trump's"`` → ``"Trump"``,
    but ``"Walt Disney Co."`` keeps the dot of its abbreviation."""
    text = POSSESSIVE.sub("", text.strip()).strip(" ,;:«»\"“”()")
    words = text.rstrip(".").split()
    if text.endswith(".") and not (words and words[-1] in COMPANY_SUFFIXES):
        text = text.rstrip(".")
    return text


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
    first, last = sentence_at(doc, start), sentence_at(doc, end - 1)
    return doc[first.start : last.end].text.strip()


def sentence_at(doc: Doc, i: int) -> Span:
    """The sentence of token ``i``. ``Token.sent`` walks the whole document on every call, which
    made tagging quadratic in the length of the article; the sentences are listed once per doc."""
    if "veille_sentences" not in doc.user_data:
        sentences = list(doc.sents)
        doc.user_data["veille_sentences"] = (sentences, [s.start for s in sentences])
    sentences, starts = doc.user_data["veille_sentences"]
    return sentences[bisect_right(starts, i) - 1]


def trim_span(span: Span, label: str) -> Span | None:
    """A model entity cut to the name: no leading article, descriptor or title ("the public bank
    Bpifrance" → "Bpifrance", "Mme de Silva" → "de Silva"), no possessive; a company suffix keeps its
    dot ("Walt Disney Co.") and a hyphenated surname its second half ("Ocasio-Cortez")."""
    doc = span.doc
    start, end = span.start, span.end
    def droppable(token) -> bool:
        if token.text.casefold() in HONORIFICS or token.text in ("The", "the"):
            return True
        if label == "PERSON" and token.lower_ in PERSON_CUES and end - token.i > 1:  # "Founder Wade Hollister"
            return True
        if label == "PERSON" and token.text.casefold() in NAME_PARTICLES:
            return False
        return token.is_lower and any(t.is_title for t in doc[token.i + 1 : end])

    while start < end - 1 and droppable(doc[start]):
        start += 1
    while end > start and doc[end - 1].text in ("'s", "’s", "'", "’"):
        end -= 1
    if end < len(doc) and doc[end].text == "." and doc[end - 1].text in COMPANY_SUFFIXES and not doc[end - 1].whitespace_:
        end += 1
    while end + 1 < len(doc) and doc[end].text in ("-", "‑") and not doc[end - 1].whitespace_ and not doc[end].whitespace_ and doc[end + 1].is_title:
        end += 2
    return doc[start:end] if end > start else None


def mentions(
    doc: Doc,
    lang: str,
    published: str | None,
    canonical_ids: dict[str, str] | None = None,
    surnames: dict[str, str] | None = None,
    aliases: dict[str, str] | None = None,
) -> list[dict]:
    """Mentions of ``doc`` sorted by offset, each ``{label, text, name, start, end, sentence, value}``.

    ``canonical_ids`` maps gazetteer ids to canonical names (``nlp.meta["veille_names"]``),
    ``surnames`` the surnames of well-known people to their full names (``nlp.meta["veille_surnames"]``),
    ``aliases`` the gazetteer's names to canonical names (``nlp.meta["veille_aliases"]``).
    """
    canonical_ids, surnames = canonical_ids or {}, surnames or {}
    ruled = {(s.start, s.end) for s in doc.spans.get(GAZETTEER_KEY, [])}
    dates = find_dates(doc.text, lang)
    taken = [(d.start, d.end) for d in dates]
    found: list[dict] = []
    for ent in joined_given_names(list(doc.ents)) + untagged_acronyms(doc):
        label = LABELS.get(ent.label_)
        if label is None:
            continue
        overlaps_date = any(ent.start_char < e and s < ent.end_char for s, e in taken)
        if label == "DATE" or (overlaps_date and label not in ("PERSON", "ORG")):
            continue  # dates come from find_dates, which also normalises them
        # Gazetteer spans are names as written ("cour d'appel de Paris"); model entities get trimmed.
        span = ent if (ent.start, ent.end) in ruled else trim_span(ent, label)
        surface = clean_surface(span.text) if span is not None else ""
        if not surface:
            continue
        start = span.start_char + span.text.find(surface)
        if span.start > 0 and doc[span.start - 1].lower_ in TICKER_CUES and surface.isupper():
            continue  # a stock symbol ("sous le symbole DJT"), not a name
        if (ent.start, ent.end) not in ruled:
            label = label_from_context(span, label)
        found.append(mention(doc, label, surface, canonical_ids.get(ent.ent_id_, surface), start, gazetteer=bool(ent.ent_id_)))
    for date in dates:
        found.append(mention(doc, "DATE", date.text, date.text, date.start, value=normalise_date(date.text, lang, published)))
    for m in found:
        if m["label"] == "DATE":
            m["name"] = m["value"] or m["text"]
    full_names = sorted({m[key] for m in found if m["label"] == "PERSON" for key in ("name", "text") if " " in m[key]})
    for m in found:
        # Small models often call a lone surname an organisation ("Trump said...").
        lone_surname = m["text"] in surnames or any(n.endswith(" " + m["text"]) for n in full_names)
        if m["label"] in ("ORG", "MISC", "LOC") and not m["gazetteer"] and lone_surname:
            m["label"] = "PERSON"
    found += surname_mentions(doc, found, full_names)
    named = {m["text"]: m["name"] for m in found if m["label"] == "PERSON" and " " in m["text"]}
    for m in found:
        if m["label"] != "PERSON" or " " in m["name"]:
            continue
        introduced = [n for n in named if n.endswith(" " + m["name"]) or n.startswith(m["name"] + " ")]
        if introduced:  # "Guo" after "Miles Guo" (canonical Guo Wengui), "Maria" after "Maria Ann Smith"
            m["name"] = named[introduced[0]]
        elif m["name"] in surnames:  # "Trump" in an article that never says "Donald Trump"
            m["name"] = surnames[m["name"]]
        elif not m["gazetteer"] and not after_person_cue(doc, m["start"]):
            # News introduce people by their full name: a lone name never introduced is
            # more often a company the model took for a person ("Marmiton", "Semafor").
            m["label"] = "ORG"
    join_organisations(doc, found, aliases or {})
    people = canonical_people(sorted({m["name"] for m in found if m["label"] == "PERSON"}))
    for m in found:
        if m["label"] == "PERSON":
            m["name"] = people[m["name"]]
        del m["gazetteer"]
    return sorted(found, key=lambda m: (m["start"], m["end"]))


def label_from_context(span: Span, label: str) -> str:
    """The label a model entity gets from words the model weighs too little: organisation head
    words ("Maison Vellin", "Workers' Party"), a person cue before it ("sa sœur Caroline"), a given
    name opening it ("Renata Ilves")."""
    if label not in ("ORG", "PERSON", "LOC", "MISC"):
        return label
    if span[0].text in ORG_FIRST_WORDS or span[-1].text in ORG_LAST_WORDS:
        return "ORG"
    if label in ("ORG", "PERSON") and after_person_cue(span.doc, span.start_char):
        return "PERSON"
    if label in ("ORG", "MISC") and len(span) > 1 and span[0].text in GIVEN_NAMES and all(t.is_title for t in span):
        return "PERSON"
    return label


def untagged_acronyms(doc: Doc) -> list[Span]:
    """Acronyms the model left untagged ("l'UDM", "the SRI"), as organisations: in news they
    mostly are; the common ones that are not (PDG, IA, URL...) are listed in ``NOT_ACRONYMS``."""
    tagged = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    found = []
    for token in doc:
        text = token.text
        if (
            token.i not in tagged and 2 <= len(text) <= 6 and text.isalpha() and text.isupper()
            and text not in NOT_ACRONYMS and not token.is_sent_start
            and not (token.i + 1 < len(doc) and doc[token.i + 1].is_title)  # "AT Protocol": part of a name
            and not any(n.text.isupper() and n.is_alpha and len(n) > 1 for n in doc[max(0, token.i - 1) : token.i + 2] if n.i != token.i)
        ):
            found.append(Span(doc, token.i, token.i + 1, label="ORG"))
    return found


def join_organisations(doc: Doc, found: list[dict], aliases: dict[str, str]) -> None:
    """Short forms of an organisation take the name of its full form in the article, as people's
    surnames do: an acronym its expansion ("SRI" after "Syndicat des régies internet"), a first word
    its only longer name ("Commission" after "Commission européenne"), and a French contraction its
    article ("du Monde" is Le Monde)."""
    text_of_doc = doc.text
    names = {m["text"]: m["name"] for m in found if m["label"] == "ORG"} | {m["name"]: m["name"] for m in found if m["label"] == "ORG"}
    for m in found:
        if m["label"] != "ORG" or m["gazetteer"]:
            continue
        text = m["text"]
        contracted = re.search(r"\b(?:du|au|aux|des)\s+$", text_of_doc[max(0, m["start"] - 5) : m["start"]])
        if text.isupper():
            longer = {names[n] for n in names if " " in n and initials(n) == text}
        else:
            longer = {names[n] for n in names if n.startswith(text + " ")}
        if contracted and (f"Le {text}" in aliases or f"Les {text}" in aliases):
            m["name"] = aliases.get(f"Le {text}") or aliases[f"Les {text}"]
        elif len(longer) == 1 and " " not in text:
            m["name"] = longer.pop()


def initials(name: str) -> str:
    """Capitals of a name's words, as its acronym would have them.

    >>> initials("Union des éditeurs numériques"), initials("Federal Trade Commission")
    ('UEN', 'FTC')
    """
    letters = "".join(w[0] for w in re.split(r"[\s'’-]+", name) if w and w.casefold() not in ACRONYM_SKIPPED)
    return unicodedata.normalize("NFKD", letters).encode("ascii", "ignore").decode().upper()  # "éditeurs" → E


def joined_given_names(ents: list[Span]) -> list[Span]:
    """A lone given name the model split from the person right after it joins them:
    "Maria" (ORG) + "Ann Smith" (PER) → "Maria Ann Smith" (PER)."""
    joined: list[Span] = []
    for ent in ents:
        previous = joined[-1] if joined else None
        if (
            previous is not None and previous.end == ent.start and len(previous) == 1
            and previous[0].text in GIVEN_NAMES and LABELS.get(ent.label_) == "PERSON"
        ):
            joined[-1] = Span(ent.doc, previous.start, ent.end, label=ent.label_)
        else:
            joined.append(ent)
    return joined


def after_person_cue(doc: Doc, start: int) -> bool:
    """Whether a person cue word (``PERSON_CUES``) comes right before the name starting at
    character ``start`` ("sa sœur Caroline", "le gastronome Curnonsky"), or just before the comma
    that puts the name in apposition."""
    name = doc.char_span(start, start + 1, alignment_mode="expand")
    if name is None or name.start == 0:
        return False
    before = doc[name.start - 1]
    if before.lower_ in PERSON_CUES:
        return True
    # In apposition: "La vice-présidente de la Commission européenne, Věra Jourová, ..."
    sentence_start = sentence_at(doc, name.start).start
    return before.text == "," and any(t.lower_ in PERSON_CUES for t in doc[max(sentence_start, before.i - 8) : before.i])


def mention(doc: Doc, label: str, text: str, name: str, start: int, value: str | None = None, gazetteer: bool = False) -> dict:
    """One mention dict for ``text`` at character ``start``, with the sentence around it."""
    span = doc.char_span(start, start + len(text), alignment_mode="expand")
    return {
        "label": label,
        "text": text,
        "name": name,
        "start": start,
        "end": start + len(text),
        "sentence": sentence_of(doc, span.start, span.end) if span is not None else None,
        "value": value,
        "gazetteer": gazetteer,
    }


def surname_mentions(doc: Doc, found: list[dict], full_names: list[str]) -> list[dict]:
    """Lone surnames of people named in full elsewhere in the article, that the model missed
    ("Elon Musk ... Musk said"). They join the full name later (``canonical_people``)."""
    added = []
    covered = [(m["start"], m["end"]) for m in found]
    text = doc.text
    for surname in sorted({n.split()[-1] for n in full_names if n.split()[-1][:1].isupper()}):
        for match in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text):
            if not any(s < match.end() and match.start() < e for s, e in covered):
                added.append(mention(doc, "PERSON", surname, surname, match.start()))
                covered.append((match.start(), match.end()))
    return added


def without_bylines(found: list[dict], authors: list[str]) -> list[dict]:
    """Drop person mentions that are the article's own authors (a byline left in the body).

    >>> without_bylines([{"label": "PERSON", "name": "Camille Durand"}], ["Camille Durand"])
    []
    """
    bylines = {a.casefold() for a in authors}
    return [m for m in found if not (m["label"] == "PERSON" and m["name"].casefold() in bylines)]
