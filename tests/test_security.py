"""Security: search text is only ever a value, never SQL; nothing from a listing, a tag or
a note is read as markup or reaches the terminal as an escape sequence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_app import SIZE, row_text, settle

from models.ingest.importer import import_listing
from models.search import search_ids
from models.search.query import QueryError
from models.shelf.reading import add_note, add_tag
from tui.app.app import PapershelfApp
from tui.app.widgets import PaperDetail, PaperList
from tui.cli import main

CORPUS = Path(__file__).parent / "corpus"
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TITLES = ["100% recall", "snake_case names", "O'Brien's \"quoted\" paper", "a plain paper"]
EVERY = "every paper"  # punctuation alone is no search: the whole library, in order
SQLISH = [
    ("'; DROP TABLE paper; --", []),
    ("' OR '1'='1", []),
    ('" OR 1=1 --', None),  # an unclosed quote: a QueryError, exit 2
    ("%", EVERY),
    ("_", EVERY),
    ("%_%", EVERY),
    ("'", EVERY),
    ('"quoted"', ["O'Brien's \"quoted\" paper"]),
    ("\\", EVERY),
    ("paper; DELETE FROM note", []),
]


@pytest.fixture
def titled(library, add_paper):
    ids = {title: add_paper(title=title) for title in TITLES}
    with library.write() as session:
        add_note(session, reader_id=library.reader_id, paper_id=ids["a plain paper"], body="n")
    return ids


@pytest.mark.parametrize(("query", "expected"), SQLISH, ids=[q for q, _ in SQLISH])
def test_sql_in_a_search_is_only_text(library, titled, db_path, dump, capsys, query, expected):
    before = dump(db_path)
    if expected is None:
        with library.read() as session, pytest.raises(QueryError):
            search_ids(session, reader_id=library.reader_id, query=query)
        assert main(["--db", str(db_path), "search", query]) == 2
        assert dump(db_path) == before
        return
    expected = list(titled) if expected == EVERY else expected
    with library.read() as session:
        ids = search_ids(session, reader_id=library.reader_id, query=query)
    assert sorted(ids) == sorted(titled[title] for title in expected)
    assert main(["--db", str(db_path), "search", query]) == 0
    out, err = capsys.readouterr()
    assert err == "" and len(out.splitlines()) == len(expected)
    assert dump(db_path) == before


async def test_sql_typed_into_the_app_search_is_only_text(library, titled, db_path, dump):
    before = dump(db_path)
    app = PapershelfApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        papers = app.query_one(PaperList)
        await pilot.press("slash", *"'; DROP TABLE paper; --")
        await settle(app, pilot)
        assert papers.ids == []
        app.query_one("#search-input").value = '"quoted"'  # as if retyped
        await settle(app, pilot)
        assert papers.ids == [titled["O'Brien's \"quoted\" paper"]]
        assert [n for n in app._notifications if n.severity == "error"] == []
    assert dump(db_path) == before


async def test_listing_tag_and_note_text_is_shown_literally_and_never_as_escapes(library):
    import_listing(library, CORPUS / "ansi_controls.txt")
    import_listing(library, CORPUS / "rich_markup.bib")
    with library.write() as session:
        state = {"reader_id": library.reader_id, "paper_id": 2}
        add_tag(session, **state, name="[b]tag[/b]")
        add_note(session, **state, body="[red]note[/red] \x1b[31mnot red\x1b[0m [link=x]y[/link]")
    app = PapershelfApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        papers = app.query_one(PaperList)
        rows = {paper_id: row_text(app, index) for index, paper_id in enumerate(papers.ids)}
        assert "Escapes red in a title here" in rows[1]
        assert "[bold red]Bold[/] and [link=https://evil.ex" in rows[2]
        assert "#[b]tag[/b]" in rows[2]
        papers.cursor = papers.ids.index(2)
        await settle(app, pilot)
        detail = app.query_one(PaperDetail)
        shown = detail.plain
        for literal in (
            "[reverse]markup[/reverse] and :smile:",
            "[red]Venue[/red] 2024",
            "Jane [b]Doe[/b], [i]John[/i] Smith",
            "[b]tag[/b]",
            "[red]note[/red] not red [link=x]y[/link]",
        ):
            assert literal in shown.replace("\n", " ")
        rendered = [papers.render_line(y) for y in range(len(papers.ids))]
        rendered += [detail.render_line(y) for y in range(detail.size.height)]
        for strip in rendered:
            for segment in strip:
                assert not UNSAFE.search(segment.text), repr(segment.text)
                assert segment.style is None or segment.style.link is None
