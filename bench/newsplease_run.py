"""news-please on the benchmark's web, run by news-please's own Python (its own virtual environment:
`python3 -m venv bench/.newsplease && bench/.newsplease/bin/pip install news-please`).

    bench/.newsplease/bin/python bench/newsplease_run.py urls.txt out.jsonl

Downloads and extracts every URL with ``NewsPlease.from_urls`` (its library entry point: newspaper
and readability behind it), writes one JSON line per article (url, title, text, date, authors,
language) and prints its wall and CPU time as JSON on the last line.
"""

import json
import resource
import sys
import time

from newsplease import NewsPlease


def main(urls_path: str, out_path: str, batch: int = 50) -> None:
    urls = [line.strip() for line in open(urls_path, encoding="utf-8") if line.strip()]
    started = time.perf_counter()
    written = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for first in range(0, len(urls), batch):
            found = NewsPlease.from_urls(urls[first : first + batch], request_args={"timeout": 30})
            for url, article in found.items():
                if article is None or not getattr(article, "maintext", None):
                    continue
                out.write(json.dumps({
                    "url": url, "title": article.title, "text": article.maintext,
                    "date": article.date_publish.isoformat() if article.date_publish else None,
                    "authors": article.authors or [], "language": article.language,
                }, ensure_ascii=False) + "\n")
                written += 1
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"wall_s": round(time.perf_counter() - started, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
                      "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "articles": written}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
