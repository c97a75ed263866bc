"""Plain-text summaries of a database (``veille summary``, ``veille demo``)."""

from __future__ import annotations

from crawler import store


def summary_text(db, min_relevance: float = 0.0, top: int = 10) -> str:
    """Articles per language and outlet, then the top people, organisations and dates."""
    lines = []
    c = store.counts(db)
    failed = db.execute("select fetch_status, count(*) from pages where fetch_status != 'ok' group by 1 order by 1").fetchall()
    lines.append(f"pages: {c['pages']} ({', '.join(f'{n} {s}' for s, n in failed) or 'no failure'})")
    status = db.execute("select status, count(*) from articles group by 1 order by 1").fetchall()
    lines.append(f"extracted: {', '.join(f'{n} {s}' for s, n in status) or 'nothing'}; entities: {c['entities']}, mentions: {c['mentions']}")
    copies = db.execute("select duplicate_reason, count(*) from articles where duplicate_of is not null group by 1 order by 1").fetchall()
    lines.append(f"syndicated copies linked to their original: {', '.join(f'{n} by {r}' for r, n in copies) or 'none'}")
    where = "a.status = 'article' and a.duplicate_of is null and coalesce(a.relevance, 0) >= ?"
    lines.append(f"\noriginal articles (relevance >= {min_relevance}) per language and outlet:")
    for lang, outlet, n in db.execute(
        f"select a.language, a.outlet, count(*) from articles a where {where} group by 1, 2 order by 1, 2", [min_relevance]
    ):
        lines.append(f"  {lang or '?':3} {outlet or '?':24} {n}")
    for label, title in (("PERSON", "people"), ("ORG", "organisations"), ("DATE", "dates")):
        rows = db.execute(
            f"""select e.name, count(*) as n, count(distinct m.article_id) as articles
                from mentions m join entities e on e.id = m.entity_id join articles a on a.page_id = m.article_id
                where m.label = ? and {where} group by e.id order by n desc, e.name limit ?""",
            [label, min_relevance, top],
        ).fetchall()
        lines.append(f"\ntop {title}:")
        lines.extend(f"  {n:4} mentions in {k:3} articles  {name}" for name, n, k in rows)
    return "\n".join(lines)
