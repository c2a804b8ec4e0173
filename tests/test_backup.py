"""The JSON backup: everything in it, byte-identical round trips, merging into a library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlmodel import col

from models.core.times import utcnow
from models.ingest.importer import PAPER, import_listing
from models.ingest.record import ListingError
from models.ingest.restore import is_backup, restore_backup
from models.interchange.backup import backup_text, write_backup
from models.shelf.papers import find_paper, paper_view
from models.shelf.reading import add_note, add_tag, set_rating, set_status, update_note
from models.store.database import open_library
from models.store.tables import Note, Paper, Reader

DATA = Path(__file__).parent / "data"


def act(library, paper: str, *, note=None, tag=None, status=None, rating=None) -> None:
    with library.write() as session:
        state = {"reader_id": library.reader_id, "paper_id": find_paper(session, paper).id}
        if note:
            add_note(session, **state, body=note)
        if tag:
            add_tag(session, **state, name=tag)
        if status:
            set_status(session, **state, status=status)
        if rating:
            set_rating(session, **state, rating=rating)


@pytest.fixture
def full_library(library, db_path, add_paper):
    """Two readers' state on papers from two files and one made by hand."""
    import_listing(library, DATA / "arxiv_query.xml")
    import_listing(library, DATA / "sample.bib")
    # No U+2028 or controls: no import or restore can store them (restores clean them).
    add_paper(title='Hand-made: ünïcode and "quotes" 🎉', authors=["A. Person"])
    act(library, "1706.03762", note="Self-attention only.\n\n- no recurrence", tag="ml")
    act(library, "1706.03762", status="reading", rating=4)
    act(library, "1706.03762", status="read", tag="Transformers")
    act(library, "hep-th/9711200", note="AdS/CFT", status="to-read")
    with library.write() as session:
        note = session.exec(select(Note).limit(1)).scalars().one()
        update_note(session, reader_id=library.reader_id, note_id=note.id, body="Edited.")
    alice = open_library(str(db_path), reader="alice")
    act(alice, "1706.03762", note="Alice disagrees.", tag="to-discuss", status="skipped")
    with alice.write() as session:  # a note the whole lab sees
        paper_id = find_paper(session, "1706.03762").id
        add_note(
            session, reader_id=alice.reader_id, paper_id=paper_id, body="Lab: read §3.", shared=True
        )
    act(alice, "4", note="Alice on the hand-made paper.")
    alice.close()
    return library


def backup_bytes(library) -> bytes:
    with library.read() as session:
        return "".join(backup_text(session)).encode()


def test_backup_holds_every_reader_with_times_sources_and_history(full_library, tmp_path):
    path = tmp_path / "backup.json"
    with full_library.read() as session:
        result = write_backup(session, path=path)
    assert result.papers == 5 and result.written == [path]
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("papershelf-backup", 1)
    assert data["tags"] == ["Transformers", "ml", "to-discuss"]  # in the database's order
    attention = next(p for p in data["papers"] if p["arxiv_id"] == "1706.03762")
    assert sorted(attention["readers"]) == ["alice", "tester"]
    tester = attention["readers"]["tester"]
    assert tester["state"]["status"] == "read" and tester["state"]["rating"] == 4
    assert [(h["old_status"], h["new_status"]) for h in tester["history"]] == [
        ("new", "reading"),
        ("reading", "read"),
    ]
    assert [tag["name"] for tag in tester["tags"]] == ["Transformers", "ml"]
    assert tester["notes"][0]["body"] == "Edited."
    assert tester["notes"][0]["created"].endswith("Z") and "." in tester["notes"][0]["created"]
    assert attention["readers"]["alice"]["notes"][0]["body"] == "Alice disagrees."
    assert [note["shared"] for note in attention["readers"]["alice"]["notes"]] == [False, True]
    assert [s["format"] for s in attention["sources"]] == ["arxiv-atom", "bibtex"]


def test_restore_into_an_empty_library_gives_byte_identical_backup(full_library, tmp_path):
    path = tmp_path / "backup.json"
    with full_library.read() as session:
        write_backup(session, path=path)
    original = path.read_bytes()
    assert json.dumps(json.loads(original), ensure_ascii=False, indent=2) + "\n" == (
        original.decode()
    )
    empty = open_library(str(tmp_path / "restored.sqlite"), reader="someone-new")
    summary = restore_backup(empty, path)
    assert (summary.new, summary.merged, summary.notes) == (5, 0, 5)
    assert backup_bytes(empty) == original  # the shared note among them, still shared
    with full_library.read() as before, empty.read() as after:  # paper and note ids kept
        tester = after.exec(select(Reader.id).where(Reader.name == "tester")).scalars().one()
        old = paper_view(before, reader_id=full_library.reader_id, paper_id=1)
        new = paper_view(after, reader_id=tester, paper_id=1)
        assert new.paper.arxiv_id == old.paper.arxiv_id == "1706.03762"
        assert new.notes == old.notes and new.tags == old.tags
    empty.close()


def test_restore_into_a_library_with_papers_merges_and_keeps_both_sides(full_library, tmp_path):
    path = tmp_path / "backup.json"
    with full_library.read() as session:
        write_backup(session, path=path)
    mine = open_library(str(tmp_path / "mine.sqlite"))  # reader "tester" too
    import_listing(mine, DATA / "arxiv_query.xml")
    act(mine, "1706.03762", note="My own note.", status="to-read", tag="ML")
    summary = restore_backup(mine, path)
    assert (summary.new, summary.merged + summary.unchanged) == (2, 3)
    with mine.read() as session:
        paper = find_paper(session, "1706.03762")
        view = paper_view(session, reader_id=mine.reader_id, paper_id=paper.id)
        alice = paper_view(session, reader_id=2, paper_id=paper.id)
        count = session.execute(select(func.count(Paper.id))).scalar_one()
    assert sorted(note.body for note in view.notes) == ["Edited.", "My own note."]
    assert view.status == "to-read"  # the library's own status wins
    assert view.tags == ["ML", "Transformers"]  # "ml" is "ML", matched ignoring case
    assert [note.body for note in alice.notes] == ["Alice disagrees.", "Lab: read §3."]
    with mine.read() as session:
        shared = session.exec(select(Note.body).where(col(Note.shared))).scalars().all()
    assert shared == ["Lab: read §3."]
    assert count == 5
    again = restore_backup(mine, path)
    assert (again.new, again.notes) == (0, 0)
    mine.close()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "papershelf-backup",\n "version": 1,,}', r"bad\.json:2: not valid JSON"),
        ('{"format": "papershelf-backup", "version": 99, "papers": []}', "newer than"),
        ('{"format": "other", "version": 1}', "not a papershelf backup"),
        (
            '{"format": "papershelf-backup", "version": 1, "papers": [{"id": "x"}]}',
            "paper 1: 'id' is missing or not a int",
        ),
    ],
)
def test_a_bad_backup_is_refused_and_changes_nothing(library, tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ListingError, match=message):
        restore_backup(library, path)
    assert backup_bytes(library).count(b'"id"') == 0


def test_backup_detection(full_library, tmp_path):
    path = tmp_path / "b.json"
    with full_library.read() as session:
        write_backup(session, path=path)
    assert is_backup(path.read_bytes())
    assert not is_backup((DATA / "sample.bib").read_bytes()) and not is_backup(b"")


def test_a_large_library_streams_across_chunks_and_round_trips(library, tmp_path):
    now = utcnow()
    rows = [
        {"title": f"Paper {n}", "title_key": f"paper {n}", "added_at": now, "updated_at": now}
        for n in range(1, 1202)
    ]
    with library.write() as session:
        session.connection().execute(insert(PAPER), rows)
    act(library, "1200", note="deep in the third chunk")
    original = backup_bytes(library)
    data = json.loads(original)
    assert len(data["papers"]) == 1201
    assert json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n" == original
    path = tmp_path / "big.json"
    path.write_bytes(original)
    other = open_library(str(tmp_path / "other.sqlite"))
    restore_backup(other, path)
    assert backup_bytes(other) == original
    other.close()


def test_a_backup_from_before_shared_notes_restores_them_unshared(full_library, tmp_path):
    with full_library.read() as session:
        data = json.loads(b"".join(part.encode() for part in backup_text(session)))
    for paper in data["papers"]:
        for reader in paper["readers"].values():
            for note in reader["notes"]:
                del note["shared"]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(data), encoding="utf-8")
    empty = open_library(str(tmp_path / "restored.sqlite"))
    assert restore_backup(empty, older).notes == 5
    with empty.read() as session:
        assert session.exec(select(Note.id).where(col(Note.shared))).all() == []
    data["papers"][0]["readers"]["tester"]["notes"][0]["shared"] = "yes"
    older.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ListingError, match="a note's 'shared' is not true or false"):
        restore_backup(empty, older)
    empty.close()
