"""Author extraction on synthetic pages that print bylines as common CMSs and publishers do
(tests/eval/bylines/, see its README): each set stays above its floor."""

import gzip
import json
from pathlib import Path

import pytest

from extract.body import extract_article
from extract.extraction_eval import field_matches

BYLINES = Path(__file__).parent / "eval" / "bylines"
# Right pages per set when the floors were set, minus two.
FLOORS = {"set1": 58, "set2": 57, "set3": 61}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_bylines_as_cmss_print_them_are_read(name):
    cases = json.loads(gzip.decompress((BYLINES / f"{name}.json.gz").read_bytes()))
    wrong = [(c["name"], c["expected"], got) for c in cases if not field_matches("authors", got := extract_article(c["html"].encode(), c["url"])["authors"], c["expected"])]
    right = len(cases) - len(wrong)
    assert right >= FLOORS[name], f"{name}: {right}/{len(cases)} right; wrong: {wrong}"
