"""The app driven by keys through Pilot, checked on the screen and in the library."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from helpers.app import (
    SIZE,
    Recorder,
    main_screen,
    paper_list,
    row_text,
    settle,
    state,
    tab_labels,
    wait_until,
)
from textual.widgets import Input

from models.ingest.importer import import_listing
from models.interchange.citekeys import citation_keys
from models.shelf.reading import add_tag
from tui.app.app import PapershelfApp
from tui.app.widgets import PaperDetail
from tui.cli import main as cli


async def test_list_shows_inbox_with_counts(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        papers = paper_list(app)
        assert len(papers.ids) == 186
        assert "Inbox 186" in tab_labels(app) and "All 186" in tab_labels(app)
        first = state(seeded, papers.ids[0]).display_title
        assert first[:40] in row_text(app, 0)
        detail = app.main.query_one(PaperDetail).plain
        assert first[:30] in detail.replace("\n", " ")


async def test_triage_one_key_per_paper(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        papers = paper_list(app)
        first, second, third = papers.ids[:3]
        await pilot.press("t")
        assert papers.current_id == second  # the cursor moved on at once
        await pilot.press("x")
        assert papers.current_id == third
        await settle(app, pilot)
        assert state(seeded, first).status == "to-read"
        assert state(seeded, second).status == "skipped"
        assert state(seeded, third).status == "new"
        assert "Inbox 184" in tab_labels(app)
        assert "To read 1" in tab_labels(app)


async def test_rating_and_clearing(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        paper_id = paper_list(app).current_id
        await pilot.press("4")
        await settle(app, pilot)
        assert state(seeded, paper_id).rating == 4
        assert "★★★★☆" in row_text(app, 0)
        await pilot.press("0")
        await settle(app, pilot)
        assert state(seeded, paper_id).rating is None


async def test_tagging_with_completion_and_removal(seeded):
    with seeded.write() as session:
        add_tag(session, reader_id=seeded.reader_id, paper_id=1, name="reinforcement")
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        paper_id = paper_list(app).current_id
        await pilot.press("plus")
        await settle(app, pilot)  # the tags for completion have come
        await pilot.press(*"rein")
        await settle(app, pilot)
        await pilot.press("tab", "enter")  # tab takes the completion, as the prompt says
        await settle(app, pilot)
        assert state(seeded, paper_id).tags == ["reinforcement"]
        assert "#reinforcement" in row_text(app, 0)
        await pilot.press("minus", "enter")  # its only tag is offered
        await settle(app, pilot)
        assert state(seeded, paper_id).tags == []


async def test_selection_applies_to_every_selected_paper(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        papers = paper_list(app)
        first, second, third = papers.ids[:3]
        await pilot.press("space", "down", "space")  # first and third
        await pilot.press("r")
        await settle(app, pilot)
        assert state(seeded, first).status == "reading"
        assert state(seeded, second).status == "new"
        assert state(seeded, third).status == "reading"
        assert not papers.selected


async def test_undo_and_redo_say_what_they_did(seeded):
    recorder = Recorder()
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        paper_id = paper_list(app).current_id
        await pilot.press("d")
        await settle(app, pilot)
        assert state(seeded, paper_id).status == "read"
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert state(seeded, paper_id).status == "new"
        assert recorder.said("Undid status → read")
        assert paper_list(app).current_id == paper_id
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert state(seeded, paper_id).status == "read"
        assert recorder.said("Redid status → read")


async def test_note_saved_while_typing_and_on_quit(seeded):
    recorder = Recorder()
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        paper_id = paper_list(app).current_id
        await pilot.press("n", *"Key idea")
        # The editor saves by itself half a second after typing stops.
        await wait_until(
            pilot, lambda: [n.body for n in state(seeded, paper_id).notes] == ["Key idea"]
        )
        await pilot.press(*": sparse routing")
        await app.action_quit()  # quitting with the editor open loses nothing
        assert app.return_code == 0
        assert not recorder.said("Waiting to save")  # nobody held the library: no "busy"
    assert app.return_code == 0
    assert [n.body for n in state(seeded, paper_id).notes] == ["Key idea: sparse routing"]


async def test_edit_latest_note_undo_and_redo_it(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        paper_id = paper_list(app).current_id
        await pilot.press("n", *"first", "escape")
        await settle(app, pilot)
        await pilot.press("e", "end", *" and more", "escape")
        await settle(app, pilot)
        assert [n.body for n in state(seeded, paper_id).notes] == ["first and more"]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert [n.body for n in state(seeded, paper_id).notes] == ["first"]
        await pilot.press("ctrl+z")  # the new note goes
        await settle(app, pilot)
        assert state(seeded, paper_id).notes == []
        await pilot.press("ctrl+y", "ctrl+y")
        await settle(app, pilot)
        assert [n.body for n in state(seeded, paper_id).notes] == ["first and more"]


async def test_views_change_with_brackets(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("t", "t")
        await settle(app, pilot)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert app.main.view.status == "to-read"
        assert len(paper_list(app).ids) == 2
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        assert app.main.view.status is None  # All
        assert len(paper_list(app).ids) == 186


async def test_clicking_a_tab_changes_the_view(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        await pilot.click("#view-to-read")
        await settle(app, pilot)
        assert app.main.view.status == "to-read"
        assert len(paper_list(app).ids) == 1
        assert app.focused is paper_list(app)


async def test_markup_in_listing_text_is_shown_literally(library, tmp_path: Path):
    listing = tmp_path / "markup.txt"
    listing.write_text(
        "Daily Papers\n\n[bold]Not bold[/] and [link=x]no link[/link] [red\n\n"
        "An abstract with [i]tags[/i] and a stray [/] closing tag.\n"
    )
    import_listing(library, listing)
    app = PapershelfApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "[bold]Not bold[/] and [link=x]no link[/link] [red" in row_text(app, 0)
        detail = app.main.query_one(PaperDetail).plain
        assert "stray [/] closing" in detail


async def test_change_from_command_line_shows_after_reload(seeded, db_path):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        paper_id = paper_list(app).ids[0]
        status = await asyncio.to_thread(
            cli, ["--db", str(db_path), "set", str(paper_id), "--status", "read", "--rate", "5"]
        )
        assert status == 0
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert paper_id not in paper_list(app).ids  # left the inbox
        assert "Read 1" in tab_labels(app)


async def test_first_start_seeds_default_library():
    from models.store.database import open_library

    recorder = Recorder()
    library = open_library()
    app = PapershelfApp(library, seed_default=True, watch=False)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        await settle(app, pilot)
        assert len(paper_list(app).ids) == 186
        assert recorder.said("imported 186 papers")
    library.close()


async def test_export_selection_to_bibtex_in_a_new_folder(seeded, tmp_path):
    target = tmp_path / "not-yet" / "refs.bib"
    recorder = Recorder()
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        await pilot.press("space", "space")  # two selected papers
        app.main.actions.ask_export("bibtex")
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(app, pilot)
        entries = re.findall(r"^@\w+\{", target.read_text(), re.MULTILINE)
        assert len(entries) == 2
        assert recorder.said("refs.bib")
        app.main.actions.ask_export("bibtex")  # the last target is offered again
        await pilot.pause()
        assert app.screen.query_one(Input).value == str(target)


async def test_palette_copies_cite_and_exports_ris(seeded, tmp_path):
    from textual.widgets import Input

    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        commands = {c.name: c for c in main_screen(app).palette_commands()}
        commands["Copy \\cite{key}"].run()
        await settle(app, pilot)
        with seeded.read() as session:
            key = citation_keys(session)[paper_list(app).current.id]
        assert app.clipboard == f"\\cite{{{key}}}"
        target = tmp_path / "refs.ris"
        commands["Export RIS to file…"].run()
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(app, pilot)
        assert target.read_text().count("ER  - ") == 186


async def test_search_as_you_type_with_inline_hint(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"reasonrank")
        await settle(app, pilot)
        papers = paper_list(app)
        assert papers.ids, "the paper whose title has ReasonRank"
        assert "ReasonRank" in state(seeded, papers.ids[0]).display_title
        status = app.main.query_one("#search-status")
        assert f"{len(papers.ids)} match" in str(status.render())
        await pilot.press(*" rating:>=x")
        await settle(app, pilot)
        hint = str(status.render())
        assert "rating" in hint and "^" in hint and "match" not in hint  # no count
        await pilot.press(*["backspace"] * len(" rating:>=x"))
        await settle(app, pilot)
        assert not status.has_class("-error")
        assert "ReasonRank" in state(seeded, papers.ids[0]).display_title
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.main.query_one("#search-input", Input).value == ""
        assert len(papers.ids) == 186


async def test_copy_gives_the_citation_key(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("y")  # the first inbox paper has a title and no arXiv id
        await settle(app, pilot)
        assert app.clipboard and " " not in app.clipboard and app.clipboard.islower()
        await pilot.press("slash", *"id:2502.19178", "enter")
        await settle(app, pilot)
        await pilot.press("y")  # a paper with an arXiv id: its key too, as \cite wants it
        await settle(app, pilot)
        with seeded.read() as session:
            key = citation_keys(session)[paper_list(app).current.id]
        assert app.clipboard == key and key[0].isalpha()
