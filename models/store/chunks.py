"""How many bound parameters one `IN (...)` list may hold, and the slices that keep to it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

#: Well under every driver's limit (SQLite's 32,766, PostgreSQL's 65,535 per statement),
#: and small enough that several such lists fit in one statement.
CHUNK = 500

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`items` in slices of at most `size`, in order."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
