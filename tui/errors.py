"""What a command reports to the user: one line and an exit status."""

from __future__ import annotations

from sqlalchemy.exc import DatabaseError

from models.store.library import Library, database_failure

EXIT_BAD_INPUT = 2
EXIT_LIBRARY = 1


class UserError(Exception):
    """Something the user can fix; printed as one line."""

    def __init__(self, message: str, status: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.status = status


def describe(error: BaseException, library: Library) -> str:
    """One line for the user: a database error names the library file, never the SQL."""
    if isinstance(error, DatabaseError):
        return str(database_failure(library, error))
    return f"{type(error).__name__}: {error}"
