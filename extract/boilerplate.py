"""Boilerplate paragraphs that trafilatura keeps in article bodies, in French and English:
"read more" links, subscription and newsletter prompts, sharing and comment invitations,
copyright lines, photo credits, page furniture. Each rule has a name so that the evaluation can
count the pages it changes.

Example::

    >>> drop_boilerplate("Le texte.\\nÀ lire aussi : Un autre article\\nLa suite du texte.")[0]
    'Le texte.\\nLa suite du texte.'

A rule only removes a whole paragraph (a line of the extracted text), and only a short one: a
long paragraph that happens to say "subscribe" is part of the article.
"""

from __future__ import annotations

import re
from collections import Counter

# (name, pattern, most words a matching paragraph may have). Patterns are general phrasings of
# page furniture, never a sentence copied from one page.
RULES: list[tuple[str, re.Pattern, int]] = [
    ("read more", re.compile(
        r"^(?:read (?:more|also|next)|related(?: articles?| stories)?|see also|more on this|watch(?: this)? next"
        r"|(?:à|a) lire (?:aussi|également|egalement)|lire (?:aussi|également|la suite)|voir aussi|sur le même sujet"
        r"|à voir (?:aussi|également))\b\s*[:\-–—]?", re.I), 30),
    ("subscription", re.compile(
        r"\b(?:subscribe (?:now|today|to (?:our|the|continue))|please subscribe|already a subscriber|to continue reading"
        r"|(?:to )?view the full story|for the full story|subscribers? only|become a (?:member|subscriber)"
        r"|pour (?:lire|accéder à) la suite|pour accéder en illimité|réservé aux abonnés|abonnez-vous|déjà abonné"
        r"|offre (?:d'essai|découverte|spéciale))", re.I), 40),
    ("newsletter", re.compile(
        r"\b(?:newsletter|sign up (?:for|to|here|now)|inscrivez-vous|recevez (?:gratuitement|chaque|notre))", re.I), 20),
    ("apps and social", re.compile(
        r"\b(?:download (?:the|our) [\w ]{0,30}apps?|follow us on|suivez-nous sur|share (?:this|on) (?:article|story|facebook|twitter)"
        r"|partager sur (?:facebook|twitter)|click here to|cliquez ici)", re.I), 30),
    ("reader prompts", re.compile(
        r"\b(?:we want to hear what you think|letter to the editor|send us a tip|join the conversation|leave a comment"
        r"|laisser un commentaire|réagissez à cet article)", re.I), 40),
    ("donation appeal", re.compile(
        r"\b(?:donate|make a donation|support (?:our|independent) journalism|we need your (?:help|support)"
        r"|faites un don|soutenez[- ]nous)\b", re.I), 40),
    ("affiliate disclosure", re.compile(
        r"\b(?:we may (?:receive|earn) (?:compensation|a commission)|advertiser disclosure|affiliate links?"
        r"|liens? d'affiliation|nous (?:pouvons )?percev(?:oir|ons) une commission)", re.I), 60),
    ("copyright", re.compile(
        r"(?:^\s*(?:©|\(c\)|copyright)\b|all rights reserved|tous droits réservés|copyrighted property"
        r"|written permission must be obtained|reproduction (?:interdite|prohibited))", re.I), 40),
    ("photo credits", re.compile(
        r"^(?:crédits? (?:photos?|images?)|photo(?:graph)? credits?|image illustrative|illustration\s*:|photo\s*:|image\s*:"
        r"|credit\s*:)", re.I), 20),
    ("page furniture", re.compile(
        r"(?:^|\s)last (?:modified|updated)\s*:|^(?:release date\s*:|mis à jour le\b|publié le\b.{0,40}$|tagged\s*:|tags\s*:|mots-clés\s*:)", re.I), 12),
]


def boilerplate_rule(paragraph: str) -> str | None:
    """The name of the rule a paragraph falls under, or None when it is part of the article."""
    words = len(paragraph.split())
    return next((name for name, pattern, most in RULES if words <= most and pattern.search(paragraph)), None)


def without_boilerplate(blocks: list[dict]) -> tuple[list[dict], Counter]:
    """The paragraphs (``{"kind", "text"}``) that belong to the article, and how many each rule removed."""
    kept, removed = [], Counter()
    for block in blocks:
        if rule := boilerplate_rule(block["text"]):
            removed[rule] += 1
        else:
            kept.append(block)
    return kept, removed


def drop_boilerplate(text: str) -> tuple[str, Counter]:
    """The text without its boilerplate paragraphs (one per line), and how many each rule removed."""
    kept, removed = without_boilerplate([{"kind": "paragraph", "text": line} for line in text.split("\n")])
    return "\n".join(block["text"] for block in kept), removed
