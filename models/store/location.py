"""Where a library lives and who reads it, found without loading the database layer: `--db`, then
`PAPERSHELF_DB`, then the file in the user's data directory.

Kept apart from `library` so a command that reads a SQLite file directly (a reference
export) can find it without importing SQLAlchemy; URLs still go through SQLAlchemy's
parser, imported when one is given.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

ENV_DB = "PAPERSHELF_DB"
ENV_READER = "PAPERSHELF_READER"


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
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

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
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

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
