"""Type-ahead: keys that arrive all at once (a paste, a fast typist) go where the key
before them put the focus; nothing typed into search, a prompt or the editor reaches the
list's keys. Each test sends its keys in one burst, queued before the first is handled."""

from __future__ import annotations

from helpers.app import SIZE, burst, paper_list, settle, state, tab_labels, wait_until
from textual.widgets import Input

from tui.app.app import PapershelfApp
from tui.app.screens.main import MainScreen


async def test_a_query_typed_at_once_after_slash_is_all_in_the_search_field(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, "slash", *"mixtrue")
        await settle(app, pilot)
        assert app.main.query_one("#search-input", Input).value == "mixtrue"
        assert "Inbox 186" in tab_labels(app)  # no t, r or x reached the list
        assert all(state(seeded, i).status == "new" for i in paper_list(app).ids[:20])


async def test_slash_escape_slash_leaves_an_empty_search(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, "slash", *"abc", "escape", "slash")
        await settle(app, pilot)
        assert app.main.query_one("#search-input", Input).value == ""
        assert app.focused is app.main.query_one("#search-input")
        burst(app, *"rl")
        await settle(app, pilot)
        assert app.main.query_one("#search-input", Input).value == "rl"


async def test_keys_after_escape_from_search_go_back_to_the_list(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = paper_list(app).ids[0]
        burst(app, "slash", *"xt", "escape", "t")
        await settle(app, pilot)
        assert app.main.query_one("#search-input", Input).value == ""
        assert state(seeded, first).status == "to-read"


async def test_a_note_typed_at_once_after_n_is_all_in_the_note(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        paper_id = paper_list(app).current_id
        burst(app, "n", *"text dxr", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(app, pilot)
        assert [n.body for n in state(seeded, paper_id).notes] == ["text dxr"]
        assert state(seeded, paper_id).status == "new"
        assert "Inbox 186" in tab_labels(app)


async def test_a_tag_typed_at_once_after_plus_is_all_in_the_prompt(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        paper_id = paper_list(app).current_id
        burst(app, "plus", *"dtx", "enter")
        await settle(app, pilot)
        assert state(seeded, paper_id).tags == ["dtx"]
        assert state(seeded, paper_id).status == "new"


async def test_bulk_triage_keys_at_once_land_on_the_nearest_untouched_paper(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        ids = paper_list(app).ids[:6]
        burst(app, "g", "j", "space", "space", "space", "x")
        await settle(app, pilot)
        assert [state(seeded, i).status for i in ids] == [
            "new", "skipped", "skipped", "skipped", "new", "new"
        ]  # fmt: skip
        assert paper_list(app).current_id == ids[4]  # the one below the cursor, still here
