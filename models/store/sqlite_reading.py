"""Reading a SQLite library straight through the standard library's `sqlite3`, for
commands that only read and must start fast (a reference export of 10,000 papers in
under a second, when importing SQLAlchemy alone takes 0.4 s).

Only a library that `open_library` would open without changing anything qualifies: a
SQLite file at this papershelf's schema head, whose reader already exists. Anything
else (a URL, a new or older file, a new reader) is None here, and the caller goes
through `open_library`, which creates, upgrades or reports it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from models.store.location import LibraryError, Location
from models.store.schema_version import VERSION_QUERY, schema_head, stored_revision

SQLITE_HEADER = b"SQLite format 3\x00"
#: As `database.BUSY_TIMEOUT_MS`: a reader waits this long if a writer is checkpointing.
BUSY_TIMEOUT_SECONDS = 30.0


@dataclass
class SqliteReading:
    """One read transaction on a library file: its connection and the reader's id."""

    connection: sqlite3.Connection
    location: Location
    reader_id: int

    def is_unused(self) -> bool:
        """Whether nothing was ever imported (the default library is then seeded first)."""
        used = "SELECT EXISTS (SELECT 1 FROM paper) OR EXISTS (SELECT 1 FROM source_file)"
        return not self.connection.execute(used).fetchone()[0]


def _is_sqlite_file(location: Location) -> bool:
    if location.path is None or not location.url.startswith("sqlite"):
        return False
    try:
        with location.path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:  # missing, a directory, unreadable: open_library says which
        return False


@contextmanager
def reading_sqlite(location: Location, reader: str) -> Iterator[SqliteReading | None]:
    """A read transaction on the library at `location`, or None when it must be opened
    the full way. A file that fails once reading has begun is one `LibraryError` line."""
    if not _is_sqlite_file(location):
        yield None
        return
    assert location.path is not None
    try:
        connection = sqlite3.connect(
            location.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
        )
    except sqlite3.Error:
        yield None
        return
    try:
        reader_id = _reader_if_current(connection, reader)
        if reader_id is None:
            yield None
            return
        try:
            yield SqliteReading(connection, location, reader_id)
        except sqlite3.DatabaseError as error:
            raise _failure(location, error) from None
    finally:
        connection.close()


def _reader_if_current(connection: sqlite3.Connection, reader: str) -> int | None:
    """Begin the read transaction and return the reader's id, when the schema is current
    and the reader known; None (and no transaction) otherwise."""
    head = schema_head()
    try:
        connection.execute("BEGIN")
        if head is None or stored_revision(connection.execute(VERSION_QUERY).fetchall()) != head:
            connection.execute("ROLLBACK")
            return None
        found = connection.execute("SELECT id FROM reader WHERE name = ?", (reader,)).fetchone()
    except sqlite3.Error:  # not a library, damaged: open_library reports it
        return None
    if found is None:
        connection.execute("ROLLBACK")
        return None
    return int(found[0])


def _failure(location: Location, error: sqlite3.DatabaseError) -> LibraryError:
    """As `library.database_failure` words it for the same error through SQLAlchemy."""
    plain = type(error) is sqlite3.DatabaseError  # the file's fault, not a lock or the input
    what = "library damaged or unreadable" if plain else "library error"
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return LibraryError(f"{location.label}: {what} ({reason})")
