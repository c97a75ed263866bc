"""Hand-annotated gold articles (``tests/gold/``): reading and checking the inline format.

Example::

    article = parse_gold(Path("tests/gold/dev/fr-dev-001.txt").read_text())
    article.text[article.entities[0].start : article.entities[0].end]

Run ``python -m extract.gold tests/gold`` to check every file and print counts.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from extract import VeilleError

LABELS = ("PERSON", "ORG", "DATE")
ANNOTATION = re.compile(r"\[([^\[\]]+)\]\(([A-Z]+)(?:\|([^()]*))?\)")
ISO_VALUE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{2})?$")


class GoldError(VeilleError):
    """A gold file does not follow the format of tests/gold/README.md."""


@dataclass(frozen=True)
class GoldEntity:
    label: str
    start: int
    end: int
    text: str
    name: str  # canonical name; for DATE the ISO value (or the surface when none)
    value: str | None = None


@dataclass
class GoldArticle:
    id: str
    lang: str
    published: str | None
    text: str
    entities: list[GoldEntity] = field(default_factory=list)
    path: str = ""


def parse_gold(source: str, path: str = "") -> GoldArticle:
    """Parse one gold file (header, blank line, annotated text)."""
    header, _, body = source.partition("\n\n")
    body = body.strip("\n")
    meta = {}
    for line in header.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            raise GoldError(f"{path}: bad header line {line!r}")
        meta[key.strip()] = value.strip()
    for key in ("id", "lang"):
        if key not in meta:
            raise GoldError(f"{path}: header lacks {key}")
    text_parts, entities, position, cursor = [], [], 0, 0
    for match in ANNOTATION.finditer(body):
        surface, label, extra = match.group(1), match.group(2), (match.group(3) or "").strip() or None
        if label not in LABELS:
            raise GoldError(f"{path}: unknown label {label} at {surface!r}")
        text_parts.append(body[cursor : match.start()])
        position += match.start() - cursor
        start, end = position, position + len(surface)
        if label == "DATE":
            if extra and not ISO_VALUE.match(extra):
                raise GoldError(f"{path}: DATE value {extra!r} is not ISO (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www)")
            entities.append(GoldEntity(label, start, end, surface, extra or surface, extra))
        else:
            entities.append(GoldEntity(label, start, end, surface, extra or surface))
        text_parts.append(surface)
        position = end
        cursor = match.end()
    text_parts.append(body[cursor:])
    text = "".join(text_parts)
    if "](" in text:
        raise GoldError(f"{path}: unparsed annotation left in text near {text[text.index(']('):][:40]!r}")
    published = meta.get("published")
    if published:
        date.fromisoformat(published)
    return GoldArticle(meta["id"], meta["lang"], published, text, entities, path)


def load_gold(directory: str | Path) -> list[GoldArticle]:
    """Every ``*.txt`` gold article under ``directory``, sorted by path."""
    articles = []
    for path in sorted(Path(directory).rglob("*.txt")):
        articles.append(parse_gold(path.read_text(encoding="utf-8"), str(path)))
    return articles


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "tests/gold")
    try:
        articles = load_gold(root)
    except (VeilleError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    ids = Counter(a.id for a in articles)
    if duplicated := [i for i, n in ids.items() if n > 1]:
        print(f"error: duplicate ids {duplicated}", file=sys.stderr)
        return 1
    for split in sorted({Path(a.path).parent.name for a in articles}):
        for lang in sorted({a.lang for a in articles}):
            chosen = [a for a in articles if a.lang == lang and Path(a.path).parent.name == split]
            labels = Counter(e.label for a in chosen for e in a.entities)
            print(f"{split:5} {lang}: {len(chosen):3} articles, {sum(labels.values()):4} mentions {dict(sorted(labels.items()))}")
    print(f"total: {len(articles)} articles, {sum(len(a.entities) for a in articles)} mentions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
