"""The keys read from one list (footer, help, palette, README), the config file, the
external editor, and what the list shows at a glance."""

from __future__ import annotations

import sys
from pathlib import Path

from helpers.app import SIZE, Recorder, paper_list, row_text, settle, state, wait_until
from textual.app import App

from models.ingest.importer import import_listing
from models.shelf.reading import add_note
from tui.app.app import PapershelfApp
from tui.app.screens.help import HelpScreen, help_sections, markdown_key_table
from tui.config import config_path, load_config

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_key_table_is_what_the_bindings_render():
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- keys -->\n", 1)[1].split("<!-- /keys -->", 1)[0]
    assert table == markdown_key_table(App())


async def test_help_shows_every_binding_with_its_id(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        for _, bindings in help_sections():
            for binding in bindings:
                assert binding.id and binding.id in shown
                assert (binding.tooltip or binding.description) in shown
        assert "◐ reading" in shown and "✎ has notes" in shown  # the legend


def test_a_bad_config_file_is_one_line_and_defaults_hold():
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('theme = "x"\n[keys\n')
    config = load_config()
    assert config.problem and "\n" not in config.problem and str(path) in config.problem
    assert config.theme == "textual-dark" and config.keys == {}
    path.write_text("colour = 'red'\n")
    assert "unknown setting 'colour'" in (load_config().problem or "")


async def test_config_theme_keys_and_a_changed_theme_is_kept(seeded):
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('# mine\ntheme = "nord"\n\n[keys]\nto_read = "T"\n')
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.theme == "nord"
        first, second = paper_list(app).ids[:2]
        await pilot.press("t")  # no longer bound
        await settle(app, pilot)
        assert state(seeded, first).status == "new"
        await pilot.press("T")
        await settle(app, pilot)
        assert state(seeded, first).status == "to-read"
        app.theme = "gruvbox"
        await pilot.pause()
    assert load_config().theme == "gruvbox"
    assert path.read_text().startswith("# mine\n")  # the rest of the file is left alone
    assert load_config().keys == {"to_read": "T"}


async def test_a_bad_config_still_starts_the_app_and_says_so(seeded):
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text("[keys\n")
    recorder = Recorder()
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        assert len(paper_list(app).ids) == 186
        assert any(str(path) in line for line in recorder.errors())


async def test_big_e_edits_the_latest_note_in_the_users_editor(seeded, tmp_path, monkeypatch):
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\np = sys.argv[1]\ntext = open(p).read()\n"
        "open(p, 'w').write(text + ' (edited outside)\\n')\n"
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        paper_id = paper_list(app).current_id
        await pilot.press("E")  # no note yet: a new one
        await settle(app, pilot)
        assert [n.body for n in state(seeded, paper_id).notes] == [" (edited outside)"]
        await pilot.press("E")
        await settle(app, pilot)
        assert [n.body for n in state(seeded, paper_id).notes] == [
            " (edited outside) (edited outside)"
        ]


async def test_rows_show_note_mark_year_column_and_selection_count(seeded):
    with seeded.write() as session:
        add_note(session, reader_id=seeded.reader_id, paper_id=142, body="# A heading\n\n*stress*")
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        papers = paper_list(app)
        rows = [row_text(app, i) for i in range(10)]
        marked = [row for row, paper_id in zip(rows, papers.ids, strict=False) if paper_id == 142]
        assert marked and "✎" in marked[0]
        years = {row.rstrip()[-4:] for row in rows if row.rstrip()[-4:].isdigit()}
        assert years and {row.rstrip().rfind(y) for row in rows for y in years if y in row} == {
            len(rows[0].rstrip()) - 4
        }  # the year ends every row in the same column
        await pilot.press("space", "space")
        await settle(app, pilot)
        info = str(app.main.query_one("#view-info").render())
        assert "2 selected" in info
        await pilot.press("escape")
        await settle(app, pilot)
        assert not papers.selected and "selected" not in str(
            app.main.query_one("#view-info").render()
        )
        await pilot.press("a")
        assert papers.selected == set(papers.ids)
        papers.cursor = papers.ids.index(142)
        await settle(app, pilot)
        detail = app.main.detail.plain
        assert "A heading" in detail


async def test_search_shows_every_match_of_the_whole_library_with_the_true_count(library, tmp_path):
    from conftest import write_big_listing

    listing = tmp_path / "many.txt"
    count = write_big_listing(listing, 1_300_000)
    assert count > 1000
    import_listing(library, listing)
    app = PapershelfApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("x")  # one paper leaves the inbox: search still finds it
        await pilot.press("slash", *"study")
        await settle(app, pilot)
        await wait_until(pilot, lambda: len(paper_list(app).ids) == count)
        status = str(app.main.query_one("#search-status").render())
        assert f"{count} matches" in status
        await pilot.press("escape", "G")
        await settle(app, pilot)
        assert "Paper" in row_text(app, paper_list(app).cursor)


async def test_search_keys_only_while_typing_and_typos_are_read_out(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "t" in app.screen.active_bindings
        await pilot.press("slash", *"mixtrue")
        await settle(app, pilot)
        assert "t" not in app.screen.active_bindings  # the footer shows search's keys only
        status = str(app.main.query_one("#search-status").render())
        assert "mixtrue → mixture" in status and "match" in status


async def test_the_palette_names_keys_as_the_footer_does(seeded):
    app = PapershelfApp(seeded, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        helps = {command.name: command.help for command in app.main.palette_commands()}
        assert helps["Add a tag (with completion)"] == "key: +"
        assert helps["Undo the last change"] == "key: ^z"
        assert "Take back the last import" in helps


async def test_the_empty_library_says_how_to_fill_it(library):
    app = PapershelfApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = app.main.detail.plain
        assert "library is empty" in " ".join(app.main.detail.lines)
        assert "library is empty" in text and "papershelf import" in text
