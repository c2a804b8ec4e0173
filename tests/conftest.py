"""Keep every test off the developer's own library, data directory and login name."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pg_databases
import pytest

from models.core.keys import dedupe_keys
from models.core.times import utcnow
from models.store.database import open_library
from models.store.library import Library
from models.store.search_index import update_index
from models.store.tables import Paper

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
pytest_plugins = ["helpers.loopback"]  # the `loopback` server fixture for fetch tests


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("PAPERSHELF_DB", raising=False)
    monkeypatch.setenv("PAPERSHELF_READER", "tester")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite"


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                pg_databases.server_url() is None,
                reason=f"no PostgreSQL server: set {pg_databases.ENV_URL}",
            ),
        ),
    ]
)
def backend(request: pytest.FixtureRequest) -> str:
    """The database a data-layer test runs on: SQLite always, PostgreSQL when a server is
    given. A test that also asks for `db_path` (a file: dumps, crashes, damage), or is
    marked `sqlite_only` (FTS5 itself), is SQLite's."""
    if request.param == "postgresql" and (
        "db_path" in request.fixturenames or request.node.get_closest_marker("sqlite_only")
    ):
        pytest.skip("about the SQLite file itself")
    return request.param


@pytest.fixture(scope="session")
def pg_empty_template() -> Iterator[str]:
    """A PostgreSQL database migrated to the newest schema, copied for each test."""
    name = pg_databases.new_name("papershelf_empty")
    url = pg_databases.create_database(name)
    open_library(url).close()
    yield name
    pg_databases.drop_database(name)


@pytest.fixture
def library_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """What `--db` takes for a fresh library on the test's backend."""
    if backend == "sqlite":
        yield str(request.getfixturevalue("db_path"))
        return
    name = pg_databases.new_name("papershelf_test")
    yield pg_databases.create_database(name, request.getfixturevalue("pg_empty_template"))
    pg_databases.drop_database(name)


@pytest.fixture
def library(library_url: str):
    opened: Library = open_library(library_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture
def add_paper(library: Library):
    """Make a paper with exactly these fields (no listing file, no merging)."""

    def add(**fields) -> int:
        now = utcnow()
        paper = Paper(added_at=now, updated_at=now, **fields)
        keys = dedupe_keys(doi=paper.doi, title=paper.title, abstract=paper.abstract)
        paper.doi_key, paper.title_key, paper.abstract_key = keys.values()
        with library.write() as session:
            session.add(paper)
            session.flush()
            paper_id = paper.id
        update_index(library)  # as every path that adds papers does
        return paper_id

    return add


def dump_tables(target: Path | Library) -> dict[str, list[tuple]]:
    """Every row of every table in a library (its file, or a `Library` on either backend),
    in a fixed order: equal dumps, equal data."""
    if isinstance(target, Library):
        if target.location.path is None:
            return _dump_server(target)
        target = target.location.path
    if not Path(target).is_file():
        raise FileNotFoundError(target)  # never a dump of some other file named like it
    connection = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"'), key=repr) for name in names
        }
    finally:
        connection.close()


def _dump_server(library: Library) -> dict[str, list[tuple]]:
    from sqlalchemy import MetaData, select

    tables = MetaData()
    tables.reflect(library.engine)
    with library.engine.connect() as connection:
        return {
            name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for name, table in sorted(tables.tables.items())
        }


@pytest.fixture
def dump():
    """`dump(library or path)`: the rows of every table of the library."""
    return dump_tables


def write_big_listing(path: Path, size: int) -> int:
    """An arXiv listing of about `size` bytes, every record a different paper; its count."""
    filler = "We study a problem at length and report what we found in detail. " * 14
    count = 0
    with path.open("w", encoding="utf-8") as file:
        while file.tell() < size:
            month, number = divmod(count, 90_000)
            file.write(
                f"Paper {count}: {filler}\n\narXiv:{2101 + month}.{10_000 + number:05d}\n"
                "Created: 2024-01-18\n\n"
            )
            count += 1
    return count


@pytest.fixture(scope="session")
def shelf_template(tmp_path_factory) -> Path:
    """The seeded search library, built once per run and copied for each test."""
    return tmp_path_factory.getbasetemp() / "shelf-template.sqlite"


@pytest.fixture
def shelf(backend, request, shelf_template, seeds):
    """The seeds imported with a reader's state on them (tests/search_helpers.py)."""
    from search_helpers import shelf_at, shelf_on_postgres

    if backend == "sqlite":
        shelf = shelf_at(request.getfixturevalue("db_path"), shelf_template, seeds)
    else:
        shelf = shelf_on_postgres(request.getfixturevalue("pg_shelf_template"))
    yield shelf
    shelf.library.close()
    if backend == "postgresql":
        pg_databases.drop_database(shelf.library.engine.url.database)


@pytest.fixture(scope="session")
def pg_shelf_template(seeds) -> Iterator[str]:
    """The seeded search library on PostgreSQL, built once per run and copied for each test."""
    from search_helpers import build_pg_template

    name = pg_databases.new_name("papershelf_shelf")
    build_pg_template(pg_databases.create_database(name), seeds)
    yield name
    pg_databases.drop_database(name)


@pytest.fixture
def seeded(library, seeds):
    """The library with the bundled seed listings imported (186 papers, all new)."""
    from models.ingest.importer import import_listing

    for path in seeds:
        import_listing(library, path)
    return library
