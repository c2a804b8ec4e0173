"""Migration 0005: arXiv comment lines stored as venues move to `comment`; venues stay."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from models.search import search_ids
from models.store.database import open_library
from models.store.schema import _alembic_config

SCHEMA_0002 = Path(__file__).parent / "libraries" / "schema-0002.sqlite"
ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>http://arxiv.org/abs/2301.00001v2</id>
    <title>An entry with a comment only</title>
    <arxiv:comment>Code and   data released</arxiv:comment>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2301.00002v1</id>
    <title>An entry with both</title>
    <arxiv:comment>12 pages</arxiv:comment>
    <arxiv:journal_ref>Nature 601, 55-60 (2026)</arxiv:journal_ref>
  </entry>
</feed>
"""
#: (arXiv id, venue as stored before 0005, source file)
ATOM_PAPERS = [
    ("2301.00001", "Code and data released", "present"),
    ("2301.00002", "Nature 601, 55-60 (2026)", "present"),
    ("2301.00003", "9 pages, 2 figures", "gone"),
    ("2301.00004", "Phys. Rev. D 76, 013009 (2007)", "gone"),
]


def old_library(tmp_path: Path) -> Path:
    """The released 0002 library plus papers that came from Atom files, one still there."""
    path = tmp_path / "library.sqlite"
    shutil.copy2(SCHEMA_0002, path)
    (tmp_path / "present.xml").write_text(ATOM, encoding="utf-8")
    connection = sqlite3.connect(path)
    now = "2026-11-30 12:00:00"
    for source_id, name in ((3, "present"), (4, "gone")):
        connection.execute(
            "INSERT INTO source_file (id, path, format, imported_at) VALUES (?, ?, ?, ?)",
            (source_id, str(tmp_path / f"{name}.xml"), "arxiv-atom", now),
        )
    for number, (arxiv_id, venue, name) in enumerate(ATOM_PAPERS, start=100):
        connection.execute(
            "INSERT INTO paper (id, arxiv_id, venue, title, added_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (number, arxiv_id, venue, f"Paper {arxiv_id}", now, now),
        )
        connection.execute(
            "INSERT INTO paper_source (paper_id, source_id, line) VALUES (?, ?, 1)",
            (number, 3 if name == "present" else 4),
        )
    connection.commit()
    connection.close()
    return path


def test_comment_lines_move_and_real_venues_stay(tmp_path):
    path = old_library(tmp_path)
    library = open_library(str(path), reader="tester")
    try:
        connection = sqlite3.connect(path)
        rows = dict(
            (
                (paper_id, (venue, comment))
                for paper_id, venue, comment in connection.execute(
                    "SELECT id, venue, comment FROM paper"
                )
            )
        )
        connection.close()
        # from the seed listing (`arxiv` format): comment lines, all of them
        assert rows[1] == (None, "10 pages, 3 figures, 7 tables")
        assert rows[5] == (None, "ICML 2024")
        assert rows[10] == (None, "Under review")
        assert rows[2] == (None, None)
        # from sample.bib: journals stay venues
        assert rows[11] == ("Advances in Neural Information Processing Systems", None)
        assert rows[12] == ("International Journal of Theoretical Physics", None)
        # from Atom: the file says which (spaces folded as the importer stored them)...
        assert rows[100] == (None, "Code and data released")
        assert rows[101] == ("Nature 601, 55-60 (2026)", None)
        # ...and without the file, how the value reads
        assert rows[102] == (None, "9 pages, 2 figures")
        assert rows[103] == ("Phys. Rev. D 76, 013009 (2007)", None)
        with library.read() as session:
            reader = library.reader_id
            assert search_ids(session, reader_id=reader, query="venue:ICML") == [5]  # comment too
            assert search_ids(session, reader_id=reader, query="venue:journal") == [12]
            assert search_ids(session, reader_id=reader, query="LREC") == [6]  # index kept it
        with library.write() as session:  # and follows changes to the comment
            session.connection().exec_driver_sql("UPDATE paper SET comment = NULL WHERE id = 6")
        with library.read() as session:
            assert search_ids(session, reader_id=library.reader_id, query="LREC") == []
    finally:
        library.close()


def test_downgrade_puts_comments_back_as_venues_and_keeps_everything_else(tmp_path):
    path = old_library(tmp_path)
    before = sqlite3.connect(path)
    venues = sorted(before.execute("SELECT id, venue FROM paper WHERE venue IS NOT NULL"))
    counts = [
        before.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("paper_source", "note")
    ]
    before.close()
    open_library(str(path), reader="tester").close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")  # as papershelf opens it
        command.downgrade(_alembic_config(connection), "0002")
    engine.dispose()
    after = sqlite3.connect(path)
    assert sorted(after.execute("SELECT id, venue FROM paper WHERE venue IS NOT NULL")) == venues
    assert [
        after.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("paper_source", "note")
    ] == counts
    after.close()
