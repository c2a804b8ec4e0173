"""A note of yours shared with the lab from the app (the palette), and taken back with undo;
the other readers of the library see it signed, and no longer once it is private again."""

from __future__ import annotations

from helpers.app import SIZE, Recorder, paper_list, settle, state

from models.shelf.papers import paper_view
from models.store.database import open_library
from tui.app.app import PapershelfApp

SHARE = "Share or unshare the latest note"


def _seen_by_colleague(url: str, paper_id: int) -> list[tuple[str, str]]:
    other = open_library(url, reader="colleague")
    try:
        with other.read() as session:
            view = paper_view(session, reader_id=other.reader_id, paper_id=paper_id)
    finally:
        other.close()
    return [(note.author, note.body) for note in view.shared_notes]


def _shared_head(app: PapershelfApp) -> bool:
    return any("shared with the lab" in line for line in app.main.detail.lines)


async def test_sharing_the_latest_note_from_the_palette_and_undoing_it(seeded):
    recorder = Recorder()
    app = PapershelfApp(seeded, watch=False)
    url = seeded.location.url
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        paper_id = paper_list(app).current_id
        await pilot.press("n", *"worth a look", "escape")
        await settle(app, pilot)
        assert _seen_by_colleague(url, paper_id) == []  # private until shared
        commands = {command.name: command for command in app.main.palette_commands()}
        commands[SHARE].run()
        await settle(app, pilot)
        assert [note.shared for note in state(seeded, paper_id).notes] == [True]
        assert recorder.said("note shared with the library's other readers")
        assert _shared_head(app)
        assert _seen_by_colleague(url, paper_id) == [("tester", "worth a look")]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert [note.shared for note in state(seeded, paper_id).notes] == [False]
        assert not _shared_head(app)
        assert _seen_by_colleague(url, paper_id) == []
        commands[SHARE].run()  # once more: shared; again: private
        await settle(app, pilot)
        commands[SHARE].run()
        await settle(app, pilot)
        assert recorder.said("note made private")
        assert _seen_by_colleague(url, paper_id) == []


async def test_sharing_without_a_note_says_there_is_none(seeded):
    recorder = Recorder()
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        commands = {command.name: command for command in app.main.palette_commands()}
        commands[SHARE].run()
        await settle(app, pilot)
        assert recorder.said("no note of yours to share")
