"""The app driven by keys through Pilot, checked on the screen and in the library."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from models.ingest.importer import import_listing
from models.interchange.citekeys import citation_keys
from models.shelf.papers import paper_view
from models.shelf.reading import add_tag
from tui.app.app import PapershelfApp
from tui.app.widgets import NoteEditor, PaperDetail, PaperList, ViewBar
from tui.cli import main as cli

SIZE = (120, 40)


@pytest.fixture
def seeded(library, seeds):
    for path in seeds:
        import_listing(library, path)
    return library


async def settle(app: PapershelfApp, pilot) -> None:
    """Wait until the writer, the workers and the screen have caught up."""
    for _ in range(6):
        await pilot.pause()
        if app.writer is not None:
            await asyncio.to_thread(app.writer.wait_idle, 10)
        await app.workers.wait_for_complete()
    await pilot.pause()


def state(library, paper_id: int):
    with library.read() as session:
        return paper_view(session, reader_id=library.reader_id, paper_id=paper_id)


def row_text(app: PapershelfApp, index: int) -> str:
    papers = app.query_one(PaperList)
    return papers.render_line(index - papers.scroll_offset.y).text


async def test_list_shows_inbox_with_counts(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        papers = app.query_one(PaperList)
        assert len(papers.ids) == 186
        bar = str(app.query_one(ViewBar).render())
        assert "Inbox 186" in bar and "All 186" in bar
        first = state(seeded, papers.ids[0]).display_title
        assert first[:40] in row_text(app, 0)
        detail = app.query_one(PaperDetail).plain
        assert first[:30] in detail.replace("\n", " ")


async def test_triage_one_key_per_paper(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        papers = app.query_one(PaperList)
        first, second, third = papers.ids[:3]
        await pilot.press("t")
        assert papers.current_id == second  # the cursor moved on at once
        await pilot.press("x")
        assert papers.current_id == third
        await settle(app, pilot)
        assert state(seeded, first).status == "to-read"
        assert state(seeded, second).status == "skipped"
        assert state(seeded, third).status == "new"
        assert "Inbox 184" in str(app.query_one(ViewBar).render())
        assert "To read 1" in str(app.query_one(ViewBar).render())


async def test_rating_and_clearing(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        paper_id = app.query_one(PaperList).current_id
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
        paper_id = app.query_one(PaperList).current_id
        await pilot.press("plus")
        await pilot.press(*"rein")
        await pilot.press("right", "enter")  # accept the completion
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
        papers = app.query_one(PaperList)
        first, second, third = papers.ids[:3]
        await pilot.press("space", "down", "space")  # first and third
        await pilot.press("r")
        await settle(app, pilot)
        assert state(seeded, first).status == "reading"
        assert state(seeded, second).status == "new"
        assert state(seeded, third).status == "reading"
        assert not papers.selected


async def test_undo_says_what_it_undid(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        paper_id = app.query_one(PaperList).current_id
        await pilot.press("d")
        await settle(app, pilot)
        assert state(seeded, paper_id).status == "read"
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert state(seeded, paper_id).status == "new"
        assert any("Undid status → read" in n.message for n in app._notifications)
        assert app.query_one(PaperList).current_id == paper_id


async def test_note_saved_while_typing_and_on_quit(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        paper_id = app.query_one(PaperList).current_id
        await pilot.press("n")
        await pilot.press(*"Key idea")
        editor = app.query_one(NoteEditor)
        editor._save()  # what the save timer does while you type
        await settle(app, pilot)
        assert [n.body for n in state(seeded, paper_id).notes] == ["Key idea"]
        await pilot.press(*": sparse routing")
        await app.action_quit()  # closing with the editor open loses nothing
    assert [n.body for n in state(seeded, paper_id).notes] == ["Key idea: sparse routing"]


async def test_edit_latest_note_and_undo_it(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        paper_id = app.query_one(PaperList).current_id
        await pilot.press("n", *"first", "escape")
        await settle(app, pilot)
        await pilot.press("e", "end", *" and more", "escape")
        await settle(app, pilot)
        assert [n.body for n in state(seeded, paper_id).notes] == ["first and more"]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert [n.body for n in state(seeded, paper_id).notes] == ["first"]


async def test_views_change_with_brackets(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("t", "t")
        await settle(app, pilot)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert app.status == "to-read"
        assert len(app.query_one(PaperList).ids) == 2
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        assert app.status is None  # All
        assert len(app.query_one(PaperList).ids) == 186


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
        detail = app.query_one(PaperDetail).plain
        assert "stray [/] closing" in detail


async def test_change_from_command_line_shows_in_open_app(seeded, db_path):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        paper_id = app.query_one(PaperList).ids[0]
        status = await asyncio.to_thread(
            cli, ["--db", str(db_path), "set", str(paper_id), "--status", "read", "--rate", "5"]
        )
        assert status == 0
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert paper_id not in app.query_one(PaperList).ids  # left the inbox
        assert "Read 1" in str(app.query_one(ViewBar).render())


async def test_help_lists_every_binding(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        for words in (
            "Mark to read",
            "Rate 3 of 5",
            "Undo the last change",
            "Search as you type",
            "Save the note and go back",
        ):
            assert words in text


async def test_first_start_seeds_default_library(monkeypatch, tmp_path):
    from models.store.database import open_library

    library = open_library()
    app = PapershelfApp(library, seed_default=True, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await settle(app, pilot)
        assert len(app.query_one(PaperList).ids) == 186
        assert any("imported 186 papers" in n.message for n in app._notifications)
    library.close()


async def test_export_view_to_bibtex_from_the_palette_action(seeded, tmp_path):
    from textual.widgets import Input

    target = tmp_path / "refs.bib"
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("space", "space")  # two selected papers
        await app.run_action("export('bibtex')")
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(app, pilot)
        entries = re.findall(r"^@\w+\{", target.read_text(), re.MULTILINE)
        assert len(entries) == 2
        assert any("refs.bib" in n.message for n in app._notifications)


async def test_palette_copies_cite_and_exports_ris(seeded, tmp_path):
    from textual.widgets import Input

    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        [cite] = [c for c in app.get_system_commands(app.screen) if c.title.startswith("Copy \\")]
        cite.callback()
        await settle(app, pilot)
        with seeded.read() as session:
            key = citation_keys(session)[app.paper_list.current.id]
        assert app.clipboard == f"\\cite{{{key}}}"
        target = tmp_path / "refs.ris"
        await app.run_action("export('ris')")
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(app, pilot)
        assert target.read_text().count("ER  - ") == 186


async def test_search_as_you_type_with_inline_hint(seeded):
    from textual.widgets import Input

    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"reasonrank")
        await settle(app, pilot)
        papers = app.query_one(PaperList)
        assert papers.ids, "the paper whose title has ReasonRank"
        assert "ReasonRank" in state(seeded, papers.ids[0]).display_title
        await pilot.press(*" rating:>=x")
        await settle(app, pilot)
        hint = str(app.query_one("#search-hint").render())
        assert "rating" in hint and "^" in hint  # points at the bad part
        await pilot.press(*["backspace"] * len(" rating:>=x"))
        await settle(app, pilot)
        assert not app.query_one("#search-hint").has_class("-shown")
        assert "ReasonRank" in state(seeded, papers.ids[0]).display_title
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.query_one("#search-input", Input).value == ""
        assert len(papers.ids) == 186


async def test_copy_gives_the_citation_key(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("y")  # the first inbox paper has a title and no arXiv id
        await settle(app, pilot)
        assert app.clipboard and " " not in app.clipboard and app.clipboard.islower()
        await pilot.press(
            "right_square_bracket",
            "right_square_bracket",
            "right_square_bracket",
            "right_square_bracket",
            "right_square_bracket",
        )
        await pilot.press("slash", *"id:2502.19178", "enter")
        await settle(app, pilot)
        await pilot.press("y")  # a paper with an arXiv id: its key too, as \cite wants it
        await settle(app, pilot)
        with seeded.read() as session:
            key = citation_keys(session)[app.paper_list.current.id]
        assert app.clipboard == key and key[0].isalpha()
