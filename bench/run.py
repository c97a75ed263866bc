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
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
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


def run_distributed(config: str, db_path: Path, work: Path, workers: int) -> dict:
    """The distributed mode on one machine: a Redis server, one crawler, ``workers`` workers and
    the writer, all at once; wall time of the whole, CPU time summed, the largest peak RSS."""
    from bench.redis_server import redis_server

    with redis_server(work) as url:
        shared = ["--redis", url, "--lease-seconds", "5"]
        commands = [["crawl", "--config", config, *shared]]
        commands += [["worker", "--config", config, *shared, "--exit-when-done"]] * workers
        commands += [["writer", "--db", str(db_path), *shared, "--exit-when-done"]]
        started = time.perf_counter()
        processes = [subprocess.Popen([*VEILLE, *c], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for c in commands]
        usages = [os.wait4(p.pid, 0) for p in processes]
        wall = time.perf_counter() - started
    for process, (_, status, _) in zip(processes, usages):
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"veille {' '.join(process.args[3:5])} failed:\n{process.stderr.read()[-2000:]}")
    cpu = [u.ru_utime + u.ru_stime for _, _, u in usages]
    return {"wall_s": round(wall, 2), "cpu_s": round(sum(cpu), 2), "crawler_cpu_s": round(cpu[0], 2),
            "workers_cpu_s": round(sum(cpu[1:-1]), 2), "writer_cpu_s": round(cpu[-1], 2),
            "peak_rss_mb": round(max(u.ru_maxrss for _, _, u in usages) / 1024, 1), "processes": len(commands)}


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


def words(text: str | None) -> list[str]:
    return re.findall(r"\w+", (text or "").casefold())


def extraction_quality(found: dict[str, dict], truth: list[dict]) -> dict:
    """Body word F1 (bag of words, against the generated paragraphs), title and day-exact date
    accuracy, over every article of the web (a missing article scores zero)."""
    f1s, titles, dates = [], 0, 0
    for record in truth:
        got = found.get(record["url"])
        if not got:
            f1s.append(0.0)
            continue
        expected, extracted = Counter(words(record["text"])), Counter(words(got["text"]))
        common = sum((expected & extracted).values())
        precision, recall = common / max(1, sum(extracted.values())), common / max(1, sum(expected.values()))
        f1s.append(2 * precision * recall / (precision + recall) if common else 0.0)
        titles += (got.get("title") or "").strip() == record["title"]
        dates += (got.get("published") or "")[:10] == record["published"]
    n = len(truth)
    return {"body_f1": round(sum(f1s) / n, 4), "title_accuracy": round(titles / n, 4), "date_accuracy": round(dates / n, 4), "found": len(found)}


def veille_articles(db_path: Path) -> dict[str, dict]:
    import sqlite3

    connection = sqlite3.connect(db_path)
    rows = connection.execute("select p.url, a.title, a.text, a.published from articles a join pages p on p.id = a.page_id where a.status = 'article'")
    return {url: {"title": title, "text": text, "published": published} for url, title, text, published in rows}


def run_newsplease(python: str, truth: list[dict], work: Path) -> dict:
    """news-please over the same article URLs, in its own Python; its time, memory and articles."""
    urls = work / "urls.txt"
    urls.write_text("".join(r["url"] + "\n" for r in truth))
    out = work / "newsplease.jsonl"
    done = subprocess.run([python, str(Path(__file__).with_name("newsplease_run.py")), str(urls), str(out)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"news-please failed:\n{done.stderr[-2000:]}")
    timing = json.loads(done.stdout.strip().splitlines()[-1])
    found = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        found[record["url"]] = {"title": record["title"], "text": record["text"], "published": record["date"]}
    return {**timing, "articles_per_s": round(timing["articles"] / timing["wall_s"], 2), "quality": extraction_quality(found, truth)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="Articles in the generated web.")
    parser.add_argument("--sample", type=int, default=200, help="Articles measured for the machine's limit.")
    parser.add_argument("--report", help="Write the results as JSON here.")
    parser.add_argument("--newsplease", metavar="PYTHON", help="Also run news-please with this Python (its own venv).")
    parser.add_argument("--distributed", action="store_true", help="Also run the distributed mode (needs redis-server).")
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
        workers = os.cpu_count() or 1
        distributed = run_distributed(config, work / "distributed.db", work, workers) if args.distributed else None
        newsplease = run_newsplease(args.newsplease, truth, work) if args.newsplease else None
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
    results["end_to_end"]["quality"] = extraction_quality(veille_articles(work / "e2e.db"), truth)
    if newsplease:
        results["newsplease"] = newsplease
    if distributed:
        stored = sqlite3.connect(work / "distributed.db").execute("select count(*) from articles where status = 'article'").fetchone()[0]
        results["distributed"] = {**distributed, "articles": stored, "articles_per_s": round(stored / distributed["wall_s"], 2)}
        results["distributed"]["ratio_to_limit"] = round(results["distributed"]["articles_per_s"] / limit["limit_articles_per_s"], 3)
        # What one writer could store if it had nothing else to wait for: the ceiling of the mode.
        results["distributed"]["writer_ceiling_articles_per_s"] = round(stored / max(0.01, distributed["writer_cpu_s"]), 1)
    assert len(truth) == args.n
    print(f"N = {args.n:,}: {pages:,} article pages, {articles:,} articles, {words:,} words, {mentions:,} mentions")
    print(f"{'stage':<12}{'wall s':>9}{'CPU s':>9}{'peak RSS MB':>13}  throughput")
    print(f"{'crawl':<12}{crawl['wall_s']:>9}{crawl['cpu_s']:>9}{crawl['peak_rss_mb']:>13}  {results['crawl']['pages_per_s']} pages/s")
    print(f"{'extract':<12}{extract['wall_s']:>9}{extract['cpu_s']:>9}{extract['peak_rss_mb']:>13}  {results['extract']['articles_per_s']} articles/s")
    print(f"{'tag':<12}{tag['wall_s']:>9}{tag['cpu_s']:>9}{tag['peak_rss_mb']:>13}  {results['tag']['words_per_s']:,} words/s")
    print(f"{'end to end':<12}{end_to_end['wall_s']:>9}{end_to_end['cpu_s']:>9}{end_to_end['peak_rss_mb']:>13}  {results['end_to_end']['articles_per_s']} articles/s")
    print(f"machine limit: {limit['extract_ms_per_article']} ms extract + {limit['tag_ms_per_article']} ms tag per article on one core, "
          f"x {limit['cores']} cores = {limit['limit_articles_per_s']} articles/s; end to end = {results['end_to_end']['ratio_to_limit']:.0%} of it")
    if distributed:
        d = results["distributed"]
        print(f"{'distributed':<12}{d['wall_s']:>9}{d['cpu_s']:>9}{d['peak_rss_mb']:>13}  {d['articles_per_s']} articles/s "
              f"(1 crawler, {d['processes'] - 2} workers and the writer at once, with Redis; {d['ratio_to_limit']:.0%} of the limit)")
        print(f"{'':<12}CPU: crawler {d['crawler_cpu_s']} s, workers {d['workers_cpu_s']} s, writer {d['writer_cpu_s']} s "
              f"(one writer could store {d['writer_ceiling_articles_per_s']} articles/s)")
    quality = results["end_to_end"]["quality"]
    print(f"veille extraction: body F1 {quality['body_f1']:.3f}, titles {quality['title_accuracy']:.3f}, dates {quality['date_accuracy']:.3f}")
    if newsplease:
        q = newsplease["quality"]
        print(f"news-please (download + extraction, no entities): {newsplease['wall_s']} s wall, {newsplease['cpu_s']} s CPU, "
              f"{newsplease['peak_rss_mb']} MB, {newsplease['articles_per_s']} articles/s; body F1 {q['body_f1']:.3f}, "
              f"titles {q['title_accuracy']:.3f}, dates {q['date_accuracy']:.3f}")
    if args.report:
        Path(args.report).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
