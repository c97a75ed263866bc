"""The ``veille`` command line: a thin layer over ``crawler`` and ``extract`` functions.

    veille crawl                      # feeds + sitemaps of the default outlets, then extract and tag
    veille serve                      # browse veille.db in Datasette
    veille analyze page.html          # one page → JSON on stdout
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import click

from crawler import store
from crawler.config import LANGUAGES, DateWindow, load_config
from extract import VeilleError

MAX_INPUT_BYTES = 50 * 1024 * 1024

db_option = click.option("--db", "db_path", default="veille.db", show_default=True, help="SQLite database file.")
since_option = click.option("--since", help="Only articles published on or after this day (YYYY-MM-DD).")
until_option = click.option("--until", help="Only articles published on or before this day (YYYY-MM-DD).")
redis_option = click.option("--redis", "redis_url", metavar="URL", help="Distributed mode: the Redis server all processes share, e.g. redis://10.0.0.5:6379/0.")
queue_option = click.option("--queue", default="veille", show_default=True, help="Distributed mode: name of this crawl on the Redis server (its keys' prefix).")
lease_option = click.option("--lease-seconds", type=click.FloatRange(1, 3600), default=15.0, show_default=True, help="Distributed mode: a process silent this long is taken for dead and its work put back.")
config_option = click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration TOML (default: the bundled outlets).")


class VeilleGroup(click.Group):
    """Turns the errors a user can fix (bad config, missing model, unwritable database) into
    one line on stderr and exit status 1, for every command."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except VeilleError as exc:
            raise click.ClickException(str(exc)) from None
        except sqlite3.Error as exc:
            raise click.ClickException(f"database error: {exc}") from None


@click.group(cls=VeilleGroup)
@click.version_option(package_name="veille")
def cli():
    """veille: crawl French and English news, extract articles, tag people, organisations and dates."""


@cli.command()
@db_option
@config_option
@click.option("--spider", "spiders", multiple=True, type=click.Choice(["feeds", "sitemaps", "site"]), help="Discovery to run (repeatable; default: feeds, sitemaps, then site for outlets with start_urls).")
@click.option("--outlet", "outlets", multiple=True, help="Only these outlet ids (repeatable).")
@click.option("--urls", "url_file", type=click.Path(exists=True, dir_okay=False), help="Fetch the URLs listed in this file instead.")
@click.option("--warc", "warc_file", type=click.Path(exists=True, dir_okay=False), help="Read the pages archived in this WARC / WARC.gz file instead.")
@click.option("--refetch", is_flag=True, help="Download pages again even if already stored.")
@since_option
@until_option
@click.option("--min-relevance", type=click.FloatRange(0, 1), default=0.0, show_default=True, help="Articles scoring less are kept as 'irrelevant' and not tagged.")
@click.option("--no-extract", is_flag=True, help="Only fetch pages.")
@click.option("--no-tag", is_flag=True, help="Fetch and extract, do not tag entities.")
@click.option("--workers", type=click.IntRange(1, 64), help="Extraction processes (default: one per core).")
@click.option("-v", "--verbose", is_flag=True, help="Scrapy's log at INFO level.")
@redis_option
@queue_option
@lease_option
def crawl(db_path, config_path, spiders, outlets, url_file, warc_file, refetch, since, until, min_relevance, no_extract, no_tag, workers, verbose, redis_url, queue, lease_seconds):
    """Fetch the outlets' feeds and sitemaps into DB, then extract and tag what is new.

    \b
    Example:
        veille crawl --outlet numerama --outlet theverge
        veille crawl --urls urls.txt --outlet my-outlet
        veille crawl --warc captures.warc.gz --outlet my-outlet
        veille crawl --since 2024-01-01 --until 2024-06-30
        veille crawl --redis redis://10.0.0.5:6379/0   # one of several crawlers (see veille worker)
    """
    config = load_config(config_path)
    window = DateWindow(since, until)
    if url_file and warc_file:
        raise click.ClickException("--urls and --warc are two different sources: give one")
    if url_file or warc_file:
        spider, source = ("urls", url_file) if url_file else ("warc", warc_file)
        jobs = [(spider, {"file": source, "outlet": outlets[0] if outlets else None})]
    else:
        for outlet in outlets:
            config.outlet(outlet)  # unknown ids fail before anything runs
        window_args = {"since": since or "", "until": until or ""}
        jobs = [(name, {"outlets": ",".join(outlets), **window_args}) for name in (spiders or ("feeds", "sitemaps", "site"))]
    if redis_url:
        crawl_distributed(config, jobs, redis_url, queue, lease_seconds, verbose)
        return
    arguments = {
        "config": config.path, "spiders": spiders, "outlets": outlets, "urls": url_file, "warc": warc_file,
        "refetch": refetch, "since": since, "until": until, "min_relevance": min_relevance,
    }
    run_and_process(
        db_path, config, jobs, arguments, refetch=refetch, window=window, no_extract=no_extract, no_tag=no_tag,
        workers=workers, verbose=verbose, min_relevance=min_relevance,
    )


def crawl_distributed(config, jobs, redis_url, queue, lease_seconds, verbose) -> None:
    """Run the spider jobs as one crawler of many sharing the frontier on Redis; pages go to the workers."""
    from crawler.crawl import run_spiders, scrapy_settings
    from crawler.distributed import settings_for

    client = redis_client(redis_url)
    started, before = time.monotonic(), client.llen(f"{queue}:pages")
    settings = scrapy_settings(config, None, None, log_level="INFO" if verbose else "WARNING")
    settings.setdict(settings_for(redis_url, queue, lease_seconds), priority="cmdline")
    run_spiders(jobs, settings)
    click.echo(f"crawled in {time.monotonic() - started:.1f}s; {client.llen(f'{queue}:pages')} pages wait for workers (were {before})")


def redis_client(url: str):
    """A connected Redis client, or a one-line error."""
    import redis

    from crawler.distributed import connect

    try:
        return connect(url)
    except (redis.RedisError, ValueError) as exc:
        raise click.ClickException(f"cannot reach Redis at {url}: {exc}") from None


@cli.command()
@config_option
@redis_option
@queue_option
@lease_option
@since_option
@until_option
@click.option("--min-relevance", type=click.FloatRange(0, 1), default=0.0, show_default=True, help="Articles scoring less are kept as 'irrelevant' and not tagged.")
@click.option("--exit-when-done", is_flag=True, help="Stop once no page is left and no crawler is running (default: wait for more).")
def worker(config_path, redis_url, queue, lease_seconds, since, until, min_relevance, exit_when_done):
    """Distributed mode: extract and tag the pages crawlers fetched (one process per core).

    \b
    Example:
        veille worker --redis redis://10.0.0.5:6379/0
    """
    from crawler.distributed import run_worker

    if not redis_url:
        raise click.UsageError("--redis is required")
    client = redis_client(redis_url)
    done = run_worker(
        client, queue, load_config(config_path), DateWindow(since, until), min_relevance,
        lease_seconds=lease_seconds, exit_when_done=exit_when_done, log=click.echo,
    )
    click.echo(f"analysed {done} pages")


@cli.command()
@db_option
@redis_option
@queue_option
@lease_option
@click.option("--exit-when-done", is_flag=True, help="Stop once no result is left and no crawler or worker is running.")
def writer(db_path, redis_url, queue, lease_seconds, exit_when_done):
    """Distributed mode: store the workers' results in DB (run exactly one).

    \b
    Example:
        veille writer --redis redis://10.0.0.5:6379/0 --db veille.db
    """
    from crawler.distributed import run_writer

    if not redis_url:
        raise click.UsageError("--redis is required")
    client = redis_client(redis_url)
    db = open_database(db_path)
    run_id = store.start_run(db, "writer", {"redis": redis_url, "queue": queue})
    done = run_writer(client, queue, db, run_id, lease_seconds=lease_seconds, exit_when_done=exit_when_done, log=click.echo)
    store.finish_run(db, run_id, pages_fetched=done)
    click.echo(f"stored {done} pages")


def run_and_process(
    db_path, config, jobs, arguments, *, refetch=False, window=DateWindow(), no_extract=False, no_tag=False,
    workers=None, verbose=False, min_relevance=0.0,
):
    """Run the spider jobs into the database, then extract and tag what is new; one ``runs`` row."""
    from crawler.crawl import run_spiders, scrapy_settings
    from crawler.stages import analyze_articles, extract_pages

    db = open_database(db_path)
    run_id = store.start_run(db, "crawl", arguments)
    started = time.monotonic()
    run_spiders(jobs, scrapy_settings(config, db_path, run_id, refetch, "INFO" if verbose else "WARNING"))
    from crawler.pipelines import StorePagesPipeline

    if StorePagesPipeline.failure:  # the database refused pages (disk full, read-only): the crawl stopped
        raise click.ClickException(StorePagesPipeline.failure)
    fetched = db.execute("select count(*), sum(fetch_status != 'ok') from pages where run_id = ?", [run_id]).fetchone()
    click.echo(f"fetched {fetched[0]} pages ({fetched[1] or 0} failed or skipped) in {time.monotonic() - started:.1f}s")
    extracted = tagged = 0
    if not no_extract:
        extracted = extract_pages(db, config, workers=workers, window=window, min_relevance=min_relevance)
        click.echo(f"extracted {extracted} pages")
        if not no_tag:
            tagged = analyze_articles(db, config)
            click.echo(f"tagged {tagged} mentions")
    store.finish_run(db, run_id, pages_fetched=fetched[0], pages_failed=fetched[1] or 0, articles=extracted, mentions=tagged)


@cli.command()
@db_option
@config_option
@click.argument("source", type=click.Choice(["wayback", "commoncrawl"]))
@click.argument("domain")
@click.option("--outlet", help="Outlet id the captures belong to (default: the domain).")
@click.option("--collection", help="Common Crawl collection, e.g. CC-MAIN-2024-10 (commoncrawl only).")
@click.option("--limit", type=click.IntRange(1, 100_000), default=1000, show_default=True, help="Captures at most.")
@click.option("--endpoint", help="Archive API base URL (default: the public service).")
@click.option("--data-endpoint", help="Common Crawl data base URL (default: the public service).")
@since_option
@until_option
@click.option("--no-tag", is_flag=True, help="Fetch and extract, do not tag entities.")
@click.option("-v", "--verbose", is_flag=True, help="Scrapy's log at INFO level.")
def archive(db_path, config_path, source, domain, outlet, collection, limit, endpoint, data_endpoint, since, until, no_tag, verbose):
    """Fetch archived captures of a domain (Wayback Machine or Common Crawl), then extract and tag.

    \b
    Example:
        veille archive wayback lemonde.fr --outlet lemonde-pixels --since 2021-01-01 --until 2021-01-31
        veille archive commoncrawl numerama.com --collection CC-MAIN-2024-10 --outlet numerama
    """
    config = load_config(config_path)
    window = DateWindow(since, until)
    if source == "commoncrawl" and not collection:
        raise click.ClickException("commoncrawl needs --collection, e.g. CC-MAIN-2024-10")
    kwargs = {
        "source": source, "domain": domain, "outlet": outlet or domain, "collection": collection, "limit": str(limit),
        "endpoint": endpoint, "data_endpoint": data_endpoint, "since": since or "", "until": until or "",
    }
    arguments = {"config": config.path, "archive": source, "domain": domain, "collection": collection, "since": since, "until": until}
    run_and_process(db_path, config, [("archive", kwargs)], arguments, window=window, no_tag=no_tag, verbose=verbose)


def open_database(db_path: str):
    """The database at ``db_path`` (created when missing), with the path in the error if SQLite refuses."""
    try:
        return store.open_db(db_path)
    except sqlite3.Error as exc:
        raise click.ClickException(f"cannot open database {db_path}: {exc}") from None


@cli.command()
@db_option
@config_option
@click.option("--redo", is_flag=True, help="Extract every page again, not only new ones.")
@click.option("--workers", type=click.IntRange(1, 64), help="Extraction processes (default: one per core).")
@since_option
@until_option
def extract(db_path, config_path, redo, workers, since, until):
    """Turn stored pages into articles (body, title, authors, date, language, relevance)."""
    from crawler.stages import extract_pages

    config = load_config(config_path)
    window = DateWindow(since, until)
    db = open_database(db_path)
    run_id = store.start_run(db, "extract", {"redo": redo, "since": since, "until": until})
    done = extract_pages(db, config, redo=redo, workers=workers, window=window)
    store.finish_run(db, run_id, articles=done)
    click.echo(f"extracted {done} pages")


@cli.command()
@db_option
@config_option
@click.option("--redo", is_flag=True, help="Tag every article again (e.g. after a model upgrade).")
def tag(db_path, config_path, redo):
    """Tag people, organisations and dates in stored articles."""
    from crawler.stages import analyze_articles

    config = load_config(config_path)
    db = open_database(db_path)
    run_id = store.start_run(db, "tag", {"redo": redo})
    done = analyze_articles(db, config, redo=redo)
    store.finish_run(db, run_id, mentions=done)
    click.echo(f"tagged {done} mentions")


def read_input(source: str, as_text: bool) -> bytes:
    """Bytes of a file, of ``-`` (stdin) or of an http(s) URL; raises ClickException on failure."""
    try:
        if source == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        elif source.startswith(("http://", "https://")):
            request = urllib.request.Request(source, headers={"User-Agent": "veille-analyze/0.1"})
            with urllib.request.urlopen(request, timeout=30) as response:
                data = response.read(MAX_INPUT_BYTES + 1)
        else:
            with open(source, "rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise click.ClickException(f"no such file: {source}") from None
    except IsADirectoryError:
        raise click.ClickException(f"is a directory, not a page: {source}") from None
    except urllib.error.HTTPError as exc:
        raise click.ClickException(f"cannot read {source}: HTTP {exc.code} {exc.reason}") from None
    except OSError as exc:  # unreadable file, refused connection, DNS failure...
        raise click.ClickException(f"cannot read {source}: {getattr(exc, 'reason', None) or exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise click.ClickException(f"{source} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    if b"\x00" in data[:8192]:
        raise click.ClickException(f"{source} looks binary, not {'text' if as_text else 'HTML'}")
    return data


def analyze_one(data: bytes | str, as_text: bool, url, lang, published=None) -> dict:
    from extract.analyze import analyze_html, analyze_text

    if as_text:
        text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
        return analyze_text(text, lang=lang, published=published, url=url)
    return analyze_html(data, url=url, lang=lang, published=published)


@cli.command()
@click.argument("source", default="-")
@click.option("--url", help="URL of the page (for relative links and metadata).")
@click.option("--lang", help="Language, fr or en (default: detected).")
@click.option("--text", "as_text", is_flag=True, help="Input is plain text, not HTML.")
@click.option("--jsonl", is_flag=True, help='Read JSON lines {"id", "html"|"text", "url", "lang", "published"} from stdin.')
def analyze(source, url, lang, as_text, jsonl):
    """Analyze one page (PATH, URL or - for stdin) and print one JSON object.

    \b
    Output: {"url", "title", "language", "published", "authors", "text",
             "entities": [{"label", "text", "name", "start", "end", "value"}]}
    Example:
        veille analyze article.html --url https://example.org/a.html
        echo "Gab et Parler..." | veille analyze --text --lang fr
    """
    if lang not in (None, *LANGUAGES):
        raise click.ClickException(f"unknown language {lang!r} (expected one of: {', '.join(LANGUAGES)})")
    if jsonl:
        analyze_lines(sys.stdin)
        return
    data = read_input(source, as_text)
    result = analyze_one(data, as_text, url or (source if source.startswith("http") else None), lang)
    click.echo(json.dumps(result, ensure_ascii=False))


def analyze_lines(lines) -> None:
    """``--jsonl``: one result line per input line; a bad line gets an ``error`` line, not a stop."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        item = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not (item.get("html") or item.get("text")):
                raise ValueError('each line needs "html" or "text"')
            if item.get("lang") not in (None, *LANGUAGES):
                raise ValueError(f"unknown language {item['lang']!r}")
            as_text = not item.get("html")
            result = analyze_one(item.get("html") or item["text"], as_text, item.get("url"), item.get("lang"), item.get("published"))
            result = {"id": item.get("id"), **result}
        except ValueError as exc:
            result = {"id": item.get("id") if isinstance(item, dict) else None, "error": f"line {number}: {exc}"}
        click.echo(json.dumps(result, ensure_ascii=False))
        sys.stdout.flush()


@cli.command()
@db_option
@click.option("--min-relevance", type=click.FloatRange(0, 1), default=0.0, show_default=True, help="Only count articles at least this relevant.")
@click.option("--top", type=click.IntRange(1, 100), default=10, show_default=True)
def summary(db_path, min_relevance, top):
    """Articles per language and outlet, and the most mentioned people, organisations and dates."""
    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path} (run veille crawl first)")
    from crawler.report import summary_text

    click.echo(summary_text(open_database(db_path), min_relevance, top))


@cli.command()
@db_option
@click.option("-p", "--port", default=8001, show_default=True)
@click.option("-h", "--host", default="127.0.0.1", show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open a browser.")
@click.option("--reviewer", is_flag=True, help="Print a sign-in link: signed in, you can record review decisions.")
def serve(db_path, port, host, open_browser, reviewer):
    """Browse the database in Datasette, with veille's metadata, facets, queries and article pages.

    Anonymous visitors only read. With --reviewer, Datasette prints a one-time link that signs you
    in (as "root"); the review queries (mark a mention wrong, relabel it, merge two entities, mark
    an article irrelevant) then accept your decisions.
    """
    from crawler.browse import SETTINGS, TEMPLATES, datasette_metadata

    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path} (run veille crawl first)")
    open_database(db_path)  # migrated before Datasette opens it
    metadata = Path(tempfile.mkdtemp()) / "metadata.json"
    metadata.write_text(json.dumps(datasette_metadata(db_path)))
    command = [
        sys.executable, "-m", "datasette", "serve", db_path, "--metadata", str(metadata),
        "--template-dir", str(TEMPLATES), "-p", str(port), "-h", host,
    ]
    for name, value in SETTINGS.items():
        command += ["--setting", name, "off" if value is False else str(value)]
    if open_browser:
        command.append("-o")
    if reviewer:
        command.append("--root")
    sys.stdout.flush()
    os.execv(sys.executable, command)  # Datasette takes this process over: stopping it stops the server


GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold"
BASELINES = {
    "plain sm": {"fr": "fr_core_news_sm", "en": "en_core_web_sm"},
    "plain md": {"fr": "fr_core_news_md", "en": "en_core_web_sm"},
}


@cli.command()
@click.argument("kind", type=click.Choice(["articles", "entities", "mentions"]))
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-", show_default=True, help="File to write ('-': standard output).")
@since_option
@until_option
@click.option("--outlet", multiple=True, help="Only these outlets (repeatable).")
@click.option("--language", multiple=True, help="Only these languages, e.g. fr (repeatable).")
@click.option("--label", multiple=True, type=click.Choice(["PERSON", "ORG", "DATE", "LOC", "MISC"]), help="Entities and mentions: only these labels (repeatable).")
@click.option("--min-relevance", type=click.FloatRange(0, 1), help="Only articles at least this relevant.")
@click.option("--include-irrelevant", is_flag=True, help="Keep the articles a reviewer marked irrelevant.")
def export(kind, db_path, fmt, output, since, until, outlet, language, label, min_relevance, include_irrelevant):
    """Write articles, entities or mentions as JSON lines or CSV, streaming, for other programs.
    Each JSON line follows crawler/schemas/<kind>.v1.schema.json.

    \b
    Example:
        veille export entities --label ORG --language fr --since 2024-01-01 -o orgs.jsonl
        veille export mentions --format csv --outlet numerama > mentions.csv
    """
    from crawler.records import export as write_records

    if label and kind == "articles":
        raise click.UsageError("--label applies to entities and mentions")
    if not Path(db_path).is_file():
        raise click.ClickException(f"no database at {db_path} (run veille crawl first)")
    window = DateWindow(since, until)
    open_database(db_path)  # migrated to the schema the export reads
    filters = dict(since=window.since, until=window.until, outlet=outlet, language=language,
                   min_relevance=min_relevance, include_irrelevant=include_irrelevant)
    if kind != "articles":
        filters["label"] = label
    try:
        target = contextlib.nullcontext(sys.stdout) if output == "-" else open(output, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    with target as out:
        count = write_records(db_path, kind, out, fmt, **filters)
    click.echo(f"exported {count} {kind}", err=True)


@cli.command(name="eval")
@click.argument("what", type=click.Choice(["entities", "extraction"]), default="entities")
@click.option("--gold", "gold_dir", default=str(GOLD), show_default=True, type=click.Path(exists=True, file_okay=False), help="Gold set folder (with dev/ and test/).")
@click.option("--split", type=click.Choice(["dev", "test", "fresh", "all", "demo", "dev-extra"]), default="test", show_default=True, help="Entities: dev, test, fresh or all; extraction: dev, test, all, demo (the demo web), fresh (pages labelled after the rules were written) or dev-extra (more pages to develop on).")
@click.option("--baselines", is_flag=True, help="Also score the plain spaCy models (extraction: trafilatura's defaults).")
@click.option("--errors", "show_errors", is_flag=True, help="List every missed, false and wrongly dated mention.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), help="Write the scores as JSON here.")
@click.option("--check", "floors_path", type=click.Path(exists=True, dir_okay=False), help="Exit 1 when a score is under the floors of this JSON file.")
@click.option("--model", "model_choices", multiple=True, metavar="LANG=PACKAGE", help="Use another spaCy package, e.g. fr=fr_core_news_sm.")
def evaluate_command(what, gold_dir, split, baselines, show_errors, report_path, floors_path, model_choices):
    """Score people, organisations and dates against the hand-annotated gold set; with
    ``extraction``, body text and metadata against the real pages of tests/eval/extraction.

    
    Example:
        veille eval --split dev --errors     # while improving rules (never tune on test)
        veille eval --baselines --report eval-report.json
        veille eval extraction --split dev --baselines --errors
    """
    if what == "extraction":
        evaluate_extraction_command(split, baselines, show_errors, report_path, floors_path)
        return
    from extract.evaluation import below_floors, evaluate, format_report
    from extract.gold import load_gold
    from extract.nlp import resolve_model_name

    models = dict(choice.split("=", 1) for choice in model_choices if "=" in choice)
    if len(models) != len(model_choices):
        raise click.ClickException("--model takes LANG=PACKAGE, e.g. fr=fr_core_news_sm")
    folder = Path(gold_dir) if split == "all" else Path(gold_dir) / split
    articles = load_gold(folder) if folder.is_dir() else []
    if not articles:
        raise click.ClickException(f"no gold articles in {folder}")
    reports = {}
    if baselines:
        for name, models in BASELINES.items():
            plain = {lang: resolve_model_name(lang, models) for lang in models}
            reports[name] = evaluate(articles, plain=plain)
    reports["veille"] = evaluate(articles, models=models or None)
    for name, report in reports.items():
        click.echo(format_report(report, f"== {name} ({split}) =="))
        click.echo()
    if show_errors:
        for error in reports["veille"]["errors"]:
            click.echo(json.dumps(error, ensure_ascii=False))
    if report_path:
        Path(report_path).write_text(json.dumps({"split": split, "reports": reports}, ensure_ascii=False, indent=1))
    if floors_path:
        failures = below_floors(reports["veille"], json.loads(Path(floors_path).read_text()))
        for failure in failures:
            click.echo(f"below floor: {failure}", err=True)
        if failures:
            raise SystemExit(1)


def evaluate_extraction_command(split, baselines, show_errors, report_path, floors_path) -> None:
    from extract.extraction_eval import EXTRACTORS, check_floors, evaluate_extraction, field_matches, format_extraction_report, load_pages

    pages = load_pages(split=split)
    extractors = EXTRACTORS if baselines else {"veille": EXTRACTORS["veille"]}
    report = evaluate_extraction(pages, extractors, keep_pages=show_errors)
    click.echo(format_extraction_report(report))
    if show_errors:
        by_key = {p.key: p for p in pages}
        for key, found in report["extractors"]["veille"]["per_page"].items():
            page = by_key[key]
            _, missed, leaked = found["counts"]
            wrong = {f: [found[f], page.labels[f]] for f in ("title", "authors", "published", "language")
                     if page.labels and not field_matches(f, found[f], page.labels[f])}
            if missed or leaked or wrong:
                click.echo(json.dumps({"page": key, "missed": missed, "leaked": leaked, "metadata": wrong}, ensure_ascii=False))
    if report_path:
        for result in report["extractors"].values():
            result.pop("per_page", None)
        Path(report_path).write_text(json.dumps({"split": split, **report}, ensure_ascii=False, indent=1))
    if floors_path:
        floors = json.loads(Path(floors_path).read_text())
        failures = check_floors(report, floors.get(split, {}))
        for failure in failures:
            click.echo(f"below floor: {failure}", err=True)
        if failures:
            raise SystemExit(1)


@cli.command()
@click.argument("home_url")
def discover(home_url):
    """Find an outlet's feeds (from its home page) and sitemaps (from robots.txt), printed as an
    [[outlets]] block for the configuration file.

    \b
    Example:
        veille discover https://www.numerama.com/ >> my-topic.toml
    """
    from crawler.discover import discover_outlet, outlet_toml

    if not home_url.startswith(("http://", "https://")):
        raise click.ClickException(f"not an http(s) URL: {home_url}")
    home = read_input(home_url, as_text=False)
    try:
        robots = read_input(urllib.parse.urljoin(home_url, "/robots.txt"), as_text=True)
    except click.ClickException:  # no robots.txt: no sitemaps announced
        robots = None
    outlet = discover_outlet(home, home_url, robots)
    if not outlet["feeds"] and not outlet["sitemaps"]:
        click.echo(f"# no feed or sitemap announced by {home_url}", err=True)
    click.echo(outlet_toml(outlet))


@cli.command()
@config_option
def outlets(config_path):
    """List the configured outlets and their feeds and sitemaps."""
    config = load_config(config_path)
    for outlet in config.outlets:
        click.echo(f"{outlet.id}\t{outlet.language}\t{outlet.name}")
        for url in outlet.feeds + outlet.sitemaps:
            click.echo(f"\t\t{url}")


@cli.command()
@db_option
@click.option("--site", default="tests/site", show_default=True, type=click.Path(exists=True, file_okay=False), help="Demo web to serve.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="Port of the demo web (fixed, so that a second run finds the same URLs).")
@click.pass_context
def demo(ctx, db_path, site, port):
    """Serve the bundled demo news web on 127.0.0.1, crawl it into DB and print a summary.

    Running it again adds nothing: same URLs, pages already stored, feeds not modified.
    """
    from crawler.demo import demo_config, serve_site

    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        try:
            base_url = stack.enter_context(serve_site(site, port=port))
        except OSError as exc:
            raise click.ClickException(f"cannot serve the demo web on 127.0.0.1:{port} ({exc.strerror}): pass --port") from None
        config_path = demo_config(site, base_url, Path(stack.enter_context(tempfile.TemporaryDirectory())) / "veille.toml")
        click.echo(f"demo web served at {base_url}")
        ctx.invoke(crawl, db_path=db_path, config_path=str(config_path))
    from crawler.report import summary_text

    click.echo(summary_text(open_database(db_path), 0.0, 5))
    click.echo(f"demo finished in {time.monotonic() - started:.1f}s")
    click.echo(f"browse it: .venv/bin/veille serve --db {db_path}   (then open http://127.0.0.1:8001)")


def main():
    cli()


if __name__ == "__main__":
    main()
