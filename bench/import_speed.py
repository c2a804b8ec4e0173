"""Import speed: 100,000 arXiv-style records with duplicate detection on.

Generates an arXiv listing from the seeds' vocabulary (with a share of records that
repeat an id, and a Hugging Face page whose titles come in case and punctuation
variants), imports it into a fresh library, and prints the time and papers per
second. In the same run it times a naive baseline: the first 5,000 records inserted
one ORM object at a time, each after a query for its duplicate, each committed.

    python bench/import_speed.py [--records 100000] [--baseline 5000]
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, select  # noqa: E402

from models.core.keys import abstract_key, title_key
from models.core.times import utcnow
from models.ingest.importer import import_listing
from models.store.database import open_library
from models.store.tables import Paper

TARGET_SECONDS = 10.0
COMMENTS = ["ICML 2024", "16 pages, 10 figures", "Accepted by KDD 2024", "Under review",
            "ACL2024 Findings", "5 figures, 6 pages"]  # fmt: skip


def vocabulary() -> list[str]:
    words: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        words += re.findall(r"[A-Za-z][A-Za-z\-]{2,}", path.read_text(encoding="utf-8"))
    return words


def generate_arxiv(count: int, words: list[str], rng: random.Random) -> tuple[str, int]:
    """An arXiv listing of `count` records; about 5% repeat an earlier id (a new version)."""
    records: list[str] = []
    ids: list[str] = []
    start = date(2023, 1, 1)
    for number in range(count):
        if ids and rng.random() < 0.05:
            identifier = rng.choice(ids) + f"v{rng.randint(2, 4)}"
        else:
            month = 2301 + (number // 90000) * 100 + (number // 9000) % 12
            identifier = f"{month}.{number % 90000 + 10000:05d}"
            ids.append(identifier)
        abstract = " ".join(rng.choices(words, k=rng.randint(90, 180))) + "."
        parts = [abstract]
        if rng.random() < 0.4:
            parts.append(rng.choice(COMMENTS))
        created = start + timedelta(days=number % 700)
        parts.append(f"arXiv:{identifier}\nCreated: {created.isoformat()}")
        records.append("\n\n".join(parts))
    return "\n\n".join(records) + "\n", len(set(ids))


def generate_hf_page(count: int, words: list[str], rng: random.Random) -> tuple[str, int]:
    """A Hugging Face page whose titles repeat in variants (case, punctuation, spaces)."""
    blocks = ["Daily Papers", "byAK and the research community"]
    titles: list[str] = []
    for _ in range(count):
        if titles and rng.random() < 0.3:
            base = rng.choice(titles)
            title = rng.choice([base.upper(), base.lower(), base.replace(" ", "  ") + "."])
        else:
            title = " ".join(rng.choices(words, k=rng.randint(5, 12))).title()
            titles.append(title)
        abstract = " ".join(rng.choices(words, k=rng.randint(90, 180))) + "."
        blocks += [
            title,
            abstract,
            f"  • {rng.randint(1, 20)} authors\n·\nMar {rng.randint(1, 28)}",
        ]
    return "\n\n".join(blocks) + "\n", len({title_key(t) for t in titles})


def naive_insert(records: list[tuple[str, str]], path: Path) -> float:
    """One ORM object per record, a duplicate query before each, a commit after each."""
    library = open_library(str(path))
    started = time.perf_counter()
    with Session(library.engine) as session:
        for identifier, abstract in records:
            arxiv_id = identifier.split("v")[0]
            if session.exec(select(Paper).where(Paper.arxiv_id == arxiv_id)).first():
                continue
            now = utcnow()
            session.add(
                Paper(
                    arxiv_id=arxiv_id,
                    abstract=abstract,
                    abstract_key=abstract_key(abstract),
                    added_at=now,
                    updated_at=now,
                )
            )
            session.commit()
    elapsed = time.perf_counter() - started
    library.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--titles", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=5_000)
    args = parser.parse_args()
    rng = random.Random(20261123)
    words = vocabulary()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        listing, unique = generate_arxiv(args.records, words, rng)
        (work / "listing.txt").write_text(listing, encoding="utf-8")
        page, unique_titles = generate_hf_page(args.titles, words, rng)
        (work / "page.txt").write_text(page, encoding="utf-8")
        print(
            f"generated {args.records:,} arXiv records ({unique:,} distinct ids), "
            f"{len(listing) / 1e6:.0f} MB; {args.titles:,} titled records "
            f"({unique_titles:,} distinct titles)"
        )

        library = open_library(str(work / "library.sqlite"))
        started = time.perf_counter()
        summary = import_listing(library, work / "listing.txt")
        imported = time.perf_counter() - started
        again_started = time.perf_counter()
        again = import_listing(library, work / "listing.txt")
        again_elapsed = time.perf_counter() - again_started
        page_started = time.perf_counter()
        titled = import_listing(library, work / "page.txt")
        page_elapsed = time.perf_counter() - page_started
        library.close()
        assert summary.new == unique, (summary.new, unique)
        assert again.new == 0 and again.merged == 0
        assert titled.new == unique_titles, (titled.new, unique_titles)

        records = re.findall(r"(?s)(.+?)\n\narXiv:(\S+)", listing[: 3_000 * args.baseline])
        sample = [(identifier, body.split("\n\n")[-1]) for body, identifier in records]
        sample = sample[: args.baseline]
        naive = naive_insert(sample, work / "naive.sqlite")

    rate = args.records / imported
    naive_rate = len(sample) / naive
    print(
        f"import {args.records:,} records (parse, merge duplicates, write and index them, "
        f"one transaction): {imported:.2f} s, "
        f"{rate:,.0f} papers/s ({summary.new:,} new, {summary.merged:,} merged, "
        f"{summary.unchanged:,} unchanged); target < {TARGET_SECONDS:.0f} s: "
        f"{'ok' if imported < TARGET_SECONDS else 'MISSED'}"
    )
    print(f"re-import of the same file: {again_elapsed:.2f} s ({again.unchanged:,} unchanged)")
    print(
        f"import {args.titles:,} titled records with title variants: {page_elapsed:.2f} s "
        f"({titled.new:,} new, {titled.merged + titled.unchanged:,} merged into them)"
    )
    print(
        f"baseline, one ORM object at a time: {len(sample):,} records in {naive:.2f} s, "
        f"{naive_rate:,.0f} papers/s (100,000 would take ~{args.records / naive_rate:.0f} s)"
    )
    print(f"ratio: import_listing is {rate / naive_rate:.1f}x the baseline's rate")


if __name__ == "__main__":
    main()
