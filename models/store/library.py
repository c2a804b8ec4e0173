"""Where a library lives and the handle every command works through.

`Library.read()` and `Library.write()` are the only ways in: a write is one
transaction, committed when its block ends and rolled back if it raises.
"""

from __future__ import annotations

import getpass
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import (
    Engine,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, col

from models.store.tables import Reader

ENV_DB = "PAPERSHELF_DB"
ENV_READER = "PAPERSHELF_READER"
#: How long a writer keeps trying for the write lock before it gives up with one line.
WRITE_PATIENCE_SECONDS = 300.0
#: Pauses between tries (SQLite's busy timeout waits within each one), doubling to the last.
RETRY_PAUSES = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
#: The clock and the pause, as names tests can replace.
_clock = time.monotonic
_pause = time.sleep


class LibraryError(Exception):
    """A library that cannot be opened or used; the message is one line for the user."""


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
        """The file, or the URL without its password: what messages name."""
        if self.path:
            return str(self.path)
        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except ArgumentError:
            return self.url


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
    try:
        path = Path(value).expanduser()
    except RuntimeError:  # `~nosuchuser/x`: no such home directory
        raise LibraryError(f"{value}: no home directory for {value.split('/')[0]}") from None
    return Location(f"sqlite:///{path}", path, False)


@dataclass
class Library:
    """An open library: its engine and the reader whose state is read and written."""

    engine: Engine
    location: Location
    reader: str
    messages: list[str] = field(default_factory=list)
    reader_id: int = 0
    write_patience: float = WRITE_PATIENCE_SECONDS

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with Session(self.engine) as session:
            yield session

    @contextmanager
    def write(self, *, wait: float | None = None) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises.

        On SQLite it starts with `BEGIN IMMEDIATE`, so two writers queue on the busy
        timeout instead of failing with `database is locked` halfway through. A writer
        still locked out after the timeout tries again, pausing longer each time, for
        `write_patience` seconds, then raises LibraryError. With `wait` (seconds) it waits
        that long once and lets the lock error through: the app's writer retries itself,
        saying so on screen.
        """
        options: dict[str, object] = {"papershelf_immediate": True}
        if wait is not None:
            options["papershelf_wait_ms"] = int(wait * 1000)
        engine = self.engine.execution_options(**options)
        patience = self.write_patience if wait is None else 0.0
        with Session(engine) as session, self._begin_writing(session, patience):
            yield session

    def _begin_writing(self, session: Session, patience: float) -> SessionTransaction:
        """A transaction that holds the write lock (taken now, before the block runs, so
        trying again never repeats any of the block's work)."""
        deadline = _clock() + patience
        attempt = 0
        while True:
            transaction = session.begin()
            try:
                session.connection()  # emits BEGIN IMMEDIATE: waits for, then takes, the lock
                return transaction
            except OperationalError as error:
                transaction.rollback()
                if not is_locked(error):
                    raise
                if patience <= 0:
                    raise
                if _clock() >= deadline:
                    raise LibraryError(
                        f"{self.location.label}: another program has kept the library busy "
                        f"for over {self.write_patience:.0f} s; nothing was changed, try again"
                    ) from None
                _pause(RETRY_PAUSES[min(attempt, len(RETRY_PAUSES) - 1)])
                attempt += 1

    def ensure_reader(self) -> int:
        """The current reader's id, creating the reader on first use."""
        with self.read() as session:
            reader_id = session.execute(
                select(col(Reader.id)).where(col(Reader.name) == self.reader)
            ).scalar()
        if reader_id is None:
            with self.write() as session:
                reader = Reader(name=self.reader)
                session.add(reader)
                session.flush()
                reader_id = reader.id
        assert reader_id is not None  # found, or given by the flush
        self.reader_id = reader_id
        return reader_id

    def close(self) -> None:
        self.engine.dispose()


def database_failure(library: Library, error: DatabaseError) -> LibraryError:
    """A database error met after the library opened, as one line naming the file.

    SQLite finds most damage only when a query reaches the damaged page, so a
    library that opened can still fail later; the failing transaction is rolled back."""
    what = "library damaged or unreadable" if is_damage(error) else "library error"
    return LibraryError(f"{library.location.label}: {what} ({error_reason(error)})")


def is_locked(error: Exception) -> bool:
    """Whether a database error only says another connection holds the lock."""
    reason = str(getattr(error, "orig", error)).lower()
    return "database is locked" in reason or "database is busy" in reason


def is_damage(error: Exception) -> bool:
    """Whether a database error is the file's fault (malformed, not a database), not the
    input's: the driver's plain DatabaseError, not one of its Operational/Integrity kinds."""
    return type(error) is DatabaseError


def error_reason(error: DatabaseError) -> str:
    orig = getattr(error, "orig", None)
    return (str(orig) if orig else str(error)).splitlines()[0]
