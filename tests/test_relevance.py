"""Topic relevance: accent- and case-insensitive, but common words that are also platform names
count only with their capital."""

from extract.relevance import relevance

TOPICS = [("alt-social", ["Parler", "Télégram", "réseau social alternatif"])]


def test_terms_match_without_accents_or_case():
    score, terms = relevance("TELEGRAM bannit des canaux", "Un reseau social alternatif.", TOPICS)
    assert terms == ["reseau social alternatif", "telegram"] and score > 0.5


def test_common_word_terms_need_their_capital():
    verb = relevance("Il refuse de parler", "Il refuse de parler à la presse.", TOPICS, frozenset({"Parler"}))
    platform = relevance("Parler est coupé", "Parler a été coupé par AWS.", TOPICS, frozenset({"Parler"}))
    assert verb == (0.0, []) and platform[1] == ["parler"] and platform[0] > 0.5
    assert relevance("Il refuse de parler", "", TOPICS)[1] == ["parler"]  # without the flag, any case


def test_unrelated_text_scores_zero():
    assert relevance("Tarte aux pommes", "Une recette d'automne.", TOPICS) == (0.0, [])
