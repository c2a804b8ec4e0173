"""The one place that opens a library: checks, SQLite tuning, migrations, then the index.

Everything SQLite-only (pragmas, `BEGIN IMMEDIATE`, file checks and backups) sits
in this package, so the rest of `models/` stays portable SQL.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from sqlalchemy import (
    Engine,
    create_engine,
    event,
)
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

from models.store.library import (
    Library,
    LibraryError,
    Location,
    default_reader,
    error_reason,
    locate,
)
from models.store.schema import migrate_schema
from models.store.search_index import update_index

SQLITE_HEADER = b"SQLite format 3\x00"
#: How long SQLite itself waits for a lock before a try fails (`Library.write` tries again).
BUSY_TIMEOUT_MS = 30000


def _tune_sqlite(engine: Engine) -> None:
    """Foreign keys and a busy timeout on every connection; explicit BEGIN.

    WAL is set once the file is known to be a papershelf library (`_use_wal`): the
    journal mode is written into the file, and a file we refuse is left as it was."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's begin event below emit BEGIN, as its SQLite docs advise.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB: big imports touch many pages
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        options = connection.get_execution_options()
        immediate = options.get("papershelf_immediate")
        # Per transaction: the app's writer would rather retry than wait 30 s on a lock.
        wait_ms = int(options.get("papershelf_wait_ms", BUSY_TIMEOUT_MS))
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {wait_ms}")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


#: The advisory lock every PostgreSQL write transaction holds (a number in the key space
#: `pg_advisory_xact_lock` offers any application; "papershelf" in ASCII, cut to 63 bits).
WRITERS_LOCK = 0x7061706572736865


def _serialize_postgres_writers(engine: Engine) -> None:
    """Writers queue on one lock, as SQLite's BEGIN IMMEDIATE makes them.

    A write reads before it writes (is this paper known? has the reader a state row?),
    so two concurrent writes could both decide to insert; queued, each sees the other's
    committed work. Reads never wait."""

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        if connection.get_execution_options().get("papershelf_immediate"):
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITERS_LOCK})")


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
        try:
            _check_sqlite_file(location.path)
        except OSError as error:  # a name over 255 bytes, a parent that is a file, ...
            raise LibraryError(f"{location.label}: cannot open ({error.strerror})") from None
    try:
        if location.url.startswith("sqlite"):
            engine = create_engine(location.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            _tune_sqlite(engine)
        elif location.url.startswith("postgresql"):
            engine = create_engine(location.url, pool_pre_ping=True)
            # Many rows in one INSERT ... VALUES per 1,000, with or without RETURNING:
            # psycopg's executemany would send a statement, and fire the index's
            # statement trigger, per row.
            engine.dialect.use_insertmanyvalues_wo_returning = True
            _serialize_postgres_writers(engine)
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
            migrate_schema(library)
        _use_wal(library)
        library.ensure_reader()
        _finish_search_index(library)
    except LibraryError:
        engine.dispose()
        raise
    except (DatabaseError, OperationalError) as error:
        engine.dispose()
        raise LibraryError(
            f"{location.label}: cannot open library ({error_reason(error)})"
        ) from None
    return library


def _finish_search_index(library: Library) -> None:
    """Index papers a fetch committed but did not get to index (it was interrupted)."""
    with contextlib.suppress(DatabaseError):  # damage: reported by what reads it
        update_index(library)


def _use_wal(library: Library) -> None:
    """Readers never wait for the writer: WAL, kept in the file from now on."""
    if library.engine.dialect.name != "sqlite" or library.location.path is None:
        return
    connection = library.engine.raw_connection()
    try:
        connection.cursor().execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
