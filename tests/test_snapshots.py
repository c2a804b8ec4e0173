"""Snapshots of the app's screens (pytest-textual-snapshot): the main screen at 120x40,
80x24 and 60x15, the rest at 120x40. `pytest --snapshot-update` rewrites them after an
intended change; the SVGs in tests/__snapshots__/ show what changed.

Deterministic: the seed listings, a fixed reader and note time, the default theme (no
user config), no cursor blink."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers.app import settle, wait_until
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from models.shelf.reading import add_note, add_tag, set_rating, set_status
from tui.app.app import PapershelfApp

NOTE_TIME = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
MAIN_SIZES = [(120, 40), (80, 24), (60, 15)]


@pytest.fixture
def shelf_app(seeded, db_path):
    """The seeds with a little state: statuses, a rating, tags and a note at a fixed time."""
    from models.shelf.papers import list_ids

    with seeded.read() as session:
        ids = list_ids(session, reader_id=seeded.reader_id)
    with seeded.write() as session:
        reader = {"reader_id": seeded.reader_id}
        set_status(session, **reader, paper_id=ids[1], status="reading")
        set_status(session, **reader, paper_id=ids[2], status="read")
        set_status(session, **reader, paper_id=ids[3], status="skipped")
        set_rating(session, **reader, paper_id=ids[0], rating=4)
        add_tag(session, **reader, paper_id=ids[0], name="reranking")
        add_tag(session, **reader, paper_id=ids[0], name="llm")
        note = add_note(
            session, **reader, paper_id=ids[0], body="**Idea**: contrastive beats SFT.\n\n- a list"
        )
        note.created = note.updated = NOTE_TIME
    return PapershelfApp(seeded, watch=False)


def steady(*keys: str):
    """Settle the app, press `keys`, settle again, stop every cursor blinking."""

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        assert isinstance(app, PapershelfApp)
        await settle(app, pilot)
        main = app.main
        shown = lambda: main.detail.paper is not None or not main.paper_list.ids  # noqa: E731
        await wait_until(pilot, shown, "the detail pane follows the cursor")
        if keys:
            await pilot.press(*keys)
            await settle(app, pilot)
        for screen in app.screen_stack:
            for widget in screen.query(Input):
                widget.cursor_blink = False
            for area in screen.query(TextArea):
                area.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_inbox_list_with_detail(snap_compare, shelf_app, size):
    assert snap_compare(shelf_app, terminal_size=size, run_before=steady())


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_search_with_results_and_typo_reading(snap_compare, shelf_app, size):
    keys = ("slash", *"mixtrue")
    assert snap_compare(shelf_app, terminal_size=size, run_before=steady(*keys))


def test_search_with_a_malformed_query_hint(snap_compare, shelf_app):
    keys = ("slash", *"rerank rating:>=x")
    assert snap_compare(shelf_app, terminal_size=(120, 40), run_before=steady(*keys))


def test_note_editor(snap_compare, shelf_app):
    assert snap_compare(shelf_app, terminal_size=(120, 40), run_before=steady("e"))


def test_help_screen(snap_compare, shelf_app):
    assert snap_compare(shelf_app, terminal_size=(120, 40), run_before=steady("question_mark"))


def test_command_palette(snap_compare, shelf_app):
    keys = ("ctrl+p", *"export")  # typed: the order of discovery is not fixed
    assert snap_compare(shelf_app, terminal_size=(120, 40), run_before=steady(*keys))


def test_all_view_shows_every_status_at_80x24(snap_compare, shelf_app):
    keys = ("left_square_bracket",)
    assert snap_compare(shelf_app, terminal_size=(80, 24), run_before=steady(*keys))


@pytest.fixture
def watching_app(shelf_app):
    """The shelf with two watches, one of them matching Inbox papers."""
    from models.search.watches import add_watch

    library = shelf_app.library
    with library.write() as session:
        add_watch(session, reader_id=library.reader_id, name="moe", query='"mixture of experts"')
        add_watch(session, reader_id=library.reader_id, name="video", query="video diffusion")
    return shelf_app


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=lambda size: f"{size[0]}x{size[1]}")
def test_view_bar_with_watches_and_marked_rows(snap_compare, watching_app, size):
    assert snap_compare(watching_app, terminal_size=size, run_before=steady())


def test_fetch_summary(snap_compare, seeded, db_path, loopback):
    from helpers.loopback import Answer, recorded

    from tui.app.widgets import FetchBar
    from tui.config import Config

    body = recorded("rss-cs.CL+cs.AI-2026-11-30.xml")
    loopback.route("/rss/cs.AI+cs.CL", Answer(body=body))
    app = PapershelfApp(seeded, watch=False, config=Config(arxiv_categories=("cs.CL", "cs.AI")))

    async def run_before(pilot: Pilot) -> None:
        await steady("F")(pilot)
        bar = app.main.query_one(FetchBar)
        await wait_until(pilot, lambda: not bar.running and app.screen.query("Toast"), "told")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
