"""Generate a library of N papers from the seeds' vocabulary, fast, through the real schema.

Titles recombine the seed titles' words, abstracts the seed abstracts' sentences;
authors, venues, dates, statuses, ratings, tags and notes are drawn with a fixed
random seed, so a size always gives the same library. Rows go in with Core
executemany inside one transaction, so the search index triggers run as they do
for an import. Libraries are cached under `bench/out/`.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from models.core.values import Status
from models.ingest.formats import parse_listing
from models.ingest.importer import bundled_listings
from models.ingest.record import ParseOptions
from models.store.database import open_library
from models.store.schema import head_revision
from models.store.search_index import update_index
from models.store.tables import Note, Paper, PaperTag, ReadingState, Tag

OUT = Path(__file__).resolve().parent / "out"
VERSION = 4  # bump when the generated content changes, to refresh cached libraries
READER = "bench"
TAGS = ["rl", "survey", "llm", "retrieval", "to-skim", "reranking", "unlearning", "data"]
TAGS += ["efficiency", "evaluation", "moe", "alignment", "agents", "benchmark", "theory"]
VENUES = ["KDD 2024", "ICML 2024", "NeurIPS 2023", "ACL 2024 Findings", "ICLR 2025"]
VENUES += ["EMNLP 2023", "SIGIR 2024", "AAAI 2025", "Under review", "WWW 2024"]
FIRST = [
    "Wei",
    "Yang",
    "Jing",
    "Anna",
    "Maria",
    "Ahmed",
    "Ravi",
    "Priya",
    "Lukas",
    "Sofia",
    "Chen",
    "Hiroshi",
    "Elena",
]
FIRST += [
    "Carlos",
    "Fatima",
    "Ivan",
    "Noah",
    "Olivia",
    "Kenji",
    "Amara",
    "Tomas",
    "Zoe",
    "Omar",
    "Lena",
    "Mateo",
]
LAST = [
    "Chen",
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Smith",
    "Garcia",
    "Kumar",
    "Müller",
    "Rossi",
    "Novak",
    "Sato",
    "Kim",
]
LAST += [
    "Nguyen",
    "Silva",
    "Cohen",
    "Ivanova",
    "Okafor",
    "Larsen",
    "Dubois",
    "Haddad",
    "Park",
    "Singh",
    "Ortiz",
]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def seed_text() -> tuple[list[list[str]], list[str]]:
    """The seeds' titles as word lists, and their abstracts' sentences."""
    titles: list[list[str]] = []
    sentences: list[str] = []
    options = ParseOptions(today=date(2025, 11, 1))
    for path in bundled_listings():
        for record in parse_listing(path, options)[1].records:
            if record.title:
                titles.append(record.title.split())
            if record.abstract:
                sentences += [s for s in _SENTENCE.split(record.abstract) if len(s) > 30]
    return titles, sentences


def library_path(size: int) -> Path:
    """Where the library of `size` papers is cached: per generator version and schema."""
    return OUT / f"library-{size}-v{VERSION}-schema{head_revision()}.sqlite"


def generate(size: int, *, fresh: bool = False) -> Path:
    """The path of a generated library of `size` papers, made now unless cached."""
    path = library_path(size)
    if path.exists() and not fresh:
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in OUT.glob(path.name + "*"):
        stale.unlink()
    library = open_library(str(path), reader=READER)
    try:
        with library.write() as session:
            _fill(session.connection(), size, library.reader_id)
        update_index(library)  # as an import does after its transaction
    finally:
        library.close()
    return path


def paper_rows(size: int, rng: random.Random) -> list[dict]:
    """`size` paper rows for Core insert, ids 1..size, newest first as listings print them."""
    titles, sentences = seed_text()
    words = [word for title in titles for word in title]
    now = datetime.now(UTC)
    start = date(2018, 1, 1)
    dates = sorted((start + timedelta(days=rng.randrange(2860)) for _ in range(size)), reverse=True)
    rows = []
    for number, published in enumerate(dates, 1):
        title = list(rng.choice(titles))
        for position in rng.sample(range(len(title)), k=len(title) // 3):
            title[position] = rng.choice(words)
        authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 8))]
        rows.append(
            {
                "id": number,
                "arxiv_id": f"{published:%y%m}.{number:05d}",
                "title": " ".join(title) if rng.random() > 0.05 else None,
                "abstract": " ".join(rng.sample(sentences, k=rng.randint(4, 8))),
                "authors": authors,
                "n_authors": len(authors),
                "published": published,
                "published_precision": "day",
                "venue": rng.choice(VENUES) if rng.random() < 0.1 else None,
                "added_at": now,
                "updated_at": now,
            }
        )
    return rows


def _fill(connection, size: int, reader_id: int) -> None:
    rng = random.Random(size)
    connection.execute(insert(Paper.__table__), paper_rows(size, rng))
    now = datetime.now(UTC)
    connection.execute(insert(Tag.__table__), [{"id": i, "name": n} for i, n in enumerate(TAGS, 1)])
    statuses = [status.value for status in Status]
    states, tags, notes = [], [], []
    _, sentences = seed_text()
    for paper_id in range(1, size + 1):
        if rng.random() < 0.3:
            rating = rng.randint(1, 5) if rng.random() < 0.4 else None
            states.append(
                {
                    "reader_id": reader_id,
                    "paper_id": paper_id,
                    "status": rng.choice(statuses),
                    "rating": rating,
                    "updated_at": now,
                }
            )
        if rng.random() < 0.25:
            for tag_id in rng.sample(range(1, len(TAGS) + 1), k=rng.randint(1, 3)):
                tags.append(
                    {"reader_id": reader_id, "paper_id": paper_id, "tag_id": tag_id}
                    | {"tagged_at": now}
                )
        if rng.random() < 0.05:
            body = " ".join(rng.sample(sentences, k=2))
            notes.append(
                {"reader_id": reader_id, "paper_id": paper_id, "body": body}
                | {"created": now, "updated": now}
            )
    connection.execute(insert(ReadingState.__table__), states)
    connection.execute(insert(PaperTag.__table__), tags)
    connection.execute(insert(Note.__table__), notes)
