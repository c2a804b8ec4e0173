"""Crashes: `kill -9` during an import and while a note is typed, and library files that
are not libraries or are damaged. Nothing the library held before may be lost."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import write_big_listing
from helpers.app import SIZE, Recorder, paper_list, settle

from models.ingest.importer import import_listing
from models.shelf.reading import add_note, set_rating
from models.store.database import open_library
from tui.app.app import PapershelfApp
from tui.cli import main

pytestmark = pytest.mark.sqlite_only  # kill -9 and damage are about the SQLite file

ROOT = Path(__file__).resolve().parent.parent


def papershelf(*args: str, **kwargs) -> subprocess.Popen:
    """The real command in its own process (the tests' environment: no user files)."""
    return subprocess.Popen(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def kill_when(process: subprocess.Popen, ready: Callable[[], bool], limit: float = 60) -> bool:
    """SIGKILL the process as soon as `ready()` holds (polled); False if it ended first."""
    deadline = time.monotonic() + limit
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.001)
    process.kill()
    process.wait()
    return False


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


@pytest.fixture
def kept(library, seeds) -> Path:
    """A closed library with a paper list, a rating and a note: what must survive."""
    import_listing(library, seeds[0])
    with library.write() as session:
        add_note(session, reader_id=library.reader_id, paper_id=1, body="my precious note")
        set_rating(session, reader_id=library.reader_id, paper_id=1, rating=5)
    library.close()
    return library.location.path


# --- kill -9 during an import ------------------------------------------------------


def _wal_bigger_than(wal: Path, size: int) -> Callable[[], bool]:
    return lambda: wal.exists() and wal.stat().st_size > size


@pytest.mark.parametrize(
    "moment",
    [
        "reading",  # the library is open (its WAL exists), the listing is being parsed
        "committing",  # the transaction's pages are being written to the WAL
    ],
)
def test_kill_9_during_import_leaves_all_or_none_of_the_file(kept, tmp_path, dump, moment):
    big = tmp_path / "big.txt"
    records = write_big_listing(big, 15_000_000)
    before = dump(kept)
    wal = kept.with_name(kept.name + "-wal")
    ready = _wal_bigger_than(wal, -1 if moment == "reading" else 2_000_000)
    process = papershelf("--db", str(kept), "import", str(big))
    assert kill_when(process, ready), process.stderr.read().decode()
    assert process.returncode == -signal.SIGKILL

    assert integrity(kept) == "ok"
    assert main(["--db", str(kept), "list", "--limit", "1"]) == 0
    after = dump(kept)
    assert len(after["paper"]) in (len(before["paper"]), len(before["paper"]) + records)
    if len(after["paper"]) == len(before["paper"]):
        assert after == before
    for table in ("note", "reading_state", "reader"):
        assert after[table] == before[table]


# --- kill -9 while a note is typed -------------------------------------------------

TYPE_A_NOTE = """
import asyncio, json, sys, time
from models.store.database import open_library
from tui.app.app import PapershelfApp
from tui.app.widgets import NoteEditor

async def type_a_note():
    app = PapershelfApp(open_library(sys.argv[1]), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(5):
            await pilot.pause()
            await app.workers.wait_for_complete()
        await pilot.press("n", *"Key idea")
        app.screen.query_one(NoteEditor).save()  # what the save timer does while you type
        await asyncio.to_thread(app.writer.wait_idle, 10)
        typed = [(time.monotonic(), "Key idea")]
        for char in ": sparse routing, then the typing after the last save":
            await pilot.press("space" if char == " " else char)
            typed.append((time.monotonic(), typed[-1][1] + char))
        print(json.dumps(typed), flush=True)
        await asyncio.Event().wait()  # the app stays open until the kill

asyncio.run(type_a_note())
"""


def test_kill_9_while_typing_a_note_loses_at_most_the_last_second(kept):
    process = subprocess.Popen(
        [sys.executable, "-c", TYPE_A_NOTE, str(kept)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()  # blocks until the typing is done, or the app died
        killed_at = time.monotonic()
        process.send_signal(signal.SIGKILL)
        assert line, process.stderr.read()
    finally:
        process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL
    typed = json.loads(line)
    library = open_library(str(kept))
    with library.read() as session:
        query = "SELECT body FROM note ORDER BY id"
        bodies = [body for (body,) in session.connection().exec_driver_sql(query)]
    library.close()
    assert bodies[0] == "my precious note"
    saved = bodies[1]
    assert saved in [text for _, text in typed]  # a state the note was really in
    older = [text for moment, text in typed if moment < killed_at - 1.0]
    assert all(saved.startswith(text) for text in older)  # nothing older than a second lost


# --- library files that are not libraries, or are damaged --------------------------


def _root_page(path: Path, table: str) -> int:
    connection = sqlite3.connect(path)
    try:
        query = "SELECT rootpage FROM sqlite_master WHERE name = ?"
        return connection.execute(query, (table,)).fetchone()[0]
    finally:
        connection.close()


def damage(path: Path, kind: str) -> None:
    """Damage a library file the way disks, copies and editors do."""
    data = path.read_bytes()
    if kind == "text file":
        data = b"these are my precious notes, not a database\n"
    elif kind == "truncated to half":
        data = data[: len(data) // 2]
    elif kind == "truncated to its header":
        data = data[:100]
    elif kind == "header fields zeroed":
        data = data[:16] + bytes(84) + data[100:]
    elif kind == "first page scrambled":
        data = data[:100] + bytes(range(256)) * 15 + data[100 + 256 * 15 :]
    elif kind == "paper table scrambled":  # opens fine; fails when a query reaches it
        page = _root_page(path, "paper")
        start = (page - 1) * 4096
        data = data[:start] + b"\xa5" * 4096 + data[start + 4096 :]
    path.write_bytes(data)


DAMAGE = [
    "text file",
    "truncated to half",
    "truncated to its header",
    "header fields zeroed",
    "first page scrambled",
    "paper table scrambled",
]
COMMANDS = [
    ["list"],
    ["show", "1"],
    ["search", "model"],
    ["set", "1", "--rate", "3"],
    ["note", "1", "a new note"],
    ["import", "SEED"],
    ["export", "json", "-o", "OUT"],
]


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_library_is_one_line_exit_1_and_left_as_it_was(
    kept, seeds, tmp_path, capsys, kind
):
    damage(kept, kind)
    data = kept.read_bytes()
    for command in COMMANDS:
        argv = [
            {"SEED": str(seeds[1]), "OUT": str(tmp_path / "backup.json")}.get(arg, arg)
            for arg in command
        ]
        status = main(["--db", str(kept), *argv])
        out, err = capsys.readouterr()
        assert status == 1, (command, err)
        assert err.startswith(f"papershelf: {kept}: "), (command, err)
        assert len(err.splitlines()) == 1, (command, err)
        assert "Traceback" not in out + err
        assert kept.read_bytes() == data, command
    assert not (tmp_path / "backup.json").exists()


def test_the_app_refuses_a_file_that_is_not_a_library(tmp_path, capsys):
    fake = tmp_path / "notes.txt"
    fake.write_text("these are my precious notes")
    assert main(["--db", str(fake)]) == 1
    err = capsys.readouterr().err
    assert err == f"papershelf: {fake}: not a papershelf library (not a SQLite database)\n"
    assert fake.read_text() == "these are my precious notes"
    assert sorted(os.listdir(tmp_path)) == ["home", "notes.txt"]


def test_another_programs_database_is_refused_and_left_in_its_journal_mode(tmp_path, capsys):
    other = tmp_path / "contacts.sqlite"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE contact (name TEXT)")
    connection.execute("INSERT INTO contact VALUES ('Ada')")
    connection.commit()
    connection.close()
    data = other.read_bytes()
    assert main(["--db", str(other), "list"]) == 1
    err = capsys.readouterr().err
    assert err == f"papershelf: {other}: not a papershelf library (it has other tables)\n"
    assert other.read_bytes() == data  # not even switched to WAL


def test_a_new_library_uses_wal(db_path, capsys):
    assert main(["--db", str(db_path), "list"]) == 0
    connection = sqlite3.connect(db_path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


async def test_the_app_on_a_damaged_library_says_so_in_one_line_and_keeps_running(kept):
    damage(kept, "paper table scrambled")
    library = open_library(str(kept))
    recorder = Recorder()
    app = PapershelfApp(library, watch=False)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        papers = paper_list(app)
        papers.cursor = papers.ids.index(2)  # a paper without a reading state yet
        await pilot.press("4")  # the new state's foreign key reads the damaged table
        await settle(app, pilot)
        errors = recorder.errors()
        assert errors, "the failed write was not reported"
        for message in errors:
            assert "\n" not in message and "SQL" not in message
            assert f"{kept}: library damaged or unreadable" in message
        assert app.is_running
    library.close()
