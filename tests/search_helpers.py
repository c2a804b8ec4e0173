"""A seeded library with reading state on a few papers, shared by the search tests."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from models.ingest.importer import import_listing
from models.search import search_ids
from models.shelf.reading import add_note, add_tag, set_rating, set_status
from models.store.database import open_library
from models.store.library import Library
from models.store.tables import Paper

READER = "tester"  # PAPERSHELF_READER in tests/conftest.py
_TEMPLATE_IDS: dict[Path, dict[str, int]] = {}
#: Title -> (status, rating, tags) for the reader under test.
STATE = {
    "ProRank: Prompt Warmup via Reinforcement Learning for Small Language Models Reranking": (
        "read",
        5,
        ["rl", "reranking"],
    ),
    "Rank-R1: Enhancing Reasoning in LLM-based Document Rerankers via Reinforcement Learning": (
        "to-read",
        4,
        ["rl"],
    ),
    "LIMR: Less is More for RL Scaling": ("reading", 3, ["rl", "survey"]),
    "A Survey on Mixture of Experts": ("read", 4, ["survey", "MoE"]),
    "DP2Unlearning: An Efficient and Guaranteed Unlearning Framework for LLMs": (
        "skipped",
        1,
        ["unlearning", "shortlisted"],
    ),
    "WAGLE: Strategic Weight Attribution for Effective and Modular Unlearning in Large "
    "Language Models": ("to-read", None, ["unlearning"]),
    "VPTQ: Extreme Low-bit Vector Post-Training Quantization for Large Language Models": (
        "reading",
        2,
        [],
    ),
}
NOTES = {
    "WAGLE: Strategic Weight Attribution for Effective and Modular Unlearning in Large "
    "Language Models": "Compare against the zanzibar baseline before citing.",
    "VPTQ: Extreme Low-bit Vector Post-Training Quantization for Large Language Models": (
        "Codebooks, again."
    ),
}
AUTHORS = {
    "ScaleBiO: Scalable Bilevel Optimization for LLM Data Reweighting": ["Rui Pan", "Tong Zhang"],
    "LoLCATs: On Low-Rank Linearizing of Large Language Models": ["Michael Zhang", "Chris Ré"],
}


@dataclass
class Shelf:
    """The library under test, its reader's id, and a way to name papers by title."""

    library: Library
    ids: dict[str, int]

    @property
    def reader_id(self) -> int:
        return self.library.reader_id

    def id_of(self, title: str) -> int:
        return self.ids[title]

    def titles(self, query: str, limit: int | None = 50) -> list[str | None]:
        titles = {paper_id: title for title, paper_id in self.ids.items()}
        with self.library.read() as session:
            found = search_ids(session, reader_id=self.reader_id, query=query, limit=limit)
        return [titles.get(paper_id) for paper_id in found]

    def ids_for(self, query: str) -> list[int]:
        with self.library.read() as session:
            return search_ids(session, reader_id=self.reader_id, query=query, limit=None)

    def papers(self) -> list[Paper]:
        with self.library.read() as session:
            papers = list(session.execute(select(Paper)).scalars())
            session.expunge_all()
        return papers


def shelf_at(db_path: Path, template: Path, seeds: list[Path]) -> Shelf:
    """A shelf in a copy of `template`, which is built on first use; close its library."""
    if not template.exists():
        library = open_library(str(template), reader=READER)
        ids = build_shelf(library, seeds).ids
        library.close()  # the last connection folds the WAL into the file
        _TEMPLATE_IDS[template] = ids
    shutil.copyfile(template, db_path)
    return Shelf(open_library(str(db_path), reader=READER), _TEMPLATE_IDS[template])


def build_pg_template(url: str, seeds: list[Path]) -> None:
    """Build the shelf in the PostgreSQL database at `url`, to be copied by each test."""
    library = open_library(url, reader=READER)
    _TEMPLATE_IDS[Path(url)] = build_shelf(library, seeds).ids
    library.close()


def shelf_on_postgres(template: str) -> Shelf:
    """A shelf in a fresh copy of the PostgreSQL template database; drop it after."""
    import pg_databases

    url = pg_databases.create_database(pg_databases.new_name("papershelf_test"), template)
    ids = _TEMPLATE_IDS[Path(pg_databases.url_of(template))]
    return Shelf(open_library(url, reader=READER), ids)


def build_shelf(library: Library, seeds) -> Shelf:
    """Import the seeds, give the papers in STATE/NOTES/AUTHORS that state, and give
    another reader a note and a tag the reader under test must never match."""
    for path in seeds:
        import_listing(library, path)
    with library.read() as session:
        ids = dict(
            session.execute(select(Paper.title, Paper.id).where(Paper.title.is_not(None))).all()
        )
    with library.write() as session:
        for title, authors in AUTHORS.items():
            session.execute(update(Paper).where(Paper.id == ids[title]).values(authors=authors))
        for title, (status, rating, tags) in STATE.items():
            paper = {"reader_id": library.reader_id, "paper_id": ids[title]}
            set_status(session, **paper, status=status)
            if rating:
                set_rating(session, **paper, rating=rating)
            for tag in tags:
                add_tag(session, **paper, name=tag)
        for title, body in NOTES.items():
            add_note(session, reader_id=library.reader_id, paper_id=ids[title], body=body)
    other = open_library(library.location.url, reader="someone-else")
    try:
        paper_id = ids["A Survey on Mixture of Experts"]
        with other.write() as session:
            add_note(session, reader_id=other.reader_id, paper_id=paper_id, body="quokka")
            add_tag(session, reader_id=other.reader_id, paper_id=paper_id, name="wombat")
    finally:
        other.close()
    return Shelf(library, ids)
