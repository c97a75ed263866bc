"""Body and metadata extraction quality on real pages (``veille eval extraction``).

The pages, their snippets and the labels live in ``tests/eval/extraction`` (see its README).
Body metric, the corpus's own: per page, whitespace-normalised substring matching; ``with``
snippets found are true positives, missing ones false negatives, ``without`` snippets found
false positives; summed over the pages. Metadata: exact match per field on the labelled pages
(title with whitespace and quotes normalised, authors as a case-insensitive set, publication day,
language).

Example::

    pages = load_pages(EVAL_DIR, "dev")
    report = evaluate_extraction(pages, {"veille": veille_extractor, "trafilatura": trafilatura_defaults})
    print(format_extraction_report(report))
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from extract.body import extract_article
from extract.evaluation import prf

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "eval" / "extraction"
# Pages labelled for metadata only, outside the body set: ``fresh`` (labelled after the rules were
# written, never tuned on) and ``dev-extra`` (to develop on). See the set's README.
EXTRA_SPLITS = ("fresh", "dev-extra")
DEMO_SITE = Path(__file__).resolve().parent.parent / "tests" / "site"
FIELDS = ("title", "authors", "published", "language")
# Labelled pages are news or blog articles (what veille is for; the targets apply to them) or
# other pages (forum threads, wikis, docs, recipes, reviews), scored apart.
KINDS = {"article": "article pages", "other": "other pages"}
METADATA_KEYS = {"article": "metadata", "other": "metadata_other_pages"}
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "\u00a0": " "})


@dataclass
class EvalPage:
    key: str
    url: str | None
    lang: str
    html: bytes
    with_snippets: list[str]
    without_snippets: list[str]
    labels: dict | None = None
    split: str = "dev"


@dataclass
class Extracted:
    """What an extractor found on a page; metadata fields stay None when it gives none."""

    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    cpu_s: float | None = None  # set when only part of the extractor's work is to be timed
    rules: dict = field(default_factory=dict)  # paragraphs each cleaning rule removed
    authors_source: str | None = None  # which source decided the authors


def load_pages(folder: Path = EVAL_DIR, split: str = "all") -> list[EvalPage]:
    """The evaluation pages of one split (``dev``, ``test`` or ``all``), in a stable order;
    ``demo``: the 20 articles of the demo web, labelled in its ``expected.json``; ``fresh``: the
    pages labelled after the extraction rules were written, ``dev-extra``: more pages to develop
    on (both metadata only, see the README)."""
    if split == "demo":
        return load_demo_pages()
    if split in EXTRA_SPLITS:
        return load_extra_pages(folder / split, split)
    evaldata = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    splits = json.loads((folder / "split.json").read_text(encoding="utf-8"))
    labels = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(evaldata):
        if split != "all" and splits[key] != split:
            continue
        entry = evaldata[key]
        pages.append(EvalPage(
            key=key,
            url=None if key.startswith("hard::") else key,
            lang=entry["lang"],
            html=gzip.decompress((folder / "pages" / entry["file"]).read_bytes()),
            with_snippets=entry["with"],
            without_snippets=entry["without"],
            labels=labels.get(key),
            split=splits[key],
        ))
    return pages


def load_extra_pages(folder: Path, split: str) -> list[EvalPage]:
    files = json.loads((folder / "pages.json").read_text(encoding="utf-8"))
    labels = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    return [
        EvalPage(
            key=key,
            url=entry.get("url") or (key if key.startswith("http") else None),
            lang=labels[key]["language"],
            html=gzip.decompress((folder / "pages" / entry["file"]).read_bytes()),
            with_snippets=[],  # no body snippets: these pages measure metadata only
            without_snippets=[],
            labels=labels[key],
            split=split,
        )
        for key, entry in sorted(files.items())
    ]


def load_demo_pages(site: Path = DEMO_SITE) -> list[EvalPage]:
    expected = json.loads((site / "expected.json").read_text(encoding="utf-8"))
    return [
        EvalPage(
            key=article["path"],
            url="http://127.0.0.1:8765" + article["path"],  # the demo's fixed port; nothing is fetched
            lang=article["language"],
            html=(site / article["path"].lstrip("/")).read_bytes(),
            with_snippets=article["body_contains"],
            without_snippets=article["body_excludes"],
            labels={f: article[f] for f in FIELDS},
            split="demo",
        )
        for article in expected["articles"]
    ]


def normalise(text: str | None) -> str:
    return " ".join((text or "").split())


def body_counts(text: str, page: EvalPage) -> tuple[int, int, int]:
    """(true positives, false negatives, false positives) of one page's snippets."""
    body = normalise(text)
    found = [normalise(s) in body for s in page.with_snippets]
    leaked = [normalise(s) in body for s in page.without_snippets]
    return sum(found), len(found) - sum(found), sum(leaked)


def field_matches(name: str, got, expected) -> bool:
    if name == "title":
        return normalise(got).translate(QUOTES) == normalise(expected).translate(QUOTES)
    if name == "authors":
        return {normalise(a).casefold() for a in got or []} == {normalise(a).casefold() for a in expected or []}
    if name == "published":
        return (got or "")[:10] == (expected or "")
    return got == expected


def veille_extractor(html: bytes, url: str | None) -> Extracted:
    """veille's extraction, as the ``extract`` stage runs it."""
    article = extract_article(html, url=url)
    return Extracted(
        article["text"], article["title"], article["authors"], article["published"], article["language"],
        rules=article["boilerplate_removed"], authors_source=article["authors_source"],
    )


def trafilatura_defaults(html: bytes, url: str | None) -> Extracted:
    """trafilatura's defaults, the reference: ``trafilatura.extract(html, url=url)`` for the body
    (the time counted), ``bare_extraction`` with its defaults for the metadata."""
    import trafilatura

    started = time.process_time()
    text = trafilatura.extract(html, url=url) or ""
    cpu = time.process_time() - started
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if document is None:
        return Extracted(text, cpu_s=cpu)
    authors = [a.strip() for a in (document.author or "").split(";") if a.strip()]
    return Extracted(text, document.title, authors, document.date, document.language, cpu_s=cpu)


EXTRACTORS: dict[str, Callable[[bytes, str | None], Extracted]] = {
    "veille": veille_extractor,
    "trafilatura defaults": trafilatura_defaults,
}


def evaluate_extraction(pages: list[EvalPage], extractors: dict[str, Callable] = EXTRACTORS, keep_pages: bool = False) -> dict:
    """Body P/R/F1 overall and per language, metadata accuracy per field, CPU ms per page; for
    each extractor. ``keep_pages`` adds each page's counts (to see which pages a rule changes).

    The extractors take turns on each page, so that their CPU times are measured side by side
    (a busy machine slows them alike) and their ratio means something; each runs once on the
    first page before the clock starts, so that loading models and building parsers, paid once
    per process, does not count as the cost of a page."""
    if pages:
        for extractor in extractors.values():
            extractor(pages[0].html, pages[0].url)
    state = {name: {"totals": {}, "fields": {kind: {f: [0, 0] for f in FIELDS} for kind in KINDS}, "per_page": {}, "rules": Counter(), "authors_from": Counter(), "authors_right": Counter(), "cpu": 0.0} for name in extractors}
    for page in pages:
        for name, extractor in extractors.items():
            seen = state[name]
            started = time.process_time()
            got = extractor(page.html, page.url)
            seen["cpu"] += got.cpu_s if got.cpu_s is not None else time.process_time() - started
            counts = body_counts(got.text, page)
            seen["rules"].update(got.rules.keys())
            kind = page.labels.get("kind", "article") if page.labels else None
            if got.authors_source and kind == "article":
                seen["authors_from"][got.authors_source] += 1
                seen["authors_right"][got.authors_source] += field_matches("authors", got.authors, page.labels["authors"])
            for group in ("all", page.lang):
                total = seen["totals"].setdefault(group, [0, 0, 0])
                for i, n in enumerate(counts):
                    total[i] += n
            if page.labels:
                fields = seen["fields"][kind]
                for f in FIELDS:
                    fields[f][1] += 1
                    fields[f][0] += field_matches(f, getattr(got, f), page.labels.get(f))
            if keep_pages:
                seen["per_page"][page.key] = {"counts": counts, **{f: getattr(got, f) for f in FIELDS}}
    report = {"pages": len(pages), "languages": sorted({p.lang for p in pages}), "extractors": {}}
    for name, seen in state.items():
        report["extractors"][name] = {
            "body": {group: prf(tp, fp, fn) for group, (tp, fn, fp) in sorted(seen["totals"].items())},
            **{
                METADATA_KEYS[kind]: {f: {"accuracy": round(right / n, 4) if n else 0.0, "right": right, "pages": n} for f, (right, n) in fields.items()}
                for kind, fields in seen["fields"].items()
            },
            "cpu_ms_per_page": round(1000 * seen["cpu"] / max(1, len(pages)), 1),
            "pages_changed_by_rule": dict(seen["rules"].most_common()),
            "labelled_article_pages_by_authors_source": {
                source: {"pages": n, "right": seen["authors_right"][source]} for source, n in seen["authors_from"].most_common()
            },
            **({"per_page": seen["per_page"]} if keep_pages else {}),
        }
    agreement = label_agreement(pages)
    if agreement["pages"]:
        report["second_annotator_agreement"] = agreement
    if "veille" in state and "trafilatura defaults" in state:
        report["cpu_ratio_to_trafilatura"] = round(state["veille"]["cpu"] / max(1e-9, state["trafilatura defaults"]["cpu"]), 2)
    return report


def label_agreement(pages: list[EvalPage], folders: tuple[Path, ...] = (EVAL_DIR, *(EVAL_DIR / split for split in EXTRA_SPLITS))) -> dict:
    """How often a second, blind annotator's authors and day (``second-annotator.json``) equal
    the labels, on the labelled pages among ``pages``: how far the labels themselves can be
    trusted."""
    second = {}
    for path in (folder / "second-annotator.json" for folder in folders):
        if path.exists():
            second.update(json.loads(path.read_text(encoding="utf-8")))
    both = [(p.labels, second[p.key]) for p in pages if p.labels and p.key in second]
    return {
        "pages": len(both),
        **{f: sum(field_matches(f, other[f], label[f]) for label, other in both) for f in ("authors", "published")},
    }


def format_extraction_report(report: dict) -> str:
    """The report as text tables: body scores, then metadata accuracy, one row per extractor."""
    lines = [f"{report['pages']} pages", "", f"{'body':<22}{'group':<6}{'P':>7}{'R':>7}{'F1':>7}  CPU ms/page"]
    for name, result in report["extractors"].items():
        for group, scores in result["body"].items():
            cpu = f"  {result['cpu_ms_per_page']}" if group == "all" else ""
            if any(scores[count] for count in ("tp", "fp", "fn")):
                lines.append(f"{name:<22}{group:<6}{scores['precision']:>7.3f}{scores['recall']:>7.3f}{scores['f1']:>7.3f}{cpu}")
            elif cpu:  # pages without body snippets (fresh, dev-extra): only the CPU cost
                lines.append(f"{name:<22}{group:<6}{'-':>7}{'-':>7}{'-':>7}{cpu}")
    for kind, key in METADATA_KEYS.items():
        labelled = next(iter(report["extractors"].values()))[key]["title"]["pages"] if report["extractors"] else 0
        if not labelled:
            continue
        lines += ["", f"{key + f' ({labelled} {KINDS[kind]})':<40}" + "".join(f"{f:>11}" for f in FIELDS)]
        for name, result in report["extractors"].items():
            lines.append(f"{name:<40}" + "".join(f"{result[key][f]['accuracy']:>11.3f}" for f in FIELDS))
    if "second_annotator_agreement" in report:
        agreement = report["second_annotator_agreement"]
        lines.append(f"labels: a second annotator agrees on authors for {agreement['authors']} of {agreement['pages']} pages, on the day for {agreement['published']}")
    if "cpu_ratio_to_trafilatura" in report:
        lines.append(f"CPU per page, veille / trafilatura's defaults, measured side by side: {report['cpu_ratio_to_trafilatura']:.2f}")
    for name, result in report["extractors"].items():
        if result["pages_changed_by_rule"]:
            changed = ", ".join(f"{rule} {n}" for rule, n in result["pages_changed_by_rule"].items())
            lines.append(f"pages changed by {name}'s cleaning rules: {changed}")
        if result.get("labelled_article_pages_by_authors_source"):
            sources = ", ".join(f"{source} {n['pages']} ({n['right']} right)" for source, n in result["labelled_article_pages_by_authors_source"].items())
            lines.append(f"labelled article pages whose authors {name} took from: {sources}")
    return "\n".join(lines)


def check_floors(report: dict, floors: dict, extractor: str = "veille") -> list[str]:
    """Scores under their floor, as messages (empty when all pass)."""
    result = report["extractors"][extractor]
    failures = []
    for group, floor in floors.get("body_f1", {}).items():
        got = result["body"].get(group, {}).get("f1", 0.0)
        if got < floor:
            failures.append(f"body F1 {group} {got:.3f} < floor {floor}")
    for group, floor in floors.get("body_recall", {}).items():
        got = result["body"].get(group, {}).get("recall", 0.0)
        if got < floor:
            failures.append(f"body recall {group} {got:.3f} < floor {floor}")
    for f, floor in floors.get("metadata", {}).items():
        got = result["metadata"][f]["accuracy"]
        if got < floor:
            failures.append(f"{f} accuracy {got:.3f} < floor {floor}")
    return failures


