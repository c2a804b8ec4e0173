"""The one place that opens a library: where it lives, how SQLite is tuned, and migrations.

Everything SQLite-only (pragmas, `BEGIN IMMEDIATE`, file checks and backups) sits
here, so the rest of `models/` stays portable SQL.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlmodel import Session

from models.tables import Reader

ENV_DB = "PAPERSHELF_DB"
ENV_READER = "PAPERSHELF_READER"
SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS = Path(__file__).parent / "migrations"


class LibraryError(Exception):
    """A library that cannot be opened or used; the message is one line for the user."""


def utcnow() -> datetime:
    """The time stored in the library: timezone-aware UTC."""
    return datetime.now(UTC)


def default_library_path() -> Path:
    """The library file in the user's data directory."""
    from platformdirs import user_data_path

    return user_data_path("papershelf", appauthor=False) / "library.sqlite"


def default_reader() -> str:
    """The reader whose state commands read and write: `PAPERSHELF_READER`, else the login."""
    name = os.environ.get(ENV_READER)
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return "reader"


@dataclass(frozen=True)
class Location:
    """Where a library lives: its SQLAlchemy URL, and its file when it is SQLite."""

    url: str
    path: Path | None
    is_default: bool

    @property
    def label(self) -> str:
        return str(self.path) if self.path else self.url


def locate(db: str | None = None) -> Location:
    """Resolve `--db` (a path or URL), else `PAPERSHELF_DB`, else the default file."""
    value = db or os.environ.get(ENV_DB)
    if not value:
        path = default_library_path()
        return Location(f"sqlite:///{path}", path, True)
    if "://" in value:
        try:
            url = make_url(value)
        except ArgumentError as error:
            raise LibraryError(f"{value}: not a database path or URL ({error})") from None
        database = url.database
        if url.get_backend_name() == "sqlite" and database and database != ":memory:":
            return Location(value, Path(database), False)
        return Location(value, None, False)
    path = Path(value).expanduser()
    return Location(f"sqlite:///{path}", path, False)


@dataclass
class Library:
    """An open library: its engine and the reader whose state is read and written."""

    engine: Engine
    location: Location
    reader: str
    messages: list[str] = field(default_factory=list)
    reader_id: int = 0

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with Session(self.engine) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises.

        On SQLite it starts with `BEGIN IMMEDIATE`, so two writers queue on the busy
        timeout instead of failing with `database is locked` halfway through.
        """
        engine = self.engine.execution_options(papershelf_immediate=True)
        with Session(engine) as session, session.begin():
            yield session

    def ensure_reader(self) -> int:
        """The current reader's id, creating the reader on first use."""
        with self.read() as session:
            reader_id = session.execute(
                select(Reader.id).where(Reader.name == self.reader)
            ).scalar()
        if reader_id is None:
            with self.write() as session:
                reader = Reader(name=self.reader)
                session.add(reader)
                session.flush()
                reader_id = reader.id
        self.reader_id = reader_id
        return reader_id

    def close(self) -> None:
        self.engine.dispose()


def _tune_sqlite(engine: Engine) -> None:
    """Foreign keys and a busy timeout on every connection; explicit BEGIN.

    WAL is set once the file is known to be a papershelf library (`_use_wal`): the
    journal mode is written into the file, and a file we refuse is left as it was."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's begin event below emit BEGIN, as its SQLite docs advise.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB: big imports touch many pages
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        immediate = connection.get_execution_options().get("papershelf_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _check_sqlite_file(path: Path) -> None:
    """Refuse, with a one-line message, a path that is not a SQLite library file."""
    if path.is_dir():
        raise LibraryError(f"{path}: is a directory, not a library file")
    if not path.exists():
        if not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        return
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise LibraryError(f"{path}: not a papershelf library (not a SQLite database)")


def create_library_engine(location: Location) -> Engine:
    """The engine for a location, SQLite tuned; nothing is read or written yet."""
    if location.path is not None:
        _check_sqlite_file(location.path)
    try:
        if location.url.startswith("sqlite"):
            engine = create_engine(location.url, connect_args={"timeout": 30})
            _tune_sqlite(engine)
        else:
            engine = create_engine(location.url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as error:
        raise LibraryError(f"{location.label}: cannot open ({error})") from None
    return engine


def open_library(
    db: str | None = None, *, reader: str | None = None, migrate: bool = True
) -> Library:
    """Open (creating if needed) the library at `db`, bringing its schema up to date."""
    location = locate(db)
    engine = create_library_engine(location)
    library = Library(engine=engine, location=location, reader=reader or default_reader())
    try:
        if migrate:
            _migrate(library)
        _use_wal(library)
        library.ensure_reader()
        _finish_search_index(library)
    except LibraryError:
        engine.dispose()
        raise
    except (DatabaseError, OperationalError) as error:
        engine.dispose()
        raise LibraryError(f"{location.label}: cannot open library ({_reason(error)})") from None
    return library


def _finish_search_index(library: Library) -> None:
    """Index papers an interrupted import committed but did not get to index."""
    from models.search import update_index  # search builds on this module

    with contextlib.suppress(DatabaseError):  # damage: reported by what reads it
        update_index(library)


def database_failure(library: Library, error: DatabaseError) -> LibraryError:
    """A database error met after the library opened, as one line naming the file.

    SQLite finds most damage only when a query reaches the damaged page, so a
    library that opened can still fail later; the failing transaction is rolled back."""
    what = "library damaged or unreadable" if is_damage(error) else "library error"
    return LibraryError(f"{library.location.label}: {what} ({_reason(error)})")


def is_damage(error: Exception) -> bool:
    """Whether a database error is the file's fault (malformed, not a database), not the
    input's: the driver's plain DatabaseError, not one of its Operational/Integrity kinds."""
    return type(error) is DatabaseError


def _reason(error: DatabaseError) -> str:
    orig = getattr(error, "orig", None)
    return (str(orig) if orig else str(error)).splitlines()[0]


def _use_wal(library: Library) -> None:
    """Readers never wait for the writer: WAL, kept in the file from now on."""
    if library.engine.dialect.name != "sqlite" or library.location.path is None:
        return
    connection = library.engine.raw_connection()
    try:
        connection.cursor().execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()


def _alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this version of papershelf knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _migrate(library: Library) -> None:
    """Apply pending migrations; back an older SQLite file up first and say where."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    head = head_revision()
    with library.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        connection.rollback()
        if current == head:
            return
        tables = set(inspect(connection).get_table_names())
        if current is None and tables - {"alembic_version"}:
            raise LibraryError(
                f"{library.location.label}: not a papershelf library (it has other tables)"
            )
        if current is not None and current not in _known_revisions():
            raise LibraryError(
                f"{library.location.label}: made by a newer papershelf (schema {current}); "
                "upgrade papershelf to open it"
            )
    if current is not None and library.location.path is not None:
        backup = _backup(library, current)
        library.messages.append(
            f"upgraded library schema {current} -> {head}; backup of the old file: {backup}"
        )
    with library.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def _backup(library: Library, revision: str) -> Path:
    """Copy the library file (with its WAL folded in) beside itself before an upgrade."""
    path = library.location.path
    assert path is not None
    with library.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.{revision}.{stamp}.bak")
    shutil.copy2(path, backup)
    return backup


def bulk_insert(
    connection: Connection, table: Table, rows: list[dict], *, ids: bool = True
) -> list[int]:
    """Insert many rows at once; with `ids`, return their new ids in the rows' order.

    On SQLite, writers hold the lock (BEGIN IMMEDIATE), so ids can be handed out here
    and the rows go straight to the driver's executemany, converted column by column
    by each type's own bind processor: several times faster than RETURNING, which
    SQLite runs one row at a time when the order must hold. Other backends use
    RETURNING in parameter order.
    """
    if not rows:
        return []
    if connection.dialect.name != "sqlite":
        if not ids:
            connection.execute(insert(table), rows)
            return []
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return [row.id for row in connection.execute(statement, rows)]
    names = list(rows[0])
    new_ids: list[int] = []
    if ids:
        start = connection.execute(select(func.max(table.c.id))).scalar() or 0
        new_ids = list(range(start + 1, start + 1 + len(rows)))
    columns = [new_ids] if ids else []
    for name in names:
        process = table.c[name].type.bind_processor(connection.dialect)
        values = [row.get(name) for row in rows]
        columns.append(_convert_column(values, process) if process else values)
    quote = connection.dialect.identifier_preparer.quote
    names = ["id", *names] if ids else names
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    connection.exec_driver_sql(sql, list(zip(*columns, strict=True)))
    return new_ids


def _convert_column(values: list, process) -> list:
    """Convert a column's values, once per distinct value object (an import's rows share
    their timestamps) and never for None."""
    converted: dict[int, object] = {}
    out = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        key = id(value)
        if key not in converted:
            converted[key] = process(value)
        out.append(converted[key])
    return out
