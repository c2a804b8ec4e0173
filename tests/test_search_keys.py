"""Search keys cannot collide: ids and dates stay where the recency key holds them."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from models.ingest.importer import import_listing
from models.ingest.record import ListingError
from models.ingest.restore import restore_backup
from models.search import search_ids
from models.store.database import open_library

LIBRARIES = Path(__file__).parent / "libraries"
CORPUS = Path(__file__).parent / "corpus"


def found(library, query: str) -> list[int]:
    with library.read() as session:
        return search_ids(session, reader_id=library.reader_id, query=query)


@pytest.mark.parametrize("paper_id", [2**32, 2**63 - 1, 0, -5])
def test_a_backup_with_an_id_the_key_cannot_hold_is_refused(library, paper_id, tmp_path, dump):
    backup = json.loads((CORPUS / "huge_id_backup.json").read_text())
    backup["papers"][0]["id"] = paper_id
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(backup))
    before = dump(library)
    with pytest.raises(ListingError, match="id .* out of range"):
        restore_backup(library, path)
    assert dump(library) == before
    import_listing(library, CORPUS / "escapes_everywhere.txt")  # later imports still work
    assert found(library, "capybara")


@pytest.mark.sqlite_only  # SQLite's guard triggers; PostgreSQL's integer ids refuse these too
def test_the_schema_itself_refuses_ids_and_dates_past_the_key(library):
    for values in ("4294967296, NULL", "7, '9999-01-01'", "8, '0999-12-31'"):
        with pytest.raises(IntegrityError), library.write() as session:
            session.execute(
                text(
                    "INSERT INTO paper (id, published, added_at, updated_at) "
                    f"VALUES ({values}, '2026-01-01', '2026-01-01')"
                )
            )


def test_a_library_restored_with_huge_ids_is_renumbered_and_reindexed(tmp_path):
    """Before schema 0006 a backup could store ids of 2**32 and more; opening such a
    library now moves those papers (and their state) below 2**32 and rebuilds the index."""
    path = tmp_path / "old.sqlite"
    shutil.copy(LIBRARIES / "schema-0002.sqlite", path)
    with sqlite3.connect(path) as connection:
        # The second key collides with that of paper 1000 dated a day earlier.
        for paper_id, word in ((1000, "quokka"), (2**32 + 1000, "capybara"), (2**40, "axolotl")):
            connection.execute(
                "INSERT INTO paper (id, title, published, added_at, updated_at) "
                "VALUES (?, ?, '2020-01-01', '2026-01-01', '2026-01-01')",
                (paper_id, f"On the {word}"),
            )
        connection.execute(
            "INSERT INTO note (reader_id, paper_id, body, created, updated) "
            "VALUES (1, ?, 'noted', '2026-01-01', '2026-01-01')",
            (2**40,),
        )
    library = open_library(str(path), reader="tester")
    try:
        with library.read() as session:
            ids = session.execute(text("SELECT id, title FROM paper WHERE title LIKE 'On the %'"))
            by_title = {title: paper_id for paper_id, title in ids}
            assert max(by_title.values()) < 2**32
            [note_paper] = session.execute(
                text("SELECT paper_id FROM note WHERE body = 'noted'")
            ).scalars()
            check = session.execute(text("PRAGMA foreign_key_check")).all()
        assert note_paper == by_title["On the axolotl"] and check == []
        for word in ("quokka", "capybara", "axolotl"):
            assert found(library, word) == [by_title[f"On the {word}"]]
    finally:
        library.close()


def test_escapes_stored_before_cleaning_are_cleaned_once_on_upgrade(tmp_path):
    """Text a backup or a DOI brought in before every source was cleaned is cleaned when
    the library is upgraded, its keys and its index following."""
    path = tmp_path / "old.sqlite"
    shutil.copy(LIBRARIES / "schema-0002.sqlite", path)
    escape = "\x1b]0;PWNED\x07"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO paper (id, title, doi, authors, added_at, updated_at) "
            "VALUES (1000, ?, ?, ?, '2026-01-01', '2026-01-01')",
            (f"Capybara {escape}habits", f"10.1234/x{escape}", json.dumps([f"A {escape}B"])),
        )
        connection.execute(
            "INSERT INTO note (reader_id, paper_id, body, created, updated) "
            "VALUES (1, 1000, ?, '2026-01-01', '2026-01-01')",
            (f"line one\n{escape}line two",),
        )
        connection.execute("INSERT INTO tag (name) VALUES (?)", (f"tag{escape}",))
    library = open_library(str(path), reader="tester")
    try:
        with library.read() as session:
            row = session.execute(
                text("SELECT title, doi, authors, title_key FROM paper WHERE id = 1000")
            ).one()
            body = session.execute(text("SELECT body FROM note WHERE paper_id = 1000")).scalar()
            tags = session.execute(text("SELECT name FROM tag")).scalars().all()
            session.execute(
                text("INSERT INTO paper_fts(paper_fts, rank) VALUES ('integrity-check', 0)")
            )
        assert tuple(row) == ("Capybara habits", "10.1234/x", '["A B"]', "capybarahabits")
        assert body == "line one\nline two" and "tag" in tags
        assert found(library, "habits") == [1000]
    finally:
        library.close()
