"""What every listing parser returns, and the text hygiene they all share."""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import chain
from typing import TYPE_CHECKING, Any

from models.core.fields import CHECKED_FIELDS, FieldError, checked_fields
from models.core.text import clean_text
from models.store.tables import PaperBase


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
    #: `@string` macros shared by the files of one import (a `bibtex_values.Macros`).
    macros: Any = None


class Announcement(StrEnum):
    """How an arXiv announcement (listing page or e-mail digest) lists a paper."""

    NEW = "new"
    CROSS_LIST = "cross-list"
    REPLACEMENT = "replacement"


def _is_empty(record: Any) -> bool:
    """Whether the record names no paper at all: no title, abstract or identifier."""
    return not (record.title or record.abstract or record.arxiv_id or record.doi)


#: What a record carries for the import, not for the paper (so not in `PaperBase`).
_RECORD_ONLY: list[tuple[str, Any]] = [
    # How an arXiv announcement listed it (an `Announcement`).
    ("announcement", str | None),
    # The listing's own keywords: a reader's tags only when the import asks for it.
    ("keywords", list[str] | None),
    # Only to tell same-titled works apart (journal columns); not stored.
    ("volume", str | None),
]


def _listing_record() -> type:
    """`ListingRecord`: a slotted dataclass of `PaperBase`'s fields plus the line a record
    starts on. A dataclass, not a SQLModel, because parsers make hundreds of thousands of
    them and validation would triple the cost; the fields still come from the one schema."""
    fields = [("line", int)] + [
        (name, info.annotation, dataclasses.field(default=info.default))
        for name, info in PaperBase.model_fields.items()
    ]
    fields += [(name, kind, dataclasses.field(default=None)) for name, kind in _RECORD_ONLY]
    namespace = {"is_empty": _is_empty, "__doc__": "One paper as a listing gives it."}
    return dataclasses.make_dataclass("ListingRecord", fields, namespace=namespace, slots=True)


if TYPE_CHECKING:  # what type checkers see: the same fields, declared by PaperBase

    class ListingRecord(PaperBase):
        line: int
        announcement: str | None = None
        keywords: list[str] | None = None
        volume: str | None = None

        def is_empty(self) -> bool: ...

else:
    ListingRecord = _listing_record()


@dataclass
class Rejected:
    """A record a parser found but could not use: counted and reported, not imported."""

    line: int
    reason: str


class ParsedListing:
    """A parser's whole answer for one file.

    A parser whose last step is slow (BibTeX's decoding of each entry) leaves those
    records `pending`: `each_record` makes them one at a time, so an import writes the
    first papers while the rest are being made. Reading `records` or `rejected` makes
    every pending record first, so both are always whole."""

    def __init__(self) -> None:
        self._records: list[ListingRecord] = []
        self._rejected: list[Rejected] = []
        self.warnings: list[tuple[int, str]] = []
        #: Definitions the file holds for other files (BibTeX `@string` macros): a file
        #: of those alone is read, not refused for having no papers.
        self.definitions = 0
        #: The records still to be made, in the file's order; None when there are none.
        self.pending: Iterator[ListingRecord] | None = None

    @property
    def records(self) -> list[ListingRecord]:
        self._make_pending()
        return self._records

    @property
    def rejected(self) -> list[Rejected]:
        self._make_pending()
        return self._rejected

    def reject(self, line: int, reason: str) -> None:
        """Count a record as found but not usable (also while records are being made)."""
        self._rejected.append(Rejected(line, reason))

    def each_record(self) -> Iterator[ListingRecord]:
        """Every record in the file's order, the pending ones made as they are asked for."""
        position = 0
        while True:
            if position < len(self._records):
                yield self._records[position]
                position += 1
            elif self.pending is None:
                return
            elif (record := next(self.pending, None)) is not None:
                self._records.append(record)
            else:
                self.pending = None
                self._rejected.sort(key=lambda rejected: rejected.line)

    def _make_pending(self) -> None:
        if self.pending is not None:
            for _ in self.each_record():
                pass

    def gate(self) -> None:
        """Pass every record, as it is made, through the field gate (`checked_fields`):
        cleaned, or rejected by its line when a value is out of range, so nothing
        unclean or unindexable is stored."""
        records = chain(self._records, self.pending or ())
        self._records, self.pending = [], self._gated(records)

    def _gated(self, records: Iterable[ListingRecord]) -> Iterator[ListingRecord]:
        for record in records:
            values = {name: getattr(record, name) for name in CHECKED_FIELDS}
            try:
                checked = checked_fields(values)
            except FieldError as error:
                self.reject(record.line, str(error))
                continue
            for name, value in checked.items():
                if value is not values[name]:
                    setattr(record, name, value)
            yield record


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
