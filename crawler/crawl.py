"""Running the spiders from Python (``veille crawl``), one after the other in one process.

Example::

    settings = scrapy_settings(load_config(None), "veille.db", run_id=1)
    run_spiders([("feeds", {}), ("sitemaps", {})], settings)

Spiders run in sequence so that a page found by the feeds is not downloaded again by the
sitemaps (``SkipFetchedPages`` reads what the previous spider stored).
"""

from __future__ import annotations

import logging

from scrapy.crawler import AsyncCrawlerRunner
from scrapy.utils.defer import deferred_f_from_coro_f
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.log import configure_logging
from scrapy.settings import Settings
from scrapy.utils.reactor import install_reactor

from crawler.config import Config

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


def scrapy_settings(config: Config, db_path: str, run_id: int | None, refetch: bool = False, log_level: str = "WARNING"):
    """Project settings with the configuration's ``[crawl]`` overrides and veille's own keys."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for key, value in config.crawl.items():
        settings.set(key.upper(), value, priority="project")
    settings.set("VEILLE_DB", db_path, priority="cmdline")
    settings.set("VEILLE_CONFIG", config.path, priority="cmdline")
    settings.set("VEILLE_RUN_ID", run_id, priority="cmdline")
    settings.set("VEILLE_REFETCH", refetch, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    return settings


def one_line_records(factory):
    """Log records without tracebacks: failures are recorded in the database, one log line each."""

    def make_record(*args, **kwargs):
        record = factory(*args, **kwargs)
        record.exc_info = None
        record.exc_text = None
        return record

    return make_record


def run_spiders(jobs: list[tuple[str, dict]], settings) -> None:
    """Run ``(spider name, spider arguments)`` jobs one after another; returns when all are done.

    Uses Twisted's ``react``, so it can be called once per process (as Scrapy's reactor can).
    """
    from twisted.internet.task import react

    install_reactor(ASYNCIO_REACTOR)
    configure_logging(settings)
    if settings.get("LOG_LEVEL") != "DEBUG":
        logging.setLogRecordFactory(one_line_records(logging.getLogRecordFactory()))

    @deferred_f_from_coro_f
    async def main(reactor):
        runner = AsyncCrawlerRunner(settings)
        # Only Scrapy's CrawlerProcess installs the settings' DNS resolver (its cache and
        # DNS_TIMEOUT, or a test's own): without this, lookups go to Twisted's default.
        build_from_crawler(load_object(settings["TWISTED_DNS_RESOLVER"]), runner, reactor=reactor).install_on_reactor()
        for name, kwargs in jobs:
            await runner.crawl(name, **kwargs)

    try:
        react(main)
    except SystemExit as exit_:  # react() always exits; the caller goes on with the next stages
        if exit_.code:
            raise
