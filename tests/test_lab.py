"""A lab's shared library: each reader's state is their own, the lab view counts everyone's,
and a note is private unless its reader shares it."""

from __future__ import annotations

import json

import pytest

from models.ingest.importer import import_listing
from models.search import search_ids
from models.search.query import QueryError
from models.shelf.papers import paper_view
from models.store.database import open_library
from tui.cli import main

#: reader -> paper number -> (status, rating)
LAB = {
    "ada": {1: ("read", 5), 2: ("to-read", None), 3: ("read", 3)},
    "bo": {1: ("read", 4), 3: ("reading", None)},
    "cy": {1: ("to-read", 3)},
}


@pytest.fixture
def lab(library, seeds, capsys):
    """The first seed listing, with three readers' state set through the command line."""
    import_listing(library, seeds[0])
    url = library.location.url
    for reader, papers in LAB.items():
        for paper, (status, rating) in papers.items():
            args = ["--db", url, "--reader", reader, "set", str(paper), "--status", status]
            assert main(args + (["--rate", str(rating)] if rating else [])) == 0
    assert main(["--db", url, "--reader", "cy", "set", "4", "--tag", "later"]) == 0
    capsys.readouterr()
    return url


def show(capsys, url: str, reader: str, paper: int) -> dict:
    assert main(["--db", url, "--reader", reader, "show", str(paper), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_show_json_carries_the_lab_beside_the_readers_own_state(lab, capsys):
    paper = show(capsys, lab, "bo", 1)
    assert (paper["status"], paper["rating"]) == ("read", 4)  # bo's own
    assert paper["lab"] == {
        "readers": 3,
        "statuses": {"read": 2, "to-read": 1},
        "mean_rating": 4.0,
    }
    assert show(capsys, lab, "ada", 4)["lab"] == {  # a tag alone makes a reader
        "readers": 1,
        "statuses": {},
        "mean_rating": None,
    }
    assert show(capsys, lab, "ada", 5)["lab"]["readers"] == 0
    assert main(["--db", lab, "--reader", "bo", "show", "1"]) == 0
    assert "Lab: read by 2 · 3 readers · 1 to read · ★ 4.0" in capsys.readouterr().out


def test_each_reader_keeps_their_own_status_rating_and_tags(lab, capsys):
    ada, cy = show(capsys, lab, "ada", 1), show(capsys, lab, "cy", 1)
    assert (ada["status"], ada["rating"], cy["status"], cy["rating"]) == ("read", 5, "to-read", 3)
    assert show(capsys, lab, "cy", 4)["tags"] == ["later"]
    assert show(capsys, lab, "ada", 4)["tags"] == []


@pytest.mark.parametrize(
    ("query", "papers"),
    [
        ("lab:read>=2", {1}),
        ("lab:read", {1, 3}),
        ("lab:readers>=3", {1}),
        ("lab:readers>=1", {1, 2, 3, 4}),
        ("lab:to-read>=1", {1, 2}),
        ("lab:rating>=4", {1}),
        ("lab:rating<4", {3}),
        ("-lab:readers>=1", {5, 6, 7, 8, 9, 10}),
        ("lab:read>=1 status:read", {1, 3}),
    ],
)
def test_lab_filters_count_every_readers_state(lab, query, papers):
    library = open_library(lab, reader="ada")
    try:
        with library.read() as session:
            found = search_ids(session, reader_id=library.reader_id, query=query, limit=None)
    finally:
        library.close()
    assert set(found) == papers


def test_a_lab_filter_that_makes_no_sense_says_why():
    library_free = pytest.raises(QueryError, match="lab: takes one of readers, rating")
    from models.search.query import parse_query

    with library_free:
        parse_query("lab:colour>=2")
    with pytest.raises(QueryError, match="needs a number"):
        parse_query("lab:read>=x")


def test_notes_are_private_unless_shared_and_shared_ones_name_their_author(lab, capsys):
    assert main(["--db", lab, "--reader", "ada", "note", "1", "my own thoughts"]) == 0
    assert main(["--db", lab, "--reader", "ada", "note", "1", "read section 4", "--share"]) == 0
    assert "shared" in capsys.readouterr().out
    bo = show(capsys, lab, "bo", 1)
    assert bo["notes"] == []
    assert [(n["author"], n["body"]) for n in bo["shared_notes"]] == [("ada", "read section 4")]
    ada = show(capsys, lab, "ada", 1)
    assert [n["body"] for n in ada["notes"]] == ["my own thoughts", "read section 4"]
    assert ada["shared_notes"] == []  # her own shared note is among her notes, once
    assert main(["--db", lab, "--reader", "bo", "show", "1"]) == 0
    assert "by ada" in capsys.readouterr().out


def test_the_app_detail_pane_shows_the_lab(lab):
    from tui.display import paper_fields

    library = open_library(lab, reader="cy")
    try:
        with library.read() as session:
            view = paper_view(session, reader_id=library.reader_id, paper_id=1)
    finally:
        library.close()
    assert ("Lab", "read by 2 · 3 readers · 1 to read · ★ 4.0") in paper_fields(view)


def test_a_note_can_be_shared_after_writing_it_and_made_private_again(lab, capsys):
    assert main(["--db", lab, "--reader", "ada", "note", "1", "first private, then not"]) == 0
    capsys.readouterr()
    note_id = show(capsys, lab, "ada", 1)["notes"][0]["id"]
    assert show(capsys, lab, "bo", 1)["shared_notes"] == []
    assert main(["--db", lab, "--reader", "ada", "share", str(note_id)]) == 0
    assert capsys.readouterr().out == (
        f"note {note_id} on paper 1 shared with the library's other readers\n"
    )
    shared = show(capsys, lab, "bo", 1)["shared_notes"]
    assert [(n["author"], n["body"]) for n in shared] == [("ada", "first private, then not")]
    assert show(capsys, lab, "ada", 1)["notes"][0]["shared"] is True
    assert main(["--db", lab, "--reader", "ada", "show", "1"]) == 0
    assert f"## Note {note_id} (" in (out := capsys.readouterr().out) and ", shared)" in out
    assert main(["--db", lab, "--reader", "ada", "unshare", str(note_id)]) == 0
    assert "private again" in capsys.readouterr().out
    assert show(capsys, lab, "bo", 1)["shared_notes"] == []


def test_only_your_own_notes_can_be_shared_and_a_wrong_id_changes_nothing(lab, capsys):
    assert main(["--db", lab, "--reader", "ada", "note", "1", "ada's"]) == 0
    capsys.readouterr()
    note_id = show(capsys, lab, "ada", 1)["notes"][0]["id"]
    assert main(["--db", lab, "--reader", "bo", "share", str(note_id)]) == 2
    assert capsys.readouterr().err == f"papershelf: no note {note_id}\n"
    assert main(["--db", lab, "--reader", "ada", "share", str(note_id), "999999"]) == 2
    assert "no note 999999" in capsys.readouterr().err
    assert show(capsys, lab, "bo", 1)["shared_notes"] == []  # all or nothing
    with pytest.raises(SystemExit) as exit_code:
        main(["--db", lab, "--reader", "ada", "share", "x1"])
    assert exit_code.value.code == 2
    assert "not a note id: 'x1'" in capsys.readouterr().err
