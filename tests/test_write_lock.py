"""A writer that cannot get the write lock waits, tries again, and at last says so in one line."""

from __future__ import annotations

import sqlite3

import pytest

from models.shelf.reading import add_tag
from models.store import database
from models.store import library as library_module
from models.store.library import LibraryError
from tui.cli import main


@pytest.fixture
def locked(db_path, monkeypatch):
    """A library (SQLite waiting only 1 ms per try) whose write lock another program holds."""
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 1)
    library = database.open_library(str(db_path))
    library.ensure_reader()
    with library.write() as session:
        session.connection().exec_driver_sql(
            "INSERT INTO paper (id, title, added_at, updated_at) "
            "VALUES (1, 'A paper', '2026-01-01', '2026-01-01')"
        )
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield library, holder
    holder.close()
    library.close()


def test_a_locked_out_writer_backs_off_and_gets_in(locked, monkeypatch):
    library, holder = locked
    pauses: list[float] = []

    def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 4:
            holder.execute("COMMIT")  # the other program finishes

    monkeypatch.setattr(library_module, "_pause", pause)
    with library.write() as session:
        add_tag(session, reader_id=library.reader_id, paper_id=1, name="kept")
    assert pauses == [0.05, 0.1, 0.2, 0.5]
    with library.read() as session:
        tags = session.connection().exec_driver_sql("SELECT count(*) FROM paper_tag").scalar()
    assert tags == 1


def test_a_writer_locked_out_for_good_gives_up_with_one_line(locked, monkeypatch, capsys):
    library, _ = locked
    now = [0.0]
    monkeypatch.setattr(library_module, "_clock", lambda: now[0])
    monkeypatch.setattr(
        library_module, "_pause", lambda seconds: now.__setitem__(0, now[0] + seconds)
    )
    ran = []
    busy = "busy for over 300 s; nothing was changed"
    with pytest.raises(LibraryError, match=busy), library.write():
        ran.append(True)
    assert ran == [] and 299 < now[0] < 305
    now[0] = 0.0
    assert main(["--db", str(library.location.path), "set", "1", "--tag", "x"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "busy for over 300 s" in err
