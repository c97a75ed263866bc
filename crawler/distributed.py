"""A crawl spread over several processes and machines, on Redis with scrapy-redis.

Three roles, any number of each except the writer::

    veille crawl  --redis redis://10.0.0.5:6379/0    # fetch: one shared frontier
    veille worker --redis redis://10.0.0.5:6379/0    # extract and tag fetched pages
    veille writer --redis redis://10.0.0.5:6379/0 --db veille.db   # the one process that writes

Crawlers share scrapy-redis' request queue and duplicate filter, so an article page is fetched by
one crawler only; they push what they fetched to a Redis list. Workers take pages from that list,
run the same extraction and tagging as ``veille extract`` / ``veille tag`` and push the results;
the writer stores them in SQLite (one writer: SQLite's rule, and batched transactions).

Nothing is lost when a process dies: whatever a process takes from a shared queue is moved, in the
same Redis command, to a lease of its own; it removes the lease once its output is pushed. Each
process keeps a heartbeat key alive; the leases of a process whose heartbeat expired are put back
in their queue by the others. Delivery is thus at least once, and storing is idempotent (upserts
keyed on the page), so every page is stored once.

Redis keys, under a prefix (``veille``, or ``--queue NAME`` to run several crawls on one server)::

    {prefix}:{spider}:requests          frontier of one spider (scrapy-redis priority queue)
    {prefix}:seen                        fingerprints of every scheduled article request
    {prefix}:{spider}:lease:{owner}      requests a crawler took and has not finished
    {prefix}:pages, {prefix}:results     fetched pages for the workers, analysed pages for the writer
    {prefix}:pages:lease:{owner}         pages a worker took; {prefix}:results:lease:writer likewise
    {prefix}:alive:{owner}               heartbeat (expires after VEILLE_LEASE_SECONDS)
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import threading
import time
import uuid
from typing import Callable, Iterator

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from crawler import store
from crawler.items import RawPage
from crawler.pipelines import StorePagesPipeline

LEASE_SECONDS = 15.0

# Take the best request of the frontier and lease it, in one step: a crawler killed between the
# two would otherwise lose it (it is in the duplicate filter, so nobody would ask for it again).
POP_AND_LEASE = """
local best = redis.call('zrange', KEYS[1], 0, 0)
if best[1] then
  redis.call('zremrangebyrank', KEYS[1], 0, 0)
  redis.call('rpush', KEYS[2], best[1])
end
return best[1]
"""


def owner_id(role: str) -> str:
    """A name no other process has: ``crawler-host-1234-5f3a``."""
    return f"{role}-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:4]}"


def connect(url: str) -> redis.Redis:
    """A Redis client, checked at once: ``connect("redis://127.0.0.1:6379/0")``."""
    client = redis.Redis.from_url(url)
    client.ping()
    return client


def settings_for(url: str, prefix: str, lease_seconds: float = LEASE_SECONDS) -> dict:
    """Scrapy settings that turn a crawler into one of many sharing the frontier at ``url``."""
    return {
        "REDIS_URL": url,
        "SCHEDULER": "crawler.distributed.LeasedScheduler",
        "SCHEDULER_PERSIST": True,  # the frontier outlives any one crawler
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:seen",
        "DUPEFILTER_CLASS": "crawler.distributed.CanonicalDupeFilter",
        "VEILLE_REDIS_PREFIX": prefix,
        "VEILLE_LEASE_SECONDS": lease_seconds,
        # The duplicate filter replaces the database lookups; crawlers have no database.
        "DOWNLOADER_MIDDLEWARES": {"crawler.middlewares.HonourServerDelays": 560, "crawler.middlewares.OutletBoundaries": 40},
        "ITEM_PIPELINES": {"crawler.distributed.PushPagesPipeline": 300},
    }


class Heartbeat:
    """A key that says a process is alive; it expires ``seconds`` after the last beat. A thread
    beats three times per period, so that long work (loading models, parsing a huge sitemap)
    does not pass for death."""

    def __init__(self, client: redis.Redis, prefix: str, owner: str, seconds: float):
        self.client, self.prefix, self.owner, self.seconds = client, prefix, owner, seconds
        self.stopped = threading.Event()

    def beat(self) -> None:
        self.client.set(f"{self.prefix}:alive:{self.owner}", b"1", px=int(self.seconds * 1000))

    def start(self) -> None:
        self.beat()

        def beat_until_stopped():
            while not self.stopped.wait(self.seconds / 3):
                try:
                    self.beat()
                except redis.RedisError:  # the main thread reports the lost server
                    pass

        threading.Thread(target=beat_until_stopped, name=f"heartbeat {self.owner}", daemon=True).start()

    def stop(self, forget: bool = True) -> None:
        """Stop beating; ``forget=False`` leaves the key to expire on its own."""
        self.stopped.set()
        if forget:
            self.client.delete(f"{self.prefix}:alive:{self.owner}")

    def alive(self) -> set[str]:
        """Owners whose heartbeat has not expired."""
        start = len(self.prefix) + len(":alive:")
        return {key.decode()[start:] for key in self.client.scan_iter(f"{self.prefix}:alive:*")}

    def leases(self, pattern: str) -> dict[str, str]:
        """``{lease key: owner}`` of the lease keys matching ``{prefix}:{pattern}:lease:*``."""
        found = {}
        for key in self.client.scan_iter(f"{self.prefix}:{pattern}:lease:*"):
            key = key.decode()
            found[key] = key.rsplit(":lease:", 1)[1]
        return found

    def claim_dead(self, pattern: str) -> Iterator[list[bytes]]:
        """The entries of each lease whose owner died, taken over by renaming the lease first, so
        that two processes never put the same lease back."""
        alive = self.alive()
        for key, owner in self.leases(pattern).items():
            if owner in alive:
                continue
            claimed = f"{key}:claimed-by:{self.owner}"
            try:
                self.client.rename(key, claimed)
            except redis.ResponseError:  # another process claimed it first
                continue
            entries = self.client.lrange(claimed, 0, -1)
            yield entries
            self.client.delete(claimed)


class CanonicalDupeFilter(RFPDupeFilter):
    """scrapy-redis' shared filter, on the canonical URL (``?utm_source=rss`` and a trailing slash
    do not make another page), like ``SkipFetchedPages`` does for a single crawler."""

    def request_fingerprint(self, request) -> str:
        return hashlib.sha1(store.url_key(request.url).encode()).hexdigest()


class LeasedScheduler(Scheduler):
    """scrapy-redis' scheduler with leases: a request taken from the frontier stays in this
    crawler's lease until the page it gave is pushed (``item_scraped``) or the crawler is idle
    (every request done). A crawler stays open while another one holds leases, and puts back
    the leases of crawlers whose heartbeat expired."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        settings = crawler.settings
        scheduler.prefix = settings.get("VEILLE_REDIS_PREFIX")
        scheduler.heartbeat = Heartbeat(
            scheduler.server, scheduler.prefix, owner_id("crawler"), settings.getfloat("VEILLE_LEASE_SECONDS")
        )
        scheduler.leased: dict[str, bytes] = {}
        crawler.signals.connect(scheduler.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider):
        super().open(spider)
        self.lease_key = f"{self.prefix}:{spider.name}:lease:{self.heartbeat.owner}"
        self.pop_and_lease = self.server.register_script(POP_AND_LEASE)
        self.heartbeat.start()
        self.put_back_dead_leases()

    def close(self, reason):
        if reason == "finished":  # every request taken was done
            self.server.delete(self.lease_key)
        # The heartbeat is left to expire: the next spider of this crawl opens in a moment, and
        # workers waiting for pages must not think the crawl is over in between.
        self.heartbeat.stop(forget=False)
        super().close(reason)

    def enqueue_request(self, request):
        # Article requests skip Scrapy's per-run filter (SkipFetchedPages does that job on one
        # machine); here the shared filter is the only one, so they go through it, except the hops
        # of a redirect chain, which must reach REDIRECT_MAX_TIMES to be recorded.
        first_hop = request.meta.get("veille_article") and not request.meta.get("redirect_urls")
        if (first_hop or not request.dont_filter) and self.df.request_seen(request):
            return False
        self.queue.push(request)
        return True

    def next_request(self):
        data = self.pop_and_lease(keys=[self.queue.key, self.lease_key])
        if data is None:
            return None
        request = self.queue._decode_request(data)
        self.leased[request.url] = data
        return request

    def item_scraped(self, item, response, spider):
        """The page is pushed: its request is done."""
        if isinstance(item, RawPage) and (data := self.leased.pop(item.url, None)):
            self.server.lrem(self.lease_key, 1, data)

    def spider_idle(self, spider):
        # Idle: every request this crawler took is done, whatever it gave (feeds, sitemaps and
        # dropped requests give no page).
        self.server.delete(self.lease_key)
        self.leased.clear()
        if self.put_back_dead_leases() or len(self.queue) or self.heartbeat.leases(spider.name):
            raise DontCloseSpider("other crawlers are still working on the shared frontier")

    def put_back_dead_leases(self) -> int:
        """Requeue the requests of crawlers that died; returns how many."""
        count = 0
        for entries in self.heartbeat.claim_dead(self.spider.name):
            for data in entries:
                self.queue.push(self.queue._decode_request(data))
                count += 1
        if count:
            self.spider.logger.warning("put back %d requests of a crawler that stopped", count)
        return count


def encode(value) -> bytes:
    """JSON for a Redis queue; bytes (compressed bodies, MinHash signatures) travel in base64."""
    return json.dumps(value, ensure_ascii=False, default=lambda b: {"base64": base64.b64encode(b).decode()}).encode()


def decode(data: bytes):
    return json.loads(data, object_hook=lambda d: base64.b64decode(d["base64"]) if d.keys() == {"base64"} else d)


class PushPagesPipeline:
    """Pushes every fetched page to the shared ``{prefix}:pages`` list, for the workers."""

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.client = connect(settings.get("REDIS_URL"))
        self.key = f"{settings.get('VEILLE_REDIS_PREFIX')}:pages"
        self.as_row = StorePagesPipeline(None, settings.getint("VEILLE_RUN_ID") or None).row

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        if isinstance(item, RawPage):
            self.client.lpush(self.key, encode(self.as_row(item, self.crawler.spider.name)))
        return item


class LeasedList:
    """A shared Redis list a process takes entries from under a lease, for workers and the writer.

    Example::

        pages = LeasedList(client, "veille", "pages", heartbeat)
        taken = pages.take(16, wait=1.0)   # moved to this process's lease
        ...                                # push what was made of them
        pages.done(taken)                  # then drop the lease
    """

    def __init__(self, client: redis.Redis, prefix: str, name: str, heartbeat: Heartbeat):
        self.client, self.heartbeat = client, heartbeat
        self.key = f"{prefix}:{name}"
        self.name = name
        self.lease_key = f"{self.key}:lease:{heartbeat.owner}"

    def take(self, count: int, wait: float) -> list[bytes]:
        """Up to ``count`` entries, waiting up to ``wait`` seconds for the first one."""
        first = self.client.blmove(self.key, self.lease_key, wait, "RIGHT", "LEFT")
        if first is None:
            return []
        taken = [first]
        while len(taken) < count and (entry := self.client.lmove(self.key, self.lease_key, "RIGHT", "LEFT")):
            taken.append(entry)
        return taken

    def done(self, entries: list[bytes]) -> None:
        with self.client.pipeline() as pipe:
            for entry in entries:
                pipe.lrem(self.lease_key, 1, entry)
            pipe.execute()

    def put_back_dead_leases(self) -> int:
        count = 0
        for entries in self.heartbeat.claim_dead(self.name):
            if entries:
                self.client.rpush(self.key, *entries)  # first in line: they were taken first
            count += len(entries)
        return count

    def __len__(self) -> int:
        return self.client.llen(self.key)


def serve_queue(
    client: redis.Redis, prefix: str, role: str, source: str, handle: Callable[[list[bytes]], None],
    batch: int, lease_seconds: float = LEASE_SECONDS, exit_when_done: bool = False, log=print,
) -> int:
    """Take entries of ``{prefix}:{source}`` ``batch`` at a time and ``handle`` them, until
    interrupted, or with ``exit_when_done`` until the list is empty and no process that could
    still feed it (crawlers, then workers) is alive. Returns how many entries were handled."""
    heartbeat = Heartbeat(client, prefix, owner_id(role), lease_seconds)
    entries = LeasedList(client, prefix, source, heartbeat)
    feeders = ("crawler",) if source == "pages" else ("crawler", "worker")
    handled = 0
    last_check = 0.0
    heartbeat.start()
    try:
        while True:
            if time.monotonic() - last_check > lease_seconds / 3:
                if put_back := entries.put_back_dead_leases():
                    log(f"put back {put_back} entries of a {role} that stopped")
                last_check = time.monotonic()
            taken = entries.take(batch, wait=1.0)
            if taken:
                handle(taken)
                entries.done(taken)
                handled += len(taken)
            elif exit_when_done and not len(entries) and not others_working(heartbeat, source, entries.lease_key, feeders):
                return handled
    except KeyboardInterrupt:  # Ctrl-C: what was taken and not done stays leased, others put it back
        return handled
    finally:
        heartbeat.stop()


def others_working(heartbeat: Heartbeat, source: str, own_lease: str, feeders: tuple[str, ...]) -> bool:
    """Whether entries of ``source`` may still come: another process holds some, or a process
    that feeds it is alive."""
    if set(heartbeat.leases(source)) - {own_lease}:
        return True
    return any(owner.startswith(feeders) for owner in heartbeat.alive())


def run_worker(client: redis.Redis, prefix: str, config, window, min_relevance: float = 0.0, batch: int = 16, **serve) -> int:
    """Extract and tag fetched pages from ``{prefix}:pages`` into ``{prefix}:results``; returns
    how many pages were done. Models load once, on the first batch."""
    from crawler.stages import ArticleJudge, analyze_pages

    judge = ArticleJudge(config, window, min_relevance)
    models = dict(config.models)

    def handle(entries: list[bytes]) -> None:
        results = analyze_pages([decode(e) for e in entries], judge, models)
        client.lpush(f"{prefix}:results", *(encode(r) for r in results))

    return serve_queue(client, prefix, "worker", "pages", handle, batch, **serve)


def run_writer(client: redis.Redis, prefix: str, db, run_id: int | None = None, batch: int = 64, **serve) -> int:
    """Store the workers' results in ``db``, one transaction per batch, until stopped; returns
    how many pages were stored. Syndicated copies are linked when the writer stops."""
    from crawler.stages import link_duplicates, store_results

    def handle(entries: list[bytes]) -> None:
        store_results(db, [decode(e) for e in entries], run_id)

    try:
        return serve_queue(client, prefix, "writer", "results", handle, batch, **serve)
    finally:
        link_duplicates(db)
