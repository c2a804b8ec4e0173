"""Property-based tests: parsers on generated text, and the backup round trip on
generated titles, notes and tags."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.core.keys import abstract_key, doi_key, title_key
from models.core.text import clean_text, is_printable
from models.core.times import utcnow
from models.ingest.formats import PARSERS, parse_listing
from models.ingest.importer import import_listing
from models.ingest.merge import PAPER
from models.ingest.record import ListingError, ParsedListing, ParseOptions
from models.ingest.restore import restore_backup
from models.interchange.backup import backup_text, write_backup
from models.interchange.directory import export_markdown
from models.search import search_ids
from models.search.query import QueryError
from models.shelf.papers import paper_view
from models.shelf.reading import add_note, add_tag
from models.store.bulk import bulk_insert
from models.store.database import open_library
from models.store.tables import Paper

OPTIONS = ParseOptions(date(2026, 11, 23))
SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

#: Pieces of every format, so generated text reaches deep into the parsers, not only
#: their sniffers: ids, dates, BibTeX braces, XML tags, page headers, odd whitespace.
PIECES = [
    "arXiv:2401.00001", "arXiv:2401.00001v2", "arXiv:hep-th/9711200", " - doi: 10.1145/1.2",
    "Created: 2024-02-30", "Created: 2024-01-18", "\n", "\n\n", "\r\n", "\t", " ", "\x00",
    "Abstract:", "abstract: ", "Daily Papers", "byAK and the research community",
    "• 9 authors", "·", "Mar 11", "Feb 29", "Jun 28, 2024 2", "Dec 31, 9999 99999999999999",
    "@article{", "@misc(", "@comment{", "@string{x = ", "title = {", "author = {", " and ",
    "eprint = {", "doi = {", "month = feb", "year = 2024", "day = 31", "}", "{", ",", "\\'",
    "\\", "$", "%", '"', "<?xml version='1.0'?>", "<feed xmlns='http://www.w3.org/2005/Atom'>",
    "<entry>", "</entry>", "<title>", "</title>", "<id>http://arxiv.org/abs/2401.00001v1</id>",
    "<published>2024-01-01T00:00:00Z</published>", "</feed>", "<!DOCTYPE x [", "&amp;", "&x;",
    "\x1b[31m", "[bold]", "\u202e", "\ufeff", "é", "🎉",
]  # fmt: skip
#: What people type into a search, and what a query language may make of it.
SEARCH_PIECES = [
    "model", "LLM", "status:read", "tag:", 'tag:"a b"', '"', "'", "(", ")", "-", "OR", "AND",
    "NOT", "*", "%", "_", "\\", ":", "year:2024", "year:>2020", "~", "^", "\x00", "é", "",
]  # fmt: skip
listing_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=40).map(
    "".join
)


@pytest.mark.parametrize("name", sorted(PARSERS))
@SETTINGS
@given(text=st.one_of(st.text(), listing_text))
def test_a_parser_returns_records_or_raises_only_listing_error(name, text):
    try:
        parsed = PARSERS[name].parse(text, OPTIONS)
    except ListingError:
        return
    assert isinstance(parsed, ParsedListing)
    for record in parsed.records:
        assert not record.is_empty()
        assert record.line >= 1


@SETTINGS
@given(data=st.one_of(st.binary(max_size=400), listing_text.map(str.encode)))
def test_reading_any_file_gives_a_listing_or_a_listing_error(tmp_path, data):
    path = tmp_path / "listing.txt"
    path.write_bytes(data)
    try:
        name, parsed = parse_listing(path, OPTIONS)
    except ListingError as error:
        assert str(error).startswith(f"{path}:{error.line}: ")
        assert error.line >= 1 and "\n" not in error.reason
        return
    # papers, or (a BibTeX file of @string macros for other files) definitions
    assert name in PARSERS and (parsed.records or parsed.definitions)


# --- export and import round trips -----------------------------------------------

# Titles as the library holds them: every way in cleans text (a restore cleans too).
titles = st.text(min_size=1, max_size=80).map(clean_text).filter(bool)
shelves = st.lists(
    st.tuples(
        titles,
        st.lists(st.text(max_size=200), max_size=3),  # notes
        st.lists(st.text(min_size=1, max_size=30), max_size=3),  # tags
    ),
    min_size=1,
    max_size=4,
)


def _library_with(directory: Path, shelf) -> object:
    library = open_library(str(directory / "a.sqlite"))
    now = utcnow()
    with library.write() as session:
        for title, notes, tags in shelf:
            paper = Paper(title=title, added_at=now, updated_at=now)
            paper.title_key, paper.doi_key = title_key(title), doi_key(None)
            paper.abstract_key = abstract_key(None)
            session.add(paper)
            session.flush()
            state = {"reader_id": library.reader_id, "paper_id": paper.id}
            for body in notes:
                if body.strip():
                    add_note(session, **state, body=body)
            for tag in tags:
                if tag.strip() and tag.isprintable():
                    add_tag(session, **state, name=tag)
    return library


def _views(library) -> list:
    with library.read() as session:
        ids = session.connection().exec_driver_sql("SELECT id FROM paper ORDER BY id")
        return [
            paper_view(session, reader_id=library.reader_id, paper_id=paper_id)
            for (paper_id,) in ids.all()
        ]


@settings(max_examples=30, deadline=None)
@given(shelf=shelves)
def test_backup_and_restore_keep_arbitrary_titles_notes_and_tags(shelf):
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        original = _library_with(directory, shelf)
        with original.read() as session:
            write_backup(session, path=directory / "backup.json")
            before = "".join(backup_text(session))
        restored = open_library(str(directory / "b.sqlite"))
        restore_backup(restored, directory / "backup.json")
        with restored.read() as session:
            assert "".join(backup_text(session)) == before
        for old, new in zip(_views(original), _views(restored), strict=True):
            assert new.paper.title == old.paper.title
            assert [n.body for n in new.notes] == [n.body for n in old.notes]
            assert new.tags == old.tags
        assert [view.paper.title for view in _views(restored)] == [title for title, *_ in shelf]
        original.close()
        restored.close()


# --- search and export paths on arbitrary text -------------------------------------


@pytest.fixture(scope="module")
def small_library(tmp_path_factory):
    library = open_library(str(tmp_path_factory.mktemp("search") / "library.sqlite"))
    import_listing(library, Path(__file__).parent.parent / "seeds" / "000_950f68edfbbc750a.txt")
    yield library
    library.close()


@SETTINGS
@given(query=st.one_of(st.text(), st.lists(st.sampled_from(SEARCH_PIECES)).map(" ".join)))
def test_any_search_text_gives_results_or_a_query_error(small_library, query):
    with small_library.read() as session:
        try:
            ids = search_ids(session, reader_id=small_library.reader_id, query=query)
        except QueryError as error:
            assert 0 <= error.start <= error.end <= len(query)
            return
    assert len(ids) == len(set(ids)) <= 10


@settings(max_examples=30, deadline=None)
@given(titles=st.lists(st.text(max_size=120), min_size=1, max_size=5))
def test_markdown_files_stay_in_their_folder_whatever_the_titles(titles):
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        library = _library_with(directory, [(title or " ", [], []) for title in titles])
        out = directory / "out"
        with library.read() as session:
            ids = [view.id for view in _views(library)]
            result = export_markdown(session, reader_id=library.reader_id, ids=ids, directory=out)
        library.close()
        assert len(result.written) == len(titles)
        for path in result.written:
            assert path.resolve().parent == out.resolve()
        assert {p.name for p in directory.iterdir()} <= {
            "a.sqlite",
            "a.sqlite-wal",
            "a.sqlite-shm",
            "out",
        }


# --- the fast paths of text checks and bulk writes ---------------------------------


@SETTINGS
@given(text=st.text())
def test_is_printable_agrees_with_str_isprintable(text):
    assert is_printable(text) == text.isprintable()
    assert is_printable(text.encode("ascii", "replace").decode()) == (
        text.encode("ascii", "replace").decode().isprintable()
    )


@settings(SETTINGS, max_examples=20)
@given(lists=st.lists(st.lists(st.text(), max_size=5), min_size=1, max_size=50))
def test_bulk_inserted_author_lists_are_stored_as_json_dumps_writes_them(tmp_path, lists):
    library = open_library(tempfile.mkdtemp(dir=tmp_path) + "/library.sqlite")
    try:
        now = utcnow()
        times = {"added_at": now, "updated_at": now}
        rows = [{"title": "x", "authors": names} | times for names in lists]
        with library.write() as session:
            bulk_insert(session.connection(), PAPER, rows)
        with library.read() as session:
            stored = session.connection().exec_driver_sql("SELECT authors FROM paper ORDER BY id")
            texts = stored.scalars().all()
    finally:
        library.close()
    assert texts == [json.dumps(names) for names in lists]
