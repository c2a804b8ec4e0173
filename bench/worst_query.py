"""The slowest queries the caps still allow, at 100,000 papers: each must answer in under 1 s.

    python bench/worst_query.py [--size N]

Queries are capped at `MAX_QUERY_CHARS` characters and `MAX_QUERY_TERMS` words and
filters (models/search/query.py). This builds (or reuses, from `bench/out/`) the
generated library of bench/generate_library.py and times, for a first page of 50 and
for `count_matches`, queries made to be slow within those caps: every word negated,
every word a typo of a long word (two edits each), short prefixes, long phrases,
every filter at once, and a query of the maximum length. The baseline is the
library's own most common query shape, two plain words, timed in the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_library import READER, TAGS, generate  # noqa: E402
from models.search import count_matches, search_ids, warm_up
from models.search.query import MAX_QUERY_CHARS, MAX_QUERY_TERMS, MAX_QUERY_WORDS, parse_query
from models.store.database import open_library

LONG_WORDS = [
    "reinforcement",
    "optimization",
    "representation",
    "generalization",
    "transformers",
    "distillation",
    "benchmarking",
    "retrieval",
    "evaluation",
    "alignment",
    "multilingual",
    "adversarial",
]
W = MAX_QUERY_WORDS
F = MAX_QUERY_TERMS


def typo(word: str) -> str:
    """Two edits away: swap two letters and drop one, so typo tolerance must search."""
    swapped = word[0] + word[2] + word[1] + word[3:]
    return swapped[:-2] + swapped[-1]


def worst_queries() -> dict[str, str]:
    words = [LONG_WORDS[i % len(LONG_WORDS)] for i in range(F)]
    filters = ["rating:2..4", "-status:read", "year:2019..2024", "has:notes", "-has:venue"]
    filters += ["-year:2020", "rating:<=4", "-status:skipped", "has:title", "-id:42"]
    filters += [f"-tag:{tag}" for tag in TAGS]  # author: and venue: count as words
    negated_filters = [f"-{f.lstrip('-')}" for f in filters[:F]]
    prefixes = [word[:3] for word in words[:W]]
    long_query = " ".join(typo(word) for word in words[: W - 1])
    long_query += " " + "x" * (MAX_QUERY_CHARS - len(long_query) - 1)
    rest = F - W
    queries = {
        "baseline: two words": "language models",
        f"{W} negated words": " ".join(f"-{word}" for word in words[:W]),
        f"{W} typos of long words": " ".join(typo(word) for word in words[:W]),
        f"{W} negated typos": " ".join(f"-{typo(word)}" for word in words[:W]),
        f"{W} three-letter prefixes": " ".join(prefixes),
        f"{W} prefixes, negated": " ".join(f"-{prefix}" for prefix in prefixes),
        f"a {F}-word phrase": '"' + " ".join(words[:F]) + '"',
        f"{F} filters": " ".join(filters[:F]),
        f"{F} negated filters": " ".join(negated_filters),
        f"{MAX_QUERY_CHARS} characters, {W} words": long_query[:MAX_QUERY_CHARS],
        f"{W} prefixes, {rest} negated filters": " ".join(prefixes + negated_filters[:rest]),
        f"{W} negated words, {rest} filters": " ".join(
            [f"-{word}" for word in words[:W]] + filters[:rest]
        ),
        f"{W} negated prefixes, {rest} negated filters": " ".join(
            [f"-{prefix}" for prefix in prefixes] + negated_filters[:rest]
        ),
    }
    for query in queries.values():
        parse_query(query)  # each is within the caps, or this raises
    return queries


def timed(library, run, query: str) -> float:
    """Seconds for one call in a fresh read session, as the app and the command line call it."""
    start = time.perf_counter()
    with library.read() as session:
        run(session, reader_id=library.reader_id, query=query)
    return time.perf_counter() - start


def first_page(session, *, reader_id: int, query: str) -> list[int]:
    return search_ids(session, reader_id=reader_id, query=query, limit=50)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    library = open_library(str(generate(args.size)), reader=READER)
    try:
        with library.read() as session:
            warm_up(session)
        print(
            f"{args.size:,} papers; caps: {MAX_QUERY_CHARS} characters, {W} words and phrases, "
            f"{F} words and filters"
        )
        print(f"{'query':<44} {'page of 50':>11} {'count':>9}")
        worst = 0.0
        for name, query in worst_queries().items():
            page = min(timed(library, first_page, query) for _ in range(3))
            count = min(timed(library, count_matches, query) for _ in range(3))
            worst = max(worst, page, count)
            print(f"{name:<44} {page * 1000:9.0f} ms {count * 1000:6.0f} ms")
        verdict = "under" if worst < 1 else "OVER"
        print(f"worst: {worst * 1000:.0f} ms ({verdict} the 1 s bound)")
    finally:
        library.close()


if __name__ == "__main__":
    main()
