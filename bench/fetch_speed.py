"""Fetch speed: parse and merge an arXiv announcement feed of 2,000 items.

Generates an RSS feed in arXiv's format from the seeds' vocabulary (about 70% new,
15% cross-lists, 15% new versions of papers already in the library, half of them
with a revised abstract), then times what papershelf does with it once it has
arrived: parsing the feed, and merging it into a library of 20,000 papers in one
transaction; then, as after every import, the search index of the new papers in a
second transaction. The network is left out: a fetch is one request, and arXiv's
3 s between requests bound it. In the same run it times a baseline: the same items
merged one transaction each.

    python bench/fetch_speed.py [--items 2000] [--library 20000] [--baseline 200]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.fetch.arxiv_rss import REPLACEMENTS, parse_feed
from models.fetch.merge import Incoming, merge_incoming
from models.ingest.formats import ListingRecord
from models.ingest.merge import Merge
from models.store.database import open_library
from models.store.search_index import update_index

TARGET_SECONDS = 1.0
HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n<rss xmlns:arxiv=\"http://arxiv.org/schemas/atom\" "
    'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>'
    "<title>cs.CL+cs.LG updates on arXiv.org</title>"
    "<pubDate>Tue, 01 Dec 2026 00:00:00 -0500</pubDate>\n"
)


def vocabulary() -> list[str]:
    words: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        words += re.findall(r"[A-Za-z][A-Za-z\-]{2,}", path.read_text(encoding="utf-8"))
    return words


def old_id(number: int) -> str:
    return f"{2401 + number // 90_000 * 100 + number // 9_000 % 12}.{number % 90_000 + 10_000:05d}"


def library_records(size: int, words: list[str], rng: random.Random) -> list[ListingRecord]:
    """The papers a year of fetching leaves behind."""
    start = date(2024, 1, 1)
    return [
        ListingRecord(
            line=number + 1,
            arxiv_id=old_id(number),
            arxiv_version=1,
            title=" ".join(rng.choices(words, k=rng.randint(6, 14))).title(),
            authors=[" ".join(rng.choices(words, k=2)).title() for _ in range(4)],
            abstract=" ".join(rng.choices(words, k=rng.randint(120, 220))) + ".",
            published=start + timedelta(days=number % 600),
        )
        for number in range(size)
    ]


def generate_feed(items: int, papers: list[ListingRecord], words: list[str], rng) -> bytes:
    parts = [HEAD]
    for number in range(items):
        roll = rng.random()
        if roll < 0.15:  # a new version of a paper in the library
            old = rng.choice(papers)
            kind, identifier, version = "replace", old.arxiv_id, 2
            title, authors, abstract = old.title or "", old.authors or [], old.abstract or ""
            if rng.random() < 0.5:
                abstract += " This version adds experiments on two more datasets."
        else:
            kind, identifier, version = ("cross" if roll < 0.3 else "new"), f"2612.{number:05d}", 1
            title = " ".join(rng.choices(words, k=rng.randint(6, 14))).title()
            abstract = " ".join(rng.choices(words, k=rng.randint(120, 220))) + "."
            authors = [" ".join(rng.choices(words, k=2)).title() for _ in range(4)]
        parts.append(
            f"<item><title>{escape(title)}</title>"
            f"<link>https://arxiv.org/abs/{identifier}</link>"
            f"<description>arXiv:{identifier}v{version} Announce Type: {kind} \n"
            f"Abstract: {escape(abstract)}</description>"
            f'<guid isPermaLink="false">oai:arXiv.org:{identifier}v{version}</guid>'
            "<category>cs.CL</category><category>cs.LG</category>"
            "<pubDate>Tue, 01 Dec 2026 00:00:00 -0500</pubDate>"
            f"<arxiv:announce_type>{kind}</arxiv:announce_type>"
            f"<dc:creator>{escape(', '.join(authors))}</dc:creator></item>\n"
        )
    parts.append("</channel></rss>\n")
    return "".join(parts).encode()


def fill_library(library, records: list[ListingRecord]) -> None:
    """Import the papers in one go, and index them, as a year of fetches would have."""
    with library.write() as session:
        merge = Merge(session.connection())
        merge.add(records)
        merge.write(source="year.txt", format_name="arxiv")
    update_index(library)


def timed_index_updates() -> list[float]:
    """Time the search-index step that follows each merge's own transaction."""
    import models.fetch.merge

    spent = [0.0]
    update = models.fetch.merge.update_index

    def timed(library) -> int:
        started = time.perf_counter()
        try:
            return update(library)
        finally:
            spent[0] += time.perf_counter() - started

    models.fetch.merge.update_index = timed
    return spent


def incoming_of(feed, source: str) -> list[Incoming]:
    return [
        Incoming(item.record, item.kind, source, "arxiv-rss", item.kind in REPLACEMENTS)
        for item in feed.items
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--library", type=int, default=20_000)
    parser.add_argument("--baseline", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(20261201)
    words = vocabulary()
    papers = library_records(args.library, words, rng)
    data = generate_feed(args.items, papers, words, rng)
    source = "https://rss.arxiv.org/rss/cs.CL+cs.LG"
    with tempfile.TemporaryDirectory() as folder:
        library = open_library(str(Path(folder) / "library.sqlite"))
        fill_library(library, papers)
        indexing = timed_index_updates()
        started = time.perf_counter()
        feed = parse_feed(data)
        parsed = time.perf_counter()
        counts = merge_incoming(library, incoming_of(feed, source))
        merged = time.perf_counter()
        index_seconds, indexing[0] = indexing[0], 0.0
        again = merge_incoming(library, incoming_of(feed, source))
        again_seconds = time.perf_counter() - merged
        library.close()

        baseline_library = open_library(str(Path(folder) / "baseline.sqlite"))
        fill_library(baseline_library, papers)
        sample = incoming_of(feed, "baseline")[: args.baseline]
        baseline_started = time.perf_counter()
        for item in sample:
            merge_incoming(baseline_library, [item])
        baseline = time.perf_counter() - baseline_started
        baseline_library.close()

    parse_seconds = parsed - started
    merge_seconds = merged - parsed - index_seconds
    total = parse_seconds + merge_seconds
    print(
        f"feed of {args.items:,} items ({len(data) / 1e6:.1f} MB) into a library of "
        f"{args.library:,} papers"
    )
    print(
        f"parse {parse_seconds:.3f} s + merge {merge_seconds:.3f} s = {total:.3f} s "
        f"({counts.new} new, {counts.cross_lists} cross-lists, {counts.updated} updated); "
        f"target < {TARGET_SECONDS:.0f} s: {'ok' if total < TARGET_SECONDS else 'MISSED'}"
    )
    print(
        f"then the search index of the new papers, in its own transaction: {index_seconds:.3f} s "
        f"(parse, merge and index: {total + index_seconds:.3f} s)"
    )
    print(f"the same feed again: {again_seconds:.3f} s ({again.unchanged} unchanged)")
    per_item = baseline / len(sample)
    print(
        f"baseline, one transaction per item: {len(sample)} items in {baseline:.2f} s "
        f"(~{per_item * args.items:.1f} s for {args.items:,}); "
        f"the batch merge is {per_item * args.items / merge_seconds:.0f}x faster"
    )


if __name__ == "__main__":
    main()
