"""A shared library on a PostgreSQL server: migrations, lost connections, many writers at
once, long id lists. Tests that need a server skip without one (PAPERSHELF_TEST_PG_URL)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pg_databases
import pytest
from conftest import write_big_listing
from sqlalchemy import event, func, inspect, select

from models.ingest.importer import import_listing
from models.shelf.papers import paper_views
from models.shelf.reading import snapshot_states
from models.store.database import open_library
from models.store.library import LibraryError
from models.store.schema import _alembic_config, head_revision
from models.store.tables import Paper
from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
needs_server = pytest.mark.skipif(
    pg_databases.server_url() is None, reason=f"no PostgreSQL server: set {pg_databases.ENV_URL}"
)


@pytest.fixture
def empty_database():
    """A PostgreSQL database with no tables at all; its URL."""
    name = pg_databases.new_name("papershelf_empty")
    yield pg_databases.create_database(name)
    pg_databases.drop_database(name)


@needs_server
def test_migrations_run_on_a_fresh_database_and_down_and_up_again(empty_database, seeds):
    from alembic import command

    library = open_library(empty_database)
    import_listing(library, seeds[0])
    with library.engine.begin() as connection:
        assert "paper_search" in inspect(connection).get_table_names()
        config = _alembic_config(connection)
        config.stdout = io.StringIO()  # check prints; pytest may have closed stdout
        command.check(config)  # the models and the schema agree
        command.downgrade(config, "base")
    with library.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    library.close()
    again = open_library(empty_database)
    try:
        with again.read() as session:
            version = session.connection().exec_driver_sql("SELECT * FROM alembic_version")
            assert version.scalar_one() == head_revision()
        import_listing(again, seeds[0])  # and the index works after going down and up
        from models.search import search_ids

        with again.read() as session:
            assert search_ids(session, reader_id=again.reader_id, query="learning")
    finally:
        again.close()


@needs_server
def test_a_connection_lost_in_the_middle_of_an_import_keeps_none_of_it(
    library_url, backend, tmp_path, seeds
):
    if backend != "postgresql":
        pytest.skip("a server connection")
    library = open_library(library_url)
    import_listing(library, seeds[0])
    before = _count(library)
    big = tmp_path / "big.txt"
    write_big_listing(big, 2_000_000)
    inserts = []

    @event.listens_for(library.engine, "before_cursor_execute")
    def drop_after_the_papers(connection, cursor, statement, *args) -> None:
        # The papers went in by COPY; their sources come next, in the same transaction.
        if statement.startswith("INSERT INTO source_file "):
            inserts.append(statement)
            if len(inserts) == 1:  # the server ends this session, as a restart would
                pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
                with pg_databases.admin_connection() as admin:
                    admin.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")

    with pytest.raises(LibraryError) as caught:
        import_listing(library, big)
    event.remove(library.engine, "before_cursor_execute", drop_after_the_papers)
    message = str(caught.value)
    assert "\n" not in message and "not imported, library unchanged" in message
    assert "lost the connection" in message and "big.txt" in message
    assert _count(library) == before  # all or nothing: nothing
    library.close()


def _count(library) -> int:
    with library.read() as session:
        return session.execute(select(func.count()).select_from(Paper)).scalar_one()


#: One terminal: import one listing, print the summary.
IMPORT = """
import sys
from tui.cli import main
sys.exit(main(["--db", sys.argv[1], "import", sys.argv[2]]))
"""


def test_two_processes_importing_overlapping_listings_make_each_paper_once(library, tmp_path):
    """Two imports at once, half of their papers the same: each paper once, none lost."""
    left, right = tmp_path / "left.txt", tmp_path / "right.txt"
    count = write_big_listing(left, 600_000)
    text = left.read_text(encoding="utf-8").split("\n\n")
    right.write_text("\n\n".join(text[len(text) // 2 :] + text[: len(text) // 2]), "utf-8")
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", IMPORT, library.location.url, str(path)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in (left, right)
    ]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    with library.read() as session:
        ids = session.execute(select(Paper.arxiv_id)).scalars().all()
    assert len(ids) == len(set(ids)) == count


def test_id_lists_longer_than_any_driver_takes_are_read_in_chunks(library, seeds):
    """70,000 ids: over PostgreSQL's 65,535 bound parameters and SQLite's 32,766."""
    import_listing(library, seeds[0])
    ids = list(range(1, 70_001))
    with library.read() as session:
        views = paper_views(session, reader_id=library.reader_id, ids=ids)
        snapshot = snapshot_states(session, reader_id=library.reader_id, paper_ids=ids)
    assert len(views) == 10 and len(snapshot.states) == 70_000


def test_a_server_that_refuses_is_one_line_without_the_password(capsys):
    url = "postgresql+psycopg://lab:s3cret@127.0.0.1:1/papers"
    assert main(["--db", url, "list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "s3cret" not in err and "127.0.0.1" in err


@needs_server
def test_a_large_import_indexes_every_paper_as_the_trigger_would(library_url, backend, tmp_path):
    """A COPY of many papers computes their index rows in one parallel statement after it
    (migration 0010): the same rows and word counts the insert trigger writes, the arXiv
    comment beside the venue included."""
    if backend != "postgresql":
        pytest.skip("PostgreSQL's index")
    from models.store.pg_index import INDEX_ROW

    library = open_library(library_url)
    count = 600  # over COPY_FROM: the rows go in by COPY
    big = tmp_path / "big.txt"
    big.write_text(
        "".join(
            f"Paper {n} studies the {['Ünïcode', 'e-mail', 'v2.0', 'x_y'][n % 4]} case {n}.\n\n"
            + ("KDD 2024, 10 pages\n\n" if n % 3 == 0 else "")
            + f"arXiv:2401.{10_000 + n:05d}\nCreated: 2024-01-18\n\n"
            for n in range(count)
        ),
        encoding="utf-8",
    )
    import_listing(library, big)
    checks = {
        "papers": "SELECT count(*) FROM paper",
        "index rows": "SELECT count(*) FROM paper_search",
        "rows unlike the trigger's": (
            "SELECT count(*) FROM paper AS p JOIN paper_search AS s ON s.paper_id = p.id"
            f" WHERE (s.key, s.title, s.body) IS DISTINCT FROM ({INDEX_ROW.format(p='p')})"
        ),
        "word counts off": (
            "SELECT count(*) FROM paper_words AS w FULL JOIN (SELECT word, count(*) AS docs"
            " FROM paper_search, unnest(tsvector_to_array(body)) AS word GROUP BY word) AS c"
            " USING (word) WHERE w.docs IS DISTINCT FROM c.docs"
        ),
    }
    with library.read() as session:
        connection = session.connection()
        found = {name: connection.exec_driver_sql(sql).scalar() for name, sql in checks.items()}
        kdd = search_ids_of(session, library, "venue:KDD")
    library.close()
    assert found == {
        "papers": count,
        "index rows": count,
        "rows unlike the trigger's": 0,
        "word counts off": 0,
    }
    assert len(kdd) == min(50, len(range(0, count, 3)))


def search_ids_of(session, library, text: str) -> list[int]:
    from models.search import search_ids
    from models.search.query import parse_query

    return search_ids(session, reader_id=library.reader_id, query=parse_query(text), limit=50)
