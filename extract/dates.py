"""Date expressions in French and English text, normalised relative to the publication date.

Example::

    >>> from datetime import date
    >>> normalise_date("dimanche 10 janvier", "fr", date(2021, 1, 11))
    '2021-01-10'
    >>> [m.text for m in find_dates("Il l'a dit hier, puis le 1er mars 2022.", "fr")]
    ['hier', '1er mars 2022']

Values keep the precision of the expression: ``2021-01-10`` (day), ``2021-01`` (month),
``2021`` (year), ``2021-W01`` (week). A day without a year takes the year that puts it nearest
the publication date (a named weekday decides when given), a month the latest one not after it.
Vague expressions, and relative ones in an article
with no publication date, get no value rather than a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser

FR_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
DE_MONTHS = "Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
FR_DAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
FR_NUMBERS = r"\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|quinze|vingt|trente"
EN_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
)
# Month names that are a date on their own (not "May I...", "March on", "Mars" the planet).
EN_MONTHS_ALONE = "January|February|April|June|July|August|September|October|November|December"
FR_MONTHS_ALONE = FR_MONTHS.replace("mars|", "")
EN_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
EN_NUMBERS = r"\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty"
NUMERIC = r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{4}-\d{2}-\d{2}\b"

# A bare year is a date after these words only ("en 2018", "since 2020"), not a count or an amount.
YEAR_AFTER = {
    "fr": r"(?<=\b[eE]n )|(?<=\b[dD]epuis )|(?<=\bdès )|(?<=\bfin )|(?<=\bdébut )|(?<=\bmi-)|(?<=\bd'ici )|(?<=\bd’ici )|(?<=\bavant )|(?<=\baprès )|(?<=\bjusqu'en )",
    "en": r"(?<=\b[iI]n )|(?<=\b[sS]ince )|(?<=\bby )|(?<=\buntil )|(?<=\bearly )|(?<=\blate )|(?<=\bmid-)|(?<=\bbefore )|(?<=\bafter )|(?<=\bfrom )|(?<=\bof )",
}

PATTERNS = {
    "fr": [
        rf"\b(?:(?:{FR_DAYS})\s+)?(?:1er|\d{{1,2}})\s+(?:{FR_MONTHS})(?:\s+\d{{4}})?\b",
        rf"\b(?:{FR_MONTHS})\s+\d{{4}}\b",
        rf"\b(?:{FR_DAYS}|{FR_MONTHS})\s+(?:dernier|prochain)\b",
        rf"\b(?:{FR_MONTHS_ALONE})\b",
        r"(?:(?<=\b[eE]n )|(?<=\bde )|(?<=\bfin )|(?<=\bmi-)|(?<=\bdébut )|(?<=\bdepuis ))mars\b",
        rf"\bil y a\s+(?:{FR_NUMBERS})\s+(?:jours?|semaines?|mois|ans|années?|heures?)\b",
        r"\b(?:avant-hier|hier|aujourd['’]hui|après-demain|demain)\b",
        r"\b(?:la semaine|le mois|l['’]an|l['’]année)\s+(?:derni(?:er|ère)|prochaine?)\b",
        rf"(?:{YEAR_AFTER['fr']})\d{{4}}\b",
        NUMERIC,
        rf"\b(?:{FR_DAYS})\b",
    ],
    # English month and day names are matched with their capital only ("May 2020", not "may"),
    # relative words in any case ("Yesterday" opening a sentence).
    "en": [
        rf"\b(?:(?:{EN_DAYS}),?\s+)?(?:{EN_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?(?!\w)",
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{EN_MONTHS})(?:,?\s+\d{{4}})?(?!\w)",
        rf"\b(?:{EN_MONTHS})\s+\d{{4}}\b",
        rf"\b(?i:last|next|this)\s+(?:{EN_DAYS}|{EN_MONTHS}|(?i:week|month|year))\b",
        rf"(?<=\b[iI]n )(?:{EN_MONTHS})(?!\w)",
        rf"\b(?:{EN_MONTHS_ALONE})(?!\w)",
        rf"\b(?i:{EN_NUMBERS})\s+(?i:days?|weeks?|months?|years?|hours?)\s+(?i:ago)\b",
        r"\b(?i:yesterday|today|tomorrow)\b",
        rf"(?:{YEAR_AFTER['en']})\d{{4}}\b",
        NUMERIC,
        rf"\b(?:{EN_DAYS})\b",
    ],
}
RELATIVE_WORDS = re.compile(
    r"hier|aujourd|demain|dernier|dernière|prochain|il y a|yesterday|today|tomorrow|ago|last|next|this"
    rf"|^(?:{FR_DAYS}|{EN_DAYS})$",
    re.IGNORECASE,
)
# "lundi dernier", "last September": dateparser knows the bare name (past preferred), not the qualifier.
PAST_QUALIFIER = re.compile(rf"\b({FR_DAYS}|{FR_MONTHS})\s+dernier\b|\blast\s+(?=(?:{EN_MONTHS})\b)", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str


@lru_cache(maxsize=None)
def _compiled(lang: str) -> re.Pattern:
    flags = re.IGNORECASE if lang == "fr" else 0
    return re.compile("|".join(f"(?:{p})" for p in PATTERNS[lang]), flags)


def find_dates(text: str, lang: str) -> list[DateMention]:
    """Date expressions in ``text`` (non-overlapping, leftmost-longest)."""
    if lang not in PATTERNS:
        return []
    return [DateMention(m.start(), m.end(), m.group()) for m in _compiled(lang).finditer(text)]


@lru_cache(maxsize=8)
def _parser(lang: str, base: datetime | None) -> DateDataParser:
    settings = {"PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY" if lang == "fr" else "MDY"}
    if base:
        settings["RELATIVE_BASE"] = base
    return DateDataParser(languages=[lang], settings=settings)


def as_datetime(published: str | date | None) -> datetime | None:
    """Publication date as a naive datetime at noon, e.g. ``"2021-01-11"``; None when unusable."""
    if published is None:
        return None
    if isinstance(published, date):
        return datetime(published.year, published.month, published.day, 12)
    try:
        day = date.fromisoformat(str(published)[:10])
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, 12)


LAST_YEAR = re.compile(r"l['’]an dernier|l['’]année dernière|last year", re.IGNORECASE)
WEEKDAYS = {
    name: number
    for names in (FR_DAYS, EN_DAYS.lower())
    for number, name in enumerate(names.split("|"))
}


def weekday_named(expression: str) -> int | None:
    """Weekday number (Monday 0) written in an expression like "mercredi 28 août", or None."""
    for word in re.findall(r"\w+", expression.lower()):
        if word in WEEKDAYS:
            return WEEKDAYS[word]
    return None


def nearest_year(value: datetime, period: str, base: datetime, weekday: int | None) -> datetime:
    """Give a yearless day the year that puts it nearest the publication date (past on a tie: a
    hearing "Sept. 8" in July is this year's); a named weekday picks the year where it falls on
    that day ("mercredi 28 août"). A yearless month is the latest one not after publication
    ("in June" is mostly reported, not announced)."""
    candidates = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidate = value.replace(year=year, day=value.day if period == "day" else 1)
        except ValueError:  # 29 February
            continue
        if weekday is None or candidate.weekday() == weekday:
            candidates.append(candidate)
    if not candidates:
        return value
    if period == "month":
        return max(c for c in candidates if c <= base.replace(day=1)) if weekday is None else candidates[0]
    return min(candidates, key=lambda c: (abs((c - base).days), c > base))


def normalise_date(expression: str, lang: str, published: str | date | None) -> str | None:
    """ISO value of a date expression relative to ``published``, or None when not reliable."""
    base = as_datetime(published)
    weekday = WEEKDAYS.get(expression.strip().lower())
    if weekday is not None and base is not None:
        # A bare weekday in the news is the latest such day, the publication day included:
        # "early Monday" in a Monday article is that Monday.
        return (base.date() - timedelta(days=(base.weekday() - weekday) % 7)).isoformat()
    relative = bool(RELATIVE_WORDS.search(expression))
    if base is None and (relative or not re.search(r"\d{4}", expression)):
        return None
    if base and LAST_YEAR.fullmatch(expression.strip()):
        return f"{base.year - 1:04d}"
    cleaned = PAST_QUALIFIER.sub(lambda m: m.group(1) or "", expression).strip()
    data = _parser(lang, base).get_date_data(cleaned)
    if data.date_obj is None:
        return None
    value = data.date_obj
    period = data.period or "day"
    if base and period in ("day", "month") and not relative and not re.search(r"\d{4}", expression):
        value = nearest_year(value, period, base, weekday_named(expression))
    if period == "year":
        return f"{value.year:04d}"
    if period == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if period == "week":
        year, week, _ = value.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return value.date().isoformat()
