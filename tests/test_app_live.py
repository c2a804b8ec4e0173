"""An app open on a shared PostgreSQL library shows what other readers and terminals
commit, by itself and within moments, and catches up after its connection drops.

(SQLite's `data_version` watch has its own test in test_app_writes.py.)"""

from __future__ import annotations

import asyncio

import pg_databases
import pytest
from helpers.app import SIZE, Recorder, paper_list, tab_labels, wait_until

from models.shelf.reading import set_rating, set_status
from models.store.database import open_library
from models.store.library import Library
from tui.app.app import PapershelfApp
from tui.app.messages import LibraryChanged, ViewLoaded


@pytest.fixture(autouse=True)
def _server_only(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("LISTEN/NOTIFY is the server's")


def _elsewhere(library: Library, reader: str, paper_id: int, status: str, rating=None) -> None:
    """Another terminal (or another member of the lab) commits a change."""
    other = open_library(library.location.url, reader=reader)
    try:
        with other.write() as session:
            set_status(session, reader_id=other.reader_id, paper_id=paper_id, status=status)
            if rating is not None:
                set_rating(session, reader_id=other.reader_id, paper_id=paper_id, rating=rating)
    finally:
        other.close()


async def _listening(pilot, app: PapershelfApp, recorder: Recorder) -> None:
    """The first screen is shown and the watch is up (it says so with a catch-up reload)."""
    await wait_until(pilot, lambda: paper_list(app).ids, "the first paint")
    await wait_until(pilot, lambda: recorder.of(LibraryChanged), "the watch listens")

    def reloaded() -> bool:
        messages = recorder.messages
        start = messages.index(recorder.of(LibraryChanged)[0])
        return any(isinstance(m, ViewLoaded) and m.complete for m in messages[start:])

    await wait_until(pilot, reloaded, "the catch-up reload")


def _listeners(library: Library) -> list[int]:
    """The server processes listening on this library's database."""
    with pg_databases.admin_connection() as admin:
        rows = admin.exec_driver_sql(
            "SELECT pid FROM pg_stat_activity WHERE datname = %(name)s AND query LIKE 'LISTEN%%'",
            {"name": library.engine.url.database},
        )
        return [pid for (pid,) in rows]


async def test_another_terminal_and_another_reader_show_up_by_themselves(seeded):
    recorder = Recorder()
    app = PapershelfApp(seeded)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await _listening(pilot, app, recorder)
        first, second = paper_list(app).ids[:2]
        await asyncio.to_thread(_elsewhere, seeded, "tester", first, "read")  # my other terminal
        await wait_until(pilot, lambda: first not in paper_list(app).ids, "it left the inbox")
        await wait_until(pilot, lambda: "Read 1" in tab_labels(app), "the counts follow")
        assert paper_list(app).current_id == second
        await asyncio.to_thread(_elsewhere, seeded, "colleague", second, "read", 4)
        await wait_until(
            pilot, lambda: "read by 1 · ★ 4.0" in app.main.detail.plain, "the lab line"
        )


async def test_the_apps_own_writes_are_not_reported_back(seeded):
    recorder = Recorder()
    app = PapershelfApp(seeded)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await _listening(pilot, app, recorder)
        seen = len(recorder.of(LibraryChanged))
        await pilot.press("t", "t", "x")
        await asyncio.to_thread(app.writer.wait_idle, 10)
        other = paper_list(app).ids[0]
        await asyncio.to_thread(_elsewhere, seeded, "colleague", other, "read")
        await wait_until(pilot, lambda: len(recorder.of(LibraryChanged)) > seen, "the colleague")
        assert len(recorder.of(LibraryChanged)) == seen + 1  # theirs, not my three


async def test_a_dropped_connection_reconnects_and_catches_up(seeded):
    recorder = Recorder()
    app = PapershelfApp(seeded)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await _listening(pilot, app, recorder)
        (listener,) = await asyncio.to_thread(_listeners, seeded)
        first = paper_list(app).ids[0]
        # A change whose notice the app never gets (it comes from the app's own engine,
        # which the watch ignores): only the catch-up after reconnecting can show it.
        with seeded.write() as session:
            set_status(session, reader_id=seeded.reader_id, paper_id=first, status="skipped")
        for _ in range(10):
            await pilot.pause()
        assert first in paper_list(app).ids
        with pg_databases.admin_connection() as admin:
            admin.exec_driver_sql(f"SELECT pg_terminate_backend({listener})")
        await wait_until(pilot, lambda: first not in paper_list(app).ids, "caught up")
        await wait_until(pilot, lambda: _listeners(seeded) not in ([], [listener]), "again")
        second = paper_list(app).ids[0]
        await asyncio.to_thread(_elsewhere, seeded, "tester", second, "read")
        await wait_until(pilot, lambda: second not in paper_list(app).ids, "listening again")
