"""The reference formats `papershelf export` writes, behind one registry: a new format is
one module with a `render(session, *, reader_id, ids) -> (text, count)` and a
`text(views, keys) -> (text, count)`, and one line in each registry here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from models.interchange.bibtex import bibtex_text, render_bibtex
from models.interchange.citekeys import keys_of, sqlite_bases
from models.interchange.csl_json import csl_json_text, render_csl_json
from models.interchange.output import ExportResult, write_if_changed
from models.interchange.reference_rows import ReferenceView, sqlite_reference_views
from models.interchange.ris import render_ris, ris_text

if TYPE_CHECKING:
    from sqlmodel import Session

    from models.store.sqlite_reading import SqliteReading

Render = Callable[..., tuple[str, int]]
REFERENCE_FORMATS: dict[str, Render] = {
    "bibtex": render_bibtex,
    "ris": render_ris,
    "csl-json": render_csl_json,
}
#: The same formats as text from rows and keys already read.
Text = Callable[[Iterable[ReferenceView], dict[int, str]], tuple[str, int]]
REFERENCE_TEXTS: dict[str, Text] = {
    "bibtex": bibtex_text,
    "ris": ris_text,
    "csl-json": csl_json_text,
}


def write_references(
    session: Session, *, format_name: str, reader_id: int, ids: Sequence[int], path: Path | str
) -> ExportResult:
    """Write the papers in this format to `path`, untouched when it would not change."""
    text, count = REFERENCE_FORMATS[format_name](session, reader_id=reader_id, ids=ids)
    return write_if_changed(Path(path), [text.encode()], papers=count)


def library_references(reading: SqliteReading, *, format_name: str) -> tuple[str, int]:
    """The whole library in this format, read straight from its SQLite file (the same text
    `REFERENCE_FORMATS` renders through a session), and how many papers it holds."""
    connection = reading.connection
    views = sqlite_reference_views(connection, reader_id=reading.reader_id, ids=None)
    return REFERENCE_TEXTS[format_name](views, keys_of(sqlite_bases(connection)))
