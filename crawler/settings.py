"""Scrapy settings of the veille project (``scrapy crawl <spider>`` from the repository root).

Politeness settings can be overridden per configuration file: ``[crawl]`` keys are Scrapy setting
names in lower case (``download_delay = 1.0``), see ``crawler.crawl.scrapy_settings``.
"""

BOT_NAME = "veille"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = "veille/0.1 (news monitoring crawler; +https://github.com/veille-project/veille)"
ROBOTSTXT_OBEY = True

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy starts this many tasks for every response's output; an article page yields one item, a
# sitemap a list of requests: 100 (the default) cost most of the crawl's CPU time.
CONCURRENT_ITEMS = 8

DOWNLOAD_TIMEOUT = 30
# Also the limit of a body once decompressed (gzip bombs) and of a gzipped sitemap.
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
# Web pages only: a feed or sitemap linking to file:///etc/passwd must not make the crawler read it
# (nor data:, ftp:, s3: URLs); those links are recorded as failures (NotSupported).
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
# 4xx/5xx reach the spider so that they are stored with their status, not dropped.
HTTPERROR_ALLOW_ALL = True

# HonourServerDelays sees responses before RetryMiddleware (550) retries them.
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.SkipFetchedPages": 950,
    "crawler.middlewares.ConditionalSources": 951,
    "crawler.middlewares.HonourServerDelays": 560,
    "crawler.middlewares.OutletBoundaries": 40,
}
ITEM_PIPELINES = {"crawler.pipelines.StorePagesPipeline": 300}

# Where pages land, and which configuration lists the outlets (None: the bundled default).
VEILLE_DB = "veille.db"
VEILLE_CONFIG = None
VEILLE_RUN_ID = None
# Fetched pages are written at least this often (seconds): what a killed crawl can lose.
VEILLE_FLUSH_SECONDS = 2.0
# True: follow article links outside the outlets' domains; and links from public pages to
# loopback or private addresses (a local test web linked from the internet, never by default).
VEILLE_FOLLOW_OFFSITE = False
VEILLE_ALLOW_PRIVATE_LINKS = False
# True: download pages again even when the database already has them.
VEILLE_REFETCH = False

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
