"""How fast search is at 10,000 and 100,000 papers, beside a naive rapidfuzz scan.

    python bench/search_speed.py                 # 10,000 and 100,000 papers
    python bench/search_speed.py --sizes 10000
    python bench/search_speed.py --import-cost   # what the index adds to an import
    python bench/search_speed.py --import-cost --shuffled

For each generated library (see generate_library.py; cached under bench/out/) it
times a fixed set of queries, each returning its first 50 results the way the app
asks for them (a read session, `search_ids`), and prints the median and 95th
percentile per query set; then `count_matches` (the app's "N results"). In the
same run the baseline scores every paper's title and abstract against each
query's words with rapidfuzz (`partial_ratio`, texts already in memory) and keeps
the best 50; it runs once per query, as it is slow.

`--import-cost` imports 100,000 generated arXiv records into an empty library,
with the index triggers and with them dropped. The records come newest first, as
listings print them; `--shuffled` puts their dates in random order, the worst
case for the index (FTS5 inserts rowids out of order three times slower).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from generate_library import OUT, READER, generate, paper_rows
from rapidfuzz import fuzz, process, utils
from sqlalchemy import select

from models.ingest.importer import import_listing
from models.search import count_matches, search_ids, warm_up
from models.search.query import parse_query
from models.store.database import open_library
from models.store.tables import Paper

QUERIES = {
    "words": [
        "reinforcement learning",
        "language models",
        "reranking",
        "knowledge distillation",
        "unlearning benchmark",
    ],
    "typos": [
        "transfomer",
        "reinforcment learning",
        "mixtrue of experts",
        "recomendation",
        "distilation",
        "quantisation",
    ],
    "phrases": ['"mixture of experts"', '"chain of thought"', '"large language models" survey'],
    "filters": [
        "status:to-read",
        "tag:rl",
        "rating:>=4",
        "year:2024",
        "author:chen",
        "venue:KDD",
        "has:notes",
        "-has:title",
    ],
    "combined": [
        "reinforcement learning status:to-read rating:>=4",
        "unlearning year:2023..2025 -tag:survey",
        "tag:rl tag:survey",
        "language models -survey year:2025",
        "pruning has:notes",
        "llm tag:efficiency rating:>=3",
        "author:wang venue:ICML",
    ],
}
REPEATS = 5


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):7.1f} ms   p95 {percentile(values, 0.95):7.1f} ms"


def time_queries(library, queries: list[str], run) -> list[float]:
    """Milliseconds per call of `run(session, reader_id=..., query=...)` in a fresh read
    session, as the app calls it: REPEATS calls of each query after one warm-up call."""
    timings = []
    for query in queries:
        with library.read() as session:
            run(session, reader_id=library.reader_id, query=query)
        for _ in range(REPEATS):
            start = time.perf_counter()
            with library.read() as session:
                run(session, reader_id=library.reader_id, query=query)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def page(session, *, reader_id: int, query: str) -> list[int]:
    return search_ids(session, reader_id=reader_id, query=query, limit=50)


def baseline(texts: list[str], queries: list[str]) -> list[float]:
    """The naive search: rapidfuzz over every title and abstract, once per query."""
    timings = []
    for query in queries:
        words = " ".join(" ".join(term.tokens) for term in parse_query(query).words)
        if not words:
            continue  # a query of filters only has nothing to score
        start = time.perf_counter()
        process.extract(
            words, texts, scorer=fuzz.partial_ratio, processor=utils.default_process, limit=50
        )
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def bench_size(size: int) -> None:
    start = time.perf_counter()
    path = generate(size)
    print(f"\n== {size:,} papers ({path.name}, ready in {time.perf_counter() - start:.1f} s)")
    library = open_library(str(path), reader=READER)
    try:
        start = time.perf_counter()
        with library.read() as session:
            warm_up(session)
        seconds = time.perf_counter() - start
        print(f"loading the vocabulary (once per process and change): {seconds * 1000:.0f} ms")
        everything: list[float] = []
        for name, queries in QUERIES.items():
            timings = time_queries(library, queries, page)
            everything += timings
            print(f"{name:>9} ({len(queries):2} queries): {summary(timings)}")
        every_query = [query for queries in QUERIES.values() for query in queries]
        print(f"{'all':>9} ({len(every_query):2} queries): {summary(everything)}   <- pages of 50")
        counts = time_queries(library, every_query, count_matches)
        print(f"{'counts':>9} ({len(every_query):2} queries): {summary(counts)}")
        with library.read() as session:
            texts = [
                f"{t or ''} {a or ''}"
                for t, a in session.execute(select(Paper.title, Paper.abstract))
            ]
        naive = baseline(texts, every_query)
        print(
            f"{'baseline':>9} ({len(naive):2} queries): {summary(naive)}   <- rapidfuzz full scan"
        )
        ratio = statistics.median(naive) / statistics.median(everything)
        print(f"index vs baseline: {ratio:.0f}x faster (median)")
    finally:
        library.close()


def arxiv_listing(path: Path, size: int, *, shuffled: bool) -> None:
    """`size` generated papers as an arXiv listing: abstract, arXiv id, created date."""
    import random

    rows = paper_rows(size, random.Random(7))
    if shuffled:
        random.Random(8).shuffle(rows)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(f"{row['abstract']}\n\narXiv:{row['arxiv_id']}\n")
            out.write(f"Created: {row['published']:%Y-%m-%d}\n\n")


def bench_import(size: int, *, shuffled: bool) -> None:
    listing = OUT / f"listing-{size}{'-shuffled' if shuffled else ''}.txt"
    if not listing.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        arxiv_listing(listing, size, shuffled=shuffled)
    order = "dates shuffled" if shuffled else "newest first"
    print(f"\n== importing {size:,} arXiv records, {order} ({listing.name})")
    seconds = {}
    for indexed in (False, True):
        path = OUT / f"import-{'indexed' if indexed else 'plain'}.sqlite"
        for stale in OUT.glob(path.name + "*"):
            stale.unlink()
        library = open_library(str(path))
        if not indexed:
            with library.write() as session:
                for trigger in ("paper_fts_insert", "paper_fts_update", "paper_fts_delete"):
                    session.connection().exec_driver_sql(f"DROP TRIGGER {trigger}")
        start = time.perf_counter()
        summary_line = import_listing(library, listing).line()
        seconds[indexed] = time.perf_counter() - start
        library.close()
        label = "with the search index" if indexed else "without it"
        rate = size / seconds[indexed]
        counts = summary_line.split(": ", 2)[2]
        print(f"{label:>22}: {seconds[indexed]:5.1f} s  ({rate:,.0f} papers/s)  {counts}")
    print(f"index upkeep: +{(seconds[True] / seconds[False] - 1) * 100:.0f}% import time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--import-cost", action="store_true", help="time imports instead")
    parser.add_argument("--shuffled", action="store_true", help="import dates out of order")
    args = parser.parse_args()
    if args.import_cost:
        bench_import(100_000, shuffled=args.shuffled)
        return
    for size in args.sizes:
        bench_size(size)


if __name__ == "__main__":
    main()
