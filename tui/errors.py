"""What a command reports to the user: one line and an exit status."""

from __future__ import annotations

EXIT_BAD_INPUT = 2
EXIT_LIBRARY = 1


class UserError(Exception):
    """Something the user can fix; printed as one line."""

    def __init__(self, message: str, status: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.status = status
