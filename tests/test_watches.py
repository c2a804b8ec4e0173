"""Watch lists in the data layer, as the app's views will call them."""

from __future__ import annotations

import pytest

from models.search.query import QueryError
from models.search.watches import (
    WatchCount,
    WatchError,
    add_watch,
    list_watches,
    remove_watch,
    watched_in_inbox,
)
from models.shelf.reading import set_status
from models.store.database import open_library


@pytest.fixture
def papers(library, add_paper) -> list[int]:
    return [
        add_paper(title="Mixture of Experts at Scale", abstract="Routing tokens to experts."),
        add_paper(title="Sparse Mixture of Experts Survey", abstract="A survey of routing."),
        add_paper(title="Diffusion for Video", abstract="Frames from noise."),
    ]


def test_a_watch_counts_its_matches_and_those_still_in_the_inbox(library, papers):
    with library.write() as session:
        add_watch(session, reader_id=library.reader_id, name="moe", query='"mixture of experts"')
        set_status(session, reader_id=library.reader_id, paper_id=papers[0], status="read")
    with library.read() as session:
        assert list_watches(session, reader_id=library.reader_id) == [
            WatchCount("moe", '"mixture of experts"', new=1, total=2)
        ]


def test_watches_are_each_readers_own(library, papers, db_path):
    with library.write() as session:
        add_watch(session, reader_id=library.reader_id, name="video", query="diffusion")
    other = open_library(str(db_path), reader="grace")
    try:
        with other.read() as session:
            assert list_watches(session, reader_id=other.reader_id) == []
        with other.write() as session:  # the same name is free for another reader
            add_watch(session, reader_id=other.reader_id, name="video", query="video -survey")
        with other.read() as session:
            [watch] = list_watches(session, reader_id=other.reader_id)
            assert (watch.query, watch.total) == ("video -survey", 1)
    finally:
        other.close()


def test_a_query_that_does_not_parse_is_refused_and_nothing_is_saved(library):
    with pytest.raises(QueryError, match="unclosed quote"), library.write() as session:
        add_watch(session, reader_id=library.reader_id, name="broken", query='"mixture of')
    with library.read() as session:
        assert list_watches(session, reader_id=library.reader_id) == []


def test_names_are_unique_per_reader_and_removing_keeps_the_papers(library, papers):
    with library.write() as session:
        add_watch(session, reader_id=library.reader_id, name="moe", query="experts")
    with pytest.raises(WatchError, match="exists already"), library.write() as session:
        add_watch(session, reader_id=library.reader_id, name="moe", query="routing")
    with library.write() as session:
        remove_watch(session, reader_id=library.reader_id, name="moe")
    with pytest.raises(WatchError, match="no watch named 'moe'"), library.write() as session:
        remove_watch(session, reader_id=library.reader_id, name="moe")
    with library.read() as session:
        assert list_watches(session, reader_id=library.reader_id) == []
        count = session.connection().exec_driver_sql("SELECT count(*) FROM paper").scalar_one()
    assert count == 3


def test_the_marks_of_a_page_are_its_inbox_papers_that_match_a_watch(library, papers):
    with library.write() as session:
        reader = {"reader_id": library.reader_id}
        add_watch(session, **reader, name="moe", query='"mixture of experts"')
        add_watch(session, **reader, name="video", query="video")
        set_status(session, **reader, paper_id=papers[0], status="read")  # matches, not Inbox
    with library.read() as session:
        reader_id = library.reader_id
        assert watched_in_inbox(session, reader_id=reader_id, paper_ids=papers) == {
            papers[1],
            papers[2],
        }
        # Only the papers asked about: a page never costs the whole library.
        assert watched_in_inbox(session, reader_id=reader_id, paper_ids=papers[:2]) == {papers[1]}
        assert watched_in_inbox(session, reader_id=reader_id, paper_ids=[]) == set()
