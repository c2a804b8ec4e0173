"""The search index stays in step with the library; the typo rules; the portable fallback."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from search_helpers import Shelf
from sqlalchemy import delete, select, text, update

import models.search
from models.ingest.importer import import_listing
from models.search import count_matches, search_ids
from models.search import fts as search_fts
from models.search.typos import Vocabulary, max_typos
from models.shelf.reading import add_note, delete_note, update_note
from models.store import search_index
from models.store.database import open_library
from models.store.schema import _alembic_config, head_revision
from models.store.tables import Paper


def test_note_edits_reach_the_index(shelf: Shelf) -> None:
    paper_id = shelf.id_of("LIMR: Less is More for RL Scaling")
    reader = {"reader_id": shelf.reader_id}
    with shelf.library.write() as session:
        note = add_note(session, **reader, paper_id=paper_id, body="Read with the capybara team")
        note_id = note.id
    assert shelf.ids_for("capybara") == [paper_id]
    with shelf.library.write() as session:
        update_note(session, **reader, note_id=note_id, body="Read with the axolotl team")
    assert shelf.ids_for("capybara") == [] and shelf.ids_for("axolotl") == [paper_id]
    with shelf.library.write() as session:
        delete_note(session, **reader, note_id=note_id)
    assert shelf.ids_for("axolotl") == []


def test_imports_and_merges_reach_the_index(shelf: Shelf, tmp_path) -> None:
    listing = tmp_path / "listing.txt"
    listing.write_text(
        "We study the okapi estimator for sparse retrieval in depth and at length here.\n\n"
        "arXiv:2502.19178\nCreated: 2025-02-26\n",
        encoding="utf-8",
    )
    import_listing(shelf.library, listing)  # merges into the paper with that arXiv id
    # the merge filled nothing new (the paper had an abstract), so nothing changes
    assert shelf.ids_for("okapi") == []
    with shelf.library.write() as session:  # as the importer's merge writes a title
        paper = session.execute(select(Paper).where(Paper.arxiv_id == "2502.19178")).scalar_one()
        paper_id = paper.id
        session.execute(update(Paper).where(Paper.id == paper_id).values(title="Okapi at scale"))
    assert shelf.ids_for("okapi") == [paper_id]
    assert shelf.titles("okapi") == [None]  # not in the helper's title map: it had none
    with shelf.library.write() as session:
        session.execute(update(Paper).where(Paper.id == paper_id).values(title=None))
    assert shelf.ids_for("okapi") == []


def test_a_new_date_moves_a_paper_in_recency_order(shelf: Shelf) -> None:
    first, second = shelf.ids_for("unlearning")[:2]
    with shelf.library.write() as session:
        session.execute(update(Paper).where(Paper.id == second).values(published=date(2030, 1, 1)))
    assert shelf.ids_for("unlearning")[:2] == [second, first]


@pytest.mark.sqlite_only
def test_deleted_papers_leave_the_index(shelf: Shelf) -> None:
    paper_id = shelf.id_of("ScaleBiO: Scalable Bilevel Optimization for LLM Data Reweighting")
    with shelf.library.write() as session:
        session.execute(delete(Paper).where(Paper.id == paper_id))
    assert shelf.ids_for("bilevel") == []
    with shelf.library.read() as session:
        check = "INSERT INTO paper_fts(paper_fts, rank) VALUES ('integrity-check', 0)"
        session.execute(text(check))  # raises if the index and the triggers disagree


def test_index_rowids_are_recency_keys(shelf: Shelf) -> None:
    with shelf.library.read() as session:
        sqlite = session.get_bind().dialect.name == "sqlite"
        keys_sql = "SELECT rowid FROM paper_fts" if sqlite else "SELECT key FROM paper_search"
        keys = set(session.execute(text(keys_sql)).scalars())
        papers = session.execute(select(Paper.id, Paper.published)).all()
    assert keys == {search_index.recency_key(published, paper_id) for paper_id, published in papers}
    assert all(search_index.paper_id_of_key(search_index.recency_key(p, i)) == i for i, p in papers)


def test_upgrading_an_older_library_indexes_what_it_holds(db_path) -> None:
    # The library file the first schema made (a seed listing and a .bib), not today's
    # importer writing into an old schema: today's writes columns that schema lacks.
    shutil.copy2(Path(__file__).parent / "libraries" / "schema-0001.sqlite", db_path)
    library = open_library(str(db_path))
    try:
        assert library.messages and f"0001 -> {head_revision()}" in library.messages[0]
        with library.read() as session:
            found = search_ids(session, reader_id=library.reader_id, query="embedings")
            assert len(found) == 1
            with library.engine.connect() as connection:
                command.check(_alembic_config(connection))  # models and schema agree
    finally:
        library.close()


def test_typo_tolerance_rules() -> None:
    assert [max_typos(word) for word in ("rl", "llms", "mixtrue", "reinforcment")] == [0, 0, 1, 2]
    words = Vocabulary(
        [("transformer", 900), ("transformers", 300), ("transfer", 400), ("transfomer", 2)]
        + [("model", 5000), ("modal", 40), ("models", 3000), ("mixture", 50)]
    )
    assert words.corrections("transfomer") == ["transformer"]  # much rarer: a typo
    assert words.corrections("mixtrue") == ["mixture"]  # swapped letters: one edit
    assert words.corrections("model") == []  # a common word is no typo
    assert words.corrections("modal") == ["model"]  # one 125 times commoner: maybe
    assert words.corrections("llms") == []  # too short to correct
    assert words.prefix_documents("transf") == 1602


@pytest.mark.sqlite_only
def test_the_portable_fallback(shelf: Shelf, monkeypatch: pytest.MonkeyPatch) -> None:
    fts = {query: shelf.ids_for(query) for query in ("tag:rl rating:>=4", "status:read", "-survey")}
    monkeypatch.setattr(models.search, "is_available", lambda session: False)
    for query, found in fts.items():
        assert shelf.ids_for(query) == found, query
    assert shelf.titles("bilevel optimization")[0].startswith("ScaleBiO")
    assert shelf.titles("zanzibar")[0].startswith("WAGLE")  # notes
    assert shelf.titles("reinforcement learning")[0].startswith("ProRank")  # in title, newest
    assert shelf.ids_for("bilevle") == []  # no typo tolerance without the index
    with shelf.library.read() as session:
        assert count_matches(session, reader_id=shelf.reader_id, query="reranking") == len(
            shelf.ids_for("reranking")
        )


@pytest.mark.sqlite_only
def test_warm_up_loads_the_vocabulary_once(shelf: Shelf) -> None:
    from models.search import warm_up

    search_fts._vocabularies.clear()
    with shelf.library.read() as session:
        warm_up(session)
        loaded = search_fts.vocabulary(session)
    assert search_fts._vocabularies[str(shelf.library.engine.url)][1] is loaded
    assert loaded.documents["bilevel"] >= 1
