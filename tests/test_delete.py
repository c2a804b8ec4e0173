"""Deleting papers from the app and the command line, and taking deletions and imports back."""

from __future__ import annotations

from helpers.app import SIZE, Recorder, paper_list, settle, state, tab_labels

from models.search import search_ids
from models.shelf.reading import add_note, add_tag, set_status
from models.shelf.removal import delete_papers, restore_papers
from tui.app.app import PapershelfApp
from tui.app.screens.prompt import ConfirmPrompt, TextPrompt
from tui.cli import main as cli

PAPER_TABLES = ("paper", "paper_source", "reading_state", "status_change", "paper_tag", "note")


def test_deleted_papers_come_back_exactly(seeded, db_path, dump):
    reader = {"reader_id": seeded.reader_id}
    with seeded.write() as session:
        set_status(session, **reader, paper_id=3, status="read")
        add_tag(session, **reader, paper_id=3, name="keep")
        add_note(session, **reader, paper_id=3, body="gradient noise")
    before = dump(db_path)
    with seeded.write() as session:
        removed = delete_papers(session, paper_ids=[3, 4])
    with seeded.read() as session:
        assert search_ids(session, reader_id=seeded.reader_id, query="gradient noise") == []
    with seeded.write() as session:
        restore_papers(session, removed)
    after = dump(db_path)
    assert {t: after[t] for t in PAPER_TABLES} == {t: before[t] for t in PAPER_TABLES}
    with seeded.read() as session:
        assert search_ids(session, reader_id=seeded.reader_id, query="gradient noise") == [3]
        words = " ".join((state(seeded, 4).paper.abstract or "").split()[:6])
        assert 4 in search_ids(session, reader_id=seeded.reader_id, query=f'"{words}"')


def test_cli_delete_asks_unless_yes(seeded, db_path, capsys):
    assert cli(["--db", str(db_path), "delete", "3"]) == 2  # stdin is no terminal here
    assert "--yes" in capsys.readouterr().err
    assert cli(["--db", str(db_path), "delete", "3", "4", "--yes"]) == 0
    assert "deleted 2 paper(s)" in capsys.readouterr().out
    assert cli(["--db", str(db_path), "show", "3"]) == 2


async def test_delete_in_the_app_asks_once_and_undo_brings_the_papers_back(seeded):
    recorder = Recorder()
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        papers = paper_list(app)
        first, second, third = papers.ids[:3]
        await pilot.press("space", "space", "delete")
        assert isinstance(app.screen, ConfirmPrompt)
        await pilot.press("y")
        await settle(app, pilot)
        assert first not in papers.ids and second not in papers.ids
        assert papers.current_id == third
        assert "All 184" in tab_labels(app)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert recorder.said("Undid deleted 2 papers")
        assert papers.ids[:3] == [first, second, third]
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert "All 184" in tab_labels(app)
        await pilot.press("delete", "n")  # declined: nothing happens
        await settle(app, pilot)
        assert "All 184" in tab_labels(app)


async def test_the_palette_takes_back_the_last_import(library, seeds, tmp_path):
    app = PapershelfApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "All 0" in tab_labels(app)
        app.main.actions.ask_import()
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        from textual.widgets import Input

        app.screen.query_one(Input).value = str(seeds[0])
        await pilot.press("enter")
        await settle(app, pilot)
        imported = len(paper_list(app).ids)
        assert imported > 0 and f"All {imported}" in tab_labels(app)
        [take_back] = [c for c in app.main.palette_commands() if "last import" in c.name]
        take_back.run()
        await settle(app, pilot)
        assert "All 0" in tab_labels(app)
        await pilot.press("ctrl+z")  # and that, too, can be undone
        await settle(app, pilot)
        assert f"All {imported}" in tab_labels(app)
