"""The reference formats `papershelf export` writes, behind one registry: a new format is
one module with a `text(views, keys) -> (text, count)` and one line here. The rows and
keys come through a session (`render_references`) or straight from a SQLite file
(`library_references`); the text is the same."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from models.interchange.bibtex import bibtex_text
from models.interchange.citekeys import citation_keys, keys_of, sqlite_bases
from models.interchange.csl_json import csl_json_text
from models.interchange.output import ExportResult, write_if_changed
from models.interchange.reference_rows import (
    ReferenceView,
    reference_views,
    sqlite_reference_views,
)
from models.interchange.ris import ris_text

if TYPE_CHECKING:
    from sqlmodel import Session

    from models.store.sqlite_reading import SqliteReading

Text = Callable[[Iterable[ReferenceView], dict[int, str]], tuple[str, int]]
REFERENCE_TEXTS: dict[str, Text] = {
    "bibtex": bibtex_text,
    "ris": ris_text,
    "csl-json": csl_json_text,
}


def render_references(
    session: Session, *, format_name: str, reader_id: int, ids: Sequence[int]
) -> tuple[str, int]:
    """These papers in this format, in this order, and how many there are."""
    views = reference_views(session, reader_id=reader_id, ids=ids)
    return REFERENCE_TEXTS[format_name](views, citation_keys(session))


Render = Callable[..., tuple[str, int]]
#: Each format's `render(session, *, reader_id, ids) -> (text, count)`.
REFERENCE_FORMATS: dict[str, Render] = {
    name: partial(render_references, format_name=name) for name in REFERENCE_TEXTS
}


def write_references(
    session: Session, *, format_name: str, reader_id: int, ids: Sequence[int], path: Path | str
) -> ExportResult:
    """Write the papers in this format to `path`, untouched when it would not change."""
    text, count = render_references(session, format_name=format_name, reader_id=reader_id, ids=ids)
    return write_if_changed(Path(path), [text.encode()], papers=count)


def library_references(reading: SqliteReading, *, format_name: str) -> tuple[str, int]:
    """The whole library in this format, read straight from its SQLite file (the same text
    `REFERENCE_FORMATS` renders through a session), and how many papers it holds."""
    connection = reading.connection
    views = sqlite_reference_views(connection, reader_id=reading.reader_id, ids=None)
    return REFERENCE_TEXTS[format_name](views, keys_of(sqlite_bases(connection)))
