"""veille's throughput benchmark (`make bench`): a generated news web of N articles on 127.0.0.1,
each stage timed on its own and end to end, against the machine's limit for this work.

    .venv/bin/python bench/run.py                 # N = 1,000
    .venv/bin/python bench/run.py --n 10000 --report bench-10000.json

The limit: the CPU cost per article of extraction plus tagging, measured in one process on a
sample, spread over every core. End-to-end throughput is reported as a ratio of it. Each stage
runs as its own `veille` process; its CPU time and peak memory come from the operating system
(wait4). Not a test: nothing here is checked in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.newsweb import build_web, config_toml  # noqa: E402
from crawler.demo import serve_site  # noqa: E402

VEILLE = [sys.executable, "-m", "crawler.cli"]


def run_stage(*args: str) -> dict:
    """Run one `veille` command; its wall time, CPU time (with its worker processes) and peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen([*VEILLE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    out, err = process.stdout.read(), process.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"veille {' '.join(args)} failed:\n{err[-2000:]}")
    return {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "output": out.strip().splitlines()[-3:]}


def machine_limit(db_path: Path, sample: int) -> dict:
    """Articles per second the machine can extract and tag: CPU per article on one core, times the cores."""
    import sqlite3

    from crawler.stages import extract_page
    from extract.analyze import tag_texts
    from extract.nlp import load_model

    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    pages = [dict(r) for r in connection.execute(
        "select id, url, final_url, body, encoding, outlet, hint_published from pages where fetch_status = 'ok' and url like '%article-%' limit ?", [sample])]
    started = time.process_time()
    rows = [extract_page(page) for page in pages]
    extract_cpu = time.process_time() - started
    articles = [r for r in rows if r["status"] == "article"]
    for lang in {r["language"] for r in articles}:
        load_model(lang)
    started = time.process_time()
    list(tag_texts((r["text"], r["language"], r["published"]) for r in sorted(articles, key=lambda r: r["language"])))
    tag_cpu = time.process_time() - started
    per_article = (extract_cpu + tag_cpu) / len(pages)
    cores = os.cpu_count() or 1
    return {"sample": len(pages), "extract_ms_per_article": round(1000 * extract_cpu / len(pages), 1),
            "tag_ms_per_article": round(1000 * tag_cpu / len(pages), 1), "cores": cores,
            "limit_articles_per_s": round(cores / per_article, 2),
            "words_per_article": round(sum(len(r["text"].split()) for r in articles) / max(1, len(articles)))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="Articles in the generated web.")
    parser.add_argument("--sample", type=int, default=200, help="Articles measured for the machine's limit.")
    parser.add_argument("--report", help="Write the results as JSON here.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="veille-bench-"))
    root = work / "web"
    root.mkdir()
    with serve_site(root) as base:
        truth = build_web(root, base, args.n)
        config = str(config_toml(base, work / "bench.toml"))
        staged = work / "staged.db"
        crawl = run_stage("crawl", "--config", config, "--db", str(staged), "--no-extract", "--no-tag")
        extract = run_stage("extract", "--config", config, "--db", str(staged))
        tag = run_stage("tag", "--config", config, "--db", str(staged))
        end_to_end = run_stage("crawl", "--config", config, "--db", str(work / "e2e.db"))
    import sqlite3

    counts = sqlite3.connect(staged).execute(
        "select (select count(*) from pages where url like '%article-%'), (select count(*) from articles where status = 'article'),"
        " (select sum(word_count) from articles where status = 'article'), (select count(*) from mentions)").fetchone()
    pages, articles, words, mentions = counts
    e2e_articles = sqlite3.connect(work / "e2e.db").execute("select count(*) from articles where status = 'article'").fetchone()[0]
    limit = machine_limit(staged, args.sample)
    results = {
        "n": args.n, "pages": pages, "articles": articles, "words": words, "mentions": mentions,
        "crawl": {**crawl, "pages_per_s": round(pages / crawl["wall_s"], 1)},
        "extract": {**extract, "articles_per_s": round(articles / extract["wall_s"], 1)},
        "tag": {**tag, "words_per_s": round(words / tag["wall_s"]), "articles_per_s": round(articles / tag["wall_s"], 1)},
        "end_to_end": {**end_to_end, "articles": e2e_articles, "articles_per_s": round(e2e_articles / end_to_end["wall_s"], 2)},
        "limit": limit,
    }
    results["end_to_end"]["ratio_to_limit"] = round(results["end_to_end"]["articles_per_s"] / limit["limit_articles_per_s"], 3)
    assert len(truth) == args.n
    print(f"N = {args.n:,}: {pages:,} article pages, {articles:,} articles, {words:,} words, {mentions:,} mentions")
    print(f"{'stage':<12}{'wall s':>9}{'CPU s':>9}{'peak RSS MB':>13}  throughput")
    print(f"{'crawl':<12}{crawl['wall_s']:>9}{crawl['cpu_s']:>9}{crawl['peak_rss_mb']:>13}  {results['crawl']['pages_per_s']} pages/s")
    print(f"{'extract':<12}{extract['wall_s']:>9}{extract['cpu_s']:>9}{extract['peak_rss_mb']:>13}  {results['extract']['articles_per_s']} articles/s")
    print(f"{'tag':<12}{tag['wall_s']:>9}{tag['cpu_s']:>9}{tag['peak_rss_mb']:>13}  {results['tag']['words_per_s']:,} words/s")
    print(f"{'end to end':<12}{end_to_end['wall_s']:>9}{end_to_end['cpu_s']:>9}{end_to_end['peak_rss_mb']:>13}  {results['end_to_end']['articles_per_s']} articles/s")
    print(f"machine limit: {limit['extract_ms_per_article']} ms extract + {limit['tag_ms_per_article']} ms tag per article on one core, "
          f"x {limit['cores']} cores = {limit['limit_articles_per_s']} articles/s; end to end = {results['end_to_end']['ratio_to_limit']:.0%} of it")
    if args.report:
        Path(args.report).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
