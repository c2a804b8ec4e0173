"""What a command reports to the user: one line and an exit status."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.store.library import Library

EXIT_BAD_INPUT = 2
EXIT_LIBRARY = 1


class UserError(Exception):
    """Something the user can fix; printed as one line."""

    def __init__(self, message: str, status: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.status = status


def describe(error: BaseException, library: Library) -> str:
    """One line for the user: a database error names the library file, never the SQL."""
    from sqlalchemy.exc import DatabaseError

    from models.store.library import database_failure

    if isinstance(error, DatabaseError):
        return str(database_failure(library, error))
    return f"{type(error).__name__}: {error}"


def loaded_class(module: str, name: str) -> tuple[type[BaseException], ...]:
    """An exception class to catch, once its module is loaded (none of its errors can be
    raised before), so catching it imports nothing: a tuple of it, or `()` to catch none."""
    found = sys.modules.get(module)
    return (getattr(found, name),) if found is not None else ()
