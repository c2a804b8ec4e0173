"""What every listing parser returns, and the text hygiene they all share."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from models.core.fields import FieldError, checked_fields
from models.core.text import clean_text


class ListingError(Exception):
    """A listing that cannot be read or parsed; shown as `FILE:LINE: reason`."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        reason = clean_text(reason) or "unreadable"  # it may quote the file: no escapes
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


@dataclass
class ParseOptions:
    """What a parser may need beyond the text."""

    today: date
    #: The year for dates printed without one (Hugging Face pages); None infers it.
    year: int | None = None


@dataclass
class ListingRecord:
    """One paper as a listing gives it; fields the listing lacks stay None."""

    line: int
    title: str | None = None
    authors: list[str] | None = None
    n_authors: int | None = None
    abstract: str | None = None
    arxiv_id: str | None = None
    arxiv_version: int | None = None
    doi: str | None = None
    published: date | None = None
    published_precision: str | None = None
    venue: str | None = None
    upvotes: int | None = None
    categories: list[str] | None = None

    def is_empty(self) -> bool:
        return not (self.title or self.abstract or self.arxiv_id or self.doi)


@dataclass
class Rejected:
    """A record a parser found but could not use: counted and reported, not imported."""

    line: int
    reason: str


@dataclass
class ParsedListing:
    """A parser's whole answer for one file."""

    records: list[ListingRecord] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def check_records(parsed: ParsedListing) -> None:
    """Pass every record through the field gate (`checked_fields`): cleaned, or rejected
    by its line when a value is out of range, so nothing unclean or unindexable is stored."""
    kept = []
    for record in parsed.records:
        values = vars(record)
        try:
            checked = checked_fields(values)
        except FieldError as error:
            parsed.rejected.append(Rejected(record.line, str(error)))
            continue
        for name, value in checked.items():
            if value is not values[name]:
                setattr(record, name, value)
        kept.append(record)
    if len(kept) < len(parsed.records):
        parsed.records = kept
        parsed.rejected.sort(key=lambda rejected: rejected.line)


class LineIndex:
    """Turns character offsets in a text into 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(self, offset: int) -> int:
        return bisect_right(self._starts, offset)


def paragraphs(text: str) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks as (first line number, stripped non-empty lines)."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks
