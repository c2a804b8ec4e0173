"""A large import writes as it reads: batches of papers inserted and indexed while the
next are made. What a reader sees must not depend on where the batches fall."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import dump_tables
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from models.ingest import merge
from models.ingest.formats import bibtex_file
from models.ingest.importer import import_listing
from models.search import search_ids
from models.store.bulk import WriteBehind
from models.store.paper_guards import INSERT_GUARDS, insert_guards_lifted
from models.store.tables import Paper

ENTRIES = 2 * merge.WRITE_BATCH + 500  # three batches


def entry(number: int, *, abstract: str | None = None, doi: str | None = None) -> str:
    fields = [
        f"  title = {{Paper number {number} on sparse routing}}",
        f"  author = {{Family{number}, Given and Other, Person}}",
        "  year = {2024}",
        f"  doi = {{{doi or f'10.1000/batch.{number}'}}}",
    ]
    if abstract:
        fields.append(f"  abstract = {{{abstract}}}")
    return f"@article{{key{number},\n" + ",\n".join(fields) + "\n}\n"


def big_bib(path: Path, *, late_duplicate: bool = True) -> Path:
    """`ENTRIES` entries; with `late_duplicate`, the last one is entry 5 again (its DOI),
    bringing the abstract entry 5 lacked, two batches after entry 5 was inserted."""
    entries = [entry(number) for number in range(ENTRIES - 1)]
    if late_duplicate:
        late = "We study the quokka estimator for routing in mixtures."
        entries.append(entry(5, abstract=late, doi="10.1000/BATCH.5"))
    else:
        entries.append(entry(ENTRIES - 1))
    path.write_text("\n".join(entries), encoding="utf-8")
    return path


def test_a_record_in_a_later_batch_fills_a_paper_already_written(library, tmp_path):
    summary = import_listing(library, big_bib(tmp_path / "big.bib"))
    assert (summary.new, summary.merged, summary.unchanged) == (ENTRIES - 1, 1, 0)
    with library.read() as session:
        count = session.execute(select(func.count(Paper.id))).scalar_one()
        paper = session.execute(select(Paper).where(Paper.doi == "10.1000/batch.5")).scalar_one()
        found = search_ids(session, reader_id=library.reader_id, query="quokka")
        everything = search_ids(session, reader_id=library.reader_id, query="sparse", limit=None)
    assert count == ENTRIES - 1
    assert paper.abstract == "We study the quokka estimator for routing in mixtures."
    assert found == [paper.id]  # the index holds the text the later batch filled in
    assert len(everything) == ENTRIES - 1  # and every paper of every batch


def test_importing_it_again_changes_nothing(library, tmp_path):
    path = big_bib(tmp_path / "big.bib")
    import_listing(library, path)
    before = dump_tables(library)
    summary = import_listing(library, path)
    assert (summary.new, summary.merged, summary.unchanged) == (0, 0, ENTRIES)
    assert dump_tables(library) == before


def _schema(path: Path) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return sorted(connection.execute("SELECT type, name, sql FROM sqlite_master"))
    finally:
        connection.close()


def test_an_import_stopped_in_a_later_batch_leaves_the_library_as_it_was(
    library, db_path, tmp_path, seeds, monkeypatch
):
    import_listing(library, seeds[0])
    before, schema = dump_tables(db_path), _schema(db_path)
    made = 0
    real_record_of = bibtex_file.record_of

    def interrupted(fields, line):  # Ctrl-C while the third batch is being read
        nonlocal made
        made += 1
        if made > 2 * merge.WRITE_BATCH + 10:
            raise KeyboardInterrupt
        return real_record_of(fields, line)

    monkeypatch.setattr(bibtex_file, "record_of", interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_listing(library, big_bib(tmp_path / "big.bib"))
    assert dump_tables(db_path) == before  # two batches were written, and rolled back
    assert _schema(db_path) == schema  # the guards are there, as they were


def test_the_guards_are_back_after_an_import_and_still_refuse(library, db_path, tmp_path):
    import_listing(library, big_bib(tmp_path / "big.bib", late_duplicate=False))
    names = {name for (_, name, _) in _schema(db_path)}
    assert set(INSERT_GUARDS) <= names
    refused = pytest.raises(IntegrityError, match="publication date outside 1000-2999")
    with refused, library.write() as session:
        session.execute(
            text(
                "INSERT INTO paper (title, published, added_at, updated_at) "
                "VALUES ('x', '0999-01-01', '2026-01-01', '2026-01-01')"
            )
        )


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ("(4294967296, 'x', NULL)", "paper id outside 1-4294967295"),
        ("(NULL, 'x', '3000-01-01')", "date outside 1000-2999"),
    ],
)
def test_papers_inserted_while_the_guards_are_lifted_are_judged_by_them(
    library, db_path, values, reason
):
    with pytest.raises(IntegrityError, match=reason), library.write() as session:
        connection = session.connection()
        with insert_guards_lifted(connection):
            connection.exec_driver_sql(
                "INSERT INTO paper (id, title, published, added_at, updated_at) "
                f"VALUES {values[:-1]}, '2026-01-01', '2026-01-01')"
            )
    assert dump_tables(db_path)["paper"] == []
    assert set(INSERT_GUARDS) <= {name for (_, name, _) in _schema(db_path)}


def test_a_write_behind_hands_its_error_to_the_caller():
    ran: list[int] = []

    def failing() -> None:
        raise ValueError("the write failed")

    with pytest.raises(ValueError, match="the write failed"), WriteBehind() as behind:
        behind.submit(lambda: ran.append(1))
        behind.submit(failing)  # once the first has finished
        ran.append(2)
    assert ran == [1, 2]
    # the block's own error is the one raised, once the write has finished
    with pytest.raises(RuntimeError), WriteBehind() as behind:
        behind.submit(lambda: failing() if ran.append(3) else None)
        raise RuntimeError
    assert ran == [1, 2, 3]
