"""The reference formats `papershelf export` writes, behind one registry: a new format is
one module with an `entry(view, key) -> str` and one line here. The rows and keys come
through a session (`render_references`) or straight from a SQLite file
(`library_references`); the text is the same, made a chunk of papers at a time so an
export of any size is never whole in memory."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from models.interchange.bibtex import render_entry
from models.interchange.citekeys import citation_keys, keys_of, sqlite_bases
from models.interchange.csl_json import csl_json_entry
from models.interchange.output import ExportResult, write_if_changed
from models.interchange.reference_rows import (
    CHUNK,
    ReferenceView,
    reference_views,
    sqlite_reference_views,
)
from models.interchange.ris import render_record

if TYPE_CHECKING:
    from sqlmodel import Session

    from models.store.sqlite_reading import SqliteReading


@dataclass(frozen=True)
class ReferenceFormat:
    """How a format writes a list of papers: an entry each, between an opening and a
    closing; `empty` is the whole text of a list of none."""

    entry: Callable[[ReferenceView, str], str]
    separator: str = "\n"
    opening: str = ""
    closing: str = ""
    empty: str = ""


REFERENCE_TEXTS: dict[str, ReferenceFormat] = {
    "bibtex": ReferenceFormat(render_entry),
    "ris": ReferenceFormat(render_record),
    "csl-json": ReferenceFormat(
        csl_json_entry, separator=",\n", opening="[\n", closing="\n]\n", empty="[]\n"
    ),
}


class ReferenceText:
    """One export's text, made as it is read (a chunk of papers a piece), and how many
    papers it held once read."""

    def __init__(
        self, format_name: str, views: Iterable[ReferenceView], keys: dict[int, str]
    ) -> None:
        self.form = REFERENCE_TEXTS[format_name]
        self.views = iter(views)
        self.keys = keys
        self.count = 0

    def __iter__(self) -> Iterator[str]:
        form, keys = self.form, self.keys
        while chunk := list(islice(self.views, CHUNK)):
            entries = form.separator.join([form.entry(view, keys[view.id]) for view in chunk])
            yield (form.opening if not self.count else form.separator) + entries
            self.count += len(chunk)
        yield form.closing if self.count else form.empty


def reference_text(
    session: Session, *, format_name: str, reader_id: int, ids: Sequence[int]
) -> ReferenceText:
    """These papers in this format, in this order, as they are read."""
    views = reference_views(session, reader_id=reader_id, ids=ids)
    return ReferenceText(format_name, views, citation_keys(session))


def render_references(
    session: Session, *, format_name: str, reader_id: int, ids: Sequence[int]
) -> tuple[str, int]:
    """These papers in this format, in this order, and how many there are."""
    text = reference_text(session, format_name=format_name, reader_id=reader_id, ids=ids)
    return "".join(text), text.count


Render = Callable[..., tuple[str, int]]
#: Each format's `render(session, *, reader_id, ids) -> (text, count)`.
REFERENCE_FORMATS: dict[str, Render] = {
    name: partial(render_references, format_name=name) for name in REFERENCE_TEXTS
}


def write_references(
    session: Session, *, format_name: str, reader_id: int, ids: Sequence[int], path: Path | str
) -> ExportResult:
    """Write the papers in this format to `path`, untouched when it would not change."""
    text = reference_text(session, format_name=format_name, reader_id=reader_id, ids=ids)
    return write_reference_text(text, Path(path))


def write_reference_text(text: ReferenceText, path: Path) -> ExportResult:
    """Write an export's text to `path` as it is made, untouched when it would not change."""
    result = write_if_changed(path, (piece.encode() for piece in text), papers=0)
    result.papers = text.count
    return result


def library_references(reading: SqliteReading, *, format_name: str) -> ReferenceText:
    """The whole library in this format, read straight from its SQLite file (the same text
    `REFERENCE_FORMATS` renders through a session), as it is read."""
    connection = reading.connection
    views = sqlite_reference_views(connection, reader_id=reading.reader_id, ids=None)
    return ReferenceText(format_name, views, keys_of(sqlite_bases(connection)))
