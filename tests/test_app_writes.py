"""Every change goes through one ordered writer: a lock held by another program delays
changes but never loses them, the editor can always be left and the app always quit.

The other program is a real second sqlite3 connection holding `BEGIN IMMEDIATE`."""

from __future__ import annotations

import asyncio
import sqlite3

from helpers.app import SIZE, Recorder, lock_held, paper_list, settle, state, wait_until

from tui.app.app import PapershelfApp
from tui.app.messages import LibraryChanged, WriteDone, WriteFailed
from tui.app.screens.main import MainScreen
from tui.app.screens.note import NoteScreen
from tui.config import data_folder

LOCKED = "not saved: the library is locked by another program; retrying"


async def test_changes_made_while_the_library_is_locked_are_saved_once_it_is_free(seeded, db_path):
    recorder = Recorder()
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        first, second, third = paper_list(app).ids[:3]
        with lock_held(db_path):
            await pilot.press("d", "d", "d")
            await wait_until(pilot, lambda: recorder.of(WriteFailed), "the first write fails")
            assert recorder.said(LOCKED)  # said at once, not after a long wait
            await pilot.press("q")
            await wait_until(pilot, lambda: recorder.said("Waiting to save 3 change(s)"))
            assert app.is_running and app.return_code is None
        await wait_until(pilot, lambda: app.return_code is not None, "the app quits")
    assert app.return_code == 0
    assert [state(seeded, i).status for i in (first, second, third)] == ["read"] * 3


async def test_a_failed_autosave_never_stops_later_saves_and_the_editor_can_be_left(
    seeded, db_path
):
    recorder = Recorder()
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        paper_id = paper_list(app).current_id
        with lock_held(db_path):
            await pilot.press("n", *"first thought")
            await wait_until(pilot, lambda: recorder.of(WriteFailed), "the autosave fails")
            assert recorder.said(LOCKED)
            await pilot.press(*", second thought", "escape")
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "editor left")
        await wait_until(pilot, lambda: len(recorder.of(WriteDone)) >= 2, "saved after all")
        await settle(app, pilot)
        assert [n.body for n in state(seeded, paper_id).notes] == ["first thought, second thought"]
        await pilot.press("n", *"later note")  # saving goes on as usual afterwards
        await wait_until(pilot, lambda: len(state(seeded, paper_id).notes) == 2, "next note")
        await pilot.press("escape")
        await settle(app, pilot)
    assert [n.body for n in state(seeded, paper_id).notes][-1] == "later note"


async def test_quitting_again_while_locked_keeps_unsaved_notes_in_a_recovery_file(
    seeded, db_path, dump
):
    before = dump(db_path)
    recorder = Recorder()
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        with lock_held(db_path):
            await pilot.press("n", *"precious words", "escape")
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
            await pilot.press("x", "q")
            await wait_until(pilot, lambda: recorder.said("Waiting to save"))
            await pilot.press("q")
            await wait_until(pilot, lambda: app.return_code is not None, "the app quits")
    assert app.return_code == 1  # never 0 having dropped a change
    saved = list((data_folder() / "recovery").glob("unsaved-*.md"))
    assert len(saved) == 1
    assert "precious words" in saved[0].read_text()
    assert dump(db_path) == before


async def test_the_editor_quits_with_the_app_while_the_library_is_locked(seeded, db_path):
    recorder = Recorder()
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        paper_id = paper_list(app).current_id
        with lock_held(db_path):
            await pilot.press("n", *"kept")
            assert isinstance(app.screen, NoteScreen)
            await pilot.press("ctrl+q")
            await wait_until(pilot, lambda: recorder.said("Waiting to save"))
        await wait_until(pilot, lambda: app.return_code is not None, "the app quits")
    assert app.return_code == 0
    assert [n.body for n in state(seeded, paper_id).notes] == ["kept"]


async def test_the_data_version_watcher_sees_other_programs_and_not_the_app(seeded, db_path):
    recorder = Recorder()
    app = PapershelfApp(seeded, watch=False)  # the test asks, instead of a timer
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)

        async def look() -> None:
            future = app.writer.check_for_changes()
            assert future is not None
            await asyncio.wrap_future(future)
            await pilot.pause()

        await look()  # the first look notes the version
        await pilot.press("t")  # the app's own write
        await settle(app, pilot)
        await look()
        assert recorder.of(LibraryChanged) == []
        other = paper_list(app).ids[0]
        connection = sqlite3.connect(db_path)
        with connection:
            connection.execute("UPDATE paper SET title = 'Elsewhere' WHERE id = ?", (other,))
        connection.close()
        await look()
        await wait_until(pilot, lambda: recorder.of(LibraryChanged), "the change is seen")
        await settle(app, pilot)
        assert paper_list(app).row(other).paper.title == "Elsewhere"
